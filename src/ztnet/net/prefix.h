// Prefix: a CIDR block (network address + length), as written in address spaces, subnets, routes and NSG
// rules. Always stored normalised (host bits cleared); whether the text had host bits set is kept apart.
#pragma once

#include <cassert>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "ztnet/net/address.h"
#include "ztnet/net/uint128.h"
#include "ztnet/support/result.h"

namespace ztnet::net {

/// The mask of the low `bits` bits of a u128 (0 <= bits <= 128).
constexpr u128 low_bits_mask(int bits) {
    return bits >= 128 ? kU128Max : (u128{1} << bits) - 1;
}

/// A CIDR prefix: 24 bytes, trivially copyable, no heap. Equality, ordering and hashing look at the
/// normalised network and the length only; had_host_bits() is provenance, not part of the value.
class Prefix {
  public:
    /// 0.0.0.0/32: a single address, deliberately not "everything", so a forgotten value matches little.
    constexpr Prefix() = default;

    /// The prefix of `length` bits that contains `address`; host bits are cleared and recorded in
    /// had_host_bits(). Precondition: 0 <= length <= family_width(address.family()) (asserted).
    static constexpr Prefix from(Address address, int length) {
        assert(length >= 0 && length <= family_width(address.family()));
        const int width = family_width(address.family());
        const int clamped = length < 0 ? 0 : (length > width ? width : length);
        const u128 host = low_bits_mask(width - clamped);
        return Prefix(address.family(), address.value() & ~host, clamped, (address.value() & host) != 0);
    }
    /// The single-address prefix of `address` (/32 or /128).
    static constexpr Prefix host(Address address) { return from(address, family_width(address.family())); }

    /// Parses "10.0.0.0/24", "fd00::/8", or a bare address (meaning /32 or /128). Host bits may be set
    /// ("10.0.0.5/24" is 10.0.0.0/24, as Azure accepts in NSG rules); had_host_bits() then reports true.
    /// Rejects lengths beyond the family's width, a missing length after '/', signs, leading zeros and
    /// spaces.
    static Result<Prefix> parse(std::string_view text);
    /// Like parse(), but host bits set is an error (VNet address spaces and subnets require a network).
    static Result<Prefix> parse_strict(std::string_view text);

    /// IPv4 or IPv6.
    constexpr Family family() const { return family_; }
    /// The prefix length in bits (0-32 or 0-128).
    constexpr int length() const { return length_; }
    /// Whether the parsed text (or the address given to from()) had bits set beyond the length.
    constexpr bool had_host_bits() const { return had_host_bits_; }
    /// The network address (host bits cleared), the same as first().
    constexpr Address network() const { return Address::from_value(family_, make_u128(hi_, lo_)); }
    /// The lowest address of the block.
    constexpr Address first() const { return network(); }
    /// The highest address of the block.
    constexpr Address last() const { return Address::from_value(family_, make_u128(hi_, lo_) | host_mask()); }
    /// The host-bit mask: the low (width - length) bits set.
    constexpr u128 host_mask() const { return low_bits_mask(family_width(family_) - length_); }

    /// Whether `address` is inside the block (always false across families).
    constexpr bool contains(Address address) const {
        return address.family() == family_ && (address.value() & ~host_mask()) == make_u128(hi_, lo_);
    }
    /// Whether `other` lies entirely inside this block (same family, at least as long, inside).
    constexpr bool contains(const Prefix& other) const {
        return other.family_ == family_ && other.length_ >= length_ && contains(other.network());
    }
    /// Whether the two blocks share an address (for CIDR blocks: one contains the other).
    constexpr bool overlaps(const Prefix& other) const { return contains(other) || other.contains(*this); }

    /// Normalised text, e.g. "10.0.0.0/24" or "fd00::/8" (always with a length).
    std::string to_string() const;

    /// A hash consistent with ==.
    constexpr std::size_t hash() const {
        return static_cast<std::size_t>(
            hash_mix64(network().hash() ^ (static_cast<std::uint64_t>(length_) * 0x9e3779b97f4a7c15ULL)));
    }

    friend constexpr bool operator==(const Prefix& a, const Prefix& b) {
        return a.family_ == b.family_ && a.length_ == b.length_ && a.hi_ == b.hi_ && a.lo_ == b.lo_;
    }
    /// Ordered by family, then network value, then length (so a block sorts before its sub-blocks).
    friend constexpr std::strong_ordering operator<=>(const Prefix& a, const Prefix& b) {
        if (auto c = a.family_ <=> b.family_; c != 0)
            return c;
        if (auto c = a.hi_ <=> b.hi_; c != 0)
            return c;
        if (auto c = a.lo_ <=> b.lo_; c != 0)
            return c;
        return a.length_ <=> b.length_;
    }

  private:
    constexpr Prefix(Family family, u128 network, int length, bool had_host_bits)
        : family_(family), length_(static_cast<std::uint8_t>(length)), had_host_bits_(had_host_bits),
          hi_(u128_hi(network)), lo_(u128_lo(network)) {}

    Family family_ = Family::V4;
    std::uint8_t length_ = 32;
    bool had_host_bits_ = false;
    std::uint64_t hi_ = 0;
    std::uint64_t lo_ = 0;
};

/// Writes prefix.to_string() (lets GoogleTest print prefixes).
std::ostream& operator<<(std::ostream& out, const Prefix& prefix);

} // namespace ztnet::net

/// Lets Prefix key std::unordered_map and std::unordered_set.
template <>
struct std::hash<ztnet::net::Prefix> {
    std::size_t operator()(const ztnet::net::Prefix& prefix) const noexcept { return prefix.hash(); }
};
