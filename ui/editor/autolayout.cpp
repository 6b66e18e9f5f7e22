#include "autolayout.h"

#include <QList>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace pw {

QHash<QString, QPointF> AutoLayout::compute(const Flow &flow)
{
    const int n = int(flow.tasks.size());
    QHash<QString, int> index;
    index.reserve(n);
    for (int i = 0; i < n; ++i)
        index.insert(flow.tasks[i].id, i);

    QList<QList<int>> preds(n), succs(n);
    for (int i = 0; i < n; ++i) {
        for (const QString &up : flow.tasks[i].after) {
            const int u = index.value(up, -1);
            if (u >= 0 && u != i) {
                preds[i].append(u);
                succs[u].append(i);
            }
        }
    }

    // Topological order (Kahn, file order among ready nodes); leftovers of cycles appended.
    QList<int> indeg(n, 0);
    for (int i = 0; i < n; ++i)
        indeg[i] = int(preds[i].size());
    QList<int> order;
    order.reserve(n);
    QList<bool> placed(n, false);
    QList<int> ready;
    for (int i = 0; i < n; ++i) {
        if (indeg[i] == 0)
            ready.append(i);
    }
    for (int head = 0; head < ready.size(); ++head) {
        const int v = ready[head];
        order.append(v);
        placed[v] = true;
        for (int s : std::as_const(succs[v])) {
            if (--indeg[s] == 0)
                ready.append(s);
        }
    }
    for (int i = 0; i < n; ++i) {
        if (!placed[i])
            order.append(i);
    }
    QList<int> rank(n, -1);
    for (int k = 0; k < order.size(); ++k)
        rank[order[k]] = k;

    // Layers: longest path from a source, following only forward edges.
    QList<int> layer(n, 0);
    int layerCount = n > 0 ? 1 : 0;
    for (int v : std::as_const(order)) {
        for (int p : std::as_const(preds[v])) {
            if (rank[p] < rank[v])
                layer[v] = std::max(layer[v], layer[p] + 1);
        }
        layerCount = std::max(layerCount, layer[v] + 1);
    }
    QList<QList<int>> layers(layerCount);
    for (int v : std::as_const(order))
        layers[layer[v]].append(v);

    // Order inside layers: barycenter sweeps (down, then up), positions normalised per layer.
    QList<double> pos(n, 0);
    auto renumber = [&](const QList<int> &l) {
        for (int k = 0; k < l.size(); ++k)
            pos[l[k]] = l.size() > 1 ? double(k) / double(l.size() - 1) : 0.5;
    };
    for (const QList<int> &l : std::as_const(layers))
        renumber(l);
    auto sweep = [&](int li, bool down) {
        QList<int> &l = layers[li];
        QList<double> key(n, 0);
        for (int v : std::as_const(l)) {
            const QList<int> &nb = down ? preds[v] : succs[v];
            if (nb.isEmpty()) {
                key[v] = pos[v];
                continue;
            }
            double sum = 0;
            for (int u : nb)
                sum += pos[u];
            key[v] = sum / double(nb.size());
        }
        std::stable_sort(l.begin(), l.end(), [&](int a, int b) { return key[a] < key[b]; });
        renumber(l);
    };
    for (int iter = 0; iter < 4; ++iter) {
        for (int li = 1; li < layerCount; ++li)
            sweep(li, true);
        for (int li = layerCount - 2; li >= 0; --li)
            sweep(li, false);
    }

    // Coordinates: each node wants the mean y of its upstream nodes; within a layer (in the
    // order found above) nodes stay RowSpacing apart. The placement closest to the wishes
    // (least squares) is an isotonic regression on want[k] - k*RowSpacing, solved with
    // pool-adjacent-violators, so layers move up as well as down and never drift.
    QList<double> y(n, 0);
    for (int li = 0; li < layerCount; ++li) {
        const QList<int> &l = layers[li];
        const int m = int(l.size());
        QList<double> want(m);
        for (int k = 0; k < m; ++k) {
            const int v = l[k];
            double sum = 0;
            int cnt = 0;
            for (int p : std::as_const(preds[v])) {
                if (layer[p] < li) {
                    sum += y[p];
                    ++cnt;
                }
            }
            // Sources (and the first layer) are stacked from the top.
            want[k] = cnt > 0 ? sum / cnt : (k > 0 ? want[k - 1] + RowSpacing : 0.0);
        }
        // PAVA over z[k] = want[k] - k*RowSpacing: blocks of (mean, weight).
        QList<double> mean;
        QList<int> weight;
        for (int k = 0; k < m; ++k) {
            mean.append(want[k] - k * RowSpacing);
            weight.append(1);
            while (mean.size() > 1 && mean[mean.size() - 2] > mean.last()) {
                const double w1 = weight[weight.size() - 2], w2 = weight.last();
                const double merged = (mean[mean.size() - 2] * w1 + mean.last() * w2) / (w1 + w2);
                mean.removeLast();
                weight.removeLast();
                mean.last() = merged;
                weight.last() = int(w1 + w2);
            }
        }
        int k = 0;
        for (int b = 0; b < mean.size(); ++b) {
            for (int j = 0; j < weight[b]; ++j, ++k)
                y[l[k]] = mean[b] + k * RowSpacing;
        }
    }
    // Start at y = 0 and snap to the 20 px grid (rows stay at least 80 px apart: no overlap).
    double top = 0;
    for (int i = 0; i < n; ++i)
        top = i == 0 ? y[i] : std::min(top, y[i]);
    for (int i = 0; i < n; ++i)
        y[i] -= top;

    QHash<QString, QPointF> out;
    out.reserve(n);
    for (int i = 0; i < n; ++i)
        out.insert(flow.tasks[i].id, QPointF(layer[i] * LayerSpacing, std::round(y[i] / 20) * 20));
    return out;
}

} // namespace pw
