#include "didyoumean.h"

#include <algorithm>
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

} // namespace pw::detail
