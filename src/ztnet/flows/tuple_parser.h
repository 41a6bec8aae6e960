// The flow tuple scanner: one comma-separated tuple string to a FlowTuple, in one pass over its
// bytes, without allocating. The fields, their order and their ranges are in docs/flows.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ztnet/flows/flow_tuple.h"

namespace ztnet::flows {

/// Why a tuple was rejected.
enum class TupleError : std::uint8_t {
    None,
    TooLong,    ///< longer than kMaxTupleBytes
    FieldCount, ///< fewer or more fields than the format has
    Time,       ///< not a decimal time, or past 9999-12-31
    Address,    ///< not an IPv4 or IPv6 address
    Port,       ///< not a decimal number from 0 to 65535
    Protocol,   ///< VNet: not a number from 0 to 255; NSG: not T or U
    Direction,  ///< not I or O
    Decision,   ///< NSG: not A or D
    State,      ///< not B, C or E (NSG version 2), or B, C, E or D (VNet)
    Encryption, ///< empty, or not made of capital letters, digits and underscores
    Counter,    ///< not a decimal number of at most 19 digits, or some empty and some not
};

/// What parse_tuple found wrong, and in which field (0-based, in the format's order; for FieldCount,
/// the last field the text and the format both have).
struct TupleProblem {
    TupleError error = TupleError::None;
    std::uint8_t field = 0;

    explicit operator bool() const { return error != TupleError::None; }
};

/// A phrase for messages: "not a port number (0 to 65535)".
std::string_view describe(TupleError error);

/// The name of field `field` of `format`'s tuples ("source port"), or "field" past the last one.
std::string_view field_name(Format format, std::size_t field);

/// Tuples longer than this are rejected unread: Azure's are under 200 bytes even with two IPv6
/// addresses, and the cap keeps a runaway field from being scanned at length.
inline constexpr std::size_t kMaxTupleBytes = 512;

/// The latest time accepted: 9999-12-31T23:59:59.999Z, in milliseconds since the epoch.
inline constexpr std::int64_t kMaxTimeMs = 253402300799999;

/// How many bytes past a tuple's end parse_padded_tuple may read.
inline constexpr std::size_t kTupleSlack = 64;

/// Parses `text` as a tuple of `format` into `out` (every field but `context`). The field count is
/// checked first; then the first field found wrong is named, and `out` is left partly written.
/// Numbers are decimal digits only (no sign, no spaces; leading zeros allowed); addresses follow
/// net::Address::parse.
TupleProblem parse_tuple(std::string_view text, Format format, FlowTuple& out);

/// parse_tuple without its copy: `text` must be followed by kTupleSlack readable bytes (whatever
/// they hold), as a tuple inside a PaddedText is.
TupleProblem parse_padded_tuple(std::string_view text, Format format, FlowTuple& out);

} // namespace ztnet::flows
