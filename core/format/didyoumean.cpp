#include "didyoumean.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace pw::detail {

int editDistance(const QString &a, const QString &b)
{
    const qsizetype n = a.size(), m = b.size();
    std::vector<int> prev(size_t(m) + 1), cur(size_t(m) + 1);
    for (qsizetype j = 0; j <= m; ++j)
        prev[size_t(j)] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= m; ++j) {
            const int subst = prev[size_t(j - 1)] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[size_t(j)] = std::min({prev[size_t(j)] + 1, cur[size_t(j - 1)] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[size_t(m)];
}

QString closest(const QString &word, const QStringList &candidates)
{
    if (word.size() > 200)
        return {};
    // A typo is at most a third of the word (min. 1, or 2 for longer words); a case-only
    // difference always qualifies.
    const int limit = std::max(word.size() >= 5 ? 2 : 1, int(word.size() / 3));
    QString best;
    int bestDistance = limit + 1;
    for (const QString &c : candidates) {
        // The distance is at least the difference in length: most candidates cost nothing.
        if (std::abs(c.size() - word.size()) > limit)
            continue;
        int d = editDistance(word, c);
        if (d > 0 && word.compare(c, Qt::CaseInsensitive) == 0)
            d = 1;
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    return best;
}

QString didYouMean(const QString &word, const QStringList &candidates)
{
    const QString c = closest(word, candidates);
    return c.isEmpty() ? QString() : QStringLiteral(" (did you mean '%1'?)").arg(c);
}

QString quoted(const QString &name)
{
    constexpr qsizetype kShown = 60;
    QString out = QStringLiteral("'");
    qsizetype characters = 0;
    int foreign = -1; // the first code point outside ASCII, and its place (1-based)
    qsizetype foreignAt = 0;
    for (qsizetype i = 0; i < name.size(); ++i) {
        char32_t c = name.at(i).unicode();
        const bool pair
            = QChar::isHighSurrogate(c) && i + 1 < name.size() && name.at(i + 1).isLowSurrogate();
        if (pair)
            c = QChar::surrogateToUcs4(name.at(i), name.at(i + 1));
        ++characters;
        if (c >= 0x80 && foreign < 0) {
            foreign = int(c);
            foreignAt = characters;
        }
        if (characters <= kShown) {
            const QChar::Category category = QChar::category(c);
            const bool hidden = category == QChar::Other_Format || category == QChar::Other_Control
                || category == QChar::Other_Surrogate || category == QChar::Other_NotAssigned
                || (QChar::isSpace(c) && c != U' ');
            if (hidden)
                out += QStringLiteral("<U+%1>").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper();
            else
                out += QStringView(name).mid(i, pair ? 2 : 1);
        }
        if (pair)
            ++i;
    }
    if (characters > kShown)
        out += QStringLiteral("...' (%1 characters)").arg(characters);
    else
        out += QLatin1Char('\'');
    if (foreign >= 0)
        out += QStringLiteral(" (character %1 is U+%2, not ASCII)")
                   .arg(foreignAt)
                   .arg(QStringLiteral("%1").arg(uint(foreign), 4, 16, QLatin1Char('0')).toUpper());
    return out;
}

} // namespace pw::detail
