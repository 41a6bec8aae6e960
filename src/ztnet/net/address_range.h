// AddressRange: a contiguous run of addresses first..last of one family, the general form of a block
// (Azure Firewall IP groups accept "10.0.0.1-10.0.0.9"), plus the minimal CIDR decomposition of a range.
#pragma once

#include <compare>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/net/address.h"
#include "ztnet/net/prefix.h"
#include "ztnet/net/uint128.h"
#include "ztnet/support/result.h"

namespace ztnet::net {

/// Addresses first..last inclusive, both of one family, first <= last. Trivially copyable, no heap.
class AddressRange {
  public:
    /// The one-address range 0.0.0.0-0.0.0.0.
    constexpr AddressRange() = default;

    /// The range first..last; fails when the families differ or first > last.
    static Result<AddressRange> make(Address first, Address last);
    /// Parses "10.0.0.1-10.0.0.9" or "fd00::1-fd00::ff" (no spaces), or a single address.
    static Result<AddressRange> parse(std::string_view text);
    /// The one-address range {address}.
    static constexpr AddressRange from(Address address) { return AddressRange(address, address); }
    /// The addresses of a CIDR block.
    static constexpr AddressRange from(const Prefix& prefix) {
        return AddressRange(prefix.first(), prefix.last());
    }

    /// IPv4 or IPv6.
    constexpr Family family() const { return first_.family(); }
    /// The lowest address.
    constexpr Address first() const { return first_; }
    /// The highest address.
    constexpr Address last() const { return last_; }

    /// Whether `address` is in the range (always false across families).
    constexpr bool contains(Address address) const {
        return address.family() == family() && first_.value() <= address.value() &&
               address.value() <= last_.value();
    }
    /// Whether `other` lies entirely inside this range.
    constexpr bool contains(const AddressRange& other) const {
        return contains(other.first_) && contains(other.last_);
    }
    /// Number of addresses; the whole IPv6 space (2^128) saturates to 2^128 - 1.
    constexpr u128 size() const {
        const u128 span = last_.value() - first_.value();
        return span == kU128Max ? span : span + 1;
    }

    /// The fewest CIDR blocks that cover exactly this range, in ascending order.
    std::vector<Prefix> to_prefixes() const;
    /// "10.0.0.1-10.0.0.9", or just "10.0.0.1" for a one-address range.
    std::string to_string() const;

    friend constexpr bool operator==(const AddressRange&, const AddressRange&) = default;
    friend constexpr auto operator<=>(const AddressRange&, const AddressRange&) = default;

  private:
    constexpr AddressRange(Address first, Address last) : first_(first), last_(last) {}

    Address first_;
    Address last_;
};

/// Appends the minimal CIDR decomposition of the values first..last of `family` to `out`, in ascending
/// order (10.0.0.1-10.0.0.6 gives 10.0.0.1/32, 10.0.0.2/31, 10.0.0.4/31, 10.0.0.6/32).
/// Precondition: first <= last <= family_max(family) (asserted).
void append_cidr_blocks(Family family, u128 first, u128 last, std::vector<Prefix>& out);

/// Writes range.to_string() (lets GoogleTest print ranges).
std::ostream& operator<<(std::ostream& out, const AddressRange& range);

} // namespace ztnet::net
