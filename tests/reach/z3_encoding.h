// The Z3 oracle's encoding, in the manner of SecGuru: a flow is a handful of bit-vectors (protocol,
// 8 bits; source and destination port, 16 bits; source and destination address, 128 bits each
// with a family flag), and each NSG is a predicate over them, nested if-then-else over its rules
// in priority order. The rules themselves (CompiledNsg::rules) are shared with the code under
// test; everything that evaluates them is written again here, independently of the reach module.
//
// Routing is not re-encoded: it depends only on addresses, so the oracle asks route::plan_route for
// the outcome between two places and encodes only what the NSGs (and the entry from outside) do.
// Pairs whose route crosses a firewall or ends where the estate cannot decide are not encoded.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <z3++.h>

#include "ztnet/net/address_set.h"
#include "ztnet/net/flow.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/endpoints.h"
#include "ztnet/reach/service_set.h"
#include "ztnet/route/route_plan.h"

namespace ztnet::reach::z3oracle {

/// The Z3 context and the variables of one flow. Formulas of several estates (a diff's two
/// versions) share one FlowSpace, so that one query can compare them.
class FlowSpace {
  public:
    FlowSpace();
    FlowSpace(const FlowSpace&) = delete;
    FlowSpace& operator=(const FlowSpace&) = delete;

    z3::context& context() { return context_; }
    z3::expr truth(bool value) { return context_.bool_val(value); }

    z3::expr protocols(const net::ProtocolSet& set);
    z3::expr source_ports(const net::PortSet& set);
    z3::expr destination_ports(const net::PortSet& set);
    z3::expr sources(const net::AddressSet& set) { return addresses(source_, source_v6_, set, nullptr); }
    z3::expr destinations(const net::AddressSet& set) {
        return addresses(destination_, destination_v6_, set, nullptr);
    }
    /// Source and destination are of one family (a packet has one IP header).
    z3::expr same_family() { return source_v6_ == destination_v6_; }
    /// The flows whose protocol and ports are in `set`, from its boxes.
    z3::expr services(const ServiceSet& set);
    /// Where the flow's ends are known to lie (each may be null: anywhere). Rule sides are decided
    /// by set containment against them where possible, so Z3 sees only the sides that split an end.
    struct Ends {
        const net::AddressSet* from = nullptr;
        const net::AddressSet* to = nullptr;
    };
    /// Whether `rule` matches: protocol, both addresses, and the ports where the protocol has them.
    z3::expr rule_matches(const policy::ResolvedRule& rule, const Ends& ends);
    /// Allowed by the first rule that matches (rules sorted by priority, ending with DenyAll*).
    z3::expr first_match_allows(const std::vector<policy::ResolvedRule>& rules, const Ends& ends);

    /// A flow from an address of `from` to one of `to` (of one family) for which `formula` holds, or
    /// nullopt when there is none. Throws z3::exception when Z3 cannot decide (it always can for
    /// these quantifier-free bit-vector formulas).
    std::optional<net::Flow> find_flow(const z3::expr& formula, const net::AddressSet& from,
                                       const net::AddressSet& to);
    /// Whether `formula` holds for the flow `find_flow` returned (to name which part of a
    /// disjunction failed). Only valid right after a satisfiable find_flow.
    bool holds_in_last_model(const z3::expr& formula);

  private:
    template <class T>
    z3::expr within(const z3::expr& value, std::span<const net::Interval<T>> intervals, unsigned bits);
    z3::expr addresses(const z3::expr& value, const z3::expr& is_v6, const net::AddressSet& set,
                       const net::AddressSet* known);
    z3::expr all_of(std::initializer_list<z3::expr> parts);
    z3::expr number(net::u128 value, unsigned bits);
    net::u128 value_of(const z3::expr& variable);
    z3::expr pin(const z3::expr& formula);

    z3::context context_;
    z3::expr protocol_;
    z3::expr source_port_;
    z3::expr destination_port_;
    z3::expr source_;
    z3::expr source_v6_;
    z3::expr destination_;
    z3::expr destination_v6_;
    std::optional<z3::solver> solver_;
    std::optional<z3::model> last_model_;
    z3::expr_vector pinned_variables_; // the last query's one-address ends, and their values
    z3::expr_vector pinned_values_;
};

/// What the oracle makes of one ordered pair of endpoints.
struct PathFormula {
    enum class Outcome : std::uint8_t {
        Encoded,       // `allowed` holds exactly for the flows Azure delivers
        Firewall,      // the route crosses an Azure Firewall: not encoded
        Undecidable,   // the route ends beyond the estate (a gateway, an unknown appliance)
        LoadBalancer,  // the destination is a load balancer frontend: not encoded
        OtherEndpoint, // an App Gateway destination: not encoded
    };
    Outcome outcome = Outcome::Encoded;
    std::optional<z3::expr> allowed;
};

/// Path predicates for the pairs of one estate, with each NSG encoded once per VNet and direction.
class PathEncoder {
  public:
    PathEncoder(FlowSpace& space, const policy::PolicyEngine& engine, Diagnostics& diagnostics);

    PathFormula path(const ReachEndpoint& from, const ReachEndpoint& to);

  private:
    using Ends = FlowSpace::Ends;
    z3::expr nsg(model::NsgIndex nsg, model::SubnetIndex subnet, net::Direction direction, const Ends& ends);
    bool enters_from_outside(const ReachEndpoint& from, const ReachEndpoint& to) const;
    std::optional<z3::expr> admin(model::SubnetIndex subnet, net::Direction direction, const Ends& ends,
                                  const z3::expr& nsgs);

    FlowSpace& space_;
    const policy::PolicyEngine& engine_;
    const model::Estate& estate_;
    route::RouteViews views_;
};

} // namespace ztnet::reach::z3oracle
