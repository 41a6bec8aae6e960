#include "ztnet/net/address_set.h"

#include <algorithm>
#include <ostream>
#include <utility>

namespace ztnet::net {

namespace {

const IntervalSet<u128>& all_v4_values() {
    static const IntervalSet<u128> kAll = IntervalSet<u128>::range(0, family_max(Family::V4));
    return kAll;
}

} // namespace

AddressSet AddressSet::any() {
    return AddressSet(all_v4_values(), IntervalSet<u128>::all());
}

AddressSet AddressSet::all(Family family) {
    AddressSet set;
    set.of(family) = IntervalSet<u128>::range(0, family_max(family));
    return set;
}

AddressSet AddressSet::from(Address address) {
    AddressSet set;
    set.insert(address);
    return set;
}

AddressSet AddressSet::from(const Prefix& prefix) {
    AddressSet set;
    set.insert(prefix);
    return set;
}

AddressSet AddressSet::from(const AddressRange& range) {
    AddressSet set;
    set.insert(range);
    return set;
}

AddressSet AddressSet::from_prefixes(std::span<const Prefix> prefixes) {
    std::vector<Interval<u128>> v4;
    std::vector<Interval<u128>> v6;
    for (const Prefix& prefix : prefixes) {
        Interval<u128> interval{prefix.first().value(), prefix.last().value()};
        (prefix.family() == Family::V4 ? v4 : v6).push_back(interval);
    }
    return AddressSet(IntervalSet<u128>::from_intervals(std::move(v4)),
                      IntervalSet<u128>::from_intervals(std::move(v6)));
}

void AddressSet::insert(Address address) {
    of(address.family()).insert(address.value());
}

void AddressSet::insert(const Prefix& prefix) {
    of(prefix.family()).insert(prefix.first().value(), prefix.last().value());
}

void AddressSet::insert(const AddressRange& range) {
    of(range.family()).insert(range.first().value(), range.last().value());
}

AddressSet AddressSet::unite(const AddressSet& other) const {
    return AddressSet(v4_.unite(other.v4_), v6_.unite(other.v6_));
}

AddressSet AddressSet::intersect(const AddressSet& other) const {
    return AddressSet(v4_.intersect(other.v4_), v6_.intersect(other.v6_));
}

AddressSet AddressSet::subtract(const AddressSet& other) const {
    return AddressSet(v4_.subtract(other.v4_), v6_.subtract(other.v6_));
}

AddressSet AddressSet::complement() const {
    // The IPv4 complement is taken within 0..0xFFFFFFFF, never the whole u128 domain.
    return AddressSet(all_v4_values().subtract(v4_), v6_.complement());
}

bool AddressSet::full() const {
    return v4_ == all_v4_values() && v6_.full();
}

std::vector<Prefix> AddressSet::to_prefixes() const {
    std::vector<Prefix> out;
    for (const Interval<u128>& iv : v4_.intervals())
        append_cidr_blocks(Family::V4, iv.lo, iv.hi, out);
    for (const Interval<u128>& iv : v6_.intervals())
        append_cidr_blocks(Family::V6, iv.lo, iv.hi, out);
    return out;
}

std::vector<AddressSet> cut_into_pieces(const AddressSet& whole, const std::vector<const AddressSet*>& sets,
                                        std::size_t max_pieces) {
    std::vector<AddressSet> pieces{whole};
    for (const AddressSet* set : sets) {
        if (pieces.size() > max_pieces)
            break;
        if (!set->overlaps(whole) || set->contains(whole))
            continue;
        std::vector<AddressSet> next;
        next.reserve(pieces.size() + 1);
        for (AddressSet& piece : pieces) {
            AddressSet inside = piece.intersect(*set);
            if (inside.empty() || inside == piece) {
                next.push_back(std::move(piece));
                continue;
            }
            next.push_back(piece.subtract(inside));
            next.push_back(std::move(inside));
        }
        pieces = std::move(next);
    }
    std::sort(pieces.begin(), pieces.end());
    return pieces;
}

std::string AddressSet::to_string() const {
    if (empty())
        return "(none)";
    std::string out;
    for (const Prefix& prefix : to_prefixes()) {
        if (!out.empty())
            out += ", ";
        out += prefix.to_string();
    }
    return out;
}

std::ostream& operator<<(std::ostream& out, const AddressSet& set) {
    return out << set.to_string();
}

} // namespace ztnet::net
