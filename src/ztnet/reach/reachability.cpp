// The reachability engine. For a pair of endpoints it composes, in path tracing's order, the
// services each step lets through:
//   source NIC NSG, source subnet NSG (outbound) -> routing plan (firewalls on the way) ->
//   load balancer rules and backends, or destination subnet NSG, NIC NSG (inbound).
// An NSG step depends on the addresses only through which rules' address conditions hold, so
// each NSG keeps, per address class, the list of rules whose source (destination) holds it, and
// one service set per pair of lists: the first-match result over the rules in both. Service sets
// are interned, and set operations on interned ids are memoised, so a pair of classes costs a
// few hash lookups once the terms exist.
#include "ztnet/reach/reachability.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "ztnet/model/resource_id.h"
#include "ztnet/reach/address_conditions.h"
#include "ztnet/reach/service_grid.h"
#include "ztnet/route/firewall.h"
#include "ztnet/route/route_plan.h"

namespace ztnet::reach {
namespace {

using model::Index;
using model::kNone;
using net::Direction;

using SetId = std::uint32_t;

std::uint64_t pack(std::uint32_t a, std::uint32_t b) {
    return (static_cast<std::uint64_t>(a) << 32) | b;
}

// Interned service sets with memoised operations.
class SetTable {
  public:
    SetTable() {
        none_ = intern(ServiceSet::none());
        all_ = intern(ServiceSet::all());
    }
    SetId intern(ServiceSet set) {
        auto [it, inserted] = ids_.try_emplace(set, static_cast<SetId>(sets_.size()));
        if (inserted)
            sets_.push_back(std::move(set));
        return it->second;
    }
    const ServiceSet& at(SetId id) const { return sets_[id]; }
    SetId none() const { return none_; }
    SetId all() const { return all_; }
    std::size_t size() const { return sets_.size(); }

    SetId intersect(SetId a, SetId b) {
        if (a == b || b == all_)
            return a;
        if (a == all_)
            return b;
        if (a == none_ || b == none_)
            return none_;
        return memo(intersections_, std::min(a, b), std::max(a, b), [&] { return at(a).intersect(at(b)); });
    }
    SetId unite(SetId a, SetId b) {
        if (a == b || b == none_)
            return a;
        if (a == none_)
            return b;
        return memo(unions_, std::min(a, b), std::max(a, b), [&] { return at(a).unite(at(b)); });
    }
    SetId subtract(SetId a, SetId b) {
        if (b == none_)
            return a;
        if (a == b || a == none_)
            return none_;
        return memo(differences_, a, b, [&] { return at(a).subtract(at(b)); });
    }

  private:
    template <class Compute>
    SetId memo(std::unordered_map<std::uint64_t, SetId>& table, SetId a, SetId b, Compute compute) {
        auto it = table.find(pack(a, b));
        if (it != table.end())
            return it->second;
        SetId id = intern(compute());
        table.emplace(pack(a, b), id);
        return id;
    }

    std::vector<ServiceSet> sets_;
    std::unordered_map<ServiceSet, SetId> ids_;
    std::unordered_map<std::uint64_t, SetId> intersections_, unions_, differences_;
    SetId none_ = 0;
    SetId all_ = 0;
};

// What flows on after some steps: the services still certainly allowed, and those that became
// undecidable at a step (path tracing stops there, so later steps do not narrow them).
struct Flowing {
    SetId allowed;
    SetId undecidable;
};

// One NSG compiled for one VNet, one direction: rule lists per address class and terms.
struct NsgDirection {
    std::vector<SetId> rule_services;                             // per rule
    std::unordered_map<std::uint32_t, std::uint32_t> source_list; // address class -> list id
    std::unordered_map<std::uint32_t, std::uint32_t> destination_list;
    std::map<std::vector<std::uint32_t>, std::uint32_t> list_ids;
    std::vector<std::vector<std::uint32_t>> lists;
    std::unordered_map<std::uint64_t, SetId> terms; // (source list, destination list) -> allowed
};

} // namespace

struct Reachability::Impl {
    Impl(policy::PolicyEngine& policy_engine, Diagnostics& diags, std::vector<net::AddressSet> extra)
        : engine(policy_engine), estate(policy_engine.estate()), diagnostics(diags),
          views(policy_engine.estate(), policy_engine.tags(), diags) {
        endpoints = enumerate_endpoints(engine, diagnostics, std::move(extra));
        for (std::uint32_t i = 0; i < endpoints.endpoints.size(); ++i) {
            const route::Endpoint& e = endpoints.endpoints[i].endpoint;
            if (endpoints.endpoints[i].kind == ReachEndpoint::Kind::Nic)
                nic_endpoint.emplace(pack(e.nic, e.ip_configuration), i);
        }
    }

    policy::PolicyEngine& engine;
    const model::Estate& estate;
    Diagnostics& diagnostics;
    route::RouteViews views;
    EndpointSet endpoints;
    SetTable sets;
    std::unordered_map<std::uint64_t, std::uint32_t> nic_endpoint; // (nic, ip configuration) -> endpoint
    std::unordered_map<std::uint64_t, NsgDirection> nsg_cache[2];  // (nsg, vnet) per direction
    // What the fast path needs of a route plan: the firewalls crossed and how it ends. Plans are
    // few and shared; the map holds an index per (source subnet, destination class).
    struct CompactPlan {
        std::vector<Index> firewalls;
        route::RouteEnd end = route::RouteEnd::NoRoute;
        friend bool operator==(const CompactPlan&, const CompactPlan&) = default;
    };
    std::vector<CompactPlan> compact_plans;
    std::unordered_map<std::uint64_t, std::uint32_t> plans; // (subnet, destination class) -> plan
    std::unordered_map<Index, ServiceGrid> firewall_grids;
    std::map<std::tuple<Index, std::uint32_t, std::uint32_t>, Flowing> firewall_cache;
    std::size_t nsg_term_count = 0;

    // ---- steps ----

    void step(Flowing& f, SetId allowed, SetId undecidable = 0) {
        if (undecidable != sets.none())
            f.undecidable = sets.unite(f.undecidable, sets.intersect(f.allowed, undecidable));
        f.allowed = sets.intersect(f.allowed, allowed);
    }

    NsgDirection& nsg_direction(const policy::CompiledNsg& compiled, Direction direction) {
        auto& cache = nsg_cache[direction == Direction::Inbound ? 0 : 1];
        auto [it, inserted] = cache.try_emplace(pack(compiled.nsg(), compiled.vnet()));
        if (inserted) {
            for (const policy::ResolvedRule& rule : compiled.rules(direction))
                it->second.rule_services.push_back(
                    sets.intern(ServiceSet::of(rule.protocols, rule.source_ports, rule.destination_ports)));
        }
        return it->second;
    }

    // The rules (indices) whose source (or destination) holds the endpoint's addresses. Endpoints
    // of one address class give the same list, so it is computed once per class.
    std::uint32_t rule_list(NsgDirection& d, const policy::CompiledNsg& compiled, Direction direction,
                            const ReachEndpoint& e, bool source_side) {
        auto& by_class = source_side ? d.source_list : d.destination_list;
        auto it = by_class.find(e.address_class);
        if (it != by_class.end())
            return it->second;
        std::vector<std::uint32_t> list;
        const auto& rules = compiled.rules(direction);
        for (std::uint32_t r = 0; r < rules.size(); ++r) {
            const net::AddressSet& side = source_side ? rules[r].sources : rules[r].destinations;
            if (side.contains(e.endpoint.address))
                list.push_back(r);
        }
        auto [lit, inserted] = d.list_ids.try_emplace(list, static_cast<std::uint32_t>(d.lists.size()));
        if (inserted)
            d.lists.push_back(std::move(list));
        by_class.emplace(e.address_class, lit->second);
        return lit->second;
    }

    // The services an NSG allows from `from` to `to`: first match over the rules both of whose
    // address conditions hold.
    SetId nsg_term(Index nsg, Index subnet, Direction direction, const ReachEndpoint& from,
                   const ReachEndpoint& to) {
        if (nsg == kNone)
            return sets.all();
        Index vnet = subnet == kNone ? kNone : estate.subnets[subnet].virtual_network;
        const policy::CompiledNsg& compiled = engine.nsg(nsg, vnet);
        NsgDirection& d = nsg_direction(compiled, direction);
        std::uint32_t sources = rule_list(d, compiled, direction, from, true);
        std::uint32_t destinations = rule_list(d, compiled, direction, to, false);
        auto it = d.terms.find(pack(sources, destinations));
        if (it != d.terms.end())
            return it->second;
        ++nsg_term_count;
        const auto& a = d.lists[sources];
        const auto& b = d.lists[destinations];
        std::vector<std::uint32_t> both;
        std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
        const auto& rules = compiled.rules(direction);
        SetId allowed = sets.none();
        SetId remaining = sets.all();
        for (std::uint32_t r : both) {
            SetId matched = sets.intersect(remaining, d.rule_services[r]);
            if (rules[r].access == model::Access::Allow)
                allowed = sets.unite(allowed, matched);
            remaining = sets.subtract(remaining, d.rule_services[r]);
            if (remaining == sets.none())
                break;
        }
        d.terms.emplace(pack(sources, destinations), allowed);
        return allowed;
    }

    // A firewall's own address classes: which of its rules' address sets hold an endpoint. Its
    // decision depends on the addresses only through these, and they are far fewer than the
    // estate's address classes (its rules name a few prefixes; the NSGs name thousands).
    struct FirewallAddresses {
        std::vector<net::AddressSet> sets;
        std::map<std::vector<bool>, std::uint32_t> classes;
        std::unordered_map<std::uint32_t, std::uint32_t> of_address_class;
    };
    std::unordered_map<Index, FirewallAddresses> firewall_addresses;

    std::uint32_t firewall_class(Index firewall, const ReachEndpoint& e) {
        auto [it, inserted] = firewall_addresses.try_emplace(firewall);
        FirewallAddresses& fa = it->second;
        if (inserted)
            fa.sets = firewall_address_sets(estate, firewall, engine.tags());
        auto known = fa.of_address_class.find(e.address_class);
        if (known != fa.of_address_class.end())
            return known->second;
        std::vector<bool> signature;
        signature.reserve(fa.sets.size());
        for (const net::AddressSet& set : fa.sets)
            signature.push_back(set.contains(e.endpoint.address));
        auto [c, fresh] =
            fa.classes.try_emplace(std::move(signature), static_cast<std::uint32_t>(fa.classes.size()));
        fa.of_address_class.emplace(e.address_class, c->second);
        return c->second;
    }

    // The services a firewall allows (and cannot decide) from `from` to `to`, cell by cell over
    // the protocol and port boundaries of its rules, kept per pair of the firewall's own classes.
    Flowing firewall_term(Index firewall, const ReachEndpoint& from, const ReachEndpoint& to) {
        auto key = std::make_tuple(firewall, firewall_class(firewall, from), firewall_class(firewall, to));
        auto it = firewall_cache.find(key);
        if (it != firewall_cache.end())
            return it->second;
        auto grid_it = firewall_grids.find(firewall);
        if (grid_it == firewall_grids.end())
            grid_it = firewall_grids.emplace(firewall, ServiceGrid::for_firewall(estate, firewall)).first;
        const ServiceGrid& grid = grid_it->second;
        GridOutcome outcome = grid.evaluate(
            [&](const net::Flow& flow) {
                route::FirewallDecision d =
                    route::decide_firewall(estate, firewall, {flow, std::nullopt, false}, engine.tags());
                return d.verdict == route::FirewallVerdict::Allow  ? CellVerdict::Allowed
                       : d.verdict == route::FirewallVerdict::Deny ? CellVerdict::Denied
                                                                   : CellVerdict::Undecidable;
            },
            from.endpoint.address, to.endpoint.address);
        Flowing f{sets.intern(std::move(outcome.allowed)), sets.intern(std::move(outcome.undecidable))};
        firewall_cache.emplace(key, f);
        return f;
    }

    const CompactPlan& plan(Index subnet, const ReachEndpoint& to) {
        auto [it, inserted] = plans.try_emplace(pack(subnet, to.equivalence_class), 0);
        if (inserted) {
            route::RoutePlan full = route::plan_route(estate, views, subnet, to.endpoint);
            CompactPlan compact;
            compact.end = full.end;
            for (const route::RouteStep& s : full.steps) {
                if (s.kind == route::RouteStep::Kind::Firewall)
                    compact.firewalls.push_back(s.firewall);
            }
            auto known = std::find(compact_plans.begin(), compact_plans.end(), compact);
            it->second = static_cast<std::uint32_t>(known - compact_plans.begin());
            if (known == compact_plans.end())
                compact_plans.push_back(std::move(compact));
        }
        return compact_plans[it->second];
    }

    // Source NSGs and routing; false when nothing can pass.
    bool leave_source(Flowing& f, const ReachEndpoint& from, const ReachEndpoint& to) {
        const route::Endpoint& src = from.endpoint;
        if (src.nic != kNone)
            step(f, nsg_term(estate.network_interfaces[src.nic].network_security_group, src.subnet,
                             Direction::Outbound, from, to));
        step(f, nsg_term(estate.subnets[src.subnet].network_security_group, src.subnet, Direction::Outbound,
                         from, to));
        const CompactPlan& p = plan(src.subnet, to);
        for (Index firewall : p.firewalls) {
            Flowing fw = firewall_term(firewall, from, to);
            step(f, fw.allowed, fw.undecidable);
        }
        std::optional<bool> passes = route::route_end_passes(p.end);
        if (!passes) { // beyond the estate: whatever still flows is undecidable
            f.undecidable = sets.unite(f.undecidable, f.allowed);
            f.allowed = sets.none();
        } else if (!*passes) {
            f.allowed = sets.none();
        }
        return f.allowed != sets.none();
    }

    // Entry from outside every VNet: the platform reaches every subnet; the Internet needs a
    // public IP or a public frontend.
    bool enter_from_outside(const ReachEndpoint& from, const ReachEndpoint& to) const {
        if (from.kind == ReachEndpoint::Kind::Platform)
            return true;
        const route::Endpoint& dst = to.endpoint;
        Index pip = dst.public_ip;
        if (pip == kNone && dst.nic != kNone)
            pip = estate.network_interfaces[dst.nic].ip_configurations[dst.ip_configuration].public_ip;
        if (pip == kNone)
            return false;
        bool has_nsg =
            (dst.subnet != kNone && estate.subnets[dst.subnet].network_security_group != kNone) ||
            (dst.nic != kNone && estate.network_interfaces[dst.nic].network_security_group != kNone);
        bool closed = to.kind == ReachEndpoint::Kind::Nic &&
                      model::same_id(estate.public_ip_addresses[pip].sku, "Standard") && !has_nsg;
        return !closed;
    }

    // The destination's NSGs (subnet, then NIC), inbound.
    SetId destination_side(const ReachEndpoint& from, const ReachEndpoint& to) {
        const route::Endpoint& dst = to.endpoint;
        if (dst.subnet == kNone)
            return sets.all();
        SetId allowed = nsg_term(estate.subnets[dst.subnet].network_security_group, dst.subnet,
                                 Direction::Inbound, from, to);
        if (dst.nic != kNone)
            allowed =
                sets.intersect(allowed, nsg_term(estate.network_interfaces[dst.nic].network_security_group,
                                                 dst.subnet, Direction::Inbound, from, to));
        return allowed;
    }

    // A load balancer frontend: for each protocol and port its rules take, what some backend
    // admits on the backend port, re-addressed to the frontend port.
    SetId load_balancer(const ReachEndpoint& from, const ReachEndpoint& to) {
        const model::LoadBalancer& lb = estate.load_balancers[to.endpoint.load_balancer];
        SetId out = sets.none();
        for (std::uint8_t protocol : {std::uint8_t{6}, std::uint8_t{17}}) {
            net::PortSet claimed; // frontend ports with a rule of their own
            for (const auto& r : lb.rules) {
                if (route::load_balancing_protocol_matches(r.protocol, protocol) && r.frontend_port > 0)
                    claimed.insert(static_cast<std::uint16_t>(r.frontend_port));
            }
            for (const auto& iv : claimed.intervals()) {
                for (unsigned port = iv.lo; port <= iv.hi; ++port) {
                    net::Flow probe;
                    probe.protocol = protocol;
                    probe.destination_port = static_cast<std::uint16_t>(port);
                    out = sets.unite(out,
                                     through_rule(from, route::load_balancing_rule_for(lb, probe), protocol,
                                                  net::PortSet::single(static_cast<std::uint16_t>(port))));
                }
            }
            net::Flow unclaimed;
            unclaimed.protocol = protocol;
            net::PortSet rest = claimed.complement();
            if (rest.empty())
                continue;
            unclaimed.destination_port = rest.intervals()[0].lo;
            out = sets.unite(
                out, through_rule(from, route::load_balancing_rule_for(lb, unclaimed), protocol, rest));
        }
        return out;
    }

    // What the backends of `rule` admit for `protocol` on the frontend ports `ports`.
    SetId through_rule(const ReachEndpoint& from, const model::LoadBalancingRule* rule, std::uint8_t protocol,
                       const net::PortSet& ports) {
        if (!rule)
            return sets.none();
        SetId admitted = sets.none();
        for (std::uint32_t backend : backends(rule->backend_pool))
            admitted = sets.unite(admitted, destination_side(from, endpoints.endpoints[backend]));
        const ServiceSet& at_backends = sets.at(admitted);
        ServiceSet out;
        if (rule->backend_port == 0) { // HA ports: the port is kept
            out = at_backends.intersect(
                ServiceSet::of(net::ProtocolSet::single(protocol), net::PortSet::all(), ports));
        } else {
            out = at_backends.readdress(protocol, static_cast<std::uint16_t>(rule->backend_port), ports);
        }
        return sets.intern(std::move(out));
    }

    std::vector<std::uint32_t> backends(const std::string& pool) const {
        std::vector<std::uint32_t> out;
        for (Index n = 0; n < estate.network_interfaces.size(); ++n) {
            const auto& configs = estate.network_interfaces[n].ip_configurations;
            for (Index c = 0; c < configs.size(); ++c) {
                const auto& pools = configs[c].load_balancer_backend_pools;
                bool member = std::any_of(pools.begin(), pools.end(),
                                          [&](const std::string& p) { return model::same_id(p, pool); });
                auto it = nic_endpoint.find(pack(n, c));
                if (member && it != nic_endpoint.end())
                    out.push_back(it->second);
            }
        }
        return out;
    }

    Flowing evaluate(const ReachEndpoint& from, const ReachEndpoint& to) {
        bool from_outside = from.endpoint.subnet == kNone;
        bool to_outside = to.endpoint.subnet == kNone && to.kind != ReachEndpoint::Kind::LoadBalancer;
        if (from.kind == ReachEndpoint::Kind::LoadBalancer || to.kind == ReachEndpoint::Kind::Platform ||
            (from_outside && to_outside) || from.endpoint.address.family() != to.endpoint.address.family())
            return {sets.none(), sets.none()};
        Flowing f{sets.all(), sets.none()};
        if (!from_outside) {
            if (!leave_source(f, from, to) || to_outside)
                return result(f);
        } else if (!enter_from_outside(from, to)) {
            return {sets.none(), sets.none()};
        }
        if (to.kind == ReachEndpoint::Kind::LoadBalancer)
            step(f, load_balancer(from, to));
        else
            step(f, destination_side(from, to));
        return result(f);
    }

    Flowing result(const Flowing& f) { return {f.allowed, sets.subtract(f.undecidable, f.allowed)}; }

    // A class pair's result, as the two interned ids packed: 8 bytes per pair, in a dense table
    // when the classes are few enough, else a hash map. kUnset marks a pair not yet computed.
    static constexpr std::uint64_t kUnset = ~std::uint64_t{0};
    std::vector<std::uint64_t> dense_pairs;
    std::unordered_map<std::uint64_t, std::uint64_t> sparse_pairs;
    std::size_t computed_pairs = 0;
    // One PairReach per distinct pair of ids: results are shared, and references stay valid.
    std::unordered_map<std::uint64_t, PairReach> materialized;

    std::uint64_t& pair_slot(std::uint32_t from_class, std::uint32_t to_class) {
        const std::uint64_t classes = endpoints.class_count;
        if (classes * classes <= kDenseLimit) {
            if (dense_pairs.empty())
                dense_pairs.assign(classes * classes, kUnset);
            return dense_pairs[from_class * classes + to_class];
        }
        return sparse_pairs.try_emplace(pack(from_class, to_class), kUnset).first->second;
    }
    static constexpr std::uint64_t kDenseLimit = std::uint64_t{150} << 20; // 1.2 GB of slots at most

    const PairReach& between(std::uint32_t from, std::uint32_t to) {
        const ReachEndpoint& a = endpoints.endpoints[from];
        const ReachEndpoint& b = endpoints.endpoints[to];
        std::uint64_t& slot = pair_slot(a.equivalence_class, b.equivalence_class);
        if (slot == kUnset) {
            Flowing f = evaluate(a, b);
            slot = pack(f.allowed, f.undecidable);
            ++computed_pairs;
        }
        auto [it, inserted] = materialized.try_emplace(slot);
        if (inserted)
            it->second = {sets.at(static_cast<SetId>(slot >> 32)), sets.at(static_cast<SetId>(slot))};
        return it->second;
    }
};

Reachability::Reachability(policy::PolicyEngine& engine, Diagnostics& diagnostics,
                           std::vector<net::AddressSet> extra_conditions)
    : impl_(std::make_unique<Impl>(engine, diagnostics, std::move(extra_conditions))) {}
Reachability::~Reachability() = default;
Reachability::Reachability(Reachability&&) noexcept = default;

const EndpointSet& Reachability::endpoints() const {
    return impl_->endpoints;
}

policy::PolicyEngine& Reachability::engine() const {
    return impl_->engine;
}

const model::Estate& Reachability::estate() const {
    return impl_->estate;
}

const PairReach& Reachability::between(std::uint32_t from, std::uint32_t to) {
    return impl_->between(from, to);
}

void Reachability::compute_all() {
    const auto& reps = impl_->endpoints.class_representative;
    for (std::uint32_t a : reps) {
        for (std::uint32_t b : reps)
            impl_->between(a, b);
    }
}

Reachability::Stats Reachability::stats() const {
    Stats s;
    s.endpoints = impl_->endpoints.endpoints.size();
    s.classes = impl_->endpoints.class_count;
    s.class_pairs_computed = impl_->computed_pairs;
    s.distinct_service_sets = impl_->sets.size();
    s.nsg_terms = impl_->nsg_term_count;
    return s;
}

ReferenceReach::ReferenceReach(policy::PolicyEngine& engine)
    : engine_(engine), grid_(std::make_unique<ServiceGrid>(ServiceGrid::for_estate(engine))) {}
ReferenceReach::~ReferenceReach() = default;

PairReach ReferenceReach::between(const ReachEndpoint& from, const ReachEndpoint& to,
                                  Diagnostics& diagnostics) {
    if (from.kind == ReachEndpoint::Kind::LoadBalancer || to.kind == ReachEndpoint::Kind::Platform)
        return {};
    GridOutcome outcome = grid_->evaluate(
        [&](const net::Flow& flow) {
            route::PathQuery query;
            query.flow = flow;
            route::PathResult r = route::trace_path(engine_, from.endpoint, to.endpoint, query, diagnostics);
            return r.verdict == route::Verdict::Allowed  ? CellVerdict::Allowed
                   : r.verdict == route::Verdict::Denied ? CellVerdict::Denied
                                                         : CellVerdict::Undecidable;
        },
        from.endpoint.address, to.endpoint.address);
    return {std::move(outcome.allowed), std::move(outcome.undecidable)};
}

std::size_t ReferenceReach::cells() const {
    return grid_->cell_count();
}

} // namespace ztnet::reach
