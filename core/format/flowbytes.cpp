#include "flowbytes.h"

#include <QList>

#include <cstring>

namespace pw {

qsizetype FlowBytes::firstBadByte(const QByteArray &data)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
    const qsizetype n = data.size();
    qsizetype i = 0;
    while (i < n) {
        // Eight ASCII bytes without a NUL at a time (a flow file is mostly ASCII).
        while (i + 8 <= n) {
            quint64 w;
            std::memcpy(&w, p + i, 8);
            constexpr quint64 ones = 0x0101010101010101ULL;
            constexpr quint64 highs = 0x8080808080808080ULL;
            if ((w & highs) || ((w - ones) & ~w & highs))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        const unsigned char c = p[i];
        if (c == 0)
            return i;
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len = 0;
        unsigned int cp = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (int k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        const unsigned int minimum[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < minimum[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return -1;
}

qsizetype FlowBytes::firstControlCharacter(const QByteArray &data)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
    for (qsizetype i = 0, n = data.size(); i < n; ++i) {
        const unsigned char c = p[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            return i;
    }
    return -1;
}

int FlowBytes::secondDocumentLine(const QByteArray &data)
{
    bool content = false;
    bool ended = false; // a '...' marker ended the first document: anything after it is another
    int line = 0;
    const QByteArrayView all(data);
    for (qsizetype start = 0; start <= all.size();) {
        qsizetype end = all.indexOf('\n', start);
        if (end < 0)
            end = all.size();
        const QByteArrayView l = all.sliced(start, end - start);
        start = end + 1;
        ++line;
        const bool marker = (l.startsWith("---") || l.startsWith("..."))
            && (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
        if (marker) {
            if (content && l.startsWith("---"))
                return line;
            ended = ended || content;
            continue;
        }
        if (content && !ended)
            continue; // only a marker matters now
        const QByteArrayView t = l.trimmed();
        if (t.isEmpty() || t.startsWith('#'))
            continue;
        if (ended)
            return line; // a directive or text after the end of the first document
        if (!t.startsWith('%'))
            content = true;
    }
    return 0;
}

} // namespace pw
