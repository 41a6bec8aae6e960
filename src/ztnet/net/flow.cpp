#include "ztnet/net/flow.h"

#include <ostream>

#include "ztnet/net/protocol.h"

namespace ztnet::net {

namespace {

void append_endpoint(std::string& out, Address address, std::uint16_t port, bool with_port) {
    if (!with_port) {
        out += address.to_string();
        return;
    }
    if (address.is_v6()) {
        out += '[';
        out += address.to_string();
        out += ']';
    } else {
        out += address.to_string();
    }
    out += ':';
    out += std::to_string(port);
}

} // namespace

std::string_view direction_name(Direction direction) {
    return direction == Direction::Inbound ? "Inbound" : "Outbound";
}

std::string Flow::to_string() const {
    const bool with_ports = protocol_has_ports(protocol);
    std::string out = protocol_to_string(protocol);
    out += ' ';
    append_endpoint(out, source, source_port, with_ports);
    out += " -> ";
    append_endpoint(out, destination, destination_port, with_ports);
    return out;
}

std::size_t Flow::hash() const {
    std::uint64_t h = hash_mix64(static_cast<std::uint64_t>(protocol) << 32 |
                                 static_cast<std::uint64_t>(source_port) << 16 | destination_port);
    h = hash_mix64(h ^ source.hash());
    h = hash_mix64(h ^ (destination.hash() * 0x9e3779b97f4a7c15ULL));
    return static_cast<std::size_t>(h);
}

std::ostream& operator<<(std::ostream& out, const Flow& flow) {
    return out << flow.to_string();
}

} // namespace ztnet::net
