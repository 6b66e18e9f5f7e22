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

    // Coordinates: y near the mean of the upstream nodes' y, kept RowSpacing apart in order.
    QList<double> y(n, 0);
    for (int li = 0; li < layerCount; ++li) {
        const QList<int> &l = layers[li];
        double next = 0;
        QList<double> want(l.size());
        for (int k = 0; k < l.size(); ++k) {
            const int v = l[k];
            double w = next;
            if (li > 0 && !preds[v].isEmpty()) {
                double sum = 0;
                int cnt = 0;
                for (int p : std::as_const(preds[v])) {
                    if (layer[p] < li) {
                        sum += y[p];
                        ++cnt;
                    }
                }
                if (cnt > 0)
                    w = sum / cnt;
            }
            want[k] = w;
            next = std::max(next, w) + RowSpacing;
        }
        // Forward pass: no overlap; backward pass pulls nodes up towards their wish when
        // there is room.
        QList<double> placedY(l.size());
        for (int k = 0; k < l.size(); ++k)
            placedY[k] = k == 0 ? std::max(0.0, want[k]) : std::max(want[k], placedY[k - 1] + RowSpacing);
        for (int k = int(l.size()) - 2; k >= 0; --k) {
            const double limit = placedY[k + 1] - RowSpacing;
            if (placedY[k] > limit)
                placedY[k] = limit;
        }
        for (int k = 0; k < l.size(); ++k) {
            if (k > 0 && placedY[k] < placedY[k - 1] + RowSpacing)
                placedY[k] = placedY[k - 1] + RowSpacing;
            y[l[k]] = std::max(0.0, placedY[k]);
            if (k > 0 && y[l[k]] < y[l[k - 1]] + RowSpacing)
                y[l[k]] = y[l[k - 1]] + RowSpacing;
        }
    }

    QHash<QString, QPointF> out;
    out.reserve(n);
    for (int i = 0; i < n; ++i)
        out.insert(flow.tasks[i].id, QPointF(layer[i] * LayerSpacing, std::round(y[i] / 20) * 20));
    return out;
}

} // namespace pw
