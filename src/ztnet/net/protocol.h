// IP protocols by IANA number, and the NSG rule protocol field. A protocol set covers all 256 numbers so
// that "*" and the gaps between named protocols stay exact.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ztnet/net/interval_set.h"
#include "ztnet/support/result.h"

namespace ztnet::net {

/// The IP protocols ztnet names, valued by their IANA protocol numbers.
enum class Protocol : std::uint8_t { Icmp = 1, Tcp = 6, Udp = 17, Esp = 50, Ah = 51, Icmpv6 = 58 };

/// The IANA number of `protocol`.
constexpr std::uint8_t protocol_number(Protocol protocol) {
    return static_cast<std::uint8_t>(protocol);
}

/// A set of IP protocol numbers 0-255.
using ProtocolSet = IntervalSet<std::uint8_t>;

/// Parses an NSG rule's protocol, compared case-insensitively: "Tcp", "Udp", "Icmp", "Esp", "Ah" or "*".
/// "*" is all 256 protocol numbers: a `*` rule matches every IP protocol, not only the five named ones.
/// "Icmp" is ICMP for IPv4 (number 1) only; ICMPv6 (58) is matched by "*" alone, following the portal,
/// which offers the value as "ICMPv4".
Result<ProtocolSet> parse_nsg_protocol(std::string_view text);

/// The name of a protocol number as ztnet prints it ("Tcp", "Udp", "Icmp", "Esp", "Ah", "Icmpv6"), or an
/// empty view for numbers without a name here.
std::string_view protocol_name(std::uint8_t number);

/// protocol_name(number) when there is one, else the decimal number ("47").
std::string protocol_to_string(std::uint8_t number);

/// "*" for all protocols, "(none)" for none, else the members joined by commas, single named numbers by
/// name and ranges by number ("Icmp,Tcp", "0-5,7-255"). A single name or "*" reads back with
/// parse_nsg_protocol.
std::string protocol_set_to_string(const ProtocolSet& set);

/// Whether flows of this protocol carry ports: true only for TCP and UDP. Rules' port fields are
/// ignored for every other protocol (ICMP, ESP, AH ...), which then match any port.
constexpr bool protocol_has_ports(std::uint8_t number) {
    return number == protocol_number(Protocol::Tcp) || number == protocol_number(Protocol::Udp);
}

} // namespace ztnet::net
