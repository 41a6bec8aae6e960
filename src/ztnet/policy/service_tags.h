// Service tags: the named address sets NSG rules and routes may use. VirtualNetwork is computed per
// VNet from the estate; AzureLoadBalancer and Internet are fixed; every other tag (Storage, Sql,
// AzureCloud, GatewayManager, regional variants …) comes from a file in Azure's published
// ServiceTags_Public JSON format.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ztnet/net/address_set.h"
#include "ztnet/support/result.h"

namespace ztnet::policy {

class ServiceTags {
  public:
    /// Parses a ServiceTags_Public document ({"changeNumber", "cloud", "values": [{"name", "id",
    /// "properties": {"addressPrefixes": [...], …}}]}). Errors carry the byte offset and say what
    /// was expected; an invalid prefix in the file is an error, not skipped.
    static Result<ServiceTags> parse(std::string_view json_text);

    /// The addresses of a file-defined tag (case-insensitive: "storage.westeurope" finds
    /// "Storage.WestEurope"), or nullptr when the file does not define it.
    const net::AddressSet* find(std::string_view tag) const;

    std::size_t size() const { return tags_.size(); }
    /// The file's "cloud" and "changeNumber", for reports.
    const std::string& cloud() const { return cloud_; }
    std::int64_t change_number() const { return change_number_; }

    /// Adds or replaces a tag (tests and tools that build tags by hand).
    void set(const std::string& name, net::AddressSet addresses);

  private:
    std::unordered_map<std::string, net::AddressSet> tags_; // key: lower-case name
    std::string cloud_;
    std::int64_t change_number_ = 0;
};

/// The platform's own address: DNS, DHCP, health probes (the AzureLoadBalancer tag).
net::Address azure_platform_address();

/// The Instance Metadata Service's address, 169.254.169.254.
net::Address azure_metadata_address();

/// The tag that brings a platform address under NSG rules ("AzurePlatformDNS" for 168.63.129.16,
/// "AzurePlatformIMDS" for 169.254.169.254), or nothing when `address` is not one. Traffic to these
/// addresses is not subject to NSGs unless a rule names that tag (Microsoft Learn,
/// virtual-network/network-security-groups-overview), and 168.63.129.16 not to user-defined routes
/// (virtual-network/what-is-ip-address-168-63-129-16).
std::optional<std::string_view> platform_tag_of(const net::Address& address);

/// What the Internet tag covers: every address outside private, shared, loopback, link-local,
/// multicast and reserved space (IPv4 and IPv6). Conservative reading of Azure's "address space
/// outside the virtual network reachable by the public Internet": on-premises private ranges are
/// not Internet.
net::AddressSet internet_addresses();

/// Azure's legacy spellings mapped to today's names (VIRTUAL_NETWORK -> VirtualNetwork,
/// INTERNET -> Internet, AZURE_LOADBALANCER -> AzureLoadBalancer); other names unchanged.
std::string_view canonical_tag_name(std::string_view tag);

} // namespace ztnet::policy
