// PaaS checks (ZT-PAAS-*): the PaaS services of a spoke (Key Vaults, SQL servers, App Service apps,
// AKS clusters, Cosmos DB, container registries, Event Hubs, Service Bus, PostgreSQL and MySQL
// flexible servers) reached only through private endpoints or selected networks, encrypted in
// transit, and authenticated with Entra ID; Key Vaults recoverable and governed by Azure RBAC; AKS clusters
// segmented inside; private endpoints resolved through linked private DNS zones.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/families.h"
#include "ztnet/model/paas_kinds.h"
#include "ztnet/model/tls_version.h"
#include "ztnet/support/ascii.h"

namespace ztnet::checks::families {
namespace {

using model::PaasService;
using model::PaasServiceType;
using model::setting_text;
using model::value_text;
using support::Described;
using support::each_failing;

bool is(const PaasService& s, std::initializer_list<PaasServiceType> types) {
    for (PaasServiceType t : types)
        if (s.service == t)
            return true;
    return false;
}

bool flexible(const PaasService& s) {
    return is(s, {PaasServiceType::PostgreSqlFlexible, PaasServiceType::MySqlFlexible});
}

std::string label(const PaasService& s) {
    return fmt::format("{} {}", model::service_label(s.service), s.name);
}

bool public_endpoint(const PaasService& s) {
    if (s.service == PaasServiceType::Kubernetes && s.private_cluster)
        return false;
    return s.public_network_access.value == model::PublicNetworkAccess::Enabled;
}

// A firewall rule that admits the whole IPv4 Internet.
const model::PaasFirewallRule* whole_internet_rule(const PaasService& s) {
    for (const model::PaasFirewallRule& rule : s.firewall_rules)
        if (rule.first.is_v4() && rule.first.to_string() == "0.0.0.0" &&
            rule.last.to_string() == "255.255.255.255")
            return &rule;
    return nullptr;
}

// Every address reaches the endpoint: it is public, and its firewall admits what it does not name,
// or has a rule for the whole Internet.
bool open_to_every_network(const PaasService& s) {
    return public_endpoint(s) &&
           (s.default_action.value == model::NetworkAclAction::Allow || whole_internet_rule(s) != nullptr);
}

std::vector<Finding> open_endpoint(const CheckContext& context) {
    return each_failing(context.estate.paas_services, open_to_every_network, [](const PaasService& s) {
        const model::PaasFirewallRule* rule = whole_internet_rule(s);
        std::string why = rule != nullptr ? fmt::format("firewall rule {} admits {}", rule->name, rule->text)
                          : s.service == PaasServiceType::Kubernetes
                              ? std::string("the API server has no authorized IP ranges")
                              : fmt::format("the firewall admits every address it does not name "
                                            "(default action {})",
                                            setting_text(s.default_action));
        return Described{
            fmt::format("{} is reachable from every network on the Internet", label(s)),
            fmt::format("{} publicNetworkAccess: {}; {}", s.name, setting_text(s.public_network_access), why),
            rule != nullptr ? rule->where : s.default_action.where};
    });
}

std::vector<Finding> azure_services_rule(const CheckContext& context) {
    return each_failing(
        context.estate.paas_services,
        [](const PaasService& s) { return s.azure_services_rule.has_value() && public_endpoint(s); },
        [](const PaasService& s) {
            return Described{
                fmt::format("{} admits every Azure service, of any tenant, through its firewall", label(s)),
                fmt::format("{} firewall rule {}: 0.0.0.0-0.0.0.0 (Allow Azure services)", s.name,
                            s.azure_services_rule->name),
                s.azure_services_rule->where};
        });
}

// Every service but an AKS cluster (whose private cluster is ZT-PAAS-001's business) has a private
// endpoint; a flexible server in a delegated subnet is inside the virtual network already.
bool lacks_private_endpoint(const PaasService& s) {
    return s.service != PaasServiceType::Kubernetes && s.private_endpoints.empty() &&
           s.delegated_subnet_id.empty();
}

std::vector<Finding> no_private_endpoint(const CheckContext& context) {
    return each_failing(context.estate.paas_services, lacks_private_endpoint, [](const PaasService& s) {
        return Described{
            fmt::format("{} has no private endpoint: clients reach it over its public endpoint", label(s)),
            fmt::format("{}: no Microsoft.Network/privateEndpoints targets it", s.name), s.where};
    });
}

// The oldest version the setting admits ("TLSv1.2,TLSv1.3" admits 1.2 and later) is 1.2 or later.
bool tls_1_2_or_later(const std::string& setting) {
    const std::vector<std::string_view> versions = ascii::split_list(setting);
    return !versions.empty() && std::all_of(versions.begin(), versions.end(), [](std::string_view v) {
        const std::optional<int> minor = model::tls_minor_version(v);
        return minor && *minor >= 2;
    });
}

std::vector<Finding> old_tls(const CheckContext& context) {
    return each_failing(
        context.estate.paas_services,
        [](const PaasService& s) {
            return !s.minimum_tls.value.empty() && !tls_1_2_or_later(s.minimum_tls.value);
        },
        [](const PaasService& s) {
            if (model::same_id(s.minimum_tls.value, "None"))
                return Described{fmt::format("{} sets no minimum TLS version", label(s)),
                                 fmt::format("{} minimalTlsVersion: None", s.name), s.minimum_tls.where};
            return Described{fmt::format("{} accepts TLS versions older than 1.2", label(s)),
                             fmt::format("{} minimum TLS version: {}", s.name, setting_text(s.minimum_tls)),
                             s.minimum_tls.where};
        });
}

// An App Service app without httpsOnly, or a flexible server with require_secure_transport off.
bool accepts_plain_text(const PaasService& s) {
    if (s.service == PaasServiceType::WebApp)
        return !s.https_only.value;
    if (model::is_flexible_server(s.service))
        return !s.require_secure_transport.value;
    return false;
}

std::vector<Finding> plain_text(const CheckContext& context) {
    return each_failing(context.estate.paas_services, accepts_plain_text, [](const PaasService& s) {
        if (s.service == PaasServiceType::WebApp)
            return Described{fmt::format("{} serves plain HTTP", label(s)),
                             fmt::format("{} httpsOnly: {}", s.name, setting_text(s.https_only)),
                             s.https_only.where};
        return Described{fmt::format("{} accepts unencrypted connections", label(s)),
                         fmt::format("{} require_secure_transport: {}", s.name,
                                     s.require_secure_transport.value ? "ON" : "OFF"),
                         s.require_secure_transport.where};
    });
}

// An app's outbound calls that leave from App Service's shared addresses, not from the spoke: no
// VNet integration, or integration that takes only private-range traffic.
std::vector<Finding> outbound_around_the_network(const CheckContext& context) {
    return each_failing(
        context.estate.paas_services,
        [](const PaasService& s) {
            return s.service == PaasServiceType::WebApp &&
                   (s.vnet_integration_subnet_id.empty() || !s.vnet_route_all.value);
        },
        [](const PaasService& s) {
            if (s.vnet_integration_subnet_id.empty())
                return Described{fmt::format("{} calls out from App Service's shared addresses, outside the "
                                             "spoke: no VNet integration",
                                             label(s)),
                                 fmt::format("{}: no virtualNetworkSubnetId", s.name), s.where};
            return Described{
                fmt::format("{} sends only private-range calls into its integration subnet; "
                            "its Internet-bound calls go around the hub firewall",
                            label(s)),
                fmt::format("{} vnetRouteAllEnabled: {}", s.name, setting_text(s.vnet_route_all)),
                s.vnet_route_all.where};
        });
}

// What a service whose input leaves the Entra-only property out has.
std::string_view absent_entra_only(PaasServiceType type) {
    switch (type) {
    case PaasServiceType::PostgreSqlFlexible:
        return "absent (Enabled)";
    case PaasServiceType::MySqlFlexible:
        return "absent (OFF)";
    default:
        return "absent (false)";
    }
}

std::vector<Finding> entra_only(const CheckContext& context) {
    return each_failing(
        context.estate.paas_services,
        [](const PaasService& s) {
            return !model::entra_only_property(s.service).empty() &&
                   !s.entra_only_authentication.value_or(false);
        },
        [](const PaasService& s) {
            const std::string written = s.entra_only_evidence.empty()
                                            ? fmt::format("{}: {}", model::entra_only_property(s.service),
                                                          absent_entra_only(s.service))
                                            : s.entra_only_evidence;
            const std::string_view what = s.service == PaasServiceType::ContainerRegistry ? "its admin user"
                                          : s.service == PaasServiceType::SqlServer || flexible(s)
                                              ? "passwords"
                                              : "access keys";
            return Described{fmt::format("{} accepts {} besides Entra ID", label(s), what),
                             fmt::format("{} {}", s.name, written),
                             s.entra_only_evidence.empty() ? s.where : s.entra_only_where};
        });
}

std::vector<Finding> purge_protection(const CheckContext& context) {
    return each_failing(
        context.estate.paas_services,
        [](const PaasService& s) {
            return s.service == PaasServiceType::KeyVault && !s.purge_protection.value;
        },
        [](const PaasService& s) {
            return Described{
                fmt::format("{} can be purged with its keys and secrets before the retention ends", label(s)),
                fmt::format("{} enablePurgeProtection: {}", s.name, setting_text(s.purge_protection)),
                s.purge_protection.where};
        });
}

std::vector<Finding> vault_access_policies(const CheckContext& context) {
    return each_failing(
        context.estate.paas_services,
        [](const PaasService& s) {
            return s.service == PaasServiceType::KeyVault && !s.rbac_authorization.value;
        },
        [](const PaasService& s) {
            return Described{
                fmt::format("{} grants data access through vault access policies, not Azure RBAC", label(s)),
                fmt::format("{} enableRbacAuthorization: {}", s.name, setting_text(s.rbac_authorization)),
                s.rbac_authorization.where};
        });
}

std::vector<Finding> no_network_policy(const CheckContext& context) {
    return each_failing(
        context.estate.paas_services,
        [](const PaasService& s) {
            return s.service == PaasServiceType::Kubernetes && s.network_policy.empty();
        },
        [](const PaasService& s) {
            return Described{
                fmt::format("{} lets every pod reach every other pod: no network policy engine", label(s)),
                fmt::format("{} networkProfile.networkPolicy: none", s.name), s.where};
        });
}

std::vector<Finding> local_accounts(const CheckContext& context) {
    return each_failing(
        context.estate.paas_services,
        [](const PaasService& s) {
            return s.service == PaasServiceType::Kubernetes && !s.local_accounts_disabled.value;
        },
        [](const PaasService& s) {
            return Described{
                fmt::format("{} keeps its local admin account, which bypasses Entra ID", label(s)),
                fmt::format("{} disableLocalAccounts: {}", s.name, setting_text(s.local_accounts_disabled)),
                s.local_accounts_disabled.where};
        });
}

// ---- Private DNS

// The private DNS zone through which clients resolve a private endpoint's sub-resource (Azure's
// documented zone names, public cloud); empty for a group id not listed.
std::string_view private_zone_of(std::string_view group_id) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kZones{{
        {"vault", "privatelink.vaultcore.azure.net"},
        {"sqlServer", "privatelink.database.windows.net"},
        {"sites", "privatelink.azurewebsites.net"},
        {"blob", "privatelink.blob.core.windows.net"},
        {"blob_secondary", "privatelink.blob.core.windows.net"},
        {"file", "privatelink.file.core.windows.net"},
        {"queue", "privatelink.queue.core.windows.net"},
        {"table", "privatelink.table.core.windows.net"},
        {"dfs", "privatelink.dfs.core.windows.net"},
        {"web", "privatelink.web.core.windows.net"},
        {"registry", "privatelink.azurecr.io"},
        {"Sql", "privatelink.documents.azure.com"},
        {"namespace", "privatelink.servicebus.windows.net"},
        {"postgresqlServer", "privatelink.postgres.database.azure.com"},
        {"mysqlServer", "privatelink.mysql.database.azure.com"},
        {"configurationStores", "privatelink.azconfig.io"},
    }};
    for (const auto& [group, zone] : kZones)
        if (model::same_id(group, group_id))
            return zone;
    return {};
}

// The virtual network whose DNS resolves names for `vnet`: itself with Azure's DNS, else the one
// holding its custom DNS server (a resolver or forwarder); kNone when that server is outside the
// input, and then the check cannot tell.
model::VnetIndex resolving_vnet(const model::Estate& estate, model::VnetIndex vnet) {
    const model::VirtualNetwork& v = estate.virtual_networks[vnet];
    if (v.dns_servers.empty())
        return vnet;
    for (const std::string& server : v.dns_servers) {
        auto address = net::Address::parse(server);
        if (!address)
            continue;
        for (model::VnetIndex i : estate.virtual_networks.indices())
            for (const net::Prefix& prefix : estate.virtual_networks[i].address_space)
                if (prefix.contains(*address))
                    return i;
    }
    return model::kNone;
}

std::vector<Finding> private_dns(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::PrivateEndpoint& endpoint : estate.private_endpoints) {
        if (endpoint.subnet == model::kNone)
            continue;
        const model::VnetIndex vnet = estate.subnets[endpoint.subnet].virtual_network;
        if (vnet == model::kNone)
            continue;
        const model::VnetIndex resolver = resolving_vnet(estate, vnet);
        for (const std::string& group : endpoint.group_ids) {
            const std::string_view zone_name = private_zone_of(group);
            if (zone_name.empty() || resolver == model::kNone)
                continue;
            const bool registered = std::any_of(
                endpoint.dns_zone_ids.begin(), endpoint.dns_zone_ids.end(), [&](const std::string& id) {
                    return model::same_id(id.substr(id.rfind('/') + 1), zone_name);
                });
            const std::string& resolver_id = estate.virtual_networks[resolver].id;
            const bool linked =
                std::any_of(estate.private_dns_zones.begin(), estate.private_dns_zones.end(),
                            [&](const model::PrivateDnsZone& z) {
                                return model::same_id(z.name, zone_name) &&
                                       std::any_of(z.linked_vnet_ids.begin(), z.linked_vnet_ids.end(),
                                                   [&](const std::string& id) {
                                                       return model::same_id(id, resolver_id);
                                                   });
                            });
            if (registered && linked)
                continue;
            const std::string& resolver_name = estate.virtual_networks[resolver].name;
            Finding f = support::finding_on(
                endpoint,
                fmt::format("private endpoint {} ({}) resolves to the service's public address in {}",
                            endpoint.name, group, estate.virtual_networks[vnet].name));
            f.where = endpoint.where;
            std::string why =
                !registered
                    ? fmt::format("{}: no privateDnsZoneGroups entry registers it in {}", endpoint.name,
                                  zone_name)
                    : fmt::format("no private DNS zone {} in the input is linked to {}{}", zone_name,
                                  resolver_name, resolver == vnet ? "" : " (where its DNS server is)");
            f.evidence.push_back(Evidence{std::move(why), endpoint.where, std::nullopt});
            out.push_back(std::move(f));
        }
    }
    return out;
}

} // namespace

void add_paas(std::vector<Check>& out) {
    using P = Principle;
    using model::ResourceKind;
    constexpr ResourceKind kPaas = ResourceKind::PaasService;
    out.push_back(Check{
        .id = "ZT-PAAS-001",
        .title = "PaaS endpoint closed to the Internet",
        .principles = {P::VerifyExplicitly, P::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Spoke with PaaS: services reachable only through private endpoints or selected networks",
        .rationale = R"(
            A Key Vault, SQL or flexible database server, Cosmos DB account, registry, messaging
            namespace, App Service app or AKS API server whose public endpoint admits every address
            can be attacked from anywhere: credential stuffing, exploits of the service,
            exfiltration with stolen tokens or keys. Network position is one of the signals Zero
            Trust verifies; a public endpoint without a firewall gives it up.)",
        .remediation = R"(
            Set properties.publicNetworkAccess to "Disabled" and reach the service through a private
            endpoint; or keep it public with a firewall that denies what it does not name
            (networkAcls.defaultAction "Deny" for a Key Vault, networkRuleSet.defaultAction "Deny"
            for a registry, a networkRuleSets/default child with defaultAction "Deny" for an Event
            Hubs or Service Bus namespace, ipRules for a Cosmos DB account, access restrictions for
            an App Service app, authorizedIPRanges or a private cluster for AKS) and no rule for
            0.0.0.0-255.255.255.255.)",
        .run = open_endpoint,
        .reads = {{kPaas, "/properties/publicNetworkAccess"},
                  {kPaas, "/properties/networkAcls"},
                  {kPaas, "/properties/siteConfig/ipSecurityRestrictions"},
                  {kPaas, "/properties/apiServerAccessProfile"},
                  {kPaas, "/properties/networkRuleSet"},
                  {kPaas, "/properties/ipRules"},
                  {kPaas, "/properties/ipRangeFilter"},
                  {kPaas, "/properties/isVirtualNetworkFilterEnabled"},
                  {kPaas, "/properties/network"},
                  // a namespace's network rule set (the networkRuleSets child's own pointer)
                  {kPaas, "/properties/defaultAction"},
                  // a firewall rule's addresses (the child's own pointers)
                  {kPaas, "/properties/startIpAddress"},
                  {kPaas, "/properties/endIpAddress"}},
    });
    out.push_back(Check{
        .id = "ZT-PAAS-002",
        .title = "No firewall rule for all Azure services",
        .principles = {P::LeastPrivilege, P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Spoke with PaaS: database firewalls admit selected networks, not every Azure service",
        .rationale = R"(
            The firewall rule from 0.0.0.0 to 0.0.0.0 of a SQL or flexible server ("Allow Azure
            services and resources to access this server"), and the 0.0.0.0 IP rule of a Cosmos DB
            account ("Accept connections from within public Azure datacenters"), admit connections
            from any Azure resource, in any subscription of any tenant, not only the caller's:
            anyone can rent a VM in Azure and reach the service's login prompt.)",
        .remediation = R"(
            Delete the firewallRules child with startIpAddress and endIpAddress 0.0.0.0 (or the
            0.0.0.0 entry of a Cosmos DB account's ipRules); reach the service through a private
            endpoint, or name the callers' addresses or virtual network rules.)",
        .run = azure_services_rule,
        .reads = {{kPaas, "/properties/publicNetworkAccess"},
                  {kPaas, "/properties/ipRules"},
                  {kPaas, "/properties/ipRangeFilter"},
                  {kPaas, "/properties/startIpAddress"},
                  {kPaas, "/properties/endIpAddress"}},
    });
    out.push_back(Check{
        .id = "ZT-PAAS-003",
        .title = "PaaS service behind a private endpoint",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Spoke with PaaS: Key Vault, databases, registries, messaging and App Service reached "
                    "through private endpoints",
        .rationale = R"(
            A private endpoint gives the service an address in the spoke, so that its traffic stays
            on the virtual network, NSGs and the hub firewall see it, and the public endpoint can be
            switched off.)",
        .remediation = R"(
            Add a Microsoft.Network/privateEndpoints resource in the spoke whose
            privateLinkServiceConnections target the service (groupIds "vault", "sqlServer",
            "sites", "Sql", "registry", "namespace", "postgresqlServer" or "mysqlServer"), with
            its private DNS zone linked to the virtual networks that use it; then disable public
            network access. A flexible server can instead be deployed into a delegated subnet
            (properties.network.delegatedSubnetResourceId).)",
        .run = no_private_endpoint,
        .reads = {{kPaas, "/properties/network"}},
    });
    out.push_back(Check{
        .id = "ZT-PAAS-004",
        .title = "PaaS services require TLS 1.2 or later",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Encrypting network traffic: TLS 1.2 minimum across the PaaS services",
        .rationale = R"(
            TLS 1.0 and 1.1 have known weaknesses and no longer meet compliance baselines; a server
            that accepts them lets a client, or an attacker on the path, negotiate the weaker
            protocol.)",
        .remediation = R"(
            Set properties.minimalTlsVersion to "1.2" on a Microsoft.Sql/servers resource ("Tls12"
            on a Cosmos DB account), properties.minimumTlsVersion to "1.2" on an Event Hubs or
            Service Bus namespace, siteConfig.minTlsVersion to "1.2" on a Microsoft.Web/sites
            resource, and the server parameter ssl_min_protocol_version (PostgreSQL) or tls_version
            (MySQL) to TLSv1.2 or later on a flexible server.)",
        .run = old_tls,
        .reads = {{kPaas, "/properties/minimalTlsVersion"},
                  {kPaas, "/properties/minimumTlsVersion"},
                  {kPaas, "/properties/siteConfig/minTlsVersion"},
                  // a flexible server's parameter (the configurations child's own pointer)
                  {kPaas, "/properties/value"}},
    });
    out.push_back(Check{
        .id = "ZT-PAAS-005",
        .title = "PaaS services refuse unencrypted connections",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::High,
        .guidance = "Encrypting network traffic: HTTPS only, and encrypted database connections",
        .rationale = R"(
            An app that answers plain HTTP, or a database server that accepts unencrypted
            connections, sends cookies, tokens, credentials and data in clear text, and its clients
            cannot verify whom they talk to.)",
        .remediation = R"(
            Set properties.httpsOnly to true on the Microsoft.Web/sites resource: App Service then
            redirects every HTTP request to HTTPS. On a PostgreSQL or MySQL flexible server, set
            the server parameter require_secure_transport to ON (a configurations child).)",
        .run = plain_text,
        .reads = {{kPaas, "/properties/httpsOnly"}, {kPaas, "/properties/value"}},
    });
    out.push_back(Check{
        .id = "ZT-PAAS-006",
        .title = "PaaS services authenticate with Entra ID only",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Spoke with PaaS: Microsoft Entra-only authentication, no local keys or passwords",
        .rationale = R"(
            SQL logins, database passwords, account keys, shared access keys and a registry's admin
            user are secrets the service checks itself: no conditional access, no MFA, no central
            revocation, and they work from wherever they leak to. Entra-only authentication makes
            every connection verified by the identity provider.)",
        .remediation = R"(
            Set properties.administrators.azureADOnlyAuthentication to true on a
            Microsoft.Sql/servers resource (or its azureADOnlyAuthentications/Default child);
            properties.disableLocalAuth to true on a Cosmos DB account or an Event Hubs or Service
            Bus namespace; properties.adminUserEnabled to false on a container registry;
            authConfig.passwordAuth to "Disabled" on a PostgreSQL flexible server, and the server
            parameter aad_auth_only to ON on a MySQL flexible server.)",
        .run = entra_only,
        .reads = {{kPaas, "/properties/administrators"},
                  {kPaas, "/properties/azureADOnlyAuthentication"},
                  {kPaas, "/properties/disableLocalAuth"},
                  {kPaas, "/properties/adminUserEnabled"},
                  {kPaas, "/properties/authConfig"},
                  {kPaas, "/properties/value"}},
    });
    out.push_back(Check{
        .id = "ZT-PAAS-007",
        .title = "Key Vaults with purge protection",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Spoke with PaaS: Key Vault with soft delete and purge protection",
        .rationale = R"(
            Without purge protection, whoever gains the right to delete a vault can also purge it
            and its keys before the soft-delete retention ends: data encrypted with those keys is
            lost for good, a ransomware pattern.)",
        .remediation = R"(
            Set properties.enablePurgeProtection to true on the Microsoft.KeyVault/vaults resource
            (it cannot be turned off again).)",
        .run = purge_protection,
        .reads = {{kPaas, "/properties/enablePurgeProtection"}},
    });
    out.push_back(Check{
        .id = "ZT-PAAS-008",
        .title = "Key Vaults authorise with Azure RBAC",
        .principles = {P::LeastPrivilege},
        .severity = Severity::Low,
        .guidance = "Spoke with PaaS: Key Vault with the Azure RBAC permission model",
        .rationale = R"(
            Vault access policies grant whole categories (all secrets, all keys) per vault, and
            anyone who may write the vault's properties may grant themselves access. Azure RBAC
            scopes access to single keys and secrets and keeps granting access with the role
            administrators.)",
        .remediation = R"(
            Set properties.enableRbacAuthorization to true on the Microsoft.KeyVault/vaults resource
            and assign Key Vault data roles (Key Vault Secrets User, …) at the narrowest scope.)",
        .run = vault_access_policies,
        .reads = {{kPaas, "/properties/enableRbacAuthorization"}},
    });
    out.push_back(Check{
        .id = "ZT-PAAS-009",
        .title = "AKS clusters enforce network policy",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Spoke with PaaS: AKS with a network policy engine",
        .rationale = R"(
            Without a network policy engine every pod reaches every other pod and node: one
            compromised container moves laterally through the whole cluster.)",
        .remediation = R"(
            Set properties.networkProfile.networkPolicy to "azure", "calico" or "cilium" on the
            Microsoft.ContainerService/managedClusters resource, and write NetworkPolicies that
            allow only the application's flows.)",
        .run = no_network_policy,
    });
    out.push_back(Check{
        .id = "ZT-PAAS-010",
        .title = "AKS clusters without local accounts",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Spoke with PaaS: AKS with Entra ID integration and local accounts disabled",
        .rationale = R"(
            The cluster's local admin kubeconfig is a static credential that bypasses Entra ID and
            its conditional access; anyone who obtains it controls the cluster.)",
        .remediation = R"(
            Set properties.disableLocalAccounts to true on the
            Microsoft.ContainerService/managedClusters resource, with Entra ID integration
            (aadProfile) and Azure RBAC for Kubernetes authorization.)",
        .run = local_accounts,
        .reads = {{kPaas, "/properties/disableLocalAccounts"}},
    });
    out.push_back(Check{
        .id = "ZT-PAAS-011",
        .title = "Private endpoints resolve through a linked private DNS zone",
        .principles = {P::VerifyExplicitly, P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Spoke with PaaS: each private endpoint with its private DNS zone linked to the VNets "
                    "that use it",
        .rationale = R"(
            Clients reach a private endpoint by the service's name. Unless the endpoint is
            registered in the privatelink zone and that zone is linked to the virtual network whose
            DNS the clients use, the name resolves to the service's public address: traffic leaves
            through the Internet path, or fails once public access is closed.)",
        .remediation = R"(
            Add a privateDnsZoneGroups child to the Microsoft.Network/privateEndpoints resource that
            names the service's privatelink zone (privatelink.vaultcore.azure.net for a Key Vault,
            privatelink.database.windows.net for SQL, …), and a virtualNetworkLinks child of that
            Microsoft.Network/privateDnsZones zone for the spoke (or for the hub, where its DNS
            resolver runs).)",
        .run = private_dns,
        .needs = {"Microsoft.Network/privateDnsZones"},
        .needs_why =
            "private DNS zones often live in the connectivity subscription: add its export or template",
    });
    out.push_back(Check{
        .id = "ZT-PAAS-012",
        .title = "App Service apps call out through the spoke",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Spoke with PaaS: App Service with VNet integration, all outbound traffic routed "
                    "through the VNet",
        .rationale = R"(
            Without VNet integration an app's outbound calls leave from App Service's shared
            addresses: the spoke's NSGs, routes and hub firewall never see them, so a compromised
            app exfiltrates freely, and private endpoints are out of its reach. With integration
            but without route-all, only calls to private ranges enter the VNet.)",
        .remediation = R"(
            Set properties.virtualNetworkSubnetId on the Microsoft.Web/sites resource to a subnet
            delegated to Microsoft.Web/serverFarms in the spoke, and siteConfig.vnetRouteAllEnabled
            to true, so that the subnet's route table sends the app's egress to the hub firewall.)",
        .run = outbound_around_the_network,
        .reads = {{kPaas, "/properties/virtualNetworkSubnetId"},
                  {kPaas, "/properties/siteConfig/vnetRouteAllEnabled"},
                  {kPaas, "/properties/vnetRouteAllEnabled"},
                  {kPaas, "/properties/subnetResourceId"}},
    });
}

} // namespace ztnet::checks::families
