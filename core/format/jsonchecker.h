#pragma once

#include "model/result.h"

#include <QByteArray>

namespace pw {

// Strict JSON for *.flow.json (DESIGN §4): RFC 8259 and nothing more — no trailing commas,
// comments, single quotes, unquoted keys or other YAML-only syntax. The loader builds the flow
// with yaml-cpp (YAML 1.2 reads JSON), so that semantic errors keep their marks; this class is
// the gate in front of it.
//
// check() returns the first syntax error, located at the offending character (1-based line;
// column in characters, a tab counts one; the file name is left for the caller). On success it
// returns the text to give yaml-cpp: the same length, the same lines, every token at the same
// byte offset, with the few valid JSON forms yaml-cpp does not read rewritten:
// - a surrogate pair escape (\ud83d\ude00, which yaml-cpp refuses) becomes \U0001f600 and
//   the string is padded with spaces after its closing quote;
// - a key followed by whitespace before its ':' gets the ':' moved next to it (YAML keys end
//   on their line, and yaml-cpp's within 1024 bytes); the whitespace shifts by one byte, so a
//   line start may move: map positions through line starts (see column());
// - CR outside strings becomes a space (yaml-cpp keeps a lone CR inside a number or literal).
// Object keys longer than 1022 bytes are refused (yaml-cpp reads no longer keys). Nesting
// deeper than 1000 levels is refused. The input must be valid UTF-8 (the loader checks that
// first); a leading UTF-8 byte order mark is skipped (RFC 8259 §8.1 allows ignoring it) and
// is not counted in columns. Duplicate keys are not this class's business: the loader refuses
// them in JSON and YAML alike.
class JsonChecker
{
public:
    static Result<QByteArray, Error> check(const QByteArray &json);

    // The 1-based column, in characters (UTF-8 code points), of byte `offset` of `text` on
    // the line that starts at byte `lineStart` (skip a BOM on the first line yourself).
    static int column(const QByteArray &text, qsizetype lineStart, qsizetype offset);
};

} // namespace pw
