// FlowBox and FlowBoxSet: exact sets of flows in the five dimensions an NSG rule constrains (protocol,
// source, destination, source port, destination port). A rule matches one box's worth of flows, and
// questions about rule order ("is this rule ever reached?") become unions and differences of boxes.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "ztnet/net/address_set.h"
#include "ztnet/net/flow.h"
#include "ztnet/net/port.h"
#include "ztnet/net/protocol.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/box_set.h"

namespace ztnet::reach {

/// The flows a rule with these fields matches: a protocol in `protocols`, a source in `sources`, a
/// destination in `destinations` and, for TCP and UDP only, ports in the port sets. For every other
/// protocol the ports are ignored, exactly as policy::ResolvedRule::matches ignores them.
struct FlowBox {
    net::ProtocolSet protocols;
    net::AddressSet sources;
    net::AddressSet destinations;
    net::PortSet source_ports;
    net::PortSet destination_ports;

    /// The fields of a rule (name, priority and access left behind).
    static FlowBox of_rule(const policy::ResolvedRule& rule);

    /// Whether `flow` is in the box, with the same port rule as ResolvedRule::matches.
    bool contains(const net::Flow& flow) const;
};

/// The box operations of FlowBoxSet, over the five interval sets (defined in flow_box.cpp, where
/// every use of them is).
struct FlowBoxAlgebra {
    using Box = FlowBox;
    static bool overlap(const FlowBox& a, const FlowBox& b);
    static bool contains(const FlowBox& outer, const FlowBox& inner);
    static FlowBox intersection(const FlowBox& a, const FlowBox& b);
    static void split_difference(FlowBox a, const FlowBox& b, BoxSet<FlowBoxAlgebra>& into);
    static bool holds_protocol(const FlowBox& box, std::uint8_t protocol);
    static std::uint8_t lowest_protocol(const FlowBox& box);
    static void lowest_ends(const FlowBox& box, net::Flow& flow);
};

/// A set of flows kept as pairwise-disjoint boxes. Every stored box is a plain Cartesian product whose
/// protocols are either only TCP/UDP or carry all ports, so product algebra and rule semantics agree.
/// Operations split boxes one dimension at a time; the number of boxes is capped, and a set that would
/// exceed its cap becomes overflowed: its contents are then unknown and no answer may be drawn from it.
class FlowBoxSet {
  public:
    /// The cap used when none is given: enough for every realistic NSG, small enough to stay in memory.
    static constexpr std::size_t kDefaultMaxBoxes = 200'000;

    /// The empty set.
    explicit FlowBoxSet(std::size_t max_boxes = kDefaultMaxBoxes) : set_(max_boxes) {}

    /// The flows of `box` (rule semantics: ports ignored outside TCP and UDP); at most two boxes.
    static FlowBoxSet from_box(const FlowBox& box, std::size_t max_boxes = kDefaultMaxBoxes);
    /// The flows `rule` matches.
    static FlowBoxSet from_rule(const policy::ResolvedRule& rule, std::size_t max_boxes = kDefaultMaxBoxes);

    /// Keeps only the flows that are also in `box`.
    void intersect(const FlowBox& box);
    /// Keeps only the flows that are also in `other`.
    void intersect(const FlowBoxSet& other);
    /// Removes the flows of `box` (each stored box splits into at most five).
    void subtract(const FlowBox& box);
    /// Removes the flows of `other`.
    void subtract(const FlowBoxSet& other);
    /// Whether some flow is in both sets (no allocation).
    bool overlaps(const FlowBoxSet& other) const;

    /// Whether the set holds no flow. False for an overflowed set, whose contents are unknown.
    bool empty() const { return set_.empty(); }
    /// Whether an operation would have exceeded the cap; the set is then unusable.
    bool overflowed() const { return set_.overflowed(); }
    /// Whether `flow` is in the set (false for an overflowed set).
    bool contains(const net::Flow& flow) const;
    /// One readable flow of the set: TCP (else UDP) when the set holds any, else the lowest protocol;
    /// IPv4 before IPv6; the lowest address and port. None when empty or overflowed.
    std::optional<net::Flow> example() const { return set_.example(); }

    /// The disjoint boxes (empty when overflowed).
    std::span<const FlowBox> boxes() const { return set_.boxes(); }

  private:
    BoxSet<FlowBoxAlgebra> set_;
};

} // namespace ztnet::reach
