// CIDR functions: parseCidr, cidrSubnet, cidrHost, for IPv4 and IPv6, following the worked examples
// of the ARM reference. Addresses are read and written by net::Prefix and net::Address, the
// parsers every other address of ztnet goes through.
#include <cstdint>
#include <optional>
#include <string>

#include "ztnet/load/arm/functions_common.h"
#include "ztnet/net/address.h"
#include "ztnet/net/prefix.h"

namespace ztnet::load::arm::detail {

namespace {

using net::u128;

struct Network {
    bool v6 = false;
    u128 address = 0; // host bits cleared
    int prefix = 0;

    int bits() const { return v6 ? 128 : 32; }
    u128 host_mask() const { return net::low_bits_mask(bits() - prefix); }
    u128 netmask() const { return net::family_max(v6 ? net::Family::V6 : net::Family::V4) & ~host_mask(); }
    u128 last() const { return address | host_mask(); }
};

std::string format_address(const Network& network, u128 address) {
    return net::Address::from_value(network.v6 ? net::Family::V6 : net::Family::V4, address).to_string();
}

// "10.0.0.0/24" or "fd00::/64": an address and a length, host bits allowed (and cleared). ARM asks
// for the length: a bare address is not a range.
std::optional<Network> parse_network(std::string_view text) {
    if (text.find('/') == std::string_view::npos)
        return std::nullopt;
    const Result<net::Prefix> prefix = net::Prefix::parse(text);
    if (!prefix)
        return std::nullopt;
    return Network{prefix->family() == net::Family::V6, prefix->network().value(), prefix->length()};
}

Error not_cidr(std::string_view function, const std::string& text) {
    return function_error(function, "'" + text + "' is not an IP address range in CIDR notation");
}

Result<json::Value> fn_parse_cidr(Arguments arguments) {
    if (auto error = check_signature("parseCidr", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("parseCidr");
    const auto network = parse_network(arguments[0].as_string());
    if (!network)
        return not_cidr("parseCidr", arguments[0].as_string());
    json::Object out;
    out.set("network", format_address(*network, network->address));
    out.set("netmask", format_address(*network, network->netmask()));
    if (network->v6) {
        out.set("firstUsable", format_address(*network, network->address));
        out.set("lastUsable", format_address(*network, network->last()));
    } else {
        const u128 broadcast = network->last();
        out.set("broadcast", format_address(*network, broadcast));
        const bool tiny = network->prefix >= 31; // /31 (RFC 3021) and /32 have no reserved addresses
        out.set("firstUsable", format_address(*network, tiny ? network->address : network->address + 1));
        out.set("lastUsable", format_address(*network, tiny ? broadcast : broadcast - 1));
    }
    out.set("cidr", json::Value(std::int64_t{network->prefix}));
    return value_result(std::move(out));
}

Result<json::Value> fn_cidr_subnet(Arguments arguments) {
    if (auto error =
            check_signature("cidrSubnet", "(string, int, int)", arguments, 3, 3, {kString, kInt, kInt}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("cidrSubnet");
    const auto network = parse_network(arguments[0].as_string());
    if (!network)
        return not_cidr("cidrSubnet", arguments[0].as_string());
    const std::int64_t new_prefix = arguments[1].as_integer();
    const std::int64_t index = arguments[2].as_integer();
    if (new_prefix < network->prefix || new_prefix > network->bits())
        return function_error("cidrSubnet", "newCIDR must be between " + std::to_string(network->prefix) +
                                                " and " + std::to_string(network->bits()) + ", got " +
                                                std::to_string(new_prefix));
    const int extra_bits = static_cast<int>(new_prefix) - network->prefix;
    const bool in_range = index >= 0 && (extra_bits >= 63 || index < (std::int64_t{1} << extra_bits));
    if (!in_range)
        return function_error("cidrSubnet",
                              "subnetIndex " + std::to_string(index) + " is outside the " +
                                  std::to_string(extra_bits >= 63 ? 0 : std::int64_t{1} << extra_bits) +
                                  " subnets of /" + std::to_string(new_prefix));
    const int shift = network->bits() - static_cast<int>(new_prefix);
    const u128 offset = shift >= 128 ? u128{0} : static_cast<u128>(index) << shift;
    const u128 subnet = network->address + offset;
    return value_result(format_address(*network, subnet) + '/' + std::to_string(new_prefix));
}

Result<json::Value> fn_cidr_host(Arguments arguments) {
    if (auto error = check_signature("cidrHost", "(string, int)", arguments, 2, 2, {kString, kInt}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("cidrHost");
    const auto network = parse_network(arguments[0].as_string());
    if (!network)
        return not_cidr("cidrHost", arguments[0].as_string());
    const std::int64_t index = arguments[1].as_integer();
    // Usable hosts: IPv4 skips the network and broadcast addresses (except /31 and /32, which have
    // none reserved); IPv6 skips the network (subnet-router anycast) address.
    u128 first = network->address + 1;
    u128 last = network->last();
    if (!network->v6) {
        if (network->prefix >= 31)
            first = network->address;
        else
            last -= 1;
    } else if (network->prefix == 128) {
        first = network->address;
    }
    const u128 count = last - first + 1; // at least 1: every network has a usable host here
    if (index < 0 || static_cast<u128>(index) >= count)
        return function_error("cidrHost", "hostIndex " + std::to_string(index) +
                                              " is outside the usable hosts of " + arguments[0].as_string());
    return value_result(format_address(*network, first + static_cast<u128>(index)));
}

constexpr FunctionEntry kCidrFunctions[] = {
    {"parseCidr", fn_parse_cidr},
    {"cidrSubnet", fn_cidr_subnet},
    {"cidrHost", fn_cidr_host},
};

} // namespace

std::span<const FunctionEntry> cidr_functions() {
    return kCidrFunctions;
}

} // namespace ztnet::load::arm::detail
