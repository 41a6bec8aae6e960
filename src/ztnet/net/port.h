// Ports: a PortRange is one Azure port value ("*", "80", "1024-65535"); a PortSet is any set of ports,
// what a rule's singular or plural port field denotes once parsed.
#pragma once

#include <cassert>
#include <compare>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include "ztnet/net/interval_set.h"
#include "ztnet/support/result.h"

namespace ztnet::net {

/// A set of TCP/UDP ports 0-65535.
using PortSet = IntervalSet<std::uint16_t>;

/// Ports lo..hi inclusive, lo <= hi. 4 bytes, trivially copyable.
class PortRange {
  public:
    /// Port 0 alone (a value default for containers; deliberately not "any").
    constexpr PortRange() = default;

    /// Every port, 0-65535 (what "*" means).
    static constexpr PortRange any() { return PortRange(0, 65535); }
    /// The one-port range {port}.
    static constexpr PortRange single(std::uint16_t port) { return PortRange(port, port); }
    /// Ports lo..hi. Precondition lo <= hi (asserted; parse() reports it as an error instead).
    static constexpr PortRange between(std::uint16_t lo, std::uint16_t hi) {
        assert(lo <= hi);
        return lo <= hi ? PortRange(lo, hi) : PortRange(hi, lo);
    }
    /// Parses one Azure port value: "*", a port "80", or a range "1024-65535" with start <= end.
    /// Rejects empty text, spaces, signs, lists ("80,443") and numbers above 65535. Leading zeros are
    /// accepted ("080" is 80: ports are always decimal, so there is no ambiguity).
    static Result<PortRange> parse(std::string_view text);

    /// The lowest port.
    constexpr std::uint16_t lo() const { return lo_; }
    /// The highest port.
    constexpr std::uint16_t hi() const { return hi_; }
    /// Whether the range is 0-65535.
    constexpr bool full() const { return lo_ == 0 && hi_ == 65535; }
    /// Whether `port` is in the range.
    constexpr bool contains(std::uint16_t port) const { return lo_ <= port && port <= hi_; }
    /// Whether `other` lies inside this range.
    constexpr bool contains(const PortRange& other) const { return lo_ <= other.lo_ && other.hi_ <= hi_; }
    /// Number of ports, 1-65536.
    constexpr std::uint32_t size() const { return std::uint32_t{hi_} - lo_ + 1; }
    /// The same ports as a PortSet.
    PortSet to_set() const { return PortSet::range(lo_, hi_); }
    /// "*" for 0-65535, "80" for one port, "1024-65535" otherwise (the Azure spelling; parse() reads it
    /// back).
    std::string to_string() const;

    friend constexpr bool operator==(const PortRange&, const PortRange&) = default;
    friend constexpr auto operator<=>(const PortRange&, const PortRange&) = default;

  private:
    constexpr PortRange(std::uint16_t lo, std::uint16_t hi) : lo_(lo), hi_(hi) {}

    std::uint16_t lo_ = 0;
    std::uint16_t hi_ = 0;
};

/// Parses one Azure port value (the singular field, e.g. destinationPortRange) into a set; same grammar
/// as PortRange::parse.
Result<PortSet> parse_port_spec(std::string_view text);

/// Parses the plural field (e.g. destinationPortRanges): the union of its entries, where an entry may
/// itself hold comma-separated values as the portal writes them ("80,443"). An empty list is an error,
/// as is an empty item ("80,,443"); spaces are not allowed anywhere.
Result<PortSet> parse_port_list(std::span<const std::string_view> entries);

/// "*" for every port, "(none)" for no port, else the ranges joined by commas ("22,80,1024-65535"),
/// which parse_port_list reads back as one entry.
std::string port_set_to_string(const PortSet& set);

/// Writes range.to_string() (lets GoogleTest print port ranges).
std::ostream& operator<<(std::ostream& out, const PortRange& range);

} // namespace ztnet::net
