// BoxSet: a set of flows kept as pairwise-disjoint boxes (Cartesian products), with a cap on the
// number of boxes. The algorithm is written once here; what a box is comes from an Algebra, so that the same
// splitting runs over interval sets (FlowBox, for anyone) and over bitsets of atoms (AtomBox, for the
// rule analysis's hot loop) and gives the same boxes in the same order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "ztnet/net/flow.h"
#include "ztnet/net/protocol.h"

namespace ztnet::reach {

/// What BoxSet needs of its boxes. An Algebra names the type (`Box`) and provides, as static
/// functions on boxes of one space:
/// - `bool overlap(const Box& a, const Box& b)`: whether the products share a point;
/// - `bool contains(const Box& outer, const Box& inner)`;
/// - `Box intersection(const Box& a, const Box& b)`;
/// - `void split_difference(Box a, const Box& b, BoxSet& into)`: adds a minus b to `into` as
///   disjoint boxes, one dimension at a time in a fixed order (a and b overlap);
/// - for examples, `bool holds_protocol(const Box&, std::uint8_t)`, `std::uint8_t
///   lowest_protocol(const Box&)` and `void lowest_ends(const Box&, net::Flow&)`, which sets the
///   lowest addresses (IPv4 first) and, when the flow's protocol has them, the lowest ports.
template <class Algebra>
class BoxSet {
  public:
    using Box = typename Algebra::Box;

    /// The empty set.
    explicit BoxSet(std::size_t max_boxes) : max_boxes_(max_boxes) {}

    /// Whether the set holds nothing. False for an overflowed set, whose contents are unknown.
    bool empty() const { return !overflowed_ && boxes_.empty(); }
    /// Whether an operation would have exceeded the cap; the set is then unusable.
    bool overflowed() const { return overflowed_; }
    /// The disjoint boxes (empty when overflowed).
    std::span<const Box> boxes() const { return boxes_; }
    std::size_t max_boxes() const { return max_boxes_; }

    /// Adds a box known to be non-empty and disjoint from every stored box, respecting the cap.
    void add(Box box) {
        if (overflowed_)
            return;
        if (boxes_.size() >= max_boxes_) {
            overflow();
            return;
        }
        boxes_.push_back(std::move(box));
    }

    /// Keeps only what is also in `other`.
    void intersect(const BoxSet& other) {
        if (overflowed_)
            return;
        if (other.overflowed_) {
            overflow();
            return;
        }
        std::vector<Box> mine = std::move(boxes_);
        boxes_.clear();
        // Pieces of two disjoint families intersected pairwise are again pairwise disjoint.
        for (const Box& a : mine) {
            for (const Box& b : other.boxes_) {
                if (Algebra::overlap(a, b))
                    add(Algebra::intersection(a, b));
            }
        }
    }

    /// Removes what is in `other`.
    void subtract(const BoxSet& other) {
        if (overflowed_)
            return;
        if (other.overflowed_) {
            overflow();
            return;
        }
        for (const Box& b : other.boxes_) {
            if (std::none_of(boxes_.begin(), boxes_.end(),
                             [&](const Box& a) { return Algebra::overlap(a, b); }))
                continue; // nothing to split: keep the boxes where they are
            std::vector<Box> mine = std::move(boxes_);
            boxes_.clear();
            for (Box& a : mine) {
                if (!Algebra::overlap(a, b))
                    add(std::move(a));
                else if (!Algebra::contains(b, a))
                    Algebra::split_difference(std::move(a), b, *this);
                if (overflowed_)
                    return;
            }
        }
    }

    /// Whether some point is in both sets (no allocation). False when either is overflowed.
    bool overlaps(const BoxSet& other) const {
        if (overflowed_ || other.overflowed_)
            return false;
        for (const Box& a : boxes_) {
            for (const Box& b : other.boxes_) {
                if (Algebra::overlap(a, b))
                    return true;
            }
        }
        return false;
    }

    /// One readable flow of the set: TCP (else UDP) when the set holds any, else the lowest protocol
    /// of the first box; IPv4 before IPv6; the lowest address and port. None when empty or
    /// overflowed.
    std::optional<net::Flow> example() const {
        if (boxes_.empty())
            return std::nullopt;
        const Box* chosen = &boxes_.front();
        std::uint8_t protocol = Algebra::lowest_protocol(*chosen);
        for (net::Protocol preferred : {net::Protocol::Tcp, net::Protocol::Udp}) {
            auto holds = [&](const Box& box) {
                return Algebra::holds_protocol(box, net::protocol_number(preferred));
            };
            auto it = std::find_if(boxes_.begin(), boxes_.end(), holds);
            if (it != boxes_.end()) {
                chosen = &*it;
                protocol = net::protocol_number(preferred);
                break;
            }
        }
        net::Flow flow;
        flow.protocol = protocol;
        Algebra::lowest_ends(*chosen, flow);
        return flow;
    }

  private:
    void overflow() {
        overflowed_ = true;
        boxes_.clear();
        boxes_.shrink_to_fit();
    }

    std::vector<Box> boxes_;
    std::size_t max_boxes_;
    bool overflowed_ = false;
};

} // namespace ztnet::reach
