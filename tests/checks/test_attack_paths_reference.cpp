// The class-level attack graph against a plain reference on generated estates: a graph over
// concrete endpoints, a link wherever one endpoint may open a connection to another on a management
// service (asked pair by pair, every link and a sample of the non-links checked by tracing the flow
// as `explain` does), searched breadth-first from every workload and from the Internet. The blast
// radii (per hop) and the hops to every crown jewel must be the same.
#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ztnet/analysis/analysis.h"
#include "ztnet/exposure/endpoints.h"
#include "ztnet/paths/paths.h"

#include "testkit/sample_tags.h"
#include "testkit/synthetic_estate.h"

namespace ztnet::paths {
namespace {

using reach::ReachEndpoint;
using reach::ServiceSet;
using Kind = ReachEndpoint::Kind;

struct Loaded {
    policy::ServiceTags tags = testkit::sample_service_tags();
    SourceSet sources;
    Diagnostics diagnostics;
    model::Estate estate;
    std::unique_ptr<analysis::Analysis> analysis;

    explicit Loaded(std::uint64_t seed) {
        estate = testkit::load_export_text(testkit::generate_estate(testkit::medium(seed)).to_json(),
                                           "synthetic.json", sources, diagnostics)
                     .estate;
        auto analysed = analysis::Analysis::run(estate, tags, {}, diagnostics);
        if (!analysed)
            throw std::runtime_error("the analysis failed: " + analysed.error().message);
        analysis = std::move(*analysed);
    }
    const std::vector<ReachEndpoint>& endpoints() const {
        return analysis->reachability()->endpoints().endpoints;
    }
};

bool may_start(const Loaded& l, const ReachEndpoint& e) {
    return e.kind == Kind::Internet || (e.kind == Kind::Nic && !exposure::in_bastion_subnet(l.estate, e));
}

bool may_be_reached(const ReachEndpoint& e) {
    return e.kind != Kind::Internet && e.kind != Kind::Platform && e.kind != Kind::OnPremises;
}

// The endpoint graph, pair by pair. Links into a load balancer frontend are followed on to the
// backends whose own NSGs admit the flow, read from a trace of it.
struct Reference {
    std::vector<std::vector<std::uint32_t>> next;

    Reference(const Loaded& l, const ServiceSet& moves) : next(l.endpoints().size()) {
        const auto& endpoints = l.endpoints();
        const reach::Reachability& reach = *l.analysis->reachability();
        std::size_t checked_non_links = 0;
        for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
            if (!may_start(l, endpoints[a]))
                continue;
            for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
                if (a == b || !may_be_reached(endpoints[b]) ||
                    exposure::same_machine(endpoints[a], endpoints[b]))
                    continue;
                const ServiceSet interest =
                    endpoints[b].kind == Kind::PrivateEndpoint ? ServiceSet::all() : moves;
                const ServiceSet allowed = ServiceSet(reach.between(a, b).allowed).intersect(interest);
                if (allowed.empty()) {
                    if (checked_non_links++ % 97 == 0 && endpoints[b].kind == Kind::Nic)
                        expect_traced(l, a, b, ServiceSet(moves), route::Verdict::Allowed, false);
                    continue;
                }
                expect_traced(l, a, b, allowed, route::Verdict::Allowed, true);
                next[a].push_back(b); // a frontend is reached too, and passes the attacker on
                if (endpoints[b].kind == Kind::LoadBalancer)
                    add_backends(l, a, b, allowed);
            }
        }
        for (auto& list : next) {
            std::sort(list.begin(), list.end());
            list.erase(std::unique(list.begin(), list.end()), list.end());
        }
    }

    // The flow traced hop by hop: a link's example is allowed; a non-link's management flows are not.
    static void expect_traced(const Loaded& l, std::uint32_t a, std::uint32_t b, const ServiceSet& services,
                              route::Verdict verdict, bool equal) {
        for (const reach::Service& s : services.examples(equal ? 1 : 4)) {
            route::PathQuery query;
            query.flow.protocol = s.protocol;
            query.flow.source_port = s.source_port;
            query.flow.destination_port = s.destination_port;
            const route::PathResult path =
                l.analysis->trace(l.endpoints()[a].endpoint, l.endpoints()[b].endpoint, query);
            if (equal)
                EXPECT_EQ(path.verdict, verdict) << l.endpoints()[a].name << " -> " << l.endpoints()[b].name;
            else
                EXPECT_NE(path.verdict, verdict) << l.endpoints()[a].name << " -> " << l.endpoints()[b].name;
        }
    }

    void add_backends(const Loaded& l, std::uint32_t a, std::uint32_t frontend, const ServiceSet& allowed) {
        const auto& endpoints = l.endpoints();
        const model::LoadBalancer& lb = l.estate.load_balancers[endpoints[frontend].endpoint.load_balancer];
        for (const model::LoadBalancingRule& rule : lb.rules) {
            for (std::uint8_t protocol : {std::uint8_t{6}, std::uint8_t{17}}) {
                if (!route::load_balancing_protocol_matches(rule.protocol, protocol))
                    continue;
                const ServiceSet part = allowed.intersect(
                    ServiceSet::of(net::ProtocolSet::single(protocol), net::PortSet::all(),
                                   rule.frontend_port > 0
                                       ? net::PortSet::single(static_cast<std::uint16_t>(rule.frontend_port))
                                       : net::PortSet::all()));
                const auto example = part.example();
                if (!example)
                    continue;
                route::PathQuery query;
                query.flow.protocol = example->protocol;
                query.flow.source_port = example->source_port;
                query.flow.destination_port = example->destination_port;
                const route::PathResult path =
                    l.analysis->trace(endpoints[a].endpoint, endpoints[frontend].endpoint, query);
                for (std::size_t h = 0; h < path.hops.size(); ++h) {
                    if (path.hops[h].backend_nic == model::kNone)
                        continue;
                    bool admits = true;
                    for (std::size_t n = h + 1;
                         n < path.hops.size() && path.hops[n].kind != route::Hop::Kind::Delivery; ++n)
                        admits = admits && path.hops[n].verdict == route::Verdict::Allowed;
                    for (std::uint32_t e = 0; e < endpoints.size() && admits; ++e) {
                        if (endpoints[e].kind == Kind::Nic &&
                            endpoints[e].endpoint.nic == path.hops[h].backend_nic &&
                            endpoints[e].endpoint.ip_configuration == path.hops[h].backend_configuration &&
                            e != a && !exposure::same_machine(endpoints[a], endpoints[e]))
                            next[a].push_back(e);
                    }
                }
            }
        }
    }

    // Hops to every endpoint from `starts` (-1: unreached, and the starts themselves, which are the
    // attacker's already).
    std::vector<int> search(const std::vector<std::uint32_t>& starts) const {
        std::vector<int> hop(next.size(), -1);
        std::deque<std::uint32_t> queue;
        std::vector<bool> own(next.size(), false);
        for (std::uint32_t s : starts) {
            own[s] = true;
            hop[s] = 0;
            queue.push_back(s);
        }
        while (!queue.empty()) {
            const std::uint32_t u = queue.front();
            queue.pop_front();
            for (std::uint32_t v : next[u]) {
                if (hop[v] < 0) {
                    hop[v] = hop[u] + 1;
                    queue.push_back(v);
                }
            }
        }
        for (std::uint32_t s : starts)
            hop[s] = -1;
        return hop;
    }
};

class AttackGraphReference : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(AttackGraphReference, BlastRadiiAndJewelHopsAgree) {
    Loaded l(GetParam());
    const auto& endpoints = l.endpoints();
    const model::AttackPolicy policy = model::AttackPolicy::defaults();
    const Reference reference(l, services_of(policy.management));
    // Crown jewels: every private endpoint, and one VM per tenth of the NICs.
    PathOptions options;
    std::set<std::string> names;
    for (std::uint32_t e = 0; e < endpoints.size(); ++e) {
        if (endpoints[e].kind == Kind::Nic && endpoints[e].endpoint.virtual_machine != model::kNone &&
            e % 10 == 3)
            names.insert(l.estate.virtual_machines[endpoints[e].endpoint.virtual_machine].name);
    }
    options.to.assign(names.begin(), names.end());
    auto result = attack_paths(*l.analysis, options);
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_FALSE(result->radii.empty());
    std::size_t compared = 0, nonzero = 0;
    for (const BlastRadius& radius : result->radii) {
        const std::vector<int> hop = reference.search(radius.endpoints);
        std::vector<std::size_t> by_hop;
        std::size_t reached = 0;
        for (std::uint32_t e = 0; e < endpoints.size(); ++e) {
            if (hop[e] <= 0 ||
                std::find(radius.endpoints.begin(), radius.endpoints.end(), e) != radius.endpoints.end())
                continue;
            if (by_hop.size() < static_cast<std::size_t>(hop[e]))
                by_hop.resize(static_cast<std::size_t>(hop[e]), 0);
            ++by_hop[static_cast<std::size_t>(hop[e]) - 1];
            ++reached;
        }
        EXPECT_EQ(radius.reached, reached) << radius.resource;
        EXPECT_EQ(radius.by_hop, by_hop) << radius.resource;
        ++compared;
        nonzero += reached > 0;
    }
    EXPECT_GT(nonzero, 0u) << "the generated estate should let some workload move";
    // From the Internet: the fewest hops to each crown jewel.
    std::vector<std::uint32_t> internet;
    for (std::uint32_t e = 0; e < endpoints.size(); ++e) {
        if (endpoints[e].kind == Kind::Internet)
            internet.push_back(e);
    }
    const std::vector<int> hop = reference.search(internet);
    std::size_t reached_jewels = 0;
    for (std::size_t j = 0; j < result->jewels.size(); ++j) {
        int fewest = -1;
        for (std::uint32_t e : result->jewels[j].endpoints) {
            if (hop[e] > 0 && (fewest < 0 || hop[e] < fewest))
                fewest = hop[e];
        }
        EXPECT_EQ(result->jewel_hops[j], fewest) << result->jewels[j].name;
        reached_jewels += fewest > 0;
    }
    // Every sure path is a chain of reference links.
    for (const AttackPath& path : result->paths) {
        if (!path.sure)
            continue;
        for (const PathHop& h : path.hops) {
            const auto& list = reference.next[h.from];
            EXPECT_TRUE(std::binary_search(list.begin(), list.end(), h.to))
                << endpoints[h.from].name << " -> " << endpoints[h.to].name;
        }
    }
    // The minimum cut leaves no reference path from the Internet to a jewel.
    if (!result->cut.empty()) {
        EXPECT_TRUE(result->cut_verified);
    }
    RecordProperty("workloads", static_cast<int>(compared));
    RecordProperty("jewels_reached", static_cast<int>(reached_jewels));
}

INSTANTIATE_TEST_SUITE_P(Seeds, AttackGraphReference, ::testing::Values(1, 2, 3));

} // namespace
} // namespace ztnet::paths
