// Internal to the net module: character tests and error-text helpers shared by its parsers.
// Not part of the public API; other modules should not include it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "ztnet/support/ascii.h"

namespace ztnet::net {
class Address;
}

namespace ztnet::net::detail {

using ascii::hex_value;
using ascii::is_digit;

/// `text` in single quotes for an error message: truncated after 64 bytes ("..." appended), with
/// control and non-ASCII bytes written as \xNN so messages stay printable whatever the input was.
std::string quote(std::string_view text);

/// Names one character for an error message: "'x'", "a space", or "byte 0x07".
std::string describe_char(char c);

/// "unexpected character 'x'" (via describe_char), the most common parse failure reason.
std::string unexpected_char(char c);

/// Why a parse failed and where (a byte offset into the text being parsed).
struct Failure {
    std::string reason;
    std::size_t offset = 0;
};

/// Records why and where a parse failed; returns false, for `return fail_at(...)`.
inline bool fail_at(Failure& failure, std::size_t offset, std::string reason) {
    failure.reason = std::move(reason);
    failure.offset = offset;
    return false;
}

/// Parses a whole IPv4 or IPv6 address (the grammar of Address::parse). On failure fills `failure`
/// with a reason phrase and an offset into `text`, leaving `out` unchanged. No allocation on success.
bool parse_address(std::string_view text, Address& out, Failure& failure);

} // namespace ztnet::net::detail
