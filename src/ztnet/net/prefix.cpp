#include "ztnet/net/prefix.h"

#include <ostream>
#include <utility>

#include "ztnet/net/parse_text.h"

namespace ztnet::net {

namespace {

using detail::fail_at;
using detail::Failure;

bool parse_prefix(std::string_view text, Prefix& out, Failure& failure) {
    const std::size_t slash = text.find('/');
    if (slash == 0)
        return fail_at(failure, 0, "missing address before '/'");
    Address address;
    if (!detail::parse_address(text.substr(0, slash), address, failure))
        return false;
    if (slash == std::string_view::npos) {
        out = Prefix::host(address);
        return true;
    }
    const std::string_view digits = text.substr(slash + 1);
    const std::size_t base = slash + 1;
    if (digits.empty())
        return fail_at(failure, base, "missing prefix length after '/'");
    if (digits[0] == '+' || digits[0] == '-')
        return fail_at(failure, base, "prefix length must be a plain decimal number, without a sign");
    unsigned length = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (!detail::is_digit(digits[i]))
            return fail_at(failure, base + i, detail::unexpected_char(digits[i]));
        if (length <= 1000) // stop growing once out of range
            length = length * 10 + static_cast<unsigned>(digits[i] - '0');
    }
    if (digits.size() > 1 && digits[0] == '0')
        return fail_at(failure, base, "prefix length " + detail::quote(digits) + " has a leading zero");
    const int width = family_width(address.family());
    if (length > static_cast<unsigned>(width))
        return fail_at(failure, base,
                       "prefix length must be 0-" + std::to_string(width) + " for " +
                           std::string(family_name(address.family())));
    out = Prefix::from(address, static_cast<int>(length));
    return true;
}

} // namespace

Result<Prefix> Prefix::parse(std::string_view text) {
    Prefix prefix;
    Failure failure;
    if (parse_prefix(text, prefix, failure))
        return prefix;
    return fail("expected an IPv4 or IPv6 prefix like 10.0.0.0/16, got " + detail::quote(text) + ": " +
                    failure.reason,
                failure.offset);
}

Result<Prefix> Prefix::parse_strict(std::string_view text) {
    Result<Prefix> parsed = parse(text);
    if (parsed.ok() && parsed->had_host_bits())
        return fail("expected an IPv4 or IPv6 prefix with no host bits set like 10.0.0.0/16, got " +
                        detail::quote(text) + ": host bits are set beyond /" +
                        std::to_string(parsed->length()) + " (the network is " + parsed->to_string() + ")",
                    0);
    return parsed;
}

std::string Prefix::to_string() const {
    std::string out = network().to_string();
    out += '/';
    out += std::to_string(length_);
    return out;
}

std::ostream& operator<<(std::ostream& out, const Prefix& prefix) {
    return out << prefix.to_string();
}

} // namespace ztnet::net
