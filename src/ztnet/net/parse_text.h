// Internal to the net module: character tests and error-text helpers shared by its parsers.
// Not part of the public API; other modules should not include it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ztnet::net {
class Address;
}

namespace ztnet::net::detail {

/// Whether `c` is an ASCII decimal digit (locale-independent, unlike std::isdigit).
constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// The value of an ASCII hex digit, or -1 when `c` is not one.
constexpr int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

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

/// Parses a whole IPv4 or IPv6 address (the grammar of Address::parse). On failure fills `failure`
/// with a reason phrase and an offset into `text`, leaving `out` unchanged. No allocation on success.
bool parse_address(std::string_view text, Address& out, Failure& failure);

} // namespace ztnet::net::detail
