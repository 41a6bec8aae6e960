// Flow boxes over atoms, for questions about one list of rules. In each of the five dimensions the
// values that no rule tells apart form an atom, so every rule field is a union of atoms and a box is
// five small bitsets. Intersections and differences become word operations instead of interval-set
// arithmetic, and give exactly the boxes FlowBoxSet gives, in the same order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ztnet/net/flow.h"
#include "ztnet/net/uint128.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/box_set.h"
#include "ztnet/reach/flow_box.h"
#include "ztnet/reach/readable.h"

namespace ztnet::reach {

class AtomSpace;

/// A product of atoms: per dimension, a bitset of the atoms it holds, the five bitsets one after the
/// other in one word array laid out by its space.
struct AtomBox {
    const AtomSpace* space = nullptr;
    std::vector<std::uint64_t> words;
};

/// The box operations over atoms (see BoxSet). Both boxes belong to one space.
struct AtomBoxAlgebra {
    using Box = AtomBox;
    static bool overlap(const AtomBox& a, const AtomBox& b);
    static bool contains(const AtomBox& outer, const AtomBox& inner);
    static AtomBox intersection(const AtomBox& a, const AtomBox& b);
    static void split_difference(AtomBox a, const AtomBox& b, BoxSet<AtomBoxAlgebra>& into);
    static bool holds_protocol(const AtomBox& box, std::uint8_t protocol);
    static std::uint8_t lowest_protocol(const AtomBox& box);
    static void lowest_ends(const AtomBox& box, net::Flow& flow);
};

/// A set of flows as disjoint atom boxes, with FlowBoxSet's semantics and cap.
class AtomBoxSet : public BoxSet<AtomBoxAlgebra> {
  public:
    explicit AtomBoxSet(std::size_t max_boxes = FlowBoxSet::kDefaultMaxBoxes) : BoxSet(max_boxes) {}
};

/// The atoms of one list of rules.
class AtomSpace {
  public:
    /// The dimensions in the order differences split them, which is also their order in a box.
    enum Dimension : std::uint8_t { Protocol, Destination, DestinationPort, Source, SourcePort, kDimensions };

    explicit AtomSpace(std::span<const policy::ResolvedRule> rules);
    AtomSpace(const AtomSpace&) = delete; // boxes point at their space
    AtomSpace& operator=(const AtomSpace&) = delete;

    /// The flows rule `index` of the list matches, normalised as FlowBoxSet::from_rule does.
    AtomBoxSet rule_flows(std::size_t index, std::size_t max_boxes = FlowBoxSet::kDefaultMaxBoxes) const;

    /// The same box over interval sets.
    FlowBox to_flow_box(const AtomBox& box) const;

    /// How many atoms a dimension has.
    std::size_t atom_count(Dimension d) const { return dimensions_[d].atoms.size(); }

    // ---- for the algebra and examples ----
    std::size_t word_count() const { return word_count_; }
    std::size_t first_word(Dimension d) const { return dimensions_[d].first_word; }
    std::size_t end_word(Dimension d) const { return dimensions_[d].first_word + dimensions_[d].words; }
    /// The lowest protocol or port the box holds in `d` (which must not be empty).
    net::u128 lowest_value(const AtomBox& box, Dimension d) const;
    /// The lowest address the box holds in `d`, IPv4 before IPv6.
    net::Address lowest_address(const AtomBox& box, Dimension d) const;
    /// A readable address of the box's atoms in `d` (readable.h), IPv4 before IPv6.
    net::Address readable_address(const AtomBox& box, Dimension d) const;
    /// The values the box's atoms in `d` hold (of one family, or all), ascending.
    Intervals intervals(const AtomBox& box, Dimension d, std::optional<net::Family> family) const;
    /// Whether the box holds `protocol`, TCP or UDP (the protocols whose atoms are known).
    bool holds_protocol(const AtomBox& box, std::uint8_t protocol) const;

  private:
    struct Atom {
        net::Family family = net::Family::V4; // addresses only
        net::u128 lowest = 0;
        std::vector<std::pair<net::u128, net::u128>> intervals; // what it holds, ascending
    };
    struct Dim {
        std::vector<Atom> atoms;
        std::size_t first_word = 0;
        std::size_t words = 0;
    };
    // Cuts dimension d of one family, values 0 to `last`, into atoms; members[f] gets the atoms
    // field f holds.
    template <class T>
    void partition(Dimension d, std::span<const net::IntervalSet<T>* const> fields, T last,
                   net::Family family, std::vector<std::vector<std::uint32_t>>& members);
    void lay_out();

    std::array<Dim, kDimensions> dimensions_;
    std::size_t word_count_ = 0;
    std::vector<AtomBox> rule_boxes_;             // each rule's five fields, as they are
    AtomBox ported_;                              // TCP and UDP with every atom of the other dimensions
    std::vector<bool> ports_full_;                // per rule: both port sets full
    std::array<std::uint32_t, 2> ported_atoms_{}; // the atoms of TCP and of UDP
};

} // namespace ztnet::reach
