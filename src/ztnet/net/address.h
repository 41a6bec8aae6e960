// Address: one IPv4 or IPv6 address as a 128-bit value plus its family. IPv4 and IPv6 stay distinct
// (::ffff:10.0.0.1 is an IPv6 address, not 10.0.0.1), because Azure rules match each family separately.
#pragma once

#include <cassert>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "ztnet/net/uint128.h"
#include "ztnet/support/result.h"

namespace ztnet::net {

/// The IP version of an address, prefix or range.
enum class Family : std::uint8_t { V4, V6 };

/// Bits in an address of `family`: 32 or 128.
constexpr int family_width(Family family) {
    return family == Family::V4 ? 32 : 128;
}

/// The largest address value of `family` (0xFFFFFFFF or 2^128 - 1).
constexpr u128 family_max(Family family) {
    return family == Family::V4 ? u128{0xFFFFFFFFu} : kU128Max;
}

/// "IPv4" or "IPv6", for messages.
std::string_view family_name(Family family);

/// An IPv4 or IPv6 address: 24 bytes, trivially copyable, no heap. Ordered by family (IPv4 first), then
/// by numeric value; equal only when both family and value are equal.
class Address {
  public:
    /// 0.0.0.0. A plain value default so that structs holding addresses can be default-constructed.
    constexpr Address() = default;

    /// The IPv4 address with this 32-bit value (10.0.0.1 is 0x0A000001).
    static constexpr Address v4(std::uint32_t value) { return Address(Family::V4, value); }
    /// The IPv6 address with this 128-bit value.
    static constexpr Address v6(u128 value) { return Address(Family::V6, value); }
    /// The address of `family` with `value`. Precondition: value <= family_max(family) (asserted).
    static constexpr Address from_value(Family family, u128 value) {
        assert(value <= family_max(family));
        return Address(family, value & family_max(family));
    }

    /// Parses dotted-quad IPv4 ("10.0.0.1": four decimal octets 0-255, no leading zeros since some tools
    /// read "010" as octal) or IPv6 in any RFC 4291 text form ("fd00::1", "::", "::ffff:10.0.0.1").
    /// Rejects zone ids ("fe80::1%eth0"), brackets, surrounding spaces and prefix lengths.
    static Result<Address> parse(std::string_view text);

    /// IPv4 or IPv6.
    constexpr Family family() const { return family_; }
    /// Whether this is an IPv4 address.
    constexpr bool is_v4() const { return family_ == Family::V4; }
    /// Whether this is an IPv6 address.
    constexpr bool is_v6() const { return family_ == Family::V6; }
    /// The numeric value; IPv4 addresses use the low 32 bits only.
    constexpr u128 value() const { return make_u128(hi_, lo_); }

    /// Dotted-quad for IPv4; RFC 5952 canonical text for IPv6 (lowercase, no leading zeros, the longest
    /// run of two or more zero groups as "::", and IPv4-mapped addresses as "::ffff:a.b.c.d").
    std::string to_string() const;

    /// A hash consistent with ==.
    constexpr std::size_t hash() const {
        return static_cast<std::size_t>(hash_mix64(hash_u128(value()) ^ static_cast<std::uint64_t>(family_)));
    }

    friend constexpr bool operator==(const Address&, const Address&) = default;
    friend constexpr auto operator<=>(const Address&, const Address&) = default;

  private:
    constexpr Address(Family family, u128 value)
        : family_(family), hi_(u128_hi(value)), lo_(u128_lo(value)) {}

    // Two 64-bit halves rather than one u128 keep the alignment at 8, so the type is 24 bytes, not 32.
    // Member order (family, hi, lo) is what the defaulted comparisons rely on.
    Family family_ = Family::V4;
    std::uint64_t hi_ = 0;
    std::uint64_t lo_ = 0;
};

/// Writes address.to_string() (lets GoogleTest print addresses).
std::ostream& operator<<(std::ostream& out, const Address& address);

/// Appends the dotted-quad text of a 32-bit IPv4 value to `out` (no allocation beyond `out` growing).
void append_v4_text(std::string& out, std::uint32_t value);

} // namespace ztnet::net

/// Lets Address key std::unordered_map and std::unordered_set.
template <>
struct std::hash<ztnet::net::Address> {
    std::size_t operator()(const ztnet::net::Address& address) const noexcept { return address.hash(); }
};
