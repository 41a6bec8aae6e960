#include "ztnet/reach/flow_box.h"

#include <algorithm>
#include <utility>

namespace ztnet::reach {

namespace {

constexpr std::uint8_t kTcp = net::protocol_number(net::Protocol::Tcp);
constexpr std::uint8_t kUdp = net::protocol_number(net::Protocol::Udp);

const net::ProtocolSet& ported_protocols() {
    static const net::ProtocolSet set = [] {
        net::ProtocolSet out;
        out.insert(kTcp);
        out.insert(kUdp);
        return out;
    }();
    return set;
}

// Whether the plain product of the five sets holds no flow.
bool product_empty(const FlowBox& box) {
    return box.protocols.empty() || box.sources.empty() || box.destinations.empty() ||
           box.source_ports.empty() || box.destination_ports.empty();
}

// The short sets first (protocols and ports), the address sets, which may hold thousands of
// intervals, last.
bool products_overlap(const FlowBox& a, const FlowBox& b) {
    return a.protocols.overlaps(b.protocols) && a.destination_ports.overlaps(b.destination_ports) &&
           a.source_ports.overlaps(b.source_ports) && a.destinations.overlaps(b.destinations) &&
           a.sources.overlaps(b.sources);
}

bool product_contains(const FlowBox& outer, const FlowBox& inner) {
    return outer.protocols.contains(inner.protocols) && outer.destinations.contains(inner.destinations) &&
           outer.destination_ports.contains(inner.destination_ports) &&
           outer.sources.contains(inner.sources) && outer.source_ports.contains(inner.source_ports);
}

FlowBox product_intersection(const FlowBox& a, const FlowBox& b) {
    return FlowBox{a.protocols.intersect(b.protocols), a.sources.intersect(b.sources),
                   a.destinations.intersect(b.destinations), a.source_ports.intersect(b.source_ports),
                   a.destination_ports.intersect(b.destination_ports)};
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

// a minus b as disjoint products, one dimension at a time: the piece of `rest` outside b in this
// dimension is kept whole, and `rest` narrows to b in this dimension before the next one.
// Precondition: a and b overlap (otherwise a itself is the answer). `a` is taken by value so that
// a caller done with it can move it in, and a piece is copied from `rest` with its new field
// already in place, so that the field it replaces is never copied.
template <class Emit>
void split_difference(FlowBox a, const FlowBox& b, Emit emit) {
    FlowBox rest = std::move(a);
    auto step = [&](auto FlowBox::*field) {
        auto outside = (rest.*field).subtract(b.*field);
        auto inside = (rest.*field).intersect(b.*field);
        if (!outside.empty()) {
            rest.*field = std::move(outside);
            emit(FlowBox(rest));
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

net::Address lowest_address(const net::AddressSet& set) {
    if (!set.v4().empty())
        return net::Address::from_value(net::Family::V4, set.v4().intervals().front().lo);
    return net::Address::from_value(net::Family::V6, set.v6().intervals().front().lo);
}

} // namespace

FlowBox FlowBox::of_rule(const policy::ResolvedRule& rule) {
    return FlowBox{rule.protocols, rule.sources, rule.destinations, rule.source_ports,
                   rule.destination_ports};
}

bool FlowBox::contains(const net::Flow& flow) const {
    if (!protocols.contains(flow.protocol) || !sources.contains(flow.source) ||
        !destinations.contains(flow.destination))
        return false;
    if (!net::protocol_has_ports(flow.protocol))
        return true;
    return source_ports.contains(flow.source_port) && destination_ports.contains(flow.destination_port);
}

FlowBoxSet FlowBoxSet::from_box(const FlowBox& box, std::size_t max_boxes) {
    FlowBoxSet out(max_boxes);
    for (FlowBox& part : normalise(box))
        out.add(std::move(part));
    return out;
}

FlowBoxSet FlowBoxSet::from_rule(const policy::ResolvedRule& rule, std::size_t max_boxes) {
    return from_box(FlowBox::of_rule(rule), max_boxes);
}

void FlowBoxSet::add(FlowBox box) {
    if (overflowed_)
        return;
    if (boxes_.size() >= max_boxes_) {
        overflow();
        return;
    }
    boxes_.push_back(std::move(box));
}

void FlowBoxSet::overflow() {
    overflowed_ = true;
    boxes_.clear();
    boxes_.shrink_to_fit();
}

void FlowBoxSet::intersect(const FlowBox& box) {
    intersect(from_box(box, max_boxes_));
}

void FlowBoxSet::intersect(const FlowBoxSet& other) {
    if (overflowed_)
        return;
    if (other.overflowed_) {
        overflow();
        return;
    }
    std::vector<FlowBox> mine = std::move(boxes_);
    boxes_.clear();
    // Pieces of two disjoint families intersected pairwise are again pairwise disjoint.
    for (const FlowBox& a : mine) {
        for (const FlowBox& b : other.boxes_) {
            if (products_overlap(a, b))
                add(product_intersection(a, b));
        }
    }
}

void FlowBoxSet::subtract(const FlowBox& box) {
    subtract(from_box(box, max_boxes_));
}

void FlowBoxSet::subtract(const FlowBoxSet& other) {
    if (overflowed_)
        return;
    if (other.overflowed_) {
        overflow();
        return;
    }
    for (const FlowBox& b : other.boxes_) {
        if (std::none_of(boxes_.begin(), boxes_.end(),
                         [&](const FlowBox& a) { return products_overlap(a, b); }))
            continue; // nothing to split: keep the boxes where they are
        std::vector<FlowBox> mine = std::move(boxes_);
        boxes_.clear();
        for (FlowBox& a : mine) {
            if (!products_overlap(a, b))
                add(std::move(a));
            else if (!product_contains(b, a))
                split_difference(std::move(a), b, [this](FlowBox piece) { add(std::move(piece)); });
            if (overflowed_)
                return;
        }
    }
}

bool FlowBoxSet::overlaps(const FlowBoxSet& other) const {
    if (overflowed_ || other.overflowed_)
        return false;
    for (const FlowBox& a : boxes_) {
        for (const FlowBox& b : other.boxes_) {
            if (products_overlap(a, b))
                return true;
        }
    }
    return false;
}

bool FlowBoxSet::contains(const net::Flow& flow) const {
    if (overflowed_)
        return false;
    for (const FlowBox& box : boxes_) {
        if (box.contains(flow))
            return true;
    }
    return false;
}

std::optional<net::Flow> FlowBoxSet::example() const {
    if (overflowed_ || boxes_.empty())
        return std::nullopt;
    const FlowBox* chosen = &boxes_.front();
    std::uint8_t protocol = chosen->protocols.intervals().front().lo;
    bool found_ported = false;
    for (std::uint8_t preferred : {kTcp, kUdp}) {
        for (const FlowBox& box : boxes_) {
            if (box.protocols.contains(preferred)) {
                chosen = &box;
                protocol = preferred;
                found_ported = true;
                break;
            }
        }
        if (found_ported)
            break;
    }
    net::Flow flow;
    flow.protocol = protocol;
    flow.source = lowest_address(chosen->sources);
    flow.destination = lowest_address(chosen->destinations);
    // Flows of protocols without ports carry zeros by convention; such boxes hold every port.
    if (net::protocol_has_ports(protocol)) {
        flow.source_port = chosen->source_ports.intervals().front().lo;
        flow.destination_port = chosen->destination_ports.intervals().front().lo;
    }
    return flow;
}

} // namespace ztnet::reach
