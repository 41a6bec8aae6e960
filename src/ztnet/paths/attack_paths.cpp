// The attack-path analysis: footholds and crown jewels resolved, the graph built, the shortest paths
// found by a breadth-first search over classes (sure links first, then counting possible ones),
// each hop made concrete and traced, and the minimum cut between the footholds and the jewels.
#include <algorithm>
#include <chrono>
#include <deque>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "ztnet/exposure/endpoints.h"
#include "ztnet/paths/detail/min_cut.h"
#include "ztnet/paths/paths.h"
#include "ztnet/support/parallel.h"

namespace ztnet::paths {

using reach::ReachEndpoint;
using reach::ServiceSet;

namespace {

constexpr std::uint32_t kNoClass = std::numeric_limits<std::uint32_t>::max();

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A breadth-first search from the start classes that keeps, per class, the class it was first
// reached from (and, for a start class, the class whose link first entered it again).
struct Tree {
    std::vector<int> hop;     // -1: unreached
    std::vector<int> entered; // start classes: when a link first enters them, -1: never
    std::vector<std::uint32_t> parent, enter_parent;

    Tree(const AttackGraph& graph, const std::vector<std::uint32_t>& starts, bool possible, int max_hops)
        : hop(graph.classes(), -1), entered(graph.classes(), -1), parent(graph.classes(), kNoClass),
          enter_parent(graph.classes(), kNoClass) {
        std::vector<std::uint32_t> frontier(starts), next;
        for (std::uint32_t c : starts)
            hop[c] = 0;
        for (int depth = 1; !frontier.empty() && (max_hops <= 0 || depth <= max_hops); ++depth) {
            next.clear();
            for (std::uint32_t u : frontier) {
                for (std::uint32_t v : graph.next(u, possible)) {
                    if (hop[v] < 0) {
                        hop[v] = depth;
                        parent[v] = u;
                        next.push_back(v);
                    } else if (hop[v] == 0 && entered[v] < 0) {
                        entered[v] = depth;
                        enter_parent[v] = u;
                    }
                }
            }
            frontier.swap(next);
        }
    }
    // When the members of c other than the start endpoints are reached; -1 when never.
    int reached_at(std::uint32_t c) const { return hop[c] == 0 ? entered[c] : hop[c]; }
    // The classes from a start to c, c last.
    std::vector<std::uint32_t> chain(std::uint32_t c) const {
        std::vector<std::uint32_t> out{c};
        std::uint32_t at = hop[c] == 0 ? enter_parent[c] : parent[c];
        while (at != kNoClass) {
            out.push_back(at);
            if (hop[at] == 0)
                break;
            at = parent[at];
        }
        std::reverse(out.begin(), out.end());
        return out;
    }
};

class PathFinder {
  public:
    PathFinder(const analysis::Analysis& analysis, const AttackGraph& graph, const PathOptions& options,
               PathsResult& out)
        : analysis_(analysis), graph_(graph), endpoints_(graph.reach().endpoints().endpoints),
          members_(graph.reach().table().members()), options_(options), out_(out) {}

    void run(const std::vector<std::uint32_t>& start_classes) {
        is_start_endpoint_.assign(endpoints_.size(), false);
        for (std::uint32_t e : out_.start_endpoints)
            is_start_endpoint_[e] = true;
        const Tree sure(graph_, start_classes, false, options_.max_hops);
        const Tree possible(graph_, start_classes, true, options_.max_hops);
        out_.jewel_hops.assign(out_.jewels.size(), -1);
        out_.jewel_possible_hops.assign(out_.jewels.size(), -1);
        std::vector<AttackPath> found;
        for (std::size_t j = 0; j < out_.jewels.size(); ++j) {
            std::set<std::uint32_t> classes;
            for (std::uint32_t e : out_.jewels[j].endpoints) {
                if (!is_start_endpoint_[e])
                    classes.insert(endpoints_[e].equivalence_class);
            }
            for (std::uint32_t c : classes) {
                const int at = sure.reached_at(c);
                const int maybe = possible.reached_at(c);
                note_min(out_.jewel_hops[j], at);
                note_min(out_.jewel_possible_hops[j], maybe);
                if (at > 0)
                    found.push_back(path_to(sure, c, j, true));
                else if (maybe > 0)
                    found.push_back(path_to(possible, c, j, false));
            }
        }
        std::stable_sort(found.begin(), found.end(), [](const AttackPath& a, const AttackPath& b) {
            if (a.sure != b.sure)
                return a.sure;
            return a.hops.size() < b.hops.size();
        });
        out_.paths_found = found.size();
        if (found.size() > options_.max_paths)
            found.resize(options_.max_paths);
        out_.paths = std::move(found);
        if (options_.evidence)
            trace_hops();
    }

  private:
    static void note_min(int& into, int value) {
        if (value > 0 && (into < 0 || value < into))
            into = value;
    }

    AttackPath path_to(const Tree& tree, std::uint32_t target_class, std::size_t jewel, bool sure) const {
        const std::vector<std::uint32_t> chain = tree.chain(target_class);
        AttackPath path;
        path.jewel = jewel;
        path.sure = sure;
        path.start = start_member(chain.front());
        std::uint32_t at = path.start;
        for (std::size_t i = 1; i < chain.size(); ++i) {
            const bool last = i + 1 == chain.size();
            const std::uint32_t next = last ? jewel_member(chain[i], jewel, at) : member_after(chain[i], at);
            PathHop hop;
            hop.from = at;
            hop.to = next;
            describe(chain[i - 1], chain[i], sure, hop);
            path.hops.push_back(std::move(hop));
            at = next;
        }
        return path;
    }

    std::uint32_t start_member(std::uint32_t c) const {
        for (std::uint32_t e : members_[c]) {
            if (is_start_endpoint_[e])
                return e;
        }
        return members_[c].front();
    }

    // A member of c that is another machine than `previous`.
    std::uint32_t member_after(std::uint32_t c, std::uint32_t previous) const {
        for (std::uint32_t e : members_[c]) {
            if (e != previous && !exposure::same_machine(endpoints_[e], endpoints_[previous]) &&
                !is_start_endpoint_[e])
                return e;
        }
        return members_[c].front();
    }

    std::uint32_t jewel_member(std::uint32_t c, std::size_t jewel, std::uint32_t previous) const {
        for (std::uint32_t e : out_.jewels[jewel].endpoints) {
            if (endpoints_[e].equivalence_class == c && e != previous && !is_start_endpoint_[e] &&
                !exposure::same_machine(endpoints_[e], endpoints_[previous]))
                return e;
        }
        return member_after(c, previous);
    }

    // The services and relay of the link from class a to class b: the sure links' when `sure`.
    void describe(std::uint32_t a, std::uint32_t b, bool sure, PathHop& hop) const {
        hop.sure = false;
        for (const Link& link : graph_.links(a)) {
            if (link.to != b)
                continue;
            if (link.sure()) {
                if (!hop.sure)
                    hop.services = ServiceSet::none();
                hop.services = hop.services.unite(graph_.services(link.services));
                if (!hop.sure && link.via != kDirect)
                    hop.via = link.via;
                else if (link.via == kDirect)
                    hop.via.reset();
                hop.sure = true;
            } else if (!sure && !hop.sure) {
                hop.services = hop.services.unite(graph_.services(link.maybe));
                if (link.via != kDirect)
                    hop.via = link.via;
            }
        }
    }

    void trace_hops() {
        std::vector<PathHop*> hops;
        for (AttackPath& path : out_.paths) {
            for (PathHop& hop : path.hops)
                hops.push_back(&hop);
        }
        parallel_for(hops.size(), pool_threads(), 4, [&](std::size_t i, unsigned) {
            PathHop& hop = *hops[i];
            hop.trace = trace(hop.from, hop.via ? *hop.via : hop.to, hop.services);
        });
    }

    route::PathResult trace(std::uint32_t from, std::uint32_t to, const ServiceSet& services) const {
        route::PathQuery query;
        if (auto s = services.example()) {
            query.flow.protocol = s->protocol;
            query.flow.source_port = s->source_port;
            query.flow.destination_port = s->destination_port;
        }
        return analysis_.trace(endpoints_[from].endpoint, endpoints_[to].endpoint, query);
    }

    const analysis::Analysis& analysis_;
    const AttackGraph& graph_;
    const std::vector<ReachEndpoint>& endpoints_;
    const std::vector<std::vector<std::uint32_t>>& members_;
    const PathOptions& options_;
    PathsResult& out_;
    std::vector<bool> is_start_endpoint_;
};

// The rules behind each link of the cut, from one traced flow per link: the allow rules on its way
// in (else out), and where no NSG stands, the hop itself.
void explain_cut(const analysis::Analysis& analysis, const AttackGraph& graph, PathsResult& out) {
    const auto& endpoints = graph.reach().endpoints().endpoints;
    // One flow per port range of the link: each may be let in by a rule of its own (RDP and SSH by
    // two rules), and the cut must name them all.
    std::vector<std::vector<route::PathResult>> traces(out.cut.size());
    parallel_for(out.cut.size(), pool_threads(), 4, [&](std::size_t i, unsigned) {
        CutLink& link = out.cut[i];
        for (const reach::Service& s : link.services.examples(8)) {
            route::PathQuery query;
            query.flow.protocol = s.protocol;
            query.flow.source_port = s.source_port;
            query.flow.destination_port = s.destination_port;
            traces[i].push_back(analysis.trace(endpoints[link.from].endpoint,
                                               endpoints[link.via ? *link.via : link.to].endpoint, query));
        }
        if (!traces[i].empty())
            link.trace = traces[i].front();
    });
    std::map<std::tuple<std::string, std::string, std::string>, std::size_t> rule_index;
    for (std::size_t i = 0; i < out.cut.size(); ++i) {
        CutLink& link = out.cut[i];
        std::vector<const route::Hop*> hops;
        for (const route::PathResult& trace : traces[i]) {
            const auto more = allowing_hops(trace, true);
            hops.insert(hops.end(), more.begin(), more.end());
        }
        for (const route::Hop* hop : hops) {
            const std::string place = hop->resource.empty()
                                          ? exposure::tier_of(analysis.estate(), endpoints[link.to]).label
                                          : hop->resource;
            auto [it, inserted] = rule_index.try_emplace({place, hop->rule, hop->step}, out.rules.size());
            if (inserted) {
                CutRule rule;
                rule.nsg = hop->resource.empty() ? "" : hop->resource_name;
                rule.nsg_id = hop->resource;
                rule.rule = hop->rule;
                rule.step = hop->step;
                rule.priority = hop->priority;
                rule.default_rule = hop->default_rule;
                rule.where = hop->where;
                if (hop->resource.empty())
                    rule.advice =
                        fmt::format("no NSG decides the {} of {}: associate one that denies what the "
                                    "links below carry (and ends with DenyAll at 4096)",
                                    hop->step, place);
                else if (hop->default_rule)
                    rule.advice =
                        fmt::format("the default rule {} of {} lets these links through: add a deny rule "
                                    "above it for the services and sources below (or DenyAll at 4096 "
                                    "after the intended flows)",
                                    hop->rule, hop->resource_name);
                else
                    rule.advice =
                        fmt::format("remove {} ({}) from {}, or narrow its sources and ports so that it "
                                    "no longer carries the links below",
                                    hop->rule, hop->priority, hop->resource_name);
                out.rules.push_back(std::move(rule));
            }
            if (std::find(link.rules.begin(), link.rules.end(), it->second) != link.rules.end())
                continue;
            out.rules[it->second].links.push_back(i);
            link.rules.push_back(it->second);
        }
    }
    std::stable_sort(out.rules.begin(), out.rules.end(),
                     [](const CutRule& a, const CutRule& b) { return a.links.size() > b.links.size(); });
    for (CutLink& link : out.cut)
        link.rules.clear();
    for (std::size_t r = 0; r < out.rules.size(); ++r) {
        for (std::size_t l : out.rules[r].links)
            out.cut[l].rules.push_back(r);
    }
}

void cut_paths(const analysis::Analysis& analysis, const AttackGraph& graph,
               const std::vector<std::uint32_t>& starts, PathsResult& out) {
    const auto& endpoints = graph.reach().endpoints().endpoints;
    const auto& members = graph.reach().table().members();
    std::vector<bool> start(graph.classes(), false), sink(graph.classes(), false);
    for (std::uint32_t c : starts)
        start[c] = true;
    for (const CrownJewel& jewel : out.jewels) {
        for (std::uint32_t e : jewel.endpoints) {
            if (!start[endpoints[e].equivalence_class])
                sink[endpoints[e].equivalence_class] = true;
        }
    }
    detail::CutResult cut = detail::minimum_cut(graph, start, sink);
    if (!cut.complete)
        return;
    for (const auto& [a, b] : cut.links) {
        CutLink link;
        link.from = members[a].front();
        link.to = members[b].front();
        for (std::uint32_t e : members[b]) {
            if (!exposure::same_machine(endpoints[e], endpoints[link.from])) {
                link.to = e;
                break;
            }
        }
        link.sure = false;
        for (const Link& l : graph.links(a)) {
            if (l.to != b)
                continue;
            if (l.sure())
                link.services = link.services.unite(graph.services(l.services));
            if (l.maybe != kNoServices)
                link.services = link.services.unite(graph.services(l.maybe));
            link.sure = link.sure || l.sure();
            if (l.via != kDirect && !link.via)
                link.via = l.via;
        }
        link.pairs = members[a].size() * members[b].size();
        out.cut.push_back(std::move(link));
    }
    out.cut_verified = cut.verified;
    explain_cut(analysis, graph, out);
}

} // namespace

std::vector<const route::Hop*> allowing_hops(const route::PathResult& trace, bool inbound_only) {
    std::vector<const route::Hop*> out;
    bool named[2] = {false, false}; // an NSG rule decides: outbound, inbound
    const auto side = [](const route::Hop& hop) {
        return hop.step.find("inbound") != std::string::npos ? 1 : 0;
    };
    for (const route::Hop& hop : trace.hops) {
        if (hop.verdict == route::Verdict::Allowed && hop.kind == route::Hop::Kind::Nsg &&
            !hop.resource.empty())
            named[side(hop)] = true;
    }
    bool missing_said[2] = {false, false};
    for (const route::Hop& hop : trace.hops) {
        if (hop.verdict != route::Verdict::Allowed ||
            (hop.kind != route::Hop::Kind::Nsg && hop.kind != route::Hop::Kind::Firewall))
            continue;
        if (hop.kind == route::Hop::Kind::Nsg && hop.resource.empty()) {
            // No NSG at this level: it matters only when no level of this side has one.
            if (named[side(hop)] || missing_said[side(hop)])
                continue;
            missing_said[side(hop)] = true;
        }
        out.push_back(&hop);
    }
    if (inbound_only) {
        std::vector<const route::Hop*> inbound;
        for (const route::Hop* hop : out) {
            if (hop->kind == route::Hop::Kind::Nsg && side(*hop) == 1)
                inbound.push_back(hop);
        }
        if (!inbound.empty())
            return inbound;
    }
    return out;
}

Result<PathsResult> attack_paths(const analysis::Analysis& analysis, const PathOptions& options) {
    if (!analysis.reachability() || !analysis.reachability()->has_class_table())
        return fail_with("paths-incomplete-analysis",
                         "attack paths read reachability: the analysis holds none");
    ThreadPool::Scope scope(analysis.pool());
    PathsResult out;
    out.policy = options.policy;
    auto jewels = crown_jewels(analysis, options.policy, options.to);
    if (!jewels)
        return jewels.error();
    out.jewels = std::move(*jewels);
    const auto& endpoints = analysis.reachability()->endpoints().endpoints;
    std::vector<std::uint32_t> jewel_pieces;
    for (const CrownJewel& jewel : out.jewels) {
        for (std::uint32_t e : jewel.endpoints) {
            if (endpoints[e].kind == ReachEndpoint::Kind::Internet)
                jewel_pieces.push_back(endpoints[e].equivalence_class);
        }
    }
    std::vector<std::uint32_t> start_classes, extra_sources;
    for (const std::string& name : options.from) {
        std::vector<std::uint32_t> named = endpoints_named(analysis, name);
        if (named.empty())
            return fail_with(
                "paths-unknown-name",
                fmt::format("foothold '{}' names no endpoint: expected \"Internet\", an intent group, "
                            "a VM, NIC, subnet, ASG or an endpoint's name",
                            name));
        out.footholds.push_back(name);
        for (std::uint32_t e : named) {
            out.start_endpoints.push_back(e);
            start_classes.push_back(endpoints[e].equivalence_class);
            extra_sources.push_back(endpoints[e].equivalence_class);
        }
    }
    auto started = std::chrono::steady_clock::now();
    const AttackGraph graph = AttackGraph::build(analysis, options.policy, jewel_pieces, extra_sources);
    out.stats.graph_seconds = seconds_since(started);
    out.stats.graph = graph.stats();
    out.stats.endpoints = endpoints.size();
    out.stats.classes = graph.classes();
    if (options.from.empty()) {
        start_classes = graph.internet();
        for (std::uint32_t c : start_classes)
            for (std::uint32_t e : analysis.reachability()->table().members()[c])
                out.start_endpoints.push_back(e);
    }
    std::sort(start_classes.begin(), start_classes.end());
    start_classes.erase(std::unique(start_classes.begin(), start_classes.end()), start_classes.end());
    std::sort(out.start_endpoints.begin(), out.start_endpoints.end());
    out.start_endpoints.erase(std::unique(out.start_endpoints.begin(), out.start_endpoints.end()),
                              out.start_endpoints.end());
    started = std::chrono::steady_clock::now();
    if (options.blast_radius) {
        out.radii = blast_radii(graph, out.jewels, options.max_hops);
        out.tiers = tier_summaries(out.radii);
    }
    out.stats.radius_seconds = seconds_since(started);
    started = std::chrono::steady_clock::now();
    PathFinder(analysis, graph, options, out).run(start_classes);
    if (options.cut && out.paths_found > 0)
        cut_paths(analysis, graph, start_classes, out);
    out.stats.paths_seconds = seconds_since(started);
    return out;
}

} // namespace ztnet::paths
