#include "ztnet/model/estate.h"

#include <algorithm>
#include <array>
#include <cassert>

#include "ztnet/model/resource_id.h"
#include "ztnet/support/ascii.h"

namespace ztnet::model {
namespace {

struct KindInfo {
    std::string_view arm_type;
    std::string_view name;
};

constexpr std::array<KindInfo, kResourceKindCount> kKinds{{
    {"Microsoft.Resources/resourceGroups", "resourceGroups"},
    {"Microsoft.Network/virtualNetworks", "virtualNetworks"},
    {"Microsoft.Network/virtualNetworks/subnets", "subnets"},
    {"Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "virtualNetworkPeerings"},
    {"Microsoft.Network/networkSecurityGroups", "networkSecurityGroups"},
    {"Microsoft.Network/applicationSecurityGroups", "applicationSecurityGroups"},
    {"Microsoft.Network/routeTables", "routeTables"},
    {"Microsoft.Network/networkInterfaces", "networkInterfaces"},
    {"Microsoft.Network/publicIPAddresses", "publicIPAddresses"},
    {"Microsoft.Network/loadBalancers", "loadBalancers"},
    {"Microsoft.Network/applicationGateways", "applicationGateways"},
    {"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", "wafPolicies"},
    {"Microsoft.Network/azureFirewalls", "azureFirewalls"},
    {"Microsoft.Network/firewallPolicies", "firewallPolicies"},
    {"Microsoft.Network/ipGroups", "ipGroups"},
    {"Microsoft.Network/bastionHosts", "bastionHosts"},
    {"Microsoft.Network/virtualNetworkGateways", "virtualNetworkGateways"},
    {"Microsoft.Network/ddosProtectionPlans", "ddosProtectionPlans"},
    {"Microsoft.Network/privateEndpoints", "privateEndpoints"},
    {"Microsoft.Compute/virtualMachines", "virtualMachines"},
    {"Microsoft.Storage/storageAccounts", "storageAccounts"},
    {"Microsoft.Network/networkWatchers", "networkWatchers"},
    {"Microsoft.Network/networkWatchers/flowLogs", "flowLogs"},
    {"Microsoft.Insights/diagnosticSettings", "diagnosticSettings"},
    {"Microsoft.Authorization/roleDefinitions", "roleDefinitions"},
    {"Microsoft.Authorization/roleAssignments", "roleAssignments"},
    // Several ARM types (PaasService::service says which): no one type stands for the kind.
    {"paas", "paasServices"},
    {"Microsoft.Network/privateDnsZones", "privateDnsZones"},
    {"other", "other"},
}};

// Calls `fn` with the vector that holds resources of `kind`.
template <class Estate, class Fn>
decltype(auto) with_vector(Estate& e, ResourceKind kind, Fn&& fn) {
    switch (kind) {
    case ResourceKind::ResourceGroup:
        return fn(e.resource_groups);
    case ResourceKind::VirtualNetwork:
        return fn(e.virtual_networks);
    case ResourceKind::Subnet:
        return fn(e.subnets);
    case ResourceKind::Peering:
        return fn(e.peerings);
    case ResourceKind::NetworkSecurityGroup:
        return fn(e.network_security_groups);
    case ResourceKind::ApplicationSecurityGroup:
        return fn(e.application_security_groups);
    case ResourceKind::RouteTable:
        return fn(e.route_tables);
    case ResourceKind::NetworkInterface:
        return fn(e.network_interfaces);
    case ResourceKind::PublicIpAddress:
        return fn(e.public_ip_addresses);
    case ResourceKind::LoadBalancer:
        return fn(e.load_balancers);
    case ResourceKind::ApplicationGateway:
        return fn(e.application_gateways);
    case ResourceKind::WafPolicy:
        return fn(e.waf_policies);
    case ResourceKind::AzureFirewall:
        return fn(e.azure_firewalls);
    case ResourceKind::FirewallPolicy:
        return fn(e.firewall_policies);
    case ResourceKind::IpGroup:
        return fn(e.ip_groups);
    case ResourceKind::BastionHost:
        return fn(e.bastion_hosts);
    case ResourceKind::VirtualNetworkGateway:
        return fn(e.virtual_network_gateways);
    case ResourceKind::DdosProtectionPlan:
        return fn(e.ddos_protection_plans);
    case ResourceKind::PrivateEndpoint:
        return fn(e.private_endpoints);
    case ResourceKind::VirtualMachine:
        return fn(e.virtual_machines);
    case ResourceKind::StorageAccount:
        return fn(e.storage_accounts);
    case ResourceKind::NetworkWatcher:
        return fn(e.network_watchers);
    case ResourceKind::FlowLog:
        return fn(e.flow_logs);
    case ResourceKind::DiagnosticSetting:
        return fn(e.diagnostic_settings);
    case ResourceKind::RoleDefinition:
        return fn(e.role_definitions);
    case ResourceKind::RoleAssignment:
        return fn(e.role_assignments);
    case ResourceKind::PaasService:
        return fn(e.paas_services);
    case ResourceKind::PrivateDnsZone:
        return fn(e.private_dns_zones);
    case ResourceKind::Other:
        break;
    }
    return fn(e.others);
}

} // namespace

std::string_view service_label(PaasServiceType type) {
    switch (type) {
    case PaasServiceType::KeyVault:
        return "Key Vault";
    case PaasServiceType::SqlServer:
        return "SQL server";
    case PaasServiceType::WebApp:
        return "App Service app";
    case PaasServiceType::Kubernetes:
        return "AKS cluster";
    case PaasServiceType::CosmosDb:
        return "Cosmos DB account";
    case PaasServiceType::ContainerRegistry:
        return "container registry";
    case PaasServiceType::EventHubs:
        return "Event Hubs namespace";
    case PaasServiceType::ServiceBus:
        return "Service Bus namespace";
    case PaasServiceType::PostgreSqlFlexible:
        return "PostgreSQL flexible server";
    case PaasServiceType::MySqlFlexible:
        return "MySQL flexible server";
    }
    return "PaaS service";
}

std::string_view entra_only_property(PaasServiceType type) {
    switch (type) {
    case PaasServiceType::SqlServer:
        return "azureADOnlyAuthentication";
    case PaasServiceType::CosmosDb:
    case PaasServiceType::EventHubs:
    case PaasServiceType::ServiceBus:
        return "disableLocalAuth";
    case PaasServiceType::ContainerRegistry:
        return "adminUserEnabled";
    case PaasServiceType::PostgreSqlFlexible:
        return "authConfig.passwordAuth";
    case PaasServiceType::MySqlFlexible:
        return "aad_auth_only";
    case PaasServiceType::KeyVault:
    case PaasServiceType::WebApp:
    case PaasServiceType::Kubernetes:
        break;
    }
    return {};
}

std::string_view basis_name(CoveredScope::Basis basis) {
    switch (basis) {
    case CoveredScope::Basis::Collected:
        return "collected";
    case CoveredScope::Basis::Seen:
        return "seen";
    case CoveredScope::Basis::Deployment:
        return "deployment";
    }
    return "seen";
}

std::string normalise_mac(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '-' || c == ':')
            continue;
        if (ascii::hex_value(c) < 0)
            return {};
        out += ascii::to_upper(c);
    }
    return out.size() == 12 ? out : std::string();
}

std::string_view arm_type(ResourceKind kind) {
    return kKinds[static_cast<std::size_t>(kind)].arm_type;
}

std::string_view admin_action_name(AdminAction action) {
    switch (action) {
    case AdminAction::Allow:
        return "Allow";
    case AdminAction::AlwaysAllow:
        return "AlwaysAllow";
    case AdminAction::Deny:
        return "Deny";
    }
    return "Deny";
}

std::string_view kind_name(ResourceKind kind) {
    return kKinds[static_cast<std::size_t>(kind)].name;
}

std::optional<ResourceRef> Estate::find(std::string_view id) const {
    auto it = by_id_.find(id_key(id));
    if (it == by_id_.end())
        return std::nullopt;
    return it->second;
}

const ExternalReference* Estate::find_external(std::string_view id) const {
    for (const ExternalReference& external : external_references)
        if (same_id(external.id, id))
            return &external;
    return nullptr;
}

bool Estate::index(std::string_view id, ResourceRef ref) {
    return by_id_.emplace(id_key(id), ref).second;
}

const Resource& Estate::resource(ResourceRef ref) const {
    return with_vector(*this, ref.kind, [&](const auto& v) -> const Resource& {
        assert(ref.index < v.size());
        return v[ref.index];
    });
}

Resource& Estate::resource(ResourceRef ref) {
    return with_vector(*this, ref.kind, [&](auto& v) -> Resource& {
        assert(ref.index < v.size());
        return v[ref.index];
    });
}

std::size_t Estate::count(ResourceKind kind) const {
    return with_vector(*this, kind, [](const auto& v) { return v.size(); });
}

std::string AddressEntry::text() const {
    switch (kind) {
    case Kind::Any:
        return "*";
    case Kind::Prefix:
        return prefix.to_string();
    case Kind::ServiceTag:
        return tag;
    }
    return "*";
}

std::string_view rule_field_name(RuleField field) {
    switch (field) {
    case RuleField::Priority:
        return "priority";
    case RuleField::InboundOrOutbound:
        return "direction";
    case RuleField::AllowOrDeny:
        return "access";
    case RuleField::Protocol:
        return "protocol";
    case RuleField::Source:
        return "source";
    case RuleField::Destination:
        return "destination";
    case RuleField::SourcePorts:
        return "source ports";
    case RuleField::DestinationPorts:
        return "destination ports";
    }
    return "field";
}

bool SecurityRule::is_unknown(RuleField field) const {
    return std::any_of(unknowns.begin(), unknowns.end(),
                       [field](const UnknownRuleField& u) { return u.field == field; });
}

std::string SecurityRule::unknowns_text() const {
    std::string out;
    for (const UnknownRuleField& u : unknowns) {
        if (!out.empty())
            out += "; ";
        out += rule_field_name(u.field);
        out += ": ";
        out += u.reason;
    }
    return out;
}

std::vector<GatewayIndex> gateways_reaching(const Estate& estate, VnetIndex vnet) {
    std::vector<GatewayIndex> out;
    auto add_in = [&](VnetIndex v) {
        for (GatewayIndex g : estate.virtual_network_gateways.indices()) {
            const VirtualNetworkGateway& gateway = estate.virtual_network_gateways[g];
            if (gateway.subnet != kNone && estate.subnets[gateway.subnet].virtual_network == v)
                out.push_back(g);
        }
    };
    add_in(vnet);
    for (PeeringIndex p : estate.virtual_networks[vnet].peerings) {
        const Peering& peering = estate.peerings[p];
        if (peering.use_remote_gateways && peering.remote_virtual_network != kNone)
            add_in(peering.remote_virtual_network);
    }
    return out;
}

} // namespace ztnet::model
