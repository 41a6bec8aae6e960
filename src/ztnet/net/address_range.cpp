#include "ztnet/net/address_range.h"

#include <algorithm>
#include <cassert>
#include <ostream>

#include "ztnet/net/parse_text.h"

namespace ztnet::net {

Result<AddressRange> AddressRange::make(Address first, Address last) {
    if (first.family() != last.family())
        return fail("an address range needs both ends in one family, got " + first.to_string() + " (" +
                    std::string(family_name(first.family())) + ") and " + last.to_string() + " (" +
                    std::string(family_name(last.family())) + ")");
    if (first.value() > last.value())
        return fail("an address range needs its first address at or below its last, got " +
                    first.to_string() + "-" + last.to_string());
    return AddressRange(first, last);
}

Result<AddressRange> AddressRange::parse(std::string_view text) {
    const std::string expectation =
        "expected an address range like 10.0.0.1-10.0.0.9, got " + detail::quote(text);
    const std::size_t dash = text.find('-');
    const std::string_view first_text = text.substr(0, dash);
    detail::Failure failure;
    Address first;
    if (!detail::parse_address(first_text, first, failure))
        return fail(expectation + ": " + failure.reason, failure.offset);
    if (dash == std::string_view::npos)
        return from(first);
    Address last;
    if (!detail::parse_address(text.substr(dash + 1), last, failure))
        return fail(expectation + ": " + failure.reason, dash + 1 + failure.offset);
    if (first.family() != last.family())
        return fail(expectation + ": both ends must be of one family", dash + 1);
    if (first.value() > last.value())
        return fail(expectation + ": the first address is above the last", 0);
    return AddressRange(first, last);
}

std::vector<Prefix> AddressRange::to_prefixes() const {
    std::vector<Prefix> out;
    append_cidr_blocks(family(), first_.value(), last_.value(), out);
    return out;
}

std::string AddressRange::to_string() const {
    std::string out = first_.to_string();
    if (last_ != first_) {
        out += '-';
        out += last_.to_string();
    }
    return out;
}

void append_cidr_blocks(Family family, u128 first, u128 last, std::vector<Prefix>& out) {
    assert(first <= last && last <= family_max(family));
    const int width = family_width(family);
    u128 lo = first;
    while (true) {
        // The block starting at lo may be no bigger than lo's alignment allows...
        const int aligned_bits = std::min(countr_zero_u128(lo), width);
        // ...and must end at or before `last`: 2^bits - 1 <= last - lo.
        const u128 span = last - lo;
        const int fitting_bits = span == kU128Max ? 128 : 127 - countl_zero_u128(span + 1);
        const int bits = std::min(aligned_bits, fitting_bits);
        out.push_back(Prefix::from(Address::from_value(family, lo), width - bits));
        const u128 block_last = lo | low_bits_mask(bits);
        if (block_last == last)
            return;
        lo = block_last + 1;
    }
}

std::ostream& operator<<(std::ostream& out, const AddressRange& range) {
    return out << range.to_string();
}

} // namespace ztnet::net
