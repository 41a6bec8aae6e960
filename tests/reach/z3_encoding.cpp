#include "z3_encoding.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include "ztnet/model/resource_id.h"
#include "ztnet/policy/admin_rules.h"
#include "ztnet/route/outbound.h"
#include "ztnet/route/private_endpoints.h"

namespace ztnet::reach::z3oracle {

using model::Index;
using model::kNone;

namespace {

constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;

net::u128 parse_decimal(const std::string& text) {
    net::u128 value = 0;
    for (char c : text)
        value = value * 10 + static_cast<unsigned>(c - '0');
    return value;
}

} // namespace

FlowSpace::FlowSpace()
    : protocol_(context_.bv_const("protocol", 8)), source_port_(context_.bv_const("source_port", 16)),
      destination_port_(context_.bv_const("destination_port", 16)), source_(context_.bv_const("source", 128)),
      source_v6_(context_.bool_const("source_is_v6")), destination_(context_.bv_const("destination", 128)),
      destination_v6_(context_.bool_const("destination_is_v6")), pinned_variables_(context_),
      pinned_values_(context_) {}

z3::expr FlowSpace::number(net::u128 value, unsigned bits) {
    return context_.bv_val(net::u128_to_string(value).c_str(), bits);
}

template <class T>
z3::expr FlowSpace::within(const z3::expr& value, std::span<const net::Interval<T>> intervals,
                           unsigned bits) {
    const net::u128 max = bits == 128 ? net::kU128Max : (net::u128{1} << bits) - 1;
    z3::expr_vector any(context_);
    for (const net::Interval<T>& iv : intervals) {
        const net::u128 lo = iv.lo;
        const net::u128 hi = iv.hi;
        if (lo == hi)
            any.push_back(value == number(lo, bits));
        else if (lo == 0 && hi == max)
            any.push_back(context_.bool_val(true));
        else if (lo == 0)
            any.push_back(z3::ule(value, number(hi, bits)));
        else if (hi == max)
            any.push_back(z3::ule(number(lo, bits), value));
        else
            any.push_back(z3::ule(number(lo, bits), value) && z3::ule(value, number(hi, bits)));
    }
    return any.empty() ? context_.bool_val(false) : z3::mk_or(any);
}

z3::expr FlowSpace::protocols(const net::ProtocolSet& set) {
    return within(protocol_, set.intervals(), 8);
}

z3::expr FlowSpace::source_ports(const net::PortSet& set) {
    return within(source_port_, set.intervals(), 16);
}

z3::expr FlowSpace::destination_ports(const net::PortSet& set) {
    return within(destination_port_, set.intervals(), 16);
}

// An IPv4 address is a 128-bit value below 2^32 with the flag clear (find_flow adds that bound).
// With `known`, the addresses the variable is known to lie in, each family's part is decided by set
// containment where it can be: exact, and it keeps the formulas Z3 sees small.
z3::expr FlowSpace::addresses(const z3::expr& value, const z3::expr& is_v6, const net::AddressSet& set,
                              const net::AddressSet* known) {
    auto part = [&](net::Family family) {
        const auto& inside = set.of(family);
        if (known != nullptr) {
            const auto& possible = known->of(family);
            if (possible.empty() || !inside.overlaps(possible))
                return context_.bool_val(false);
            if (inside.contains(possible))
                return context_.bool_val(true);
        }
        return within(value, inside.intervals(), 128);
    };
    z3::expr v4 = part(net::Family::V4);
    z3::expr v6 = part(net::Family::V6);
    if (known != nullptr) { // the flag follows the address, so a family the end lacks needs no case
        if (known->v6().empty() || (v4.is_true() && v6.is_true()) || (v4.is_false() && v6.is_false()))
            return v4;
        if (known->v4().empty())
            return v6;
    }
    return all_of({!is_v6, v4}) || all_of({is_v6, v6});
}

z3::expr FlowSpace::all_of(std::initializer_list<z3::expr> parts) {
    z3::expr_vector kept(context_);
    for (const z3::expr& p : parts) {
        if (p.is_false())
            return p;
        if (!p.is_true())
            kept.push_back(p);
    }
    return kept.empty() ? context_.bool_val(true) : z3::mk_and(kept);
}

z3::expr FlowSpace::services(const ServiceSet& set) {
    z3::expr_vector any(context_);
    for (const ServiceBox& box : set.boxes())
        any.push_back(protocols(box.protocols) && source_ports(box.source_ports) &&
                      destination_ports(box.destination_ports));
    return any.empty() ? context_.bool_val(false) : z3::mk_or(any);
}

z3::expr FlowSpace::rule_matches(const policy::ResolvedRule& rule, const Ends& ends) {
    z3::expr has_ports = protocol_ == number(kTcp, 8) || protocol_ == number(kUdp, 8);
    z3::expr ports = all_of({source_ports(rule.source_ports), destination_ports(rule.destination_ports)});
    return all_of({protocols(rule.protocols), addresses(source_, source_v6_, rule.sources, ends.from),
                   addresses(destination_, destination_v6_, rule.destinations, ends.to),
                   ports.is_true() ? ports : (!has_ports || ports)});
}

z3::expr FlowSpace::first_match_allows(const std::vector<policy::ResolvedRule>& rules, const Ends& ends) {
    // Rules in priority order, folded from the last one that can still decide: a rule that matches
    // every flow between the ends hides the rules after it.
    std::vector<z3::expr> matches;
    std::size_t last = rules.size();
    for (std::size_t r = 0; r < rules.size(); ++r) {
        matches.push_back(rule_matches(rules[r], ends));
        if (matches.back().is_true()) {
            last = r + 1;
            break;
        }
    }
    z3::expr decision = context_.bool_val(false); // past the DenyAll rules nothing is allowed
    for (std::size_t r = last; r-- > 0;) {
        if (matches[r].is_false())
            continue;
        decision = z3::ite(matches[r], context_.bool_val(rules[r].access == model::Access::Allow), decision);
    }
    return decision;
}

net::u128 FlowSpace::value_of(const z3::expr& variable) {
    z3::expr value = last_model_->eval(pin(variable), true);
    return parse_decimal(Z3_get_numeral_string(context_, value));
}

// The address of a one-address set (a NIC), which queries substitute rather than search for.
std::optional<net::Address> only_address(const net::AddressSet& set) {
    for (net::Family family : {net::Family::V4, net::Family::V6}) {
        const auto& other = set.of(family == net::Family::V4 ? net::Family::V6 : net::Family::V4);
        auto intervals = set.of(family).intervals();
        if (other.empty() && intervals.size() == 1 && intervals[0].lo == intervals[0].hi)
            return net::Address::from_value(family, intervals[0].lo);
    }
    return std::nullopt;
}

// Whether `variable` occurs in `formula` (a walk over the shared subterms, each visited once).
bool mentions(const z3::expr& formula, const z3::expr& variable) {
    const unsigned target = Z3_get_ast_id(variable.ctx(), variable);
    std::unordered_set<unsigned> seen;
    std::vector<z3::expr> pending{formula};
    while (!pending.empty()) {
        z3::expr e = pending.back();
        pending.pop_back();
        unsigned id = Z3_get_ast_id(e.ctx(), e);
        if (id == target)
            return true;
        if (!e.is_app() || !seen.insert(id).second)
            continue;
        for (unsigned i = 0; i < e.num_args(); ++i)
            pending.push_back(e.arg(i));
    }
    return false;
}

std::optional<net::Flow> FlowSpace::find_flow(const z3::expr& formula, const net::AddressSet& from,
                                              const net::AddressSet& to) {
    // A one-address end is substituted; an end whose address the formula never looks at (rule sides
    // decided by containment) leaves only its family to choose. Either way Z3 does not bit-blast
    // 128-bit comparisons that cannot matter.
    pinned_variables_ = z3::expr_vector(context_);
    pinned_values_ = z3::expr_vector(context_);
    z3::expr_vector query(context_);
    struct End {
        const net::AddressSet& set;
        z3::expr value;
        z3::expr is_v6;
        bool free = false; // the formula ignores the address: report the family's first one
    };
    End ends[2] = {{from, source_, source_v6_}, {to, destination_, destination_v6_}};
    for (End& end : ends) {
        if (std::optional<net::Address> only = only_address(end.set)) {
            pinned_variables_.push_back(end.value);
            pinned_values_.push_back(number(only->value(), 128));
            pinned_variables_.push_back(end.is_v6);
            pinned_values_.push_back(context_.bool_val(only->is_v6()));
        } else if (!mentions(formula, end.value)) {
            end.free = true;
            query.push_back(implies(end.is_v6, context_.bool_val(!end.set.v6().empty())));
            query.push_back(implies(!end.is_v6, context_.bool_val(!end.set.v4().empty())));
        } else {
            query.push_back(end.is_v6 || z3::ule(end.value, number(0xFFFFFFFFu, 128)));
            query.push_back(addresses(end.value, end.is_v6, end.set, nullptr));
        }
    }
    query.push_back(same_family());
    query.push_back(formula);
    z3::expr simplified = pin(z3::mk_and(query)).simplify();
    if (simplified.is_false()) {
        last_model_.reset();
        return std::nullopt;
    }
    if (!solver_)
        solver_.emplace(context_, "QF_BV");
    z3::solver& solver = *solver_;
    solver.push();
    solver.add(simplified);
    struct Pop {
        z3::solver& s;
        ~Pop() { s.pop(); }
    } pop{solver};
    switch (solver.check()) {
    case z3::unsat:
        last_model_.reset();
        return std::nullopt;
    case z3::unknown:
        throw z3::exception(("Z3 could not decide: " + solver.reason_unknown()).c_str());
    case z3::sat:
        break;
    }
    last_model_ = solver.get_model();
    net::Flow flow;
    flow.protocol = static_cast<std::uint8_t>(value_of(protocol_));
    flow.source_port = static_cast<std::uint16_t>(value_of(source_port_));
    flow.destination_port = static_cast<std::uint16_t>(value_of(destination_port_));
    for (End& end : ends) {
        net::Family family = holds_in_last_model(end.is_v6) ? net::Family::V6 : net::Family::V4;
        net::u128 value = end.free ? end.set.of(family).intervals()[0].lo : value_of(end.value);
        (&end == &ends[0] ? flow.source : flow.destination) = net::Address::from_value(family, value);
    }
    return flow;
}

z3::expr FlowSpace::pin(const z3::expr& formula) {
    if (pinned_variables_.empty())
        return formula;
    z3::expr copy = formula;
    return copy.substitute(pinned_variables_, pinned_values_);
}

bool FlowSpace::holds_in_last_model(const z3::expr& formula) {
    return last_model_ && last_model_->eval(pin(formula), true).is_true();
}

PathEncoder::PathEncoder(FlowSpace& space, const policy::PolicyEngine& engine, Diagnostics& diagnostics)
    : space_(space), engine_(engine), estate_(engine.estate()),
      views_(engine.estate(), engine.tags(), diagnostics) {}

z3::expr PathEncoder::nsg(model::NsgIndex nsg, model::SubnetIndex subnet, net::Direction direction,
                          const Ends& ends) {
    if (nsg == kNone)
        return space_.truth(true);
    model::VnetIndex vnet = estate_.subnets[subnet].virtual_network;
    return space_.first_match_allows(engine_.nsg(nsg, vnet).rules(direction), ends);
}

// Virtual Network Manager's security admin rules before the NSGs, written out from their
// documented meaning: the first admin rule by priority that matches decides (Deny: dropped;
// AlwaysAllow: delivered whatever the NSGs say; Allow: the NSGs decide), and without a match the
// NSGs decide. Nullopt when the rules are not all known (such pairs are not encoded).
std::optional<z3::expr> PathEncoder::admin(model::SubnetIndex subnet, net::Direction direction,
                                           const Ends& ends, const z3::expr& nsgs) {
    const model::VnetIndex vnet = estate_.subnets[subnet].virtual_network;
    if (vnet == kNone)
        return nsgs;
    if (!estate_.virtual_networks[vnet].admin_rules_unknown.empty())
        return std::nullopt;
    const policy::AdminRules* admin = engine_.admin_rules(vnet);
    if (!admin)
        return nsgs;
    const auto& rules = admin->rules(direction);
    z3::expr decision = nsgs;
    for (std::size_t r = rules.size(); r-- > 0;) {
        const policy::AdminRules::Entry& entry = rules[r];
        if (entry.resolved.uncertain() || entry.written->action_unknown)
            return std::nullopt;
        const z3::expr outcome = entry.written->action == model::AdminAction::Deny ? space_.truth(false)
                                 : entry.written->action == model::AdminAction::AlwaysAllow
                                     ? space_.truth(true)
                                     : nsgs;
        decision = z3::ite(space_.rule_matches(entry.resolved, ends), outcome, decision);
    }
    return decision;
}

// From outside every VNet: the platform reaches every subnet; the Internet needs a public IP on the
// destination (a Bastion's, or its NIC IP configuration's), and a NIC's Standard SKU public IP admits
// nothing while no NSG guards the NIC.
bool PathEncoder::enters_from_outside(const ReachEndpoint& from, const ReachEndpoint& to) const {
    if (from.kind == ReachEndpoint::Kind::Platform)
        return true;
    const route::Endpoint& dst = to.endpoint;
    model::PublicIpIndex public_ip = dst.public_ip;
    if (public_ip == kNone && dst.nic != kNone)
        public_ip = estate_.network_interfaces[dst.nic].ip_configurations[dst.ip_configuration].public_ip;
    if (public_ip == kNone)
        return false;
    if (to.kind != ReachEndpoint::Kind::Nic)
        return true;
    bool guarded = estate_.network_interfaces[dst.nic].network_security_group != kNone ||
                   estate_.subnets[dst.subnet].network_security_group != kNone;
    return guarded || estate_.public_ip_addresses[public_ip].sku.value != model::PublicIpSku::Standard;
}

PathFormula PathEncoder::path(const ReachEndpoint& from, const ReachEndpoint& to) {
    using Kind = ReachEndpoint::Kind;
    using Outcome = PathFormula::Outcome;
    PathFormula out;
    // Nothing originates at a frontend, nothing is delivered to the platform address, and nothing
    // that starts and ends outside every VNet crosses the estate.
    bool from_outside = from.endpoint.subnet == kNone;
    if (to.kind == Kind::LoadBalancer) {
        out.outcome = Outcome::LoadBalancer;
        return out;
    }
    if (to.kind == Kind::ApplicationGateway) {
        out.outcome = Outcome::OtherEndpoint;
        return out;
    }
    bool to_outside = to.endpoint.subnet == kNone;
    // A private endpoint only receives connections.
    if (from.kind == Kind::LoadBalancer || from.kind == Kind::PrivateEndpoint || to.kind == Kind::Platform ||
        (from_outside && to_outside)) {
        out.allowed = space_.truth(false);
        return out;
    }
    z3::expr allowed = space_.truth(true);
    const Ends ends{&from.addresses, &to.addresses};
    if (!from_outside) {
        const route::Endpoint& src = from.endpoint;
        if (src.nic != kNone)
            allowed = allowed && nsg(estate_.network_interfaces[src.nic].network_security_group, src.subnet,
                                     net::Direction::Outbound, ends);
        allowed = allowed && nsg(estate_.subnets[src.subnet].network_security_group, src.subnet,
                                 net::Direction::Outbound, ends);
        std::optional<z3::expr> gated = admin(src.subnet, net::Direction::Outbound, ends, allowed);
        if (!gated) {
            out.outcome = Outcome::Undecidable;
            return out;
        }
        allowed = *gated;
        route::RoutePlan plan = route::plan_route(estate_, views_, src.subnet, to.endpoint);
        bool crosses_firewall =
            std::any_of(plan.steps.begin(), plan.steps.end(),
                        [](const route::RouteStep& s) { return s.kind == route::RouteStep::Kind::Firewall; });
        std::optional<bool> passes = route::route_end_passes(plan.end);
        if (crosses_firewall) {
            out.outcome = Outcome::Firewall;
            return out;
        }
        if (!passes) {
            out.outcome = Outcome::Undecidable;
            return out;
        }
        if (!*passes) {
            out.allowed = space_.truth(false);
            return out;
        }
        if (to_outside) {
            // Straight out of the source's subnet to the Internet, the source needs a way out:
            // without one (a private subnet, no NAT gateway, public IP or outbound rule) nothing
            // leaves; where the input cannot tell, the pair is not encoded.
            if (plan.end == route::RouteEnd::Internet) {
                const route::OutboundAccess way_out = route::outbound_access(estate_, src);
                if (way_out.kind == route::OutboundAccess::Kind::Unknown) {
                    out.outcome = Outcome::Undecidable;
                    return out;
                }
                if (way_out.kind == route::OutboundAccess::Kind::None)
                    allowed = space_.truth(false);
            }
            out.allowed = allowed;
            return out;
        }
    } else if (route::enter_from_outside(estate_, from.endpoint.address, to.endpoint).through_gateway()) {
        out.outcome = Outcome::OtherEndpoint; // from on-premises through a gateway: not encoded
        return out;
    } else if (!enters_from_outside(from, to)) {
        out.allowed = space_.truth(false);
        return out;
    }
    const route::Endpoint& dst = to.endpoint;
    // The subnet's NSG filters traffic to a private endpoint only where its network policies say so.
    const bool subnet_nsg_applies = to.kind != Kind::PrivateEndpoint ||
                                    route::nsg_applies_to_private_endpoints(estate_.subnets[dst.subnet]);
    z3::expr inbound = subnet_nsg_applies ? nsg(estate_.subnets[dst.subnet].network_security_group,
                                                dst.subnet, net::Direction::Inbound, ends)
                                          : space_.truth(true);
    if (dst.nic != kNone)
        inbound = inbound && nsg(estate_.network_interfaces[dst.nic].network_security_group, dst.subnet,
                                 net::Direction::Inbound, ends);
    std::optional<z3::expr> gated = admin(dst.subnet, net::Direction::Inbound, ends, inbound);
    if (!gated) {
        out.outcome = Outcome::Undecidable;
        return out;
    }
    out.allowed = allowed && *gated;
    return out;
}

} // namespace ztnet::reach::z3oracle
