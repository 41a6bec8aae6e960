#include "ztnet/reach/atom_box.h"

#include <algorithm>
#include <bit>
#include <unordered_map>
#include <utility>

#include "ztnet/reach/readable.h"

namespace ztnet::reach {

namespace {

constexpr std::uint8_t kTcp = net::protocol_number(net::Protocol::Tcp);
constexpr std::uint8_t kUdp = net::protocol_number(net::Protocol::Udp);

using Words = std::vector<std::uint64_t>;

struct WordsHash {
    std::size_t operator()(const Words& words) const {
        std::uint64_t h = words.size();
        for (std::uint64_t w : words)
            h = net::hash_mix64(h ^ w);
        return static_cast<std::size_t>(h);
    }
};

bool test(const Words& words, std::size_t bit) {
    return (words[bit / 64] >> (bit % 64)) & 1;
}

void set(std::uint64_t* words, std::size_t bit) {
    words[bit / 64] |= std::uint64_t{1} << (bit % 64);
}

bool any(const std::uint64_t* words, std::size_t first, std::size_t end) {
    for (std::size_t i = first; i < end; ++i) {
        if (words[i] != 0)
            return true;
    }
    return false;
}

// The atoms a dimension's bitset holds, lowest index first.
template <class Visit>
void for_each_atom(const AtomBox& box, std::size_t first, std::size_t end, Visit visit) {
    for (std::size_t i = first; i < end; ++i) {
        for (std::uint64_t w = box.words[i]; w != 0; w &= w - 1)
            visit((i - first) * 64 + static_cast<std::size_t>(std::countr_zero(w)));
    }
}

} // namespace

// ---- the algebra ----

bool AtomBoxAlgebra::overlap(const AtomBox& a, const AtomBox& b) {
    const AtomSpace& space = *a.space;
    for (int d = 0; d < AtomSpace::kDimensions; ++d) {
        const auto dim = static_cast<AtomSpace::Dimension>(d);
        bool shared = false;
        for (std::size_t i = space.first_word(dim); i < space.end_word(dim) && !shared; ++i)
            shared = (a.words[i] & b.words[i]) != 0;
        if (!shared)
            return false;
    }
    return true;
}

bool AtomBoxAlgebra::contains(const AtomBox& outer, const AtomBox& inner) {
    for (std::size_t i = 0; i < inner.words.size(); ++i) {
        if ((inner.words[i] & ~outer.words[i]) != 0)
            return false;
    }
    return true;
}

AtomBox AtomBoxAlgebra::intersection(const AtomBox& a, const AtomBox& b) {
    AtomBox out = a;
    for (std::size_t i = 0; i < out.words.size(); ++i)
        out.words[i] &= b.words[i];
    return out;
}

// As FlowBoxAlgebra::split_difference, dimension by dimension in the same order.
void AtomBoxAlgebra::split_difference(AtomBox a, const AtomBox& b, BoxSet<AtomBoxAlgebra>& into) {
    const AtomSpace& space = *a.space;
    AtomBox rest = std::move(a);
    for (int d = 0; d < AtomSpace::kDimensions; ++d) {
        const auto dim = static_cast<AtomSpace::Dimension>(d);
        const std::size_t first = space.first_word(dim);
        const std::size_t end = space.end_word(dim);
        bool outside = false;
        for (std::size_t i = first; i < end && !outside; ++i)
            outside = (rest.words[i] & ~b.words[i]) != 0;
        if (outside) {
            AtomBox piece = rest;
            for (std::size_t i = first; i < end; ++i)
                piece.words[i] &= ~b.words[i];
            into.add(std::move(piece));
        }
        for (std::size_t i = first; i < end; ++i)
            rest.words[i] &= b.words[i];
    }
}

// ---- the space ----

template <class T>
void AtomSpace::partition(Dimension d, std::span<const net::IntervalSet<T>* const> fields, T last,
                          net::Family family, std::vector<std::vector<std::uint32_t>>& members) {
    // Each field toggles its bit where one of its intervals starts and just past where it ends
    // (intervals of a set are disjoint), so a sweep over the sorted bounds knows every field that
    // holds the values between two bounds.
    std::vector<std::pair<T, std::uint32_t>> bounds;
    for (std::uint32_t f = 0; f < fields.size(); ++f) {
        for (const auto& iv : fields[f]->intervals()) {
            bounds.emplace_back(iv.lo, f);
            if (iv.hi != last)
                bounds.emplace_back(static_cast<T>(iv.hi + 1), f);
        }
    }
    std::sort(bounds.begin(), bounds.end());
    Dim& dim = dimensions_[d];
    std::unordered_map<Words, std::uint32_t, WordsHash> atom_of; // by the fields holding it
    Words holding((fields.size() + 63) / 64, 0);
    auto close = [&](T lo, T hi) {
        auto [it, fresh] = atom_of.try_emplace(holding, static_cast<std::uint32_t>(dim.atoms.size()));
        if (fresh) {
            dim.atoms.push_back({family, lo, {}});
            for (std::uint32_t f = 0; f < fields.size(); ++f) {
                if (test(holding, f))
                    members[f].push_back(it->second);
            }
        }
        dim.atoms[it->second].intervals.emplace_back(lo, hi);
    };
    T start = 0;
    for (std::size_t k = 0; k < bounds.size();) {
        const T at = bounds[k].first;
        if (at > start)
            close(start, static_cast<T>(at - 1));
        for (; k < bounds.size() && bounds[k].first == at; ++k)
            holding[bounds[k].second / 64] ^= std::uint64_t{1} << (bounds[k].second % 64);
        start = at;
    }
    close(start, last);
}

AtomSpace::AtomSpace(std::span<const policy::ResolvedRule> rules) {
    const std::size_t n = rules.size();
    // Per dimension and field, the atoms the field holds; the protocol dimension has one more
    // field, TCP and UDP, so that the ported part of a rule is a union of atoms too.
    std::array<std::vector<std::vector<std::uint32_t>>, kDimensions> members;
    for (auto& m : members)
        m.resize(n);
    members[Protocol].resize(n + 1);

    net::ProtocolSet ported;
    ported.insert(kTcp);
    ported.insert(kUdp);
    std::vector<const net::ProtocolSet*> protocols;
    std::vector<const net::PortSet*> destination_ports, source_ports;
    std::vector<const net::IntervalSet<net::u128>*> v4[2], v6[2]; // [0] destinations, [1] sources
    for (const policy::ResolvedRule& rule : rules) {
        protocols.push_back(&rule.protocols);
        destination_ports.push_back(&rule.destination_ports);
        source_ports.push_back(&rule.source_ports);
        v4[0].push_back(&rule.destinations.v4());
        v6[0].push_back(&rule.destinations.v6());
        v4[1].push_back(&rule.sources.v4());
        v6[1].push_back(&rule.sources.v6());
        ports_full_.push_back(rule.source_ports.full() && rule.destination_ports.full());
    }
    protocols.push_back(&ported);
    partition<std::uint8_t>(Protocol, protocols, 255, net::Family::V4, members[Protocol]);
    partition<std::uint16_t>(DestinationPort, destination_ports, 65535, net::Family::V4,
                             members[DestinationPort]);
    partition<std::uint16_t>(SourcePort, source_ports, 65535, net::Family::V4, members[SourcePort]);
    for (int side = 0; side < 2; ++side) {
        const Dimension d = side == 0 ? Destination : Source;
        partition<net::u128>(d, v4[side], 0xFFFFFFFFu, net::Family::V4, members[d]);
        partition<net::u128>(d, v6[side], ~net::u128{0}, net::Family::V6, members[d]);
    }
    lay_out();

    auto box_of = [&](std::size_t field) {
        AtomBox box{this, Words(word_count_, 0)};
        for (int d = 0; d < kDimensions; ++d) {
            for (std::uint32_t atom : members[d][field])
                set(box.words.data() + dimensions_[d].first_word, atom);
        }
        return box;
    };
    for (std::size_t r = 0; r < n; ++r)
        rule_boxes_.push_back(box_of(r));
    // TCP and UDP, and every atom of the other dimensions.
    ported_ = AtomBox{this, Words(word_count_, 0)};
    for (int d = 0; d < kDimensions; ++d) {
        for (std::size_t a = 0; a < dimensions_[d].atoms.size(); ++a) {
            if (d != Protocol)
                set(ported_.words.data() + dimensions_[d].first_word, a);
        }
    }
    for (std::uint32_t atom : members[Protocol][n])
        set(ported_.words.data() + dimensions_[Protocol].first_word, atom);
    for (std::size_t k = 0; k < 2; ++k) {
        const std::uint8_t protocol = k == 0 ? kTcp : kUdp;
        const auto& atoms = dimensions_[Protocol].atoms;
        for (std::uint32_t a = 0; a < atoms.size(); ++a) {
            for (const auto& [lo, hi] : atoms[a].intervals) {
                if (lo <= protocol && protocol <= hi)
                    ported_atoms_[k] = a;
            }
        }
    }
}

void AtomSpace::lay_out() {
    word_count_ = 0;
    for (Dim& dim : dimensions_) {
        dim.first_word = word_count_;
        dim.words = (dim.atoms.size() + 63) / 64;
        word_count_ += dim.words;
    }
}

AtomBoxSet AtomSpace::rule_flows(std::size_t index, std::size_t max_boxes) const {
    // As FlowBoxSet::from_box normalises: a rule with port conditions splits into its TCP and UDP
    // part, ports kept, and the rest of its protocols with every port.
    AtomBoxSet out(max_boxes);
    const AtomBox& rule = rule_boxes_[index];
    auto add_if_not_empty = [&](AtomBox box) {
        for (int d = 0; d < kDimensions; ++d) {
            if (!any(box.words.data(), dimensions_[d].first_word,
                     dimensions_[d].first_word + dimensions_[d].words))
                return;
        }
        out.add(std::move(box));
    };
    if (ports_full_[index]) {
        add_if_not_empty(rule);
        return out;
    }
    AtomBox with_ports = rule;
    AtomBox without_ports = rule;
    for (std::size_t i = first_word(Protocol); i < end_word(Protocol); ++i) {
        with_ports.words[i] &= ported_.words[i];
        without_ports.words[i] &= ~ported_.words[i];
    }
    for (Dimension d : {DestinationPort, SourcePort}) {
        for (std::size_t i = first_word(d); i < end_word(d); ++i)
            without_ports.words[i] = ported_.words[i]; // every atom
    }
    add_if_not_empty(std::move(with_ports));
    add_if_not_empty(std::move(without_ports));
    return out;
}

namespace {

template <class T>
net::IntervalSet<T> values_of(const std::vector<const std::vector<std::pair<net::u128, net::u128>>*>& atoms) {
    std::vector<net::Interval<T>> intervals;
    for (const auto* held : atoms) {
        for (const auto& [lo, hi] : *held)
            intervals.push_back({static_cast<T>(lo), static_cast<T>(hi)});
    }
    return net::IntervalSet<T>::from_intervals(std::move(intervals));
}

} // namespace

FlowBox AtomSpace::to_flow_box(const AtomBox& box) const {
    auto held = [&](Dimension d, std::optional<net::Family> family) {
        std::vector<const std::vector<std::pair<net::u128, net::u128>>*> out;
        for_each_atom(box, first_word(d), end_word(d), [&](std::size_t a) {
            const Atom& atom = dimensions_[d].atoms[a];
            if (!family || atom.family == *family)
                out.push_back(&atom.intervals);
        });
        return out;
    };
    auto addresses = [&](Dimension d) {
        return net::AddressSet::of(values_of<net::u128>(held(d, net::Family::V4)),
                                   values_of<net::u128>(held(d, net::Family::V6)));
    };
    return FlowBox{values_of<std::uint8_t>(held(Protocol, std::nullopt)), addresses(Source),
                   addresses(Destination), values_of<std::uint16_t>(held(SourcePort, std::nullopt)),
                   values_of<std::uint16_t>(held(DestinationPort, std::nullopt))};
}

net::u128 AtomSpace::lowest_value(const AtomBox& box, Dimension d) const {
    net::u128 lowest = ~net::u128{0};
    for_each_atom(box, first_word(d), end_word(d),
                  [&](std::size_t a) { lowest = std::min(lowest, dimensions_[d].atoms[a].lowest); });
    return lowest;
}

net::Address AtomSpace::lowest_address(const AtomBox& box, Dimension d) const {
    std::optional<net::u128> v4, v6;
    for_each_atom(box, first_word(d), end_word(d), [&](std::size_t a) {
        const Atom& atom = dimensions_[d].atoms[a];
        std::optional<net::u128>& lowest = atom.family == net::Family::V4 ? v4 : v6;
        lowest = lowest ? std::min(*lowest, atom.lowest) : atom.lowest;
    });
    return v4 ? net::Address::from_value(net::Family::V4, *v4)
              : net::Address::from_value(net::Family::V6, *v6);
}

Intervals AtomSpace::intervals(const AtomBox& box, Dimension d, std::optional<net::Family> family) const {
    Intervals out;
    for_each_atom(box, first_word(d), end_word(d), [&](std::size_t a) {
        const Atom& atom = dimensions_[d].atoms[a];
        if (!family || atom.family == *family)
            out.insert(out.end(), atom.intervals.begin(), atom.intervals.end());
    });
    std::sort(out.begin(), out.end());
    // Adjacent atoms make one interval, as the same set held as intervals has it.
    Intervals merged;
    for (const auto& iv : out) {
        if (!merged.empty() && merged.back().second != ~net::u128{0} && iv.first <= merged.back().second + 1)
            merged.back().second = std::max(merged.back().second, iv.second);
        else
            merged.push_back(iv);
    }
    return merged;
}

net::Address AtomSpace::readable_address(const AtomBox& box, Dimension d) const {
    Intervals v4 = intervals(box, d, net::Family::V4);
    if (!v4.empty())
        return net::Address::from_value(net::Family::V4, reach::readable_address(v4, true));
    return net::Address::from_value(net::Family::V6,
                                    reach::readable_address(intervals(box, d, net::Family::V6), false));
}

bool AtomSpace::holds_protocol(const AtomBox& box, std::uint8_t protocol) const {
    const std::uint32_t atom = ported_atoms_[protocol == kTcp ? 0 : 1];
    return test(box.words, first_word(Protocol) * 64 + atom);
}

std::uint8_t AtomBoxAlgebra::lowest_protocol(const AtomBox& box) {
    return static_cast<std::uint8_t>(box.space->lowest_value(box, AtomSpace::Protocol));
}

bool AtomBoxAlgebra::holds_protocol(const AtomBox& box, std::uint8_t protocol) {
    return box.space->holds_protocol(box, protocol);
}

void AtomBoxAlgebra::lowest_ends(const AtomBox& box, net::Flow& flow) {
    const AtomSpace& space = *box.space;
    flow.source = space.readable_address(box, AtomSpace::Source);
    flow.destination = space.readable_address(box, AtomSpace::Destination);
    if (net::protocol_has_ports(flow.protocol)) {
        flow.source_port = readable_source_port(space.intervals(box, AtomSpace::SourcePort, std::nullopt));
        flow.destination_port =
            readable_destination_port(space.intervals(box, AtomSpace::DestinationPort, std::nullopt));
    }
}

} // namespace ztnet::reach
