// The blast radius of each workload: a breadth-first search over classes from the classes of its
// endpoints, counting the members of each class reached. A class's own members are alike, so the
// members of a start class are reached only when some link enters that class again (or at once,
// through a link from the class to itself); the workload's own endpoints never count.
#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>

#include "ztnet/exposure/endpoints.h"
#include "ztnet/paths/paths.h"
#include "ztnet/support/parallel.h"

namespace ztnet::paths {

using reach::ReachEndpoint;

namespace {

constexpr std::uint16_t kUnreached = std::numeric_limits<std::uint16_t>::max();

struct Workload {
    const model::Resource* resource = nullptr;
    std::vector<std::uint32_t> endpoints;
    std::vector<std::uint32_t> starts; // their classes, ascending, distinct
};

// What the search reads, computed once.
struct Layout {
    std::vector<Workload> workloads;
    std::vector<std::uint32_t> tier_of; // per endpoint
    std::vector<std::string> tiers;     // by tier id
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>>
        jewels_in; // per class: (endpoint, jewel)
};

Layout lay_out(const AttackGraph& graph, const std::vector<CrownJewel>& jewels) {
    const reach::Reachability& reach = graph.reach();
    const model::Estate& estate = reach.estate();
    const auto& endpoints = reach.endpoints().endpoints;
    Layout out;
    std::unordered_map<const model::Resource*, std::size_t> workload_of;
    std::unordered_map<std::string, std::uint32_t> tier_id;
    out.tier_of.assign(endpoints.size(), 0);
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        const ReachEndpoint& e = endpoints[i];
        std::string label = exposure::tier_of(estate, e).label;
        auto [it, inserted] = tier_id.try_emplace(label, static_cast<std::uint32_t>(out.tiers.size()));
        if (inserted)
            out.tiers.push_back(std::move(label));
        out.tier_of[i] = it->second;
        if (e.kind != ReachEndpoint::Kind::Nic || graph.role(e.equivalence_class) != Role::Foothold)
            continue;
        const model::Resource* resource = exposure::endpoint_resource(estate, e);
        auto [w, added] = workload_of.try_emplace(resource, out.workloads.size());
        if (added)
            out.workloads.push_back({resource, {}, {}});
        out.workloads[w->second].endpoints.push_back(i);
        out.workloads[w->second].starts.push_back(e.equivalence_class);
    }
    for (Workload& w : out.workloads) {
        std::sort(w.starts.begin(), w.starts.end());
        w.starts.erase(std::unique(w.starts.begin(), w.starts.end()), w.starts.end());
    }
    out.jewels_in.resize(graph.classes());
    for (std::size_t j = 0; j < jewels.size(); ++j) {
        for (std::uint32_t e : jewels[j].endpoints)
            out.jewels_in[endpoints[e].equivalence_class].emplace_back(e, static_cast<std::uint32_t>(j));
    }
    return out;
}

// One search's scratch space, reused across searches on one thread.
struct Search {
    std::vector<std::uint16_t> hop;     // per class: when first reached
    std::vector<std::uint16_t> entered; // per class: when a link first enters a start class
    std::vector<std::uint32_t> touched;
    std::vector<std::uint32_t> frontier, next;

    explicit Search(std::uint32_t classes) : hop(classes, kUnreached), entered(classes, kUnreached) {}

    // Breadth-first from `starts`; afterwards hop[] and entered[] hold the answer for `touched`.
    void run(const AttackGraph& graph, const std::vector<std::uint32_t>& starts, bool possible,
             int max_hops) {
        for (std::uint32_t c : touched) {
            hop[c] = kUnreached;
            entered[c] = kUnreached;
        }
        touched.assign(starts.begin(), starts.end());
        frontier.assign(starts.begin(), starts.end());
        for (std::uint32_t c : starts)
            hop[c] = 0;
        for (std::uint16_t depth = 1; !frontier.empty() && (max_hops <= 0 || depth <= max_hops); ++depth) {
            next.clear();
            for (std::uint32_t u : frontier) {
                for (std::uint32_t v : graph.next(u, possible)) {
                    if (hop[v] == kUnreached) {
                        hop[v] = depth;
                        touched.push_back(v);
                        next.push_back(v);
                    } else if (hop[v] == 0 && entered[v] == kUnreached) {
                        entered[v] = depth;
                    }
                }
            }
            frontier.swap(next);
        }
    }

    // When the members of class c other than the workload's own are reached, or kUnreached.
    std::uint16_t reached_at(std::uint32_t c) const { return hop[c] == 0 ? entered[c] : hop[c]; }
};

bool own(const Workload& w, std::uint32_t endpoint) {
    return std::find(w.endpoints.begin(), w.endpoints.end(), endpoint) != w.endpoints.end();
}

void measure(const AttackGraph& graph, const Layout& layout, const Workload& w, Search& search, int max_hops,
             BlastRadius& out) {
    const auto& members = graph.reach().table().members();
    search.run(graph, w.starts, false, max_hops);
    std::vector<bool> tier_seen(layout.tiers.size(), false);
    std::map<std::size_t, int> jewels;
    for (std::uint32_t c : search.touched) {
        const std::uint16_t at = search.reached_at(c);
        if (at == kUnreached)
            continue;
        std::size_t count = 0;
        for (std::uint32_t e : members[c]) {
            if (own(w, e))
                continue;
            ++count;
            tier_seen[layout.tier_of[e]] = true;
        }
        for (const auto& [e, jewel] : layout.jewels_in[c]) {
            if (!own(w, e) && !jewels.contains(jewel))
                jewels[jewel] = at;
            else if (!own(w, e))
                jewels[jewel] = std::min(jewels[jewel], static_cast<int>(at));
        }
        if (count == 0)
            continue;
        if (out.by_hop.size() < at)
            out.by_hop.resize(at, 0);
        out.by_hop[at - 1] += count;
        out.reached += count;
    }
    for (std::uint32_t e : w.endpoints)
        tier_seen[layout.tier_of[e]] = false;
    for (std::size_t t = 0; t < tier_seen.size(); ++t) {
        if (tier_seen[t])
            out.tiers.push_back(layout.tiers[t]);
    }
    std::sort(out.tiers.begin(), out.tiers.end());
    out.jewels.assign(jewels.begin(), jewels.end());
    // Counting the links the input cannot decide too.
    search.run(graph, w.starts, true, max_hops);
    std::size_t all = 0;
    for (std::uint32_t c : search.touched) {
        if (search.reached_at(c) == kUnreached)
            continue;
        for (std::uint32_t e : members[c])
            all += !own(w, e);
    }
    out.possibly = all - out.reached;
}

} // namespace

std::vector<BlastRadius> blast_radii(const AttackGraph& graph, const std::vector<CrownJewel>& jewels,
                                     int max_hops) {
    const Layout layout = lay_out(graph, jewels);
    std::vector<BlastRadius> out(layout.workloads.size());
    const unsigned threads = pool_threads();
    std::vector<std::unique_ptr<Search>> searches(std::max(1u, threads));
    parallel_for(layout.workloads.size(), threads, 8, [&](std::size_t i, unsigned thread) {
        auto& search = searches[thread];
        if (!search)
            search = std::make_unique<Search>(graph.classes());
        const Workload& w = layout.workloads[i];
        BlastRadius& radius = out[i];
        radius.resource = w.resource->name;
        radius.resource_id = w.resource->id;
        radius.tier = layout.tiers[layout.tier_of[w.endpoints.front()]];
        radius.endpoints = w.endpoints;
        measure(graph, layout, w, *search, max_hops, radius);
    });
    std::sort(out.begin(), out.end(), [](const BlastRadius& a, const BlastRadius& b) {
        if (a.reached != b.reached)
            return a.reached > b.reached;
        if (a.possibly != b.possibly)
            return a.possibly > b.possibly;
        return a.resource_id < b.resource_id;
    });
    return out;
}

std::vector<TierSummary> tier_summaries(const std::vector<BlastRadius>& radii) {
    std::map<std::string, TierSummary> by_tier;
    for (const BlastRadius& r : radii) {
        TierSummary& t = by_tier[r.tier];
        t.tier = r.tier;
        ++t.workloads;
        t.widest = std::max(t.widest, r.reached);
        t.mean += static_cast<double>(r.reached);
        t.reach_jewels += !r.jewels.empty();
    }
    std::vector<TierSummary> out;
    for (auto& [tier, t] : by_tier) {
        t.mean /= static_cast<double>(t.workloads);
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace ztnet::paths
