#include "ztnet/reach/service_set.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "ztnet/support/ascii.h"

namespace ztnet::reach {
namespace {

using Planes = Piecewise<std::uint8_t, PortPlane>;

const net::PortSet& all_ports() {
    static const net::PortSet kPorts = net::PortSet::all();
    return kPorts;
}
const PortPlane& full_plane() {
    static const PortPlane kPlane{net::PortSet::all()};
    return kPlane;
}
const PortPlane& empty_plane() {
    static const PortPlane kPlane{net::PortSet()};
    return kPlane;
}

PortPlane plane_of(const net::PortSet& source_ports, const net::PortSet& destination_ports) {
    if (destination_ports.empty() || source_ports.empty())
        return empty_plane();
    std::vector<std::pair<std::pair<std::uint16_t, std::uint16_t>, net::PortSet>> ranges;
    for (const auto& iv : source_ports.intervals())
        ranges.push_back({{iv.lo, iv.hi}, destination_ports});
    return PortPlane::from_ranges(ranges, net::PortSet());
}

PortPlane plane_op(const PortPlane& a, const PortPlane& b, int op) {
    return PortPlane::combine(a, b, [op](const net::PortSet& x, const net::PortSet& y) {
        return op == 0 ? x.unite(y) : op == 1 ? x.intersect(y) : x.subtract(y);
    });
}

bool plane_empty(const PortPlane& plane) {
    return plane.runs().size() == 1 && plane.runs()[0].value.empty();
}

// "443, 8443" for a plane whose source ports are all allowed alike; otherwise one clause per
// source-port run.
std::string plane_label(const PortPlane& plane) {
    const auto& runs = plane.runs();
    if (runs.size() == 1)
        return runs[0].value.full() ? "*" : net::port_set_to_string(runs[0].value);
    std::string out;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (runs[i].value.empty())
            continue;
        if (!out.empty())
            out += " and ";
        net::PortSet sources = net::PortSet::range(runs[i].start, plane.run_end(i));
        out += fmt::format("{} from source ports {}", net::port_set_to_string(runs[i].value),
                           net::port_set_to_string(sources));
    }
    return out;
}

// A port from the set that tells a reader most: a management or common service port when the set
// holds one (an "any port" set is shown as reaching 22 rather than 0), else the lowest.
std::uint16_t readable_port(const net::PortSet& ports) {
    for (std::uint16_t port : {22, 3389, 443, 80, 1433, 445})
        if (ports.contains(port))
            return port;
    return ports.intervals()[0].lo;
}

} // namespace

std::vector<Service> ServiceSet::examples(std::size_t limit) const {
    std::vector<Service> out;
    auto first = example();
    if (!first)
        return out;
    out.push_back(*first);
    // Then the lowest port of every other destination-port range of TCP and UDP, at the ephemeral
    // source port when allowed: "Tcp 22,3389" gives an example for each.
    for (std::uint8_t protocol : {std::uint8_t{6}, std::uint8_t{17}}) {
        const PortPlane& plane = planes_.at(protocol);
        constexpr std::uint16_t kEphemeral = 49152;
        std::uint16_t source = kEphemeral;
        const net::PortSet* ports = &plane.at(kEphemeral);
        if (ports->empty()) {
            for (std::size_t i = 0; i < plane.runs().size() && ports->empty(); ++i) {
                ports = &plane.runs()[i].value;
                source = plane.runs()[i].start;
            }
        }
        for (const auto& iv : ports->intervals()) {
            Service s{protocol, source, readable_port(net::PortSet::range(iv.lo, iv.hi))};
            if (iv.lo <= out.front().destination_port && out.front().destination_port <= iv.hi &&
                out.front().protocol == protocol)
                continue;
            if (out.size() >= limit)
                return out;
            out.push_back(s);
        }
    }
    return out;
}

ServiceSet::ServiceSet() : planes_(empty_plane()) {}

ServiceSet ServiceSet::all() {
    return ServiceSet(Planes(full_plane()));
}

ServiceSet ServiceSet::of(const net::ProtocolSet& protocols, const net::PortSet& source_ports,
                          const net::PortSet& destination_ports) {
    PortPlane ported = plane_of(source_ports, destination_ports);
    std::vector<std::pair<std::pair<std::uint8_t, std::uint8_t>, PortPlane>> ranges;
    for (const auto& iv : protocols.intervals()) {
        // Split each protocol interval around 6 and 17, the protocols with ports.
        unsigned lo = iv.lo;
        for (unsigned p = iv.lo; p <= iv.hi; ++p) {
            if (!has_ports(static_cast<std::uint8_t>(p)))
                continue;
            if (p > lo)
                ranges.push_back(
                    {{static_cast<std::uint8_t>(lo), static_cast<std::uint8_t>(p - 1)}, full_plane()});
            ranges.push_back({{static_cast<std::uint8_t>(p), static_cast<std::uint8_t>(p)}, ported});
            lo = p + 1;
        }
        if (lo <= iv.hi)
            ranges.push_back({{static_cast<std::uint8_t>(lo), iv.hi}, full_plane()});
    }
    return ServiceSet(Planes::from_ranges(ranges, empty_plane()));
}

ServiceSet ServiceSet::single(const Service& service) {
    if (!has_ports(service.protocol))
        return of(net::ProtocolSet::single(service.protocol), all_ports(), all_ports());
    return of(net::ProtocolSet::single(service.protocol), net::PortSet::single(service.source_port),
              net::PortSet::single(service.destination_port));
}

ServiceSet ServiceSet::unite(const ServiceSet& other) const {
    return ServiceSet(Planes::combine(
        planes_, other.planes_, [](const PortPlane& a, const PortPlane& b) { return plane_op(a, b, 0); }));
}

ServiceSet ServiceSet::intersect(const ServiceSet& other) const {
    return ServiceSet(Planes::combine(
        planes_, other.planes_, [](const PortPlane& a, const PortPlane& b) { return plane_op(a, b, 1); }));
}

ServiceSet ServiceSet::subtract(const ServiceSet& other) const {
    return ServiceSet(Planes::combine(
        planes_, other.planes_, [](const PortPlane& a, const PortPlane& b) { return plane_op(a, b, 2); }));
}

bool ServiceSet::empty() const {
    return planes_.runs().size() == 1 && plane_empty(planes_.runs()[0].value);
}

bool ServiceSet::full() const {
    return planes_.runs().size() == 1 && planes_.runs()[0].value == full_plane();
}

bool ServiceSet::contains(const Service& service) const {
    const PortPlane& plane = planes_.at(service.protocol);
    if (!has_ports(service.protocol))
        return !plane_empty(plane);
    return plane.at(service.source_port).contains(service.destination_port);
}

const net::PortSet& ServiceSet::destination_ports(std::uint8_t protocol, std::uint16_t source_port) const {
    return planes_.at(protocol).at(source_port);
}

ServiceSet ServiceSet::readdress(std::uint8_t protocol, std::uint16_t port,
                                 const net::PortSet& new_ports) const {
    const PortPlane& plane = planes_.at(protocol);
    if (!has_ports(protocol))
        return plane_empty(plane) ? ServiceSet()
                                  : of(net::ProtocolSet::single(protocol), all_ports(), all_ports());
    std::vector<net::Interval<std::uint16_t>> sources;
    for (std::size_t i = 0; i < plane.runs().size(); ++i) {
        if (plane.runs()[i].value.contains(port))
            sources.push_back({plane.runs()[i].start, plane.run_end(i)});
    }
    return of(net::ProtocolSet::single(protocol), net::PortSet::from_intervals(std::move(sources)),
              new_ports);
}

std::optional<Service> ServiceSet::example() const {
    auto pick = [&](std::uint8_t protocol) -> std::optional<Service> {
        const PortPlane& plane = planes_.at(protocol);
        if (plane_empty(plane))
            return std::nullopt;
        if (!has_ports(protocol))
            return Service{protocol, 0, 0};
        constexpr std::uint16_t kEphemeral = 49152;
        const net::PortSet& at_ephemeral = plane.at(kEphemeral);
        if (!at_ephemeral.empty())
            return Service{protocol, kEphemeral, readable_port(at_ephemeral)};
        for (std::size_t i = 0; i < plane.runs().size(); ++i) {
            if (!plane.runs()[i].value.empty())
                return Service{protocol, plane.runs()[i].start, readable_port(plane.runs()[i].value)};
        }
        return std::nullopt;
    };
    for (std::uint8_t preferred : {std::uint8_t{6}, std::uint8_t{17}, std::uint8_t{1}}) {
        if (auto s = pick(preferred))
            return s;
    }
    for (const auto& run : planes_.runs()) {
        if (!plane_empty(run.value))
            return pick(run.start);
    }
    return std::nullopt;
}

std::vector<ServiceBox> ServiceSet::boxes() const {
    // Group protocol runs by plane (few distinct planes), then cut each plane into source-port runs.
    std::vector<std::pair<const PortPlane*, net::ProtocolSet>> groups;
    const auto& runs = planes_.runs();
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (plane_empty(runs[i].value))
            continue;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const auto& g) { return *g.first == runs[i].value; });
        if (it == groups.end()) {
            groups.push_back({&runs[i].value, net::ProtocolSet()});
            it = std::prev(groups.end());
        }
        it->second.insert(runs[i].start, planes_.run_end(i));
    }
    std::vector<ServiceBox> out;
    for (const auto& [plane, protocols] : groups) {
        for (std::size_t i = 0; i < plane->runs().size(); ++i) {
            if (plane->runs()[i].value.empty())
                continue;
            out.push_back({protocols, net::PortSet::range(plane->runs()[i].start, plane->run_end(i)),
                           plane->runs()[i].value});
        }
    }
    return out;
}

namespace {

// Lower case, as people write protocols next to ports ("tcp/443"); numbers without a name as such.
std::string protocol_word(std::uint8_t number) {
    return ascii::lower(net::protocol_to_string(number));
}

// The protocols besides TCP and UDP, as people name them: "all other protocols", "icmp, esp",
// "protocols 0-5, 7-16".
std::string other_protocols_label(const net::ProtocolSet& others, bool after_ported) {
    const net::ProtocolSet every_other =
        net::ProtocolSet::all().subtract(net::ProtocolSet::single(6)).subtract(net::ProtocolSet::single(17));
    if (others == every_other)
        return after_ported ? "all other protocols" : "every protocol but tcp and udp";
    std::string out;
    for (const auto& iv : others.intervals()) {
        if (!out.empty())
            out += ", ";
        if (iv.lo == iv.hi)
            out +=
                net::protocol_name(iv.lo).empty() ? fmt::format("protocol {}", iv.lo) : protocol_word(iv.lo);
        else
            out += fmt::format("protocols {}-{}", iv.lo, iv.hi);
    }
    return out;
}

} // namespace

// "tcp/80,443; udp/53; all other protocols", "tcp/22 from source ports 1024-65535", "icmp".
std::string ServiceSet::to_string() const {
    if (empty())
        return "none";
    if (full())
        return "any";
    std::vector<std::string> parts;
    net::ProtocolSet others;
    const auto& runs = planes_.runs();
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (plane_empty(runs[i].value))
            continue;
        for (unsigned p = runs[i].start; p <= planes_.run_end(i); ++p) {
            const auto protocol = static_cast<std::uint8_t>(p);
            if (!has_ports(protocol)) {
                others.insert(protocol);
                continue;
            }
            const std::string ports = plane_label(runs[i].value);
            parts.push_back(fmt::format("{}/{}", protocol_word(protocol), ports == "*" ? "any" : ports));
        }
    }
    if (!others.empty())
        parts.push_back(other_protocols_label(others, !parts.empty()));
    std::string out;
    for (const std::string& part : parts)
        out += (out.empty() ? "" : "; ") + part;
    return out;
}

std::size_t ServiceSet::hash() const {
    std::size_t h = 0xcbf29ce484222325ULL;
    auto mix = [&h](std::size_t v) { h = (h ^ v) * 0x100000001b3ULL; };
    for (const auto& run : planes_.runs()) {
        mix(run.start);
        for (const auto& port_run : run.value.runs()) {
            mix(port_run.start);
            mix(port_run.value.hash());
        }
    }
    return h;
}

} // namespace ztnet::reach
