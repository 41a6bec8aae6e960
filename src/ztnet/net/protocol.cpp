#include "ztnet/net/protocol.h"

#include <array>

#include "ztnet/net/parse_text.h"
#include "ztnet/support/ascii.h"

namespace ztnet::net {

namespace {

struct NamedProtocol {
    std::string_view name;
    Protocol protocol;
    bool nsg; // whether an NSG rule's protocol field may name it
};

constexpr std::array<NamedProtocol, 6> kProtocols{{
    {"Icmp", Protocol::Icmp, true},
    {"Tcp", Protocol::Tcp, true},
    {"Udp", Protocol::Udp, true},
    {"Esp", Protocol::Esp, true},
    {"Ah", Protocol::Ah, true},
    {"Icmpv6", Protocol::Icmpv6, false},
}};

} // namespace

Result<ProtocolSet> parse_nsg_protocol(std::string_view text) {
    if (text == "*")
        return ProtocolSet::all();
    for (const NamedProtocol& named : kProtocols) {
        if (named.nsg && ascii::iequals(text, named.name))
            return ProtocolSet::single(protocol_number(named.protocol));
    }
    return fail("expected an NSG protocol (Tcp, Udp, Icmp, Esp, Ah or *), got " + detail::quote(text), 0);
}

std::string_view protocol_name(std::uint8_t number) {
    for (const NamedProtocol& named : kProtocols) {
        if (protocol_number(named.protocol) == number)
            return named.name;
    }
    return {};
}

std::string protocol_to_string(std::uint8_t number) {
    const std::string_view name = protocol_name(number);
    return name.empty() ? std::to_string(number) : std::string(name);
}

std::string protocol_set_to_string(const ProtocolSet& set) {
    if (set.empty())
        return "(none)";
    if (set.full())
        return "*";
    std::string out;
    for (const Interval<std::uint8_t>& iv : set.intervals()) {
        if (!out.empty())
            out += ',';
        if (iv.lo == iv.hi) {
            out += protocol_to_string(iv.lo);
        } else {
            out += std::to_string(iv.lo);
            out += '-';
            out += std::to_string(iv.hi);
        }
    }
    return out;
}

} // namespace ztnet::net
