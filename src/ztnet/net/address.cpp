#include "ztnet/net/address.h"

#include <array>
#include <ostream>
#include <utility>

#include "ztnet/net/parse_text.h"

namespace ztnet::net {

namespace {

using detail::fail_at;
using detail::Failure;

// Dotted-quad IPv4 that must span all of `text`; reported offsets are `base` + position in `text`.
bool parse_v4(std::string_view text, std::size_t base, std::uint32_t& out, Failure& failure) {
    std::uint32_t value = 0;
    std::size_t pos = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (pos == text.size())
                return fail_at(failure, base + pos,
                               "expected 4 dot-separated octets, got " + std::to_string(part));
            if (text[pos] != '.')
                return fail_at(failure, base + pos, detail::unexpected_char(text[pos]));
            ++pos;
        }
        const std::size_t start = pos;
        unsigned octet = 0;
        while (pos < text.size() && detail::is_digit(text[pos])) {
            if (octet <= 255) // stop growing once out of range; the digits are still consumed
                octet = octet * 10 + static_cast<unsigned>(text[pos] - '0');
            ++pos;
        }
        if (pos == start) {
            if (pos == text.size())
                return fail_at(failure, base + pos, "missing octet after the last '.'");
            return fail_at(failure, base + pos,
                           text[pos] == '.' ? "empty octet" : detail::unexpected_char(text[pos]));
        }
        const std::string_view digits = text.substr(start, pos - start);
        if (digits.size() > 1 && digits[0] == '0')
            return fail_at(failure, base + start,
                           "octet " + detail::quote(digits) +
                               " has a leading zero, which is ambiguous (some tools read it as octal)");
        if (octet > 255)
            return fail_at(failure, base + start,
                           "octet " + detail::quote(digits) + " is out of range 0-255");
        value = (value << 8) | octet;
    }
    if (pos != text.size())
        return fail_at(failure, base + pos,
                       text[pos] == '.' ? "too many octets (an IPv4 address has 4)"
                                        : detail::unexpected_char(text[pos]));
    out = value;
    return true;
}

// IPv6 text in any RFC 4291 form spanning all of `text`.
bool parse_v6(std::string_view text, u128& out, Failure& failure) {
    if (const std::size_t percent = text.find('%'); percent != std::string_view::npos)
        return fail_at(failure, percent, "zone ids ('%...') are not supported");
    if (text.front() == '[')
        return fail_at(failure, 0, "brackets are not part of an address");

    std::array<std::uint16_t, 8> groups{};
    int count = 0;
    int gap = -1; // index in `groups` where "::" stands, or -1
    std::size_t gap_offset = 0;
    std::size_t pos = 0;
    const std::size_t size = text.size();
    if (text.starts_with("::")) {
        gap = 0;
        pos = 2;
    } else if (text.front() == ':') {
        return fail_at(failure, 0, "an address cannot start with a single ':'");
    }
    while (pos < size) {
        std::size_t end = text.find(':', pos);
        if (end == std::string_view::npos)
            end = size;
        const std::string_view token = text.substr(pos, end - pos);
        if (token.empty())
            return fail_at(failure, pos, "unexpected ':' (':::' is never valid)");
        if (token.find('.') != std::string_view::npos) {
            if (end != size)
                return fail_at(failure, pos, "an embedded IPv4 address must come last");
            if (count > 6)
                return fail_at(failure, pos, "too many groups before the embedded IPv4 address (at most 6)");
            std::uint32_t v4 = 0;
            if (!parse_v4(token, pos, v4, failure))
                return false;
            groups[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(v4 >> 16);
            groups[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(v4 & 0xFFFF);
            break;
        }
        if (count == 8)
            return fail_at(failure, pos, "too many groups (an IPv6 address has 8)");
        unsigned group = 0;
        for (std::size_t i = 0; i < token.size(); ++i) {
            const int digit = detail::hex_value(token[i]);
            if (digit < 0)
                return fail_at(failure, pos + i, detail::unexpected_char(token[i]));
            group = (group << 4 | static_cast<unsigned>(digit)) & 0xFFFFF;
        }
        if (token.size() > 4)
            return fail_at(failure, pos, "group " + detail::quote(token) + " has more than 4 hex digits");
        groups[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(group);
        pos = end;
        if (pos == size)
            break;
        if (pos + 1 < size && text[pos + 1] == ':') {
            if (gap >= 0)
                return fail_at(failure, pos, "'::' may appear only once");
            gap = count;
            gap_offset = pos;
            pos += 2;
        } else if (++pos == size) {
            return fail_at(failure, pos - 1, "an address cannot end with a single ':'");
        }
    }

    std::array<std::uint16_t, 8> full{};
    if (gap < 0) {
        if (count != 8)
            return fail_at(failure, size,
                           "expected 8 groups, got " + std::to_string(count) + " (use '::' for zero groups)");
        full = groups;
    } else {
        if (count == 8)
            return fail_at(failure, gap_offset,
                           "'::' must stand for at least one zero group, but all 8 are given");
        const int tail = count - gap;
        for (int i = 0; i < gap; ++i)
            full[static_cast<std::size_t>(i)] = groups[static_cast<std::size_t>(i)];
        for (int i = 0; i < tail; ++i) {
            const int to = 8 - tail + i;
            const int from = gap + i;
            full[static_cast<std::size_t>(to)] = groups[static_cast<std::size_t>(from)];
        }
    }
    u128 value = 0;
    for (std::uint16_t group : full)
        value = value << 16 | group;
    out = value;
    return true;
}

void append_hex_group(std::string& out, std::uint16_t group) {
    static constexpr char kDigits[] = "0123456789abcdef";
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
        const int digit = (group >> shift) & 0xF;
        if (digit != 0 || started || shift == 0) {
            out += kDigits[digit];
            started = true;
        }
    }
}

std::string v6_text(u128 value) {
    std::string out;
    out.reserve(39);
    if (u128_hi(value) == 0 && (u128_lo(value) >> 32) == 0xFFFF) {
        // IPv4-mapped (::ffff:0:0/96): RFC 5952 section 5 recommends the mixed notation.
        out += "::ffff:";
        append_v4_text(out, static_cast<std::uint32_t>(value));
        return out;
    }
    std::array<std::uint16_t, 8> groups{};
    for (int i = 7; i >= 0; --i) {
        groups[static_cast<std::size_t>(i)] = static_cast<std::uint16_t>(value & 0xFFFF);
        value >>= 16;
    }
    // The longest run of zero groups (the first one on ties); a single zero group is not compressed.
    int best_start = -1;
    int best_length = 1;
    for (int i = 0; i < 8;) {
        if (groups[static_cast<std::size_t>(i)] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && groups[static_cast<std::size_t>(j)] == 0)
            ++j;
        if (j - i > best_length) {
            best_start = i;
            best_length = j - i;
        }
        i = j;
    }
    for (int i = 0; i < 8;) {
        if (i == best_start) {
            out += "::";
            i += best_length;
            continue;
        }
        if (!out.empty() && out.back() != ':')
            out += ':';
        append_hex_group(out, groups[static_cast<std::size_t>(i)]);
        ++i;
    }
    return out;
}

} // namespace

namespace detail {

bool parse_address(std::string_view text, Address& out, Failure& failure) {
    if (text.empty())
        return fail_at(failure, 0, "the text is empty");
    if (text.find(':') != std::string_view::npos) {
        u128 value = 0;
        if (!parse_v6(text, value, failure))
            return false;
        out = Address::v6(value);
        return true;
    }
    std::uint32_t value = 0;
    if (!parse_v4(text, 0, value, failure))
        return false;
    out = Address::v4(value);
    return true;
}

} // namespace detail

std::string_view family_name(Family family) {
    return family == Family::V4 ? "IPv4" : "IPv6";
}

Result<Address> Address::parse(std::string_view text) {
    Address address;
    Failure failure;
    if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) {
        failure = {"a prefix length is not allowed in an address", slash};
    } else if (detail::parse_address(text, address, failure)) {
        return address;
    }
    return fail("expected an IPv4 or IPv6 address like 10.0.0.1 or fd00::1, got " + detail::quote(text) +
                    ": " + failure.reason,
                failure.offset);
}

std::string Address::to_string() const {
    if (is_v6())
        return v6_text(value());
    std::string out;
    append_v4_text(out, static_cast<std::uint32_t>(lo_));
    return out;
}

void append_v4_text(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        const unsigned octet = (value >> shift) & 0xFF;
        if (octet >= 100)
            out += static_cast<char>('0' + octet / 100);
        if (octet >= 10)
            out += static_cast<char>('0' + octet / 10 % 10);
        out += static_cast<char>('0' + octet % 10);
        if (shift != 0)
            out += '.';
    }
}

std::ostream& operator<<(std::ostream& out, const Address& address) {
    return out << address.to_string();
}

} // namespace ztnet::net
