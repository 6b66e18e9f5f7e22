#pragma once

// Internal helpers of core/format: "did you mean" hints for misspelt keys, ids and names, and
// such names as messages show them.

#include <QString>
#include <QStringList>

namespace pw::detail {

// Levenshtein distance between a and b.
int editDistance(const QString &a, const QString &b);
// The candidate closest to `word` if it is close enough to be a plausible typo, else empty.
QString closest(const QString &word, const QStringList &candidates);
// " (did you mean 'x'?)" for the closest candidate, or an empty string.
QString didYouMean(const QString &word, const QStringList &candidates);
// A key, id or name from a file, in single quotes, as a message shows it: characters that do not
// show (zero-width joiners, bidi marks and overrides, control characters, spaces other than
// ' ') as <U+200D>, a long one cut to its first 60 characters, and where it holds a character
// outside ASCII, which one: "'dаta' (character 2 is U+0430, not ASCII)" — a Cyrillic 'а' looks
// like a Latin 'a', so without the note the message would name what seems a fine id.
QString quoted(const QString &name);

} // namespace pw::detail
