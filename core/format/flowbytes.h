#pragma once

#include <QByteArray>

namespace pw {

// What FlowLoader checks in a flow file's bytes before yaml-cpp reads them: text that is not
// UTF-8 (or holds a NUL) and a second YAML document (yaml-cpp's LoadAll loops forever on some
// junk, so only the first document is parsed and a second one is found by its marker).
class FlowBytes
{
public:
    // Position of the first byte that is not valid UTF-8 (or a NUL), or -1.
    static qsizetype firstBadByte(const QByteArray &data);
    // Position of the first control character YAML does not allow in a file (C0 other than
    // tab, line feed and carriage return, and DEL), or -1. yaml-cpp reads them as text, so they
    // would reach ids and messages unseen ('m\x01x' prints as 'mx').
    static qsizetype firstControlCharacter(const QByteArray &data);
    // 1-based line of a '---' marker that starts a second document (or of the first text after
    // a '...' marker that ended the first one), or 0.
    static int secondDocumentLine(const QByteArray &data);
};

} // namespace pw
