#include "ztnet/net/port.h"

#include <ostream>
#include <utility>

#include "ztnet/net/parse_text.h"

namespace ztnet::net {

namespace {

using detail::fail_at;
using detail::Failure;

constexpr std::string_view kPortExpectation = "expected a port 0-65535, a range like 1024-65535, or *, got ";

// One decimal port starting at `pos`; advances `pos` past its digits.
bool parse_port_number(std::string_view text, std::size_t& pos, std::uint16_t& out, Failure& failure) {
    if (pos == text.size())
        return fail_at(failure, pos, "missing the end of the range after '-'");
    if (text[pos] == '+' || text[pos] == '-')
        return fail_at(failure, pos, "ports are plain decimal numbers, without a sign");
    const std::size_t start = pos;
    std::uint32_t value = 0;
    while (pos < text.size() && detail::is_digit(text[pos])) {
        if (value <= 65535) // stop growing once out of range; the digits are still consumed
            value = value * 10 + static_cast<std::uint32_t>(text[pos] - '0');
        ++pos;
    }
    if (pos == start)
        return fail_at(failure, pos, detail::unexpected_char(text[pos]));
    if (value > 65535)
        return fail_at(failure, start,
                       "port " + detail::quote(text.substr(start, pos - start)) + " is out of range 0-65535");
    out = static_cast<std::uint16_t>(value);
    return true;
}

bool parse_range(std::string_view text, PortRange& out, Failure& failure) {
    if (text.empty())
        return fail_at(failure, 0, "the text is empty");
    if (text == "*") {
        out = PortRange::any();
        return true;
    }
    if (text[0] == '*')
        return fail_at(failure, 1, "'*' must stand alone");
    std::size_t pos = 0;
    std::uint16_t lo = 0;
    if (!parse_port_number(text, pos, lo, failure))
        return false;
    std::uint16_t hi = lo;
    if (pos < text.size()) {
        if (text[pos] == ',')
            return fail_at(failure, pos, "a comma-separated list is not allowed here");
        if (text[pos] != '-')
            return fail_at(failure, pos, detail::unexpected_char(text[pos]));
        ++pos;
        if (!parse_port_number(text, pos, hi, failure))
            return false;
        if (pos < text.size())
            return fail_at(failure, pos,
                           text[pos] == '-' ? "a range has exactly two ends"
                                            : detail::unexpected_char(text[pos]));
        if (lo > hi)
            return fail_at(failure, 0,
                           "the range start " + std::to_string(lo) + " is above its end " +
                               std::to_string(hi));
    }
    out = PortRange::between(lo, hi);
    return true;
}

} // namespace

Result<PortRange> PortRange::parse(std::string_view text) {
    PortRange range;
    Failure failure;
    if (parse_range(text, range, failure))
        return range;
    return fail(std::string(kPortExpectation) + detail::quote(text) + ": " + failure.reason, failure.offset);
}

std::string PortRange::to_string() const {
    if (full())
        return "*";
    std::string out = std::to_string(lo_);
    if (hi_ != lo_) {
        out += '-';
        out += std::to_string(hi_);
    }
    return out;
}

Result<PortSet> parse_port_spec(std::string_view text) {
    Result<PortRange> range = PortRange::parse(text);
    if (!range)
        return range.error();
    return range->to_set();
}

Result<PortSet> parse_port_list(std::span<const std::string_view> entries) {
    if (entries.empty())
        return fail("expected at least one port value, got an empty list");
    PortSet set;
    for (std::size_t index = 0; index < entries.size(); ++index) {
        const std::string_view entry = entries[index];
        std::size_t start = 0;
        while (true) {
            std::size_t comma = entry.find(',', start);
            if (comma == std::string_view::npos)
                comma = entry.size();
            const std::string_view item = entry.substr(start, comma - start);
            PortRange range;
            Failure failure;
            bool ok = false;
            if (item.empty() && !entry.empty()) {
                failure = {"empty item in a comma-separated list", start};
            } else {
                ok = parse_range(item, range, failure);
                failure.offset += start;
            }
            if (!ok)
                return fail(std::string(kPortExpectation) + detail::quote(entry) + " (entry " +
                                std::to_string(index + 1) + " of " + std::to_string(entries.size()) +
                                "): " + failure.reason,
                            failure.offset);
            set.insert(range.lo(), range.hi());
            if (comma == entry.size())
                break;
            start = comma + 1;
        }
    }
    return set;
}

std::string port_set_to_string(const PortSet& set) {
    if (set.empty())
        return "(none)";
    if (set.full())
        return "*";
    std::string out;
    for (const Interval<std::uint16_t>& iv : set.intervals()) {
        if (!out.empty())
            out += ',';
        out += std::to_string(iv.lo);
        if (iv.hi != iv.lo) {
            out += '-';
            out += std::to_string(iv.hi);
        }
    }
    return out;
}

std::ostream& operator<<(std::ostream& out, const PortRange& range) {
    return out << range.to_string();
}

} // namespace ztnet::net
