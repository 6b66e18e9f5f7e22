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
    // 1-based line of a '---' marker that starts a second document, or 0.
    static int secondDocumentLine(const QByteArray &data);
};

} // namespace pw
