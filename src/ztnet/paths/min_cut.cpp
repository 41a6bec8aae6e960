// Dinic's max-flow with unit capacities on the class graph: levels by breadth-first search, then
// blocking flows by depth-first search along the levels. The cut is read off the residual graph.
#include "ztnet/paths/detail/min_cut.h"

#include <algorithm>
#include <limits>
#include <set>

namespace ztnet::paths::detail {

namespace {

constexpr int kInfinite = std::numeric_limits<int>::max() / 2;

class FlowNetwork {
  public:
    explicit FlowNetwork(std::size_t nodes) : first_(nodes, -1), level_(nodes), cursor_(nodes) {}

    void add(std::uint32_t from, std::uint32_t to, int capacity) {
        arcs_.push_back({to, capacity, first_[from]});
        first_[from] = static_cast<int>(arcs_.size() - 1);
        arcs_.push_back({from, 0, first_[to]});
        first_[to] = static_cast<int>(arcs_.size() - 1);
    }

    // The flow, or stops once it exceeds `limit`.
    std::size_t max_flow(std::uint32_t source, std::uint32_t sink, std::size_t limit) {
        std::size_t flow = 0;
        while (flow <= limit && levels(source, sink)) {
            std::copy(first_.begin(), first_.end(), cursor_.begin());
            while (flow <= limit) {
                const int pushed = push(source, sink, kInfinite);
                if (pushed == 0)
                    break;
                flow += static_cast<std::size_t>(pushed);
            }
        }
        return flow;
    }

    // The nodes the source still reaches in the residual graph.
    std::vector<bool> source_side(std::uint32_t source) const {
        std::vector<bool> seen(first_.size(), false);
        std::vector<std::uint32_t> stack{source};
        seen[source] = true;
        while (!stack.empty()) {
            const std::uint32_t u = stack.back();
            stack.pop_back();
            for (int a = first_[u]; a >= 0; a = arcs_[a].next) {
                if (arcs_[a].capacity > 0 && !seen[arcs_[a].to]) {
                    seen[arcs_[a].to] = true;
                    stack.push_back(arcs_[a].to);
                }
            }
        }
        return seen;
    }

  private:
    struct Arc {
        std::uint32_t to;
        int capacity;
        int next;
    };

    bool levels(std::uint32_t source, std::uint32_t sink) {
        std::fill(level_.begin(), level_.end(), -1);
        std::vector<std::uint32_t> queue{source};
        level_[source] = 0;
        for (std::size_t i = 0; i < queue.size(); ++i) {
            const std::uint32_t u = queue[i];
            for (int a = first_[u]; a >= 0; a = arcs_[a].next) {
                if (arcs_[a].capacity > 0 && level_[arcs_[a].to] < 0) {
                    level_[arcs_[a].to] = level_[u] + 1;
                    queue.push_back(arcs_[a].to);
                }
            }
        }
        return level_[sink] >= 0;
    }

    // One augmenting path along the levels, iteratively (no recursion: paths may be long).
    int push(std::uint32_t source, std::uint32_t sink, int limit) {
        std::vector<int> path; // arcs
        std::uint32_t u = source;
        while (true) {
            if (u == sink) {
                int bottleneck = limit;
                for (int a : path)
                    bottleneck = std::min(bottleneck, arcs_[a].capacity);
                for (int a : path) {
                    arcs_[a].capacity -= bottleneck;
                    arcs_[a ^ 1].capacity += bottleneck;
                }
                return bottleneck;
            }
            int& a = cursor_[u];
            while (a >= 0 && (arcs_[a].capacity <= 0 || level_[arcs_[a].to] != level_[u] + 1))
                a = arcs_[a].next;
            if (a >= 0) {
                path.push_back(a);
                u = arcs_[a].to;
                continue;
            }
            // A dead end: never visited again in this phase; step back.
            level_[u] = -1;
            if (path.empty())
                return 0;
            u = arcs_[path.back() ^ 1].to;
            path.pop_back();
            cursor_[u] = arcs_[cursor_[u]].next;
        }
    }

    std::vector<int> first_;
    std::vector<Arc> arcs_;
    std::vector<int> level_;
    std::vector<int> cursor_;
};

bool reaches_sink(const AttackGraph& graph, const std::vector<bool>& start, const std::vector<bool>& sink,
                  const std::set<std::pair<std::uint32_t, std::uint32_t>>& removed) {
    std::vector<bool> seen(graph.classes(), false);
    std::vector<std::uint32_t> stack;
    for (std::uint32_t c = 0; c < graph.classes(); ++c) {
        if (start[c]) {
            seen[c] = true;
            stack.push_back(c);
        }
    }
    while (!stack.empty()) {
        const std::uint32_t u = stack.back();
        stack.pop_back();
        for (std::uint32_t v : graph.next(u, true)) {
            if (seen[v] || removed.contains({u, v}))
                continue;
            if (sink[v])
                return true;
            seen[v] = true;
            stack.push_back(v);
        }
    }
    return false;
}

} // namespace

CutResult minimum_cut(const AttackGraph& graph, const std::vector<bool>& start, const std::vector<bool>& sink,
                      std::size_t limit) {
    const std::uint32_t classes = graph.classes();
    const std::uint32_t source = classes;
    const std::uint32_t target = classes + 1;
    FlowNetwork network(classes + 2);
    for (std::uint32_t c = 0; c < classes; ++c) {
        if (start[c])
            network.add(source, c, kInfinite);
        if (sink[c] && !start[c])
            network.add(c, target, kInfinite);
        for (std::uint32_t v : graph.next(c, true)) {
            if (v != c && !start[v])
                network.add(c, v, 1);
        }
    }
    CutResult out;
    if (network.max_flow(source, target, limit) > limit) {
        out.complete = false;
        return out;
    }
    const std::vector<bool> side = network.source_side(source);
    std::set<std::pair<std::uint32_t, std::uint32_t>> removed;
    for (std::uint32_t c = 0; c < classes; ++c) {
        if (!side[c])
            continue;
        for (std::uint32_t v : graph.next(c, true)) {
            if (v != c && !start[v] && !side[v]) {
                out.links.emplace_back(c, v);
                removed.insert({c, v});
            }
        }
    }
    out.verified = !reaches_sink(graph, start, sink, removed);
    return out;
}

} // namespace ztnet::paths::detail
