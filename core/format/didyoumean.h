#pragma once

// Internal helper of core/format: "did you mean" hints for misspelt keys, ids and names.

#include <QString>
#include <QStringList>

namespace pw::detail {

// Levenshtein distance between a and b.
int editDistance(const QString &a, const QString &b);
// The candidate closest to `word` if it is close enough to be a plausible typo, else empty.
QString closest(const QString &word, const QStringList &candidates);
// " (did you mean 'x'?)" for the closest candidate, or an empty string.
QString didYouMean(const QString &word, const QStringList &candidates);

} // namespace pw::detail
