#include "ztnet/reach/diff.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "ztnet/reach/address_conditions.h"
#include "ztnet/reach/detail/merge_internet.h"
#include "ztnet/support/ascii.h"

namespace ztnet::reach {
namespace {

constexpr std::uint32_t kNo = EndpointPairing::kNoEndpoint;

// What identifies an endpoint across two versions of an estate: resource ids (compared as Azure
// does, case-insensitively), or the addresses for the Internet's pieces.
std::string identity(const model::Estate& estate, const ReachEndpoint& e) {
    const route::Endpoint& p = e.endpoint;
    switch (e.kind) {
    case ReachEndpoint::Kind::Nic: {
        const model::NetworkInterface& nic = estate.network_interfaces[p.nic];
        return ascii::lower("nic " + nic.id + "/" + nic.ip_configurations[p.ip_configuration].name);
    }
    case ReachEndpoint::Kind::ApplicationGateway:
        return ascii::lower("agw " + estate.application_gateways[p.application_gateway].id);
    case ReachEndpoint::Kind::LoadBalancer:
        return ascii::lower("lb " + estate.load_balancers[p.load_balancer].id);
    case ReachEndpoint::Kind::Bastion:
        return ascii::lower("bastion " + e.name + " " + estate.subnets[p.subnet].id);
    case ReachEndpoint::Kind::Internet:
        return "internet " + e.addresses.to_string();
    case ReachEndpoint::Kind::OnPremises:
        return "on-premises " + e.addresses.to_string();
    case ReachEndpoint::Kind::Platform:
        return "platform";
    case ReachEndpoint::Kind::PrivateEndpoint:
        return ascii::lower("pe " + estate.private_endpoints[p.private_endpoint].id);
    }
    return e.name;
}

// One line per hop whose decision differs between the two traces of the same flow.
std::vector<std::string> causes(const std::optional<route::PathResult>& before,
                                const std::optional<route::PathResult>& after,
                                std::vector<SourceLocation>& where) {
    std::vector<std::string> out;
    if (!before || !after) {
        out.push_back(before ? "the destination or source no longer exists" : "a new endpoint");
        return out;
    }
    auto describe = [](const route::Hop& h) {
        std::string rule = h.rule.empty() ? h.detail : h.rule;
        if (h.kind == route::Hop::Kind::Nsg && !h.rule.empty())
            rule = fmt::format("{} ({}{})", h.rule, h.priority, h.default_rule ? ", default rule" : "");
        return fmt::format("{} {}", rule, route::verdict_name(h.verdict));
    };
    std::size_t n = std::max(before->hops.size(), after->hops.size());
    for (std::size_t i = 0; i < n; ++i) {
        const route::Hop* b = i < before->hops.size() ? &before->hops[i] : nullptr;
        const route::Hop* a = i < after->hops.size() ? &after->hops[i] : nullptr;
        if (b && a && b->step == a->step && b->rule == a->rule && b->verdict == a->verdict &&
            b->resource == a->resource)
            continue;
        // A hop that only one trace has is a consequence (the other stopped earlier), not a cause,
        // unless no common hop differs.
        if (!a || !b) {
            if (out.empty() && i + 1 == n)
                out.push_back(fmt::format("{} -> {}", before->summary, after->summary));
            continue;
        }
        std::string place = a->resource_name.empty() ? a->step : a->resource_name + " (" + a->step + ")";
        out.push_back(fmt::format("{}: {} -> {}", place, describe(*b), describe(*a)));
        where.resize(out.size());
        where.back() = a->where;
    }
    if (out.empty())
        out.push_back(fmt::format("{} -> {}", before->summary, after->summary));
    return out;
}

} // namespace

std::vector<net::AddressSet> estate_address_conditions(const policy::PolicyEngine& engine,
                                                       Diagnostics& diagnostics) {
    AddressConditions conditions = collect_address_conditions(engine, diagnostics);
    std::vector<net::AddressSet> out;
    for (const net::AddressSet* set : conditions.sets())
        out.push_back(*set);
    return out;
}

ReachDiff::ReachDiff(const Reachability& before, const Reachability& after) : before_(before), after_(after) {
    std::map<std::string, std::size_t> index;
    for (int side = 0; side < 2; ++side) {
        const Reachability& reach = side == 0 ? before_ : after_;
        const auto& endpoints = reach.endpoints().endpoints;
        for (std::uint32_t e = 0; e < endpoints.size(); ++e) {
            std::string key = identity(reach.estate(), endpoints[e]);
            auto [it, inserted] = index.try_emplace(key, endpoints_.size());
            if (inserted)
                endpoints_.push_back({key, endpoints[e].name, kNo, kNo});
            (side == 0 ? endpoints_[it->second].before : endpoints_[it->second].after) = e;
        }
    }
}

const ServiceSet& ReachDiff::allowed(const Reachability& reach, std::uint32_t from, std::uint32_t to) const {
    static const ServiceSet kNothing;
    if (from == kNo || to == kNo)
        return kNothing;
    return reach.between(from, to).allowed;
}

ServiceSet ReachDiff::newly_allowed(std::uint32_t from, std::uint32_t to) const {
    const EndpointPairing& a = endpoints_[from];
    const EndpointPairing& b = endpoints_[to];
    return allowed(after_, a.after, b.after).subtract(allowed(before_, a.before, b.before));
}

ServiceSet ReachDiff::newly_denied(std::uint32_t from, std::uint32_t to) const {
    const EndpointPairing& a = endpoints_[from];
    const EndpointPairing& b = endpoints_[to];
    return allowed(before_, a.before, b.before).subtract(allowed(after_, a.after, b.after));
}

std::vector<PairChange> ReachDiff::changes() const {
    // Pairings that behave alike in both versions: same class before, same class after.
    auto class_of = [&](const Reachability& reach, std::uint32_t e) {
        return e == kNo ? kNo : reach.endpoints().endpoints[e].equivalence_class;
    };
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::uint32_t>> alike;
    for (std::uint32_t i = 0; i < endpoints_.size(); ++i)
        alike[{class_of(before_, endpoints_[i].before), class_of(after_, endpoints_[i].after)}].push_back(i);
    std::vector<PairChange> out;
    for (const auto& [ka, a] : alike) {
        for (const auto& [kb, b] : alike) {
            std::size_t pairs = a.size() * b.size() - (&a == &b ? a.size() : 0);
            if (pairs == 0)
                continue;
            std::uint32_t from = a[0];
            std::uint32_t to = &a == &b ? a[1] : b[0];
            PairChange c;
            c.from = from;
            c.to = to;
            c.newly_allowed = newly_allowed(from, to);
            c.newly_denied = newly_denied(from, to);
            if (c.newly_allowed.empty() && c.newly_denied.empty())
                continue;
            c.similar_pairs = pairs - 1;
            const ServiceSet& shown = c.newly_allowed.empty() ? c.newly_denied : c.newly_allowed;
            Service s = *shown.example();
            auto trace = [&](const Reachability& reach, std::uint32_t x,
                             std::uint32_t y) -> std::optional<route::PathResult> {
                if (x == kNo || y == kNo)
                    return std::nullopt;
                route::PathQuery query;
                query.flow.protocol = s.protocol;
                query.flow.source_port = s.source_port;
                query.flow.destination_port = s.destination_port;
                const auto& e = reach.endpoints().endpoints;
                return route::trace_path(reach.engine(), reach.route_views(), e[x].endpoint, e[y].endpoint,
                                         query);
            };
            c.before_trace = trace(before_, endpoints_[from].before, endpoints_[to].before);
            c.after_trace = trace(after_, endpoints_[from].after, endpoints_[to].after);
            c.causes = causes(c.before_trace, c.after_trace, c.cause_locations);
            c.cause_locations.resize(c.causes.size());
            out.push_back(std::move(c));
        }
    }
    detail::merge_internet_pieces(
        out, [&](std::uint32_t e) { return endpoints_[e].key.starts_with("internet "); },
        [&](std::uint32_t e) { return endpoints_[e].name == "Internet"; },
        [](const PairChange& a, const PairChange& b) {
            return a.newly_allowed == b.newly_allowed && a.newly_denied == b.newly_denied;
        },
        [](const PairChange& c) { return c.newly_allowed.hash() ^ (c.newly_denied.hash() << 1); });
    std::sort(out.begin(), out.end(), [&](const PairChange& x, const PairChange& y) {
        return std::tie(endpoints_[x.from].name, endpoints_[x.to].name) <
               std::tie(endpoints_[y.from].name, endpoints_[y.to].name);
    });
    return out;
}

} // namespace ztnet::reach
