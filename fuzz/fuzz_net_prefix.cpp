// Fuzz target for the address and prefix parsers: any bytes may be rejected, none may crash, and every
// accepted text must round-trip through to_string to the same value (abort() otherwise).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/net/address.h"
#include "ztnet/net/address_range.h"
#include "ztnet/net/prefix.h"

namespace {

using namespace ztnet::net;

void check(bool condition) {
    if (!condition)
        std::abort();
}

template <class T>
void check_error(const ztnet::Result<T>& result, std::size_t size) {
    check(!result.error().message.empty());
    check(result.error().offset <= size);
}

void check_address(std::string_view text) {
    const ztnet::Result<Address> address = Address::parse(text);
    if (!address) {
        check_error(address, text.size());
        return;
    }
    check(address->value() <= family_max(address->family()));
    const std::string printed = address->to_string();
    const ztnet::Result<Address> back = Address::parse(printed);
    check(back.ok() && *back == *address);
    check(back->to_string() == printed); // canonical text is a fixed point
    // An address is also a valid host prefix.
    const ztnet::Result<Prefix> host = Prefix::parse_strict(text);
    check(host.ok() && host->network() == *address && host->length() == family_width(address->family()));
}

void check_prefix(std::string_view text) {
    const ztnet::Result<Prefix> prefix = Prefix::parse(text);
    if (!prefix) {
        check_error(prefix, text.size());
        check(!Prefix::parse_strict(text).ok());
        return;
    }
    check(prefix->length() >= 0 && prefix->length() <= family_width(prefix->family()));
    check((prefix->network().value() & prefix->host_mask()) == 0);
    check(prefix->first() <= prefix->last());
    check(prefix->contains(prefix->first()) && prefix->contains(prefix->last()));
    const ztnet::Result<Prefix> back = Prefix::parse_strict(prefix->to_string());
    check(back.ok() && *back == *prefix && !back->had_host_bits());
    check(back->to_string() == prefix->to_string());
    check(Prefix::parse_strict(text).ok() == !prefix->had_host_bits());
}

void check_range(std::string_view text) {
    const ztnet::Result<AddressRange> range = AddressRange::parse(text);
    if (!range) {
        check_error(range, text.size());
        return;
    }
    check(range->first() <= range->last() && range->first().family() == range->last().family());
    const ztnet::Result<AddressRange> back = AddressRange::parse(range->to_string());
    check(back.ok() && *back == *range);
    // The CIDR blocks tile the range exactly.
    const std::vector<Prefix> blocks = range->to_prefixes();
    check(!blocks.empty() && blocks.front().first() == range->first() &&
          blocks.back().last() == range->last());
    for (std::size_t i = 1; i < blocks.size(); ++i)
        check(blocks[i].first().value() == blocks[i - 1].last().value() + 1);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_address(text);
    check_prefix(text);
    check_range(text);
    return 0;
}
