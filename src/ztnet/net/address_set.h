// AddressSet: an exact set of IPv4 and IPv6 addresses, one interval set per family. The families never
// mix: an IPv4 set never matches an IPv6 address, and the complement is taken within each family.
#pragma once

#include <compare>
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ztnet/net/address.h"
#include "ztnet/net/address_range.h"
#include "ztnet/net/interval_set.h"
#include "ztnet/net/prefix.h"
#include "ztnet/net/uint128.h"

namespace ztnet::net {

/// A set of addresses of both families, with linear-time set algebra. The IPv4 part only ever holds
/// values 0..0xFFFFFFFF. Equal exactly when both families hold the same addresses.
class AddressSet {
  public:
    /// The empty set.
    AddressSet() = default;

    /// The empty set (named factory).
    static AddressSet none() { return AddressSet(); }
    /// Every IPv4 and every IPv6 address: what a `*` source or destination means.
    static AddressSet any();
    /// Every address of one family (0.0.0.0/0 or ::/0).
    static AddressSet all(Family family);
    /// The one-address set {address}.
    static AddressSet from(Address address);
    /// The addresses of a CIDR block.
    static AddressSet from(const Prefix& prefix);
    /// The addresses of a range.
    static AddressSet from(const AddressRange& range);
    /// The union of many blocks in O(n log n) (for service tags with thousands of prefixes).
    static AddressSet from_prefixes(std::span<const Prefix> prefixes);
    /// The set of both families' values (the IPv4 part must hold values up to 0xFFFFFFFF only).
    static AddressSet of(IntervalSet<u128> v4, IntervalSet<u128> v6) {
        AddressSet out;
        out.v4_ = std::move(v4);
        out.v6_ = std::move(v6);
        return out;
    }

    /// Adds one address in place.
    void insert(Address address);
    /// Adds a CIDR block in place.
    void insert(const Prefix& prefix);
    /// Adds a range in place.
    void insert(const AddressRange& range);

    /// Addresses in this set or in `other`.
    AddressSet unite(const AddressSet& other) const;
    /// Addresses in both sets.
    AddressSet intersect(const AddressSet& other) const;
    /// Addresses in this set but not in `other`.
    AddressSet subtract(const AddressSet& other) const;
    /// Per family: IPv4 addresses not in the set plus IPv6 addresses not in the set.
    AddressSet complement() const;

    /// Whether `address` is in the set (binary search in its family's intervals, no allocation).
    bool contains(Address address) const { return of(address.family()).contains(address.value()); }
    /// Whether every address of `other` is in this set.
    bool contains(const AddressSet& other) const {
        return v4_.contains(other.v4_) && v6_.contains(other.v6_);
    }
    /// Whether the sets share an address.
    bool overlaps(const AddressSet& other) const {
        return v4_.overlaps(other.v4_) || v6_.overlaps(other.v6_);
    }
    /// The lowest address of the set, IPv4 before IPv6; nullopt when empty.
    std::optional<Address> first() const {
        if (!v4_.empty())
            return Address::from_value(Family::V4, v4_.intervals()[0].lo);
        if (!v6_.empty())
            return Address::from_value(Family::V6, v6_.intervals()[0].lo);
        return std::nullopt;
    }
    /// Whether the set holds no address.
    bool empty() const { return v4_.empty() && v6_.empty(); }
    /// Whether the set holds every IPv4 and every IPv6 address.
    bool full() const;

    /// The IPv4 part: values 0..0xFFFFFFFF.
    const IntervalSet<u128>& v4() const { return v4_; }
    /// The IPv6 part.
    const IntervalSet<u128>& v6() const { return v6_; }
    /// The part of one family.
    const IntervalSet<u128>& of(Family family) const { return family == Family::V4 ? v4_ : v6_; }

    /// The fewest CIDR blocks covering exactly the set: IPv4 blocks first, each family ascending.
    std::vector<Prefix> to_prefixes() const;
    /// The blocks of to_prefixes() joined by ", " ("10.0.0.0/24, fd00::/8"), or "(none)" when empty.
    std::string to_string() const;

    /// A hash consistent with ==.
    std::size_t hash() const { return static_cast<std::size_t>(hash_mix64(v4_.hash() ^ (v6_.hash() << 1))); }

    friend bool operator==(const AddressSet&, const AddressSet&) = default;
    /// An arbitrary total order (IPv4 part first), so sets can key ordered maps.
    friend auto operator<=>(const AddressSet&, const AddressSet&) = default;

  private:
    AddressSet(IntervalSet<u128> v4, IntervalSet<u128> v6) : v4_(std::move(v4)), v6_(std::move(v6)) {}
    IntervalSet<u128>& of(Family family) { return family == Family::V4 ? v4_ : v6_; }

    IntervalSet<u128> v4_;
    IntervalSet<u128> v6_;
};

/// Writes set.to_string() (lets GoogleTest print address sets).
std::ostream& operator<<(std::ostream& out, const AddressSet& set);

/// Cuts `whole` into the pieces no set of `sets` splits (each set holds all of a piece or none of
/// it), sorted. Stops cutting once there are more than `max_pieces` (the caller then has too many).
std::vector<AddressSet> cut_into_pieces(const AddressSet& whole, const std::vector<const AddressSet*>& sets,
                                        std::size_t max_pieces = static_cast<std::size_t>(-1));

} // namespace ztnet::net
