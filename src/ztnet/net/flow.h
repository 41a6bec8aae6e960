// Flow: one concrete packet flow (protocol, addresses, ports), the unit that rules, routes and flow logs
// are evaluated against, plus the direction an NSG rule applies to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "ztnet/net/address.h"
#include "ztnet/net/protocol.h"

namespace ztnet::net {

/// The direction of an NSG rule or of a flow relative to the resource it is evaluated at.
enum class Direction : std::uint8_t { Inbound, Outbound };

/// "Inbound" or "Outbound" (the Azure spelling).
std::string_view direction_name(Direction direction);

/// A 5-tuple. Trivially copyable, no heap (64 bytes). Ports are meaningful only when
/// protocol_has_ports(protocol); they still take part in ==, so callers set them to 0 otherwise.
struct Flow {
    /// IANA protocol number (6 TCP, 17 UDP, 1 ICMP ...).
    std::uint8_t protocol = 0;
    /// Sending address.
    Address source;
    /// Receiving address.
    Address destination;
    /// Sending port (TCP/UDP only).
    std::uint16_t source_port = 0;
    /// Receiving port (TCP/UDP only).
    std::uint16_t destination_port = 0;

    /// "Tcp 10.0.0.4:50000 -> 10.0.1.5:443", "[fd00::1]:5000" for IPv6 ends, and no ports for protocols
    /// without them ("Icmp 10.0.0.4 -> 10.0.1.5").
    std::string to_string() const;

    /// A hash consistent with ==.
    std::size_t hash() const;

    friend bool operator==(const Flow&, const Flow&) = default;
};

/// Whether a box of sets holds the flow: `box` has `protocols`, `sources`, `destinations`,
/// `source_ports` and `destination_ports` (a rule's match conditions, a reach::FlowBox). Ports count
/// only for protocols that have them.
template <class Box>
bool box_holds(const Box& box, const Flow& flow) {
    if (!box.protocols.contains(flow.protocol) || !box.sources.contains(flow.source) ||
        !box.destinations.contains(flow.destination))
        return false;
    if (!protocol_has_ports(flow.protocol))
        return true;
    return box.source_ports.contains(flow.source_port) &&
           box.destination_ports.contains(flow.destination_port);
}

/// Writes flow.to_string() (lets GoogleTest print flows).
std::ostream& operator<<(std::ostream& out, const Flow& flow);

} // namespace ztnet::net

/// Lets Flow key std::unordered_map and std::unordered_set.
template <>
struct std::hash<ztnet::net::Flow> {
    std::size_t operator()(const ztnet::net::Flow& flow) const noexcept { return flow.hash(); }
};
