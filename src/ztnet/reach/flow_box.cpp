#include "ztnet/reach/flow_box.h"

#include <algorithm>
#include <span>
#include <utility>

#include "ztnet/reach/readable.h"

namespace ztnet::reach {

namespace {

constexpr std::uint8_t kTcp = net::protocol_number(net::Protocol::Tcp);
constexpr std::uint8_t kUdp = net::protocol_number(net::Protocol::Udp);

const net::ProtocolSet& ported_protocols() {
    static const net::ProtocolSet kSet = [] {
        net::ProtocolSet out;
        out.insert(kTcp);
        out.insert(kUdp);
        return out;
    }();
    return kSet;
}

// Whether the plain product of the five sets holds no flow.
bool product_empty(const FlowBox& box) {
    return box.protocols.empty() || box.sources.empty() || box.destinations.empty() ||
           box.source_ports.empty() || box.destination_ports.empty();
}

// Rule semantics to plain products: the TCP/UDP part keeps its ports, every other protocol gets all
// ports. Both parts of a normalised box then keep the invariant stated in the header, and products of
// such boxes stay normalised under intersection and difference (a non-TCP/UDP protocol only ever meets
// full port sets).
std::vector<FlowBox> normalise(const FlowBox& box) {
    std::vector<FlowBox> out;
    if (box.source_ports.full() && box.destination_ports.full()) {
        if (!product_empty(box))
            out.push_back(box);
        return out;
    }
    FlowBox ported = box;
    ported.protocols = box.protocols.intersect(ported_protocols());
    if (!product_empty(ported))
        out.push_back(std::move(ported));
    FlowBox portless{box.protocols.subtract(ported_protocols()), box.sources, box.destinations,
                     net::PortSet::all(), net::PortSet::all()};
    if (!product_empty(portless))
        out.push_back(std::move(portless));
    return out;
}

} // namespace

// The short sets first (protocols and ports), the address sets, which may hold thousands of
// intervals, last.
bool FlowBoxAlgebra::overlap(const FlowBox& a, const FlowBox& b) {
    return a.protocols.overlaps(b.protocols) && a.destination_ports.overlaps(b.destination_ports) &&
           a.source_ports.overlaps(b.source_ports) && a.destinations.overlaps(b.destinations) &&
           a.sources.overlaps(b.sources);
}

bool FlowBoxAlgebra::contains(const FlowBox& outer, const FlowBox& inner) {
    return outer.protocols.contains(inner.protocols) && outer.destinations.contains(inner.destinations) &&
           outer.destination_ports.contains(inner.destination_ports) &&
           outer.sources.contains(inner.sources) && outer.source_ports.contains(inner.source_ports);
}

FlowBox FlowBoxAlgebra::intersection(const FlowBox& a, const FlowBox& b) {
    return FlowBox{a.protocols.intersect(b.protocols), a.sources.intersect(b.sources),
                   a.destinations.intersect(b.destinations), a.source_ports.intersect(b.source_ports),
                   a.destination_ports.intersect(b.destination_ports)};
}

// a minus b as disjoint products, one dimension at a time: the piece of `rest` outside b in this
// dimension is kept whole, and `rest` narrows to b in this dimension before the next one.
// Precondition: a and b overlap (otherwise a itself is the answer). `a` is taken by value so that
// a caller done with it can move it in, and a piece is copied from `rest` with its new field
// already in place, so that the field it replaces is never copied.
void FlowBoxAlgebra::split_difference(FlowBox a, const FlowBox& b, BoxSet<FlowBoxAlgebra>& into) {
    FlowBox rest = std::move(a);
    auto step = [&](auto FlowBox::*field) {
        auto outside = (rest.*field).subtract(b.*field);
        auto inside = (rest.*field).intersect(b.*field);
        if (!outside.empty()) {
            rest.*field = std::move(outside);
            into.add(FlowBox(rest));
        }
        rest.*field = std::move(inside);
    };
    step(&FlowBox::protocols);
    step(&FlowBox::destinations);
    step(&FlowBox::destination_ports);
    step(&FlowBox::sources);
    step(&FlowBox::source_ports);
    // What remains of `rest` is the intersection of a and b: dropped.
}

bool FlowBoxAlgebra::holds_protocol(const FlowBox& box, std::uint8_t protocol) {
    return box.protocols.contains(protocol);
}

std::uint8_t FlowBoxAlgebra::lowest_protocol(const FlowBox& box) {
    return box.protocols.intervals().front().lo;
}

namespace {

template <class T>
Intervals intervals_of(std::span<const net::Interval<T>> intervals) {
    Intervals out;
    out.reserve(intervals.size());
    for (const auto& iv : intervals)
        out.emplace_back(iv.lo, iv.hi);
    return out;
}

// An IPv4 address when the set has one, as people read examples (readable.h).
net::Address readable(const net::AddressSet& set) {
    const bool v4 = !set.v4().empty();
    const net::Family family = v4 ? net::Family::V4 : net::Family::V6;
    return net::Address::from_value(family, readable_address(intervals_of(set.of(family).intervals()), v4));
}

} // namespace

void FlowBoxAlgebra::lowest_ends(const FlowBox& box, net::Flow& flow) {
    flow.source = readable(box.sources);
    flow.destination = readable(box.destinations);
    // Flows of protocols without ports carry zeros by convention; such boxes hold every port.
    if (net::protocol_has_ports(flow.protocol)) {
        flow.source_port = readable_source_port(intervals_of(box.source_ports.intervals()));
        flow.destination_port = readable_destination_port(intervals_of(box.destination_ports.intervals()));
    }
}

FlowBox FlowBox::of_rule(const policy::ResolvedRule& rule) {
    return FlowBox{rule.protocols, rule.sources, rule.destinations, rule.source_ports,
                   rule.destination_ports};
}

bool FlowBox::contains(const net::Flow& flow) const {
    return net::box_holds(*this, flow);
}

FlowBoxSet FlowBoxSet::from_box(const FlowBox& box, std::size_t max_boxes) {
    FlowBoxSet out(max_boxes);
    for (FlowBox& part : normalise(box))
        out.set_.add(std::move(part));
    return out;
}

FlowBoxSet FlowBoxSet::from_rule(const policy::ResolvedRule& rule, std::size_t max_boxes) {
    return from_box(FlowBox::of_rule(rule), max_boxes);
}

void FlowBoxSet::intersect(const FlowBox& box) {
    intersect(from_box(box, set_.max_boxes()));
}

void FlowBoxSet::intersect(const FlowBoxSet& other) {
    set_.intersect(other.set_);
}

void FlowBoxSet::subtract(const FlowBox& box) {
    subtract(from_box(box, set_.max_boxes()));
}

void FlowBoxSet::subtract(const FlowBoxSet& other) {
    set_.subtract(other.set_);
}

bool FlowBoxSet::overlaps(const FlowBoxSet& other) const {
    return set_.overlaps(other.set_);
}

bool FlowBoxSet::contains(const net::Flow& flow) const {
    for (const FlowBox& box : boxes()) {
        if (box.contains(flow))
            return true;
    }
    return false;
}

} // namespace ztnet::reach
