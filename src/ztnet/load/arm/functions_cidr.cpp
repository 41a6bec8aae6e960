// CIDR functions: parseCidr, cidrSubnet, cidrHost, for IPv4 and IPv6, following the worked examples
// of the ARM reference. The address arithmetic is local so that this module stays independent.
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "ztnet/load/arm/functions_common.h"

namespace ztnet::load::arm::detail {

namespace {

__extension__ using u128 = unsigned __int128;

struct Network {
    bool v6 = false;
    u128 address = 0; // host bits cleared
    int prefix = 0;

    int bits() const { return v6 ? 128 : 32; }
    u128 host_mask() const {
        const int host_bits = bits() - prefix;
        if (host_bits == 0)
            return 0;
        if (host_bits == 128)
            return ~u128{0};
        return (u128{1} << host_bits) - 1;
    }
    u128 netmask() const {
        const u128 all = v6 ? ~u128{0} : u128{0xFFFFFFFFu};
        return all & ~host_mask();
    }
    u128 last() const { return address | host_mask(); }
};

std::optional<int> parse_decimal(std::string_view text, int max) {
    if (text.empty() || text.size() > 3)
        return std::nullopt;
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0 || value > max)
        return std::nullopt;
    return value;
}

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
    std::uint32_t value = 0;
    for (int part = 0; part < 4; ++part) {
        const std::size_t dot = text.find('.');
        const bool last = part == 3;
        if (last != (dot == std::string_view::npos))
            return std::nullopt;
        const std::string_view digits = last ? text : text.substr(0, dot);
        for (char c : digits) {
            if (c < '0' || c > '9')
                return std::nullopt;
        }
        const auto octet = parse_decimal(digits, 255);
        if (!octet)
            return std::nullopt;
        value = (value << 8) | static_cast<std::uint32_t>(*octet);
        if (!last)
            text.remove_prefix(dot + 1);
    }
    return value;
}

std::optional<std::uint16_t> parse_hex_group(std::string_view text) {
    if (text.empty() || text.size() > 4)
        return std::nullopt;
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

// Groups separated by ':' (possibly with a trailing dotted IPv4 worth two groups).
std::optional<std::vector<std::uint16_t>> parse_groups(std::string_view text, bool allow_ipv4_tail) {
    std::vector<std::uint16_t> groups;
    if (text.empty())
        return groups;
    while (true) {
        const std::size_t colon = text.find(':');
        const std::string_view group = text.substr(0, colon);
        if (colon == std::string_view::npos && allow_ipv4_tail && group.find('.') != std::string_view::npos) {
            const auto v4 = parse_ipv4(group);
            if (!v4)
                return std::nullopt;
            groups.push_back(static_cast<std::uint16_t>(*v4 >> 16));
            groups.push_back(static_cast<std::uint16_t>(*v4 & 0xFFFFu));
            return groups;
        }
        const auto value = parse_hex_group(group);
        if (!value)
            return std::nullopt;
        groups.push_back(*value);
        if (colon == std::string_view::npos)
            return groups;
        text.remove_prefix(colon + 1);
    }
}

std::optional<u128> parse_ipv6(std::string_view text) {
    const std::size_t gap = text.find("::");
    std::vector<std::uint16_t> head;
    std::vector<std::uint16_t> tail;
    if (gap == std::string_view::npos) {
        auto groups = parse_groups(text, true);
        if (!groups || groups->size() != 8)
            return std::nullopt;
        head = std::move(*groups);
    } else {
        if (text.find("::", gap + 1) != std::string_view::npos)
            return std::nullopt;
        auto before = parse_groups(text.substr(0, gap), false);
        auto after = parse_groups(text.substr(gap + 2), true);
        if (!before || !after || before->size() + after->size() > 7)
            return std::nullopt;
        head = std::move(*before);
        tail = std::move(*after);
    }
    u128 value = 0;
    for (std::uint16_t group : head)
        value = (value << 16) | group;
    for (std::size_t i = head.size() + tail.size(); i < 8; ++i)
        value <<= 16;
    for (std::uint16_t group : tail)
        value = (value << 16) | group;
    return value;
}

std::string format_ipv4(u128 value) {
    const auto v = static_cast<std::uint32_t>(value);
    return std::to_string(v >> 24) + '.' + std::to_string((v >> 16) & 0xFF) + '.' +
           std::to_string((v >> 8) & 0xFF) + '.' + std::to_string(v & 0xFF);
}

// RFC 5952: lowercase, no leading zeros, the longest run (the first on a tie) of two or more zero
// groups written as "::". IPv4-mapped addresses end in dotted form, as .NET writes them.
std::string format_ipv6(u128 value) {
    if ((value >> 32) == 0xFFFFu)
        return "::ffff:" + format_ipv4(value & 0xFFFFFFFFu);
    std::array<std::uint16_t, 8> groups{};
    for (int i = 7; i >= 0; --i) {
        groups[static_cast<std::size_t>(i)] = static_cast<std::uint16_t>(value & 0xFFFFu);
        value >>= 16;
    }
    int best_start = -1;
    int best_length = 0;
    for (int i = 0; i < 8;) {
        if (groups[static_cast<std::size_t>(i)] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && groups[static_cast<std::size_t>(j)] == 0)
            ++j;
        if (j - i > best_length && j - i >= 2) {
            best_start = i;
            best_length = j - i;
        }
        i = j;
    }
    std::string out;
    for (int i = 0; i < 8; ++i) {
        if (i == best_start) {
            out += "::";
            i += best_length - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':')
            out += ':';
        std::array<char, 8> hex{};
        const auto [end, error] =
            std::to_chars(hex.data(), hex.data() + hex.size(), groups[static_cast<std::size_t>(i)], 16);
        (void)error;
        out.append(hex.data(), end);
    }
    return out;
}

std::string format_address(const Network& network, u128 address) {
    return network.v6 ? format_ipv6(address) : format_ipv4(address);
}

std::optional<Network> parse_network(std::string_view text) {
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    const std::string_view address_text = text.substr(0, slash);
    const std::string_view prefix_text = text.substr(slash + 1);
    for (char c : prefix_text) {
        if (c < '0' || c > '9')
            return std::nullopt;
    }
    Network network;
    network.v6 = address_text.find(':') != std::string_view::npos;
    const auto prefix = parse_decimal(prefix_text, network.bits());
    if (!prefix)
        return std::nullopt;
    network.prefix = *prefix;
    if (network.v6) {
        const auto address = parse_ipv6(address_text);
        if (!address)
            return std::nullopt;
        network.address = *address;
    } else {
        const auto address = parse_ipv4(address_text);
        if (!address)
            return std::nullopt;
        network.address = *address;
    }
    network.address &= network.netmask();
    return network;
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
