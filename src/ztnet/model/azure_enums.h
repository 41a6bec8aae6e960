// Azure's enumerated settings as enums. Azure spells each value one way in its API and compares
// them without regard to case; the model holds the enum, so that a check compares values, not
// spellings, and a misspelt value is caught once, where it is read.
//
// Each enum has `azure_names(E)`, its values' spellings in declaration order; `name_of` and
// `parse_azure` work for all of them.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "ztnet/support/ascii.h"

namespace ztnet::model {

/// Storage: properties.minimumTlsVersion.
enum class TlsVersion : std::uint8_t { Tls1_0, Tls1_1, Tls1_2, Tls1_3 };
/// Storage (and other PaaS): properties.publicNetworkAccess.
enum class PublicNetworkAccess : std::uint8_t { Enabled, Disabled, SecuredByPerimeter };
/// Storage: properties.networkAcls.defaultAction.
enum class NetworkAclAction : std::uint8_t { Allow, Deny };
/// Storage: properties.encryption.keySource.
enum class KeySource : std::uint8_t { MicrosoftStorage, MicrosoftKeyvault };
/// Virtual machines: properties.securityProfile.securityType (absent: a standard VM).
enum class VmSecurityType : std::uint8_t { Standard, TrustedLaunch, ConfidentialVm };
/// Azure Firewall and firewall policies: sku.tier.
enum class FirewallTier : std::uint8_t { Basic, Standard, Premium };
/// Threat intelligence and intrusion detection modes, from the most lenient to the strictest.
enum class FirewallAlertMode : std::uint8_t { Off, Alert, Deny };
/// WAF policies: properties.policySettings.mode.
enum class WafMode : std::uint8_t { Detection, Prevention };
/// WAF policies: properties.policySettings.state.
enum class WafState : std::uint8_t { Disabled, Enabled };
/// Route tables: a route's nextHopType (the types a user route may have).
enum class UserNextHop : std::uint8_t { VirtualNetworkGateway, VnetLocal, Internet, VirtualAppliance, None };
/// Subnets: properties.privateEndpointNetworkPolicies (whether NSGs and route tables apply to the
/// private endpoints in the subnet).
enum class PrivateEndpointPolicies : std::uint8_t {
    Disabled,
    Enabled,
    NetworkSecurityGroupEnabled,
    RouteTableEnabled
};
/// Virtual machines: the operating system (osDisk.osType, or what the OS profile or image shows).
enum class OsType : std::uint8_t { Linux, Windows };
/// Role assignments: properties.principalType.
enum class PrincipalType : std::uint8_t { User, Group, ServicePrincipal, ForeignGroup, Device };
/// Virtual network gateways: properties.gatewayType.
enum class GatewayType : std::uint8_t { Vpn, ExpressRoute, LocalGateway };
/// Public IP addresses: sku.name (Basic is open to inbound traffic without an NSG; Standard closed).
enum class PublicIpSku : std::uint8_t { Basic, Standard };
/// Load balancers: sku.name.
enum class LoadBalancerSku : std::uint8_t { Basic, Standard, Gateway };
/// Load balancing and inbound NAT rules: properties.protocol (All: every TCP and UDP flow, HA ports).
enum class LoadBalancerProtocol : std::uint8_t { Tcp, Udp, All };
/// Load balancer health probes: properties.protocol.
enum class ProbeProtocol : std::uint8_t { Http, Tcp, Https };
/// Application gateways: properties.sku.name (v1 sizes, v2, and Basic).
enum class AppGatewaySku : std::uint8_t {
    StandardSmall,
    StandardMedium,
    StandardLarge,
    WafMedium,
    WafLarge,
    StandardV2,
    WafV2,
    Basic
};
/// Application gateways: properties.sku.tier.
enum class AppGatewayTier : std::uint8_t { Standard, Waf, StandardV2, WafV2, Basic };
/// Bastion hosts: sku.name.
enum class BastionSku : std::uint8_t { Basic, Standard, Developer, Premium };
/// Storage accounts: sku.name (performance tier and redundancy).
enum class StorageSku : std::uint8_t {
    StandardLrs,
    StandardGrs,
    StandardRagrs,
    StandardZrs,
    PremiumLrs,
    PremiumZrs,
    StandardGzrs,
    StandardRagzrs,
    StandardV2Lrs,
    StandardV2Grs,
    StandardV2Zrs,
    StandardV2Gzrs,
    PremiumV2Lrs,
    PremiumV2Zrs
};
/// Storage accounts: kind.
enum class StorageKind : std::uint8_t { Storage, StorageV2, BlobStorage, FileStorage, BlockBlobStorage };
/// Firewall policy rules: ruleType (classic rules take their collection's).
enum class FirewallRuleType : std::uint8_t { NatRule, NetworkRule, ApplicationRule };
/// Firewall rule collections: action.type.
enum class FirewallAction : std::uint8_t { Allow, Deny, Dnat };
/// What a firewall rule collection holds: the three classic lists, or a policy's NAT or filter
/// collection (ruleCollectionType), whose rules then name their own type.
enum class FirewallCollectionKind : std::uint8_t { Nat, Network, Application, Filter };
/// Defender for Cloud plans (Microsoft.Security/pricings): properties.pricingTier.
enum class PricingTier : std::uint8_t { Free, Standard };
/// IP configurations and public IPs: privateIPAllocationMethod, publicIPAllocationMethod.
enum class IpAllocation : std::uint8_t { Dynamic, Static };
/// IP configurations and public IPs: privateIPAddressVersion, publicIPAddressVersion.
enum class IpVersion : std::uint8_t { IPv4, IPv6 };

inline constexpr std::array<std::string_view, 4> kTlsVersionNames{"TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"};
inline constexpr std::array<std::string_view, 3> kPublicNetworkAccessNames{"Enabled", "Disabled",
                                                                           "SecuredByPerimeter"};
inline constexpr std::array<std::string_view, 2> kNetworkAclActionNames{"Allow", "Deny"};
inline constexpr std::array<std::string_view, 2> kKeySourceNames{"Microsoft.Storage", "Microsoft.Keyvault"};
inline constexpr std::array<std::string_view, 3> kVmSecurityTypeNames{"Standard", "TrustedLaunch",
                                                                      "ConfidentialVM"};
inline constexpr std::array<std::string_view, 3> kFirewallTierNames{"Basic", "Standard", "Premium"};
inline constexpr std::array<std::string_view, 3> kFirewallAlertModeNames{"Off", "Alert", "Deny"};
inline constexpr std::array<std::string_view, 2> kWafModeNames{"Detection", "Prevention"};
inline constexpr std::array<std::string_view, 2> kWafStateNames{"Disabled", "Enabled"};
inline constexpr std::array<std::string_view, 5> kUserNextHopNames{"VirtualNetworkGateway", "VnetLocal",
                                                                   "Internet", "VirtualAppliance", "None"};
inline constexpr std::array<std::string_view, 4> kPrivateEndpointPoliciesNames{
    "Disabled", "Enabled", "NetworkSecurityGroupEnabled", "RouteTableEnabled"};
inline constexpr std::array<std::string_view, 2> kOsTypeNames{"Linux", "Windows"};
inline constexpr std::array<std::string_view, 5> kPrincipalTypeNames{"User", "Group", "ServicePrincipal",
                                                                     "ForeignGroup", "Device"};
inline constexpr std::array<std::string_view, 3> kGatewayTypeNames{"Vpn", "ExpressRoute", "LocalGateway"};
inline constexpr std::array<std::string_view, 2> kPublicIpSkuNames{"Basic", "Standard"};
inline constexpr std::array<std::string_view, 3> kLoadBalancerSkuNames{"Basic", "Standard", "Gateway"};
inline constexpr std::array<std::string_view, 3> kLoadBalancerProtocolNames{"Tcp", "Udp", "All"};
inline constexpr std::array<std::string_view, 3> kProbeProtocolNames{"Http", "Tcp", "Https"};
inline constexpr std::array<std::string_view, 8> kAppGatewaySkuNames{
    "Standard_Small", "Standard_Medium", "Standard_Large", "WAF_Medium",
    "WAF_Large",      "Standard_v2",     "WAF_v2",         "Basic"};
inline constexpr std::array<std::string_view, 5> kAppGatewayTierNames{"Standard", "WAF", "Standard_v2",
                                                                      "WAF_v2", "Basic"};
inline constexpr std::array<std::string_view, 4> kBastionSkuNames{"Basic", "Standard", "Developer",
                                                                  "Premium"};
inline constexpr std::array<std::string_view, 14> kStorageSkuNames{
    "Standard_LRS",   "Standard_GRS",    "Standard_RAGRS",  "Standard_ZRS",   "Premium_LRS",
    "Premium_ZRS",    "Standard_GZRS",   "Standard_RAGZRS", "StandardV2_LRS", "StandardV2_GRS",
    "StandardV2_ZRS", "StandardV2_GZRS", "PremiumV2_LRS",   "PremiumV2_ZRS"};
inline constexpr std::array<std::string_view, 5> kStorageKindNames{"Storage", "StorageV2", "BlobStorage",
                                                                   "FileStorage", "BlockBlobStorage"};
inline constexpr std::array<std::string_view, 3> kFirewallRuleTypeNames{"NatRule", "NetworkRule",
                                                                        "ApplicationRule"};
inline constexpr std::array<std::string_view, 3> kFirewallActionNames{"Allow", "Deny", "Dnat"};
inline constexpr std::array<std::string_view, 4> kFirewallCollectionKindNames{"Nat", "Network", "Application",
                                                                              "Filter"};
inline constexpr std::array<std::string_view, 2> kPricingTierNames{"Free", "Standard"};
inline constexpr std::array<std::string_view, 2> kIpAllocationNames{"Dynamic", "Static"};
inline constexpr std::array<std::string_view, 2> kIpVersionNames{"IPv4", "IPv6"};

constexpr std::span<const std::string_view> azure_names(TlsVersion) {
    return kTlsVersionNames;
}
constexpr std::span<const std::string_view> azure_names(PublicNetworkAccess) {
    return kPublicNetworkAccessNames;
}
constexpr std::span<const std::string_view> azure_names(NetworkAclAction) {
    return kNetworkAclActionNames;
}
constexpr std::span<const std::string_view> azure_names(KeySource) {
    return kKeySourceNames;
}
constexpr std::span<const std::string_view> azure_names(VmSecurityType) {
    return kVmSecurityTypeNames;
}
constexpr std::span<const std::string_view> azure_names(FirewallTier) {
    return kFirewallTierNames;
}
constexpr std::span<const std::string_view> azure_names(FirewallAlertMode) {
    return kFirewallAlertModeNames;
}
constexpr std::span<const std::string_view> azure_names(WafMode) {
    return kWafModeNames;
}
constexpr std::span<const std::string_view> azure_names(WafState) {
    return kWafStateNames;
}
constexpr std::span<const std::string_view> azure_names(UserNextHop) {
    return kUserNextHopNames;
}
constexpr std::span<const std::string_view> azure_names(PrivateEndpointPolicies) {
    return kPrivateEndpointPoliciesNames;
}
constexpr std::span<const std::string_view> azure_names(OsType) {
    return kOsTypeNames;
}
constexpr std::span<const std::string_view> azure_names(PrincipalType) {
    return kPrincipalTypeNames;
}
constexpr std::span<const std::string_view> azure_names(GatewayType) {
    return kGatewayTypeNames;
}
constexpr std::span<const std::string_view> azure_names(PublicIpSku) {
    return kPublicIpSkuNames;
}
constexpr std::span<const std::string_view> azure_names(LoadBalancerSku) {
    return kLoadBalancerSkuNames;
}
constexpr std::span<const std::string_view> azure_names(LoadBalancerProtocol) {
    return kLoadBalancerProtocolNames;
}
constexpr std::span<const std::string_view> azure_names(ProbeProtocol) {
    return kProbeProtocolNames;
}
constexpr std::span<const std::string_view> azure_names(AppGatewaySku) {
    return kAppGatewaySkuNames;
}
constexpr std::span<const std::string_view> azure_names(AppGatewayTier) {
    return kAppGatewayTierNames;
}
constexpr std::span<const std::string_view> azure_names(BastionSku) {
    return kBastionSkuNames;
}
constexpr std::span<const std::string_view> azure_names(StorageSku) {
    return kStorageSkuNames;
}
constexpr std::span<const std::string_view> azure_names(StorageKind) {
    return kStorageKindNames;
}
constexpr std::span<const std::string_view> azure_names(FirewallRuleType) {
    return kFirewallRuleTypeNames;
}
constexpr std::span<const std::string_view> azure_names(FirewallAction) {
    return kFirewallActionNames;
}
constexpr std::span<const std::string_view> azure_names(FirewallCollectionKind) {
    return kFirewallCollectionKindNames;
}
constexpr std::span<const std::string_view> azure_names(PricingTier) {
    return kPricingTierNames;
}
constexpr std::span<const std::string_view> azure_names(IpAllocation) {
    return kIpAllocationNames;
}
constexpr std::span<const std::string_view> azure_names(IpVersion) {
    return kIpVersionNames;
}

/// An enum whose values Azure spells by azure_names().
template <class E>
concept AzureEnum = std::is_enum_v<E> && requires(E e) {
    { azure_names(e) } -> std::same_as<std::span<const std::string_view>>;
};

/// The value as Azure spells it ("TLS1_2").
template <AzureEnum E>
constexpr std::string_view name_of(E value) {
    return azure_names(E{})[static_cast<std::size_t>(value)];
}

/// The value Azure spells `text`, ignoring case; nullopt when it is none of them.
template <AzureEnum E>
constexpr std::optional<E> parse_azure(std::string_view text) {
    const std::span<const std::string_view> names = azure_names(E{});
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (ascii::iequals(names[i], text))
            return static_cast<E>(i);
    }
    return std::nullopt;
}

/// "TLS1_0, TLS1_1, TLS1_2 or TLS1_3", for messages that say what was expected.
template <AzureEnum E>
std::string expected_names() {
    const std::span<const std::string_view> names = azure_names(E{});
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            out += i + 1 == names.size() ? " or " : ", ";
        out += names[i];
    }
    return out;
}

} // namespace ztnet::model
