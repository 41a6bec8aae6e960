#include "ztnet/model/azure_defaults.h"

#include <cassert>

#include "ztnet/support/ascii.h"

namespace ztnet::model {
namespace {

using K = ResourceKind;

// Sources are Azure's REST API reference for the type (learn.microsoft.com/rest/api/...) unless a
// row names a page. Where Azure documents no default for an optional setting, the row says so and
// takes the value that does not hide a gap; the audit reports such a value as "absent (<value>)".
constexpr SettingDefault kDefaults[] = {
    // ---- storage accounts ----
    // Secure transfer is on by default for accounts created with API 2019-04-01 or later.
    {K::StorageAccount, "properties.supportsHttpsTrafficOnly", "true", "2019-04-01", "false", "true",
     "learn.microsoft.com/azure/storage/common/storage-require-secure-transfer"},
    // The reference reads an absent minimumTlsVersion as TLS 1.0 ("the default interpretation").
    {K::StorageAccount,
     "properties.minimumTlsVersion",
     "TLS1_0",
     {},
     {},
     "TLS1_0",
     "learn.microsoft.com/rest/api/storagerp/storage-accounts/create (minimumTlsVersion)"},
    // API versions before 2023-01-01 read an absent allowBlobPublicAccess as true, later ones as false.
    // Where the exact version of the change is unclear, the older reading is kept for older versions,
    // and an export (which may hold an account created before) reads it too.
    {K::StorageAccount, "properties.allowBlobPublicAccess", "false", "2023-01-01", "true", "true",
     "learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent"},
    // "The default value is null, which is equivalent to true."
    {K::StorageAccount,
     "properties.allowSharedKeyAccess",
     "true",
     {},
     {},
     "true",
     "learn.microsoft.com/rest/api/storagerp/storage-accounts/create (allowSharedKeyAccess)"},
    // Absent, public access is decided by the network rules alone: as Enabled.
    {K::StorageAccount,
     "properties.publicNetworkAccess",
     "Enabled",
     {},
     {},
     "Enabled",
     "learn.microsoft.com/azure/storage/common/storage-network-security"},
    {K::StorageAccount,
     "properties.networkAcls.defaultAction",
     "Allow",
     {},
     {},
     "Allow",
     "learn.microsoft.com/rest/api/storagerp/storage-accounts/create (NetworkRuleSet.defaultAction)"},
    {K::StorageAccount,
     "properties.encryption.keySource",
     "Microsoft.Storage",
     {},
     {},
     "Microsoft.Storage",
     "learn.microsoft.com/rest/api/storagerp/storage-accounts/create (Encryption.keySource)"},
    {K::StorageAccount,
     "properties.encryption.requireInfrastructureEncryption",
     "false",
     {},
     {},
     "false",
     "learn.microsoft.com/azure/storage/common/infrastructure-encryption-enable"},

    // ---- virtual machines and scale sets (their virtualMachineProfile) ----
    // Without a securityType the VM is a standard one: no trusted launch, no secure boot, no vTPM.
    {K::VirtualMachine,
     "properties.securityProfile.securityType",
     "Standard",
     {},
     {},
     "Standard",
     "learn.microsoft.com/azure/virtual-machines/trusted-launch"},
    {K::VirtualMachine,
     "properties.securityProfile.uefiSettings.secureBootEnabled",
     "false",
     {},
     {},
     "false",
     "learn.microsoft.com/rest/api/compute/virtual-machines/create-or-update (UefiSettings)"},
    {K::VirtualMachine,
     "properties.securityProfile.uefiSettings.vTpmEnabled",
     "false",
     {},
     {},
     "false",
     "learn.microsoft.com/rest/api/compute/virtual-machines/create-or-update (UefiSettings)"},
    // "The default behavior is: Encryption at host will be disabled unless this property is set to true."
    {K::VirtualMachine,
     "properties.securityProfile.encryptionAtHost",
     "false",
     {},
     {},
     "false",
     "learn.microsoft.com/rest/api/compute/virtual-machines/create-or-update (SecurityProfile)"},
    // Linux: password authentication stays on unless disablePasswordAuthentication is true.
    {K::VirtualMachine,
     "properties.osProfile.linuxConfiguration.disablePasswordAuthentication",
     "false",
     {},
     {},
     "false",
     "learn.microsoft.com/rest/api/compute/virtual-machines/create-or-update (LinuxConfiguration)"},

    // ---- Azure Firewall and its policy ----
    {K::AzureFirewall,
     "properties.sku.tier",
     "Standard",
     {},
     {},
     "Standard",
     "learn.microsoft.com/azure/firewall/choose-firewall-sku"},
    // Threat intelligence filtering is on in Alert mode unless set otherwise.
    {K::AzureFirewall,
     "properties.threatIntelMode",
     "Alert",
     {},
     {},
     "Alert",
     "learn.microsoft.com/azure/firewall/threat-intel"},
    {K::FirewallPolicy,
     "properties.sku.tier",
     "Standard",
     {},
     {},
     "Standard",
     "learn.microsoft.com/rest/api/firewall/firewall-policies/create-or-update (FirewallPolicySku)"},
    {K::FirewallPolicy,
     "properties.threatIntelMode",
     "Alert",
     {},
     {},
     "Alert",
     "learn.microsoft.com/azure/firewall/threat-intel"},
    // IDPS (Premium) is off until a mode is set.
    {K::FirewallPolicy,
     "properties.intrusionDetection.mode",
     "Off",
     {},
     {},
     "Off",
     "learn.microsoft.com/azure/firewall/premium-features (IDPS)"},

    // ---- WAF policies ----
    // The reference documents no default mode; the portal proposes Prevention, a template that says
    // nothing is read as Detection, the reading that does not hide a WAF that only logs.
    {K::WafPolicy,
     "properties.policySettings.mode",
     "Detection",
     {},
     {},
     "Detection",
     "learn.microsoft.com/rest/api/application-gateway/web-application-firewall-policies (PolicySettings)"},
    {K::WafPolicy,
     "properties.policySettings.state",
     "Enabled",
     {},
     {},
     "Enabled",
     "learn.microsoft.com/rest/api/application-gateway/web-application-firewall-policies (PolicySettings)"},

    // ---- subnets ----
    // Subnets of VNets created with API 2025-07-01 or later are private by default: no default
    // outbound access. An exported subnet may predate the change, so there absent reads as true.
    {K::Subnet, "properties.defaultOutboundAccess", "false", "2025-07-01", "true", "true",
     "learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access"},

    // NSGs and route tables do not apply to private endpoints unless the subnet says so.
    {K::Subnet,
     "properties.privateEndpointNetworkPolicies",
     "Disabled",
     {},
     {},
     "Disabled",
     "learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy"},

    // ---- addresses ----
    {K::NetworkInterface,
     "properties.ipConfigurations[].properties.privateIPAllocationMethod",
     "Dynamic",
     {},
     {},
     "Dynamic",
     "learn.microsoft.com/azure/virtual-network/ip-services/private-ip-addresses"},
    {K::NetworkInterface,
     "properties.ipConfigurations[].properties.privateIPAddressVersion",
     "IPv4",
     {},
     {},
     "IPv4",
     "learn.microsoft.com/rest/api/virtualnetwork/network-interfaces/create-or-update"},
    {K::PublicIpAddress,
     "sku.name",
     "Basic",
     {},
     {},
     "Basic",
     "learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses (SKU)"},
    // An absent load balancer SKU is Basic, the open-by-default SKU retired in 2025 but still what
    // the API reads when none is given.
    {K::LoadBalancer,
     "sku.name",
     "Basic",
     {},
     {},
     "Basic",
     "learn.microsoft.com/rest/api/load-balancer/load-balancers/create-or-update (LoadBalancerSku)"},
    // The reference gives no default for a Bastion host's sku.name; an absent one is read as Basic,
    // the SKU with the fewest connection features (no native client, no IP-based connection).
    {K::BastionHost,
     "sku.name",
     "Basic",
     {},
     {},
     "Basic",
     "learn.microsoft.com/azure/bastion/configuration-settings (SKUs)"},
    {K::PublicIpAddress,
     "properties.publicIPAllocationMethod",
     "Dynamic",
     {},
     {},
     "Dynamic",
     "learn.microsoft.com/rest/api/virtualnetwork/public-ip-addresses/create-or-update"},
    {K::PublicIpAddress,
     "properties.publicIPAddressVersion",
     "IPv4",
     {},
     {},
     "IPv4",
     "learn.microsoft.com/rest/api/virtualnetwork/public-ip-addresses/create-or-update"},

    // ---- PaaS services: the property is prefixed with the service's ARM type ----
    {K::PaasService,
     "Microsoft.KeyVault/vaults:properties.publicNetworkAccess",
     "Enabled",
     {},
     {},
     "Enabled",
     "learn.microsoft.com/rest/api/keyvault/keyvault/vaults/create-or-update (VaultProperties)"},
    // Without networkAcls a vault accepts every network.
    {K::PaasService,
     "Microsoft.KeyVault/vaults:properties.networkAcls.defaultAction",
     "Allow",
     {},
     {},
     "Allow",
     "learn.microsoft.com/azure/key-vault/general/network-security"},
    {K::PaasService,
     "Microsoft.KeyVault/vaults:properties.enablePurgeProtection",
     "false",
     {},
     {},
     "false",
     "learn.microsoft.com/azure/key-vault/general/soft-delete-overview"},
    // API 2026-02-01 made Azure RBAC the default for new vaults; an export's vault may be older.
    {K::PaasService, "Microsoft.KeyVault/vaults:properties.enableRbacAuthorization", "true", "2026-02-01",
     "false", "false", "learn.microsoft.com/azure/key-vault/general/access-control-default"},
    {K::PaasService,
     "Microsoft.Sql/servers:properties.publicNetworkAccess",
     "Enabled",
     {},
     {},
     "Enabled",
     "learn.microsoft.com/azure/azure-sql/database/connectivity-settings"},
    // Azure SQL retired TLS 1.0 and 1.1 on 31 August 2025: a server that sets no minimum gets 1.2.
    // An explicit "None" is still read as written, and reported.
    {K::PaasService,
     "Microsoft.Sql/servers:properties.minimalTlsVersion",
     "1.2",
     {},
     {},
     "1.2",
     "learn.microsoft.com/azure/azure-sql/database/connectivity-settings (minimal TLS version); "
     "techcommunity.microsoft.com/t5/azure-sql-blog/azure-sql-is-deprecating-the-no-minimum-tls-mintls-none/"
     "ba-p/4508933"},
    {K::PaasService,
     "Microsoft.Web/sites:properties.publicNetworkAccess",
     "Enabled",
     {},
     {},
     "Enabled",
     "learn.microsoft.com/azure/app-service/overview-access-restrictions"},
    {K::PaasService,
     "Microsoft.Web/sites:properties.httpsOnly",
     "false",
     {},
     {},
     "false",
     "learn.microsoft.com/azure/app-service/configure-ssl-bindings (enforce HTTPS)"},
    {K::PaasService,
     "Microsoft.Web/sites:properties.siteConfig.minTlsVersion",
     "1.2",
     {},
     {},
     "1.2",
     "learn.microsoft.com/azure/app-service/overview-tls"},
    {K::PaasService,
     "Microsoft.ContainerService/managedClusters:properties.publicNetworkAccess",
     "Enabled",
     {},
     {},
     "Enabled",
     "learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update"},
    {K::PaasService,
     "Microsoft.ContainerService/managedClusters:properties.disableLocalAccounts",
     "false",
     {},
     {},
     "false",
     "learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad"},
};

} // namespace

std::span<const SettingDefault> setting_defaults() {
    return kDefaults;
}

const SettingDefault& setting_default(ResourceKind kind, std::string_view property) {
    for (const SettingDefault& row : kDefaults) {
        if (row.kind == kind && ascii::iequals(row.property, property))
            return row;
    }
    assert(false && "no default for this setting in the table");
    return kDefaults[0];
}

std::string_view default_value(const SettingDefault& row, std::string_view api_version) {
    if (api_version.empty())
        return row.in_export;
    if (row.since.empty())
        return row.value;
    // API versions are dates, so their first ten characters order them ("-preview" aside).
    return api_version.substr(0, 10) >= row.since ? row.value : row.before;
}

} // namespace ztnet::model
