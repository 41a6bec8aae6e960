#include "ztnet/policy/service_tags.h"

#include <array>
#include <cassert>
#include <cctype>
#include <charconv>
#include <utility>
#include <vector>

#include "ztnet/json/reader.h"
#include "ztnet/net/prefix.h"
#include "ztnet/support/ascii.h"

namespace ztnet::policy {

namespace {

std::size_t offset_of(const json::Value& value) {
    return value.offset() == kNoOffset ? Error::kNoOffset : value.offset();
}

Error fail_at(const json::Value& value, std::string message) {
    return fail(std::move(message), offset_of(value));
}

// One entry of "values": {"name", "id", "properties": {"addressPrefixes": [...]}}. Keys are looked up
// ignoring case, so PowerShell's ConvertTo-Json output (Name, Properties, AddressPrefixes) reads too.
Result<std::pair<std::string, net::AddressSet>> parse_tag(const json::Value& entry) {
    if (!entry.is_object())
        return fail_at(entry, "expected a service tag object in \"values\"");
    const json::Value* name = entry.find_ci("name");
    if (name == nullptr)
        return fail_at(entry, "expected a \"name\" in the service tag object");
    if (!name->is_string() || name->as_string().empty())
        return fail_at(*name, "expected the service tag's \"name\" to be a non-empty string");
    const std::string& tag = name->as_string();
    const json::Value* properties = entry.find_ci("properties");
    if (properties == nullptr)
        return fail_at(entry, "expected \"properties\" in service tag '" + tag + "'");
    if (!properties->is_object())
        return fail_at(*properties, "expected \"properties\" of service tag '" + tag + "' to be an object");
    const json::Value* prefixes = properties->find_ci("addressPrefixes");
    if (prefixes == nullptr)
        return fail_at(*properties, "expected \"addressPrefixes\" in service tag '" + tag + "'");
    if (!prefixes->is_array())
        return fail_at(*prefixes, "expected \"addressPrefixes\" of service tag '" + tag + "' to be an array");
    std::vector<net::Prefix> blocks;
    blocks.reserve(prefixes->as_array().size());
    for (const json::Value& item : prefixes->as_array()) {
        if (!item.is_string())
            return fail_at(item, "expected an address prefix string in service tag '" + tag + "'");
        auto prefix = net::Prefix::parse(item.as_string());
        if (!prefix)
            return fail_at(item, "invalid address prefix '" + item.as_string() + "' in service tag '" + tag +
                                     "': " + prefix.error().message);
        blocks.push_back(*prefix);
    }
    return std::make_pair(tag, net::AddressSet::from_prefixes(blocks));
}

} // namespace

Result<ServiceTags> ServiceTags::parse(std::string_view json_text) {
    auto document = json::read(json_text);
    if (!document)
        return document.error();
    const json::Value& root = *document;
    if (!root.is_object())
        return fail_at(root, "expected a ServiceTags_Public object with \"values\"");
    ServiceTags tags;
    if (const json::Value* cloud = root.find_ci("cloud")) {
        if (!cloud->is_string())
            return fail_at(*cloud, "expected \"cloud\" to be a string");
        tags.cloud_ = cloud->as_string();
    }
    // The Download Center file writes the change number as a number, `az network list-service-tags`
    // as a string of digits.
    if (const json::Value* change = root.find_ci("changeNumber")) {
        const std::string* digits = change->if_string();
        std::int64_t number = 0;
        const bool parsed = digits && !digits->empty() &&
                            std::from_chars(digits->data(), digits->data() + digits->size(), number).ptr ==
                                digits->data() + digits->size();
        if (!change->is_integer() && !parsed)
            return fail_at(*change, "expected \"changeNumber\" to be an integer, or a string of digits");
        tags.change_number_ = change->is_integer() ? change->as_integer() : number;
    }
    const json::Value* values = root.find_ci("values");
    if (values == nullptr)
        return fail_at(root, "expected a \"values\" array of service tags");
    if (!values->is_array())
        return fail_at(*values, "expected \"values\" to be an array of service tags");
    for (const json::Value& entry : values->as_array()) {
        auto tag = parse_tag(entry);
        if (!tag)
            return tag.error();
        auto [it, fresh] = tags.tags_.emplace(ascii::lower(tag->first), std::move(tag->second));
        if (!fresh)
            return fail_at(*entry.find_ci("name"), "duplicate service tag '" + tag->first + "'");
    }
    return tags;
}

const net::AddressSet* ServiceTags::find(std::string_view tag) const {
    auto it = tags_.find(ascii::lower(tag));
    return it == tags_.end() ? nullptr : &it->second;
}

void ServiceTags::set(const std::string& name, net::AddressSet addresses) {
    tags_[ascii::lower(name)] = std::move(addresses);
}

net::Address azure_platform_address() {
    return net::Address::v4(0xA83F8110u); // 168.63.129.16
}

net::Address azure_metadata_address() {
    return net::Address::v4(0xA9FEA9FEu); // 169.254.169.254
}

std::optional<std::string_view> platform_tag_of(const net::Address& address) {
    if (address == azure_platform_address())
        return "AzurePlatformDNS";
    if (address == azure_metadata_address())
        return "AzurePlatformIMDS";
    return std::nullopt;
}

// The ranges taken out of "everything" to form the Internet tag. Private, shared (CGNAT), loopback,
// link-local, multicast and reserved space is not Internet; documentation ranges (192.0.2.0/24,
// 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) stay in, since examples use them for Internet clients.
// IPv4: 0.0.0.0/8 "this network", 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16,
// 172.16.0.0/12, 192.0.0.0/24 (IETF protocol assignments), 192.168.0.0/16, 198.18.0.0/15 (benchmarking),
// 224.0.0.0/4 multicast, 240.0.0.0/4 reserved (which holds 255.255.255.255).
// IPv6: ::/128 unspecified, ::1/128 loopback, ::ffff:0:0/96 IPv4-mapped, 100::/64 discard-only,
// fc00::/7 unique local, fe80::/10 link-local, fec0::/10 deprecated site-local, ff00::/8 multicast.
net::AddressSet internet_addresses() {
    static const net::AddressSet kInternet = [] {
        static constexpr std::array<std::string_view, 20> kReserved{
            "0.0.0.0/8",     "10.0.0.0/8",   "100.64.0.0/10",  "127.0.0.0/8",   "169.254.0.0/16",
            "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
            "240.0.0.0/4",   "::/128",       "::1/128",        "::ffff:0:0/96", "100::/64",
            "fc00::/7",      "fe80::/10",    "fec0::/10",      "ff00::/8",      "255.255.255.255/32",
        };
        std::vector<net::Prefix> reserved;
        for (std::string_view text : kReserved) {
            auto prefix = net::Prefix::parse_strict(text);
            assert(prefix.ok());
            if (prefix)
                reserved.push_back(*prefix);
        }
        // 168.63.129.16 is the host node's virtual IP (DNS, DHCP, health probes, host agent): Azure's
        // own, not the Internet (Microsoft Learn, virtual-network/what-is-ip-address-168-63-129-16).
        return net::AddressSet::any()
            .subtract(net::AddressSet::from_prefixes(reserved))
            .subtract(net::AddressSet::from(azure_platform_address()));
    }();
    return kInternet;
}

std::string_view canonical_tag_name(std::string_view tag) {
    struct Spelling {
        std::string_view written;
        std::string_view canonical;
    };
    // Today's names in any letter case, and the legacy spellings of old templates.
    // ("INTERNET" is "Internet" ignoring case.)
    static constexpr std::array<Spelling, 5> kSpellings{{
        {"VirtualNetwork", "VirtualNetwork"},
        {"VIRTUAL_NETWORK", "VirtualNetwork"},
        {"Internet", "Internet"},
        {"AzureLoadBalancer", "AzureLoadBalancer"},
        {"AZURE_LOADBALANCER", "AzureLoadBalancer"},
    }};
    for (const Spelling& spelling : kSpellings) {
        if (ascii::iequals(tag, spelling.written))
            return spelling.canonical;
    }
    return tag;
}

} // namespace ztnet::policy
