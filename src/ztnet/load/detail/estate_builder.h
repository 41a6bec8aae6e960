// Internal to build_estate(): the builder's state and the per-kind readers, which are split over
// build_network.cpp, build_security.cpp and build_workloads.cpp.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/load/detail/build_context.h"
#include "ztnet/load/raw_resource.h"
#include "ztnet/model/estate.h"

namespace ztnet::load::detail {

/// A site-to-site VPN connection's protocol (read from `protocol_field`, IKEv2 when absent) and the
/// weak algorithms its custom IPsec/IKE policies allow. build_hybrid.cpp.
model::GatewayConnection read_vpn_connection(FieldReader& read, std::string name, const Cursor& props,
                                             std::string_view protocol_field);

/// A resource waiting to be filled in: its kind, its slot, and the cursor over its body.
struct Staged {
    model::ResourceKind kind;
    model::Index index;
    Cursor body;
};

/// A child given apart from its parent (inline in the parent's properties or as a top-level
/// child resource), attached to the parent after every resource is indexed.
struct StagedChild {
    std::string parent_id;
    std::string id;
    Cursor body;
};

/// The ARM types read as PaaS services, and their children that hold network settings.
inline constexpr std::array<std::string_view, 10> kPaasTypes{"Microsoft.KeyVault/vaults",
                                                             "Microsoft.Sql/servers",
                                                             "Microsoft.Web/sites",
                                                             "Microsoft.ContainerService/managedClusters",
                                                             "Microsoft.DocumentDB/databaseAccounts",
                                                             "Microsoft.ContainerRegistry/registries",
                                                             "Microsoft.EventHub/namespaces",
                                                             "Microsoft.ServiceBus/namespaces",
                                                             "Microsoft.DBforPostgreSQL/flexibleServers",
                                                             "Microsoft.DBforMySQL/flexibleServers"};
inline constexpr std::array<std::string_view, 10> kPaasSettingChildren{
    "Microsoft.Sql/servers/firewallRules",
    "Microsoft.Sql/servers/azureADOnlyAuthentications",
    "Microsoft.Web/sites/config",
    "Microsoft.Web/sites/networkConfig",
    "Microsoft.EventHub/namespaces/networkRuleSets",
    "Microsoft.ServiceBus/namespaces/networkRuleSets",
    "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules",
    "Microsoft.DBforPostgreSQL/flexibleServers/configurations",
    "Microsoft.DBforMySQL/flexibleServers/firewallRules",
    "Microsoft.DBforMySQL/flexibleServers/configurations"};

/// The ARM type of a Front Door (and Azure CDN) WAF policy, read as a WAF policy.
inline constexpr std::string_view kFrontDoorWafPolicyType =
    "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies";

/// A Virtual WAN hub, read as the VNet that stands for it, and its connections, read as peerings.
inline constexpr std::string_view kVirtualHubType = "Microsoft.Network/virtualHubs";
inline constexpr std::string_view kHubConnectionType =
    "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections";
/// The one subnet of a hub's VNet, where its firewall sits and its router forwards.
inline constexpr std::string_view kHubSubnetName = "AzureFirewallSubnet";
/// How Azure names the peering it adds to a VNet connected to a hub ("..._<guid>").
inline constexpr std::string_view kHubPeeringPrefix = "RemoteVnetToHubPeering_";

/// The ARM type of a virtual machine scale set.
inline constexpr std::string_view kScaleSetType = "Microsoft.Compute/virtualMachineScaleSets";

/// The id a scale set's network interface configuration has as a network interface of the estate.
inline std::string scale_set_interface_id(const std::string& scale_set_id, const std::string& name) {
    return scale_set_id + "/networkInterfaceConfigurations/" + name;
}

/// The id of the public IP an ip configuration of a scale set's interface asks for.
inline std::string scale_set_public_ip_id(FieldReader& read, const std::string& nic_id, const Cursor& ip,
                                          const Cursor& public_ip) {
    return nic_id + "/ipConfigurations/" + read.string_or(ip["name"], "ipconfig") + "/publicIPAddresses/" +
           read.string_or(public_ip["name"], "publicip");
}

class EstateBuilder {
  public:
    EstateBuilder(Diagnostics& diagnostics, std::vector<model::CoveredScope> covered)
        : diagnostics_(diagnostics) {
        estate_.covered_scopes = std::move(covered);
    }
    model::Estate build(const std::vector<RawResource>& resources);

  private:
    // Pipeline (build_estate.cpp).
    void stage(const RawResource& raw);
    void stage_inline_children(const std::string& parent_id, model::ResourceKind kind, const Cursor& body);
    void stage_scale_set_interfaces(const std::string& scale_set_id, const Cursor& body);
    /// Gives each staged child to its parent in `table` (resolved by the child's parent id, a
    /// dangling one reported), once every resource is indexed.
    template <class T, class Attach>
    void attach_children(model::Table<T>& table, const std::vector<StagedChild>& children, Attach attach) {
        for (const StagedChild& c : children) {
            auto parent = resolve<T>(c.parent_id, c.body, true);
            if (parent != model::kNone)
                attach(table[parent], c);
        }
    }
    /// A resource of `kind` made from `body`; `parent_api_version` is the API version of the resource
    /// it is written inside, which it is deployed with when it names none of its own.
    bool create(model::ResourceKind kind, const std::string& id, const Cursor& body,
                std::string_view parent_api_version = {});
    void fill(const Staged& s);
    void link_back_references();
    /// The index of the resource `id` of type T, or kNone with a diagnostic (an error when `required`,
    /// since the traffic semantics then depend on something absent; otherwise a warning).
    template <class T>
    model::IndexOf<T> resolve(const std::string& id, const Cursor& at, bool required) {
        return model::IndexOf<T>(resolve_position(model::kKindOf<T>, id, at, required));
    }
    /// The same for a reference object ({"id": ...}).
    template <class T>
    model::IndexOf<T> resolve_ref(const Cursor& ref_object, bool required) {
        return model::IndexOf<T>(resolve_ref_position(model::kKindOf<T>, ref_object, required));
    }
    /// A reference to a resource that decides traffic (an NSG, a route table) of `r`. When it leads
    /// outside the input, or its id is unknown, returns kNone, says why in `unknown`, and records
    /// the reference among r's unknown fields.
    template <class T>
    model::IndexOf<T> resolve_deciding_ref(model::Resource& r, const Cursor& ref_object,
                                           std::string& unknown) {
        return model::IndexOf<T>(resolve_deciding_position(r, model::kKindOf<T>, ref_object, unknown));
    }
    model::Index resolve_position(model::ResourceKind kind, const std::string& id, const Cursor& at,
                                  bool required);
    model::Index resolve_ref_position(model::ResourceKind kind, const Cursor& ref_object, bool required);
    model::Index resolve_deciding_position(model::Resource& r, model::ResourceKind kind,
                                           const Cursor& ref_object, std::string& unknown);
    void report_external_references();
    /// Warns about resources that carry traffic ztnet does not model yet, and makes what passes them
    /// undecidable where it can tell (a VNet connected to a Virtual WAN hub). build_unmodelled.cpp.
    void mark_unmodelled_traffic();
    /// Virtual Network Manager: groups, security admin rules (build_network_manager.cpp).
    void read_network_managers();
    void link_on_premises();
    FieldReader reader(model::Resource& r) {
        return FieldReader(diagnostics_, &r.unknown_fields, r.api_version);
    }

    // Per kind (build_network.cpp).
    void fill_virtual_network(model::VirtualNetwork& v, const Cursor& body);
    void fill_subnet(model::Subnet& s, const Cursor& body);
    void fill_peering(model::Peering& p, const Cursor& body);
    /// The VNet holding a peering (its parent) and the remote VNet: `what` names it in errors.
    void read_peering_ends(model::Peering& p, FieldReader& read, const Cursor& body, std::string_view what);
    // build_virtual_wan.cpp
    void fill_virtual_hub(model::VirtualNetwork& v, const Cursor& body);
    void fill_hub_subnet(model::Subnet& s, const Cursor& hub_body);
    void fill_hub_connection(model::Peering& p, const Cursor& body);
    void link_virtual_hubs();
    // build_express_route.cpp, build_virtual_desktop.cpp
    void read_express_route_ports();
    void read_virtual_desktop();
    void fill_route_table(model::RouteTable& t, const Cursor& body);
    void add_route(model::RouteTable& t, const Cursor& body);
    void fill_network_interface(model::NetworkInterface& n, const Cursor& body);
    void fill_public_ip(model::PublicIpAddress& p, const Cursor& body);
    void fill_load_balancer(model::LoadBalancer& lb, const Cursor& body);
    void fill_application_gateway(model::ApplicationGateway& g, const Cursor& body);
    void fill_private_endpoint(model::PrivateEndpoint& p, const Cursor& body);
    void fill_bastion(model::BastionHost& b, const Cursor& body);
    void fill_gateway(model::VirtualNetworkGateway& g, const Cursor& body);
    model::Frontend read_frontend(model::Resource& owner, const Cursor& body);

    // Per kind (build_security.cpp).
    void fill_nsg(model::NetworkSecurityGroup& n, const Cursor& body);
    void add_security_rule(model::NetworkSecurityGroup& n, const std::string& id, const Cursor& body);
    void check_rule_priorities(const model::NetworkSecurityGroup& n);
    model::RuleEndpoint read_rule_endpoint(model::NetworkSecurityGroup& n, model::SecurityRule& rule,
                                           const Cursor& props, bool source);
    void fill_waf_policy(model::WafPolicy& w, const Cursor& body);
    void fill_firewall(model::AzureFirewall& f, const Cursor& body);
    void fill_firewall_policy(model::FirewallPolicy& p, const Cursor& body);
    void add_rule_collection_group(model::FirewallPolicy& p, const std::string& id, const Cursor& body);
    void fill_ip_group(model::IpGroup& g, const Cursor& body);

    // Per kind (build_workloads.cpp).
    void fill_virtual_machine(model::VirtualMachine& vm, const Cursor& body);
    void fill_storage_account(model::StorageAccount& s, const Cursor& body);
    void fill_flow_log(model::FlowLog& f, const Cursor& body);
    void fill_diagnostic_setting(model::DiagnosticSetting& d, const Cursor& body);
    void fill_role_definition(model::RoleDefinition& r, const Cursor& body);
    void fill_role_assignment(model::RoleAssignment& r, const Cursor& body);

    /// An App Gateway's TLS policy (properties.sslPolicy), or the default Azure applies.
    void read_ssl_policy(model::ApplicationGateway& g, const Cursor& props);
    /// What the guidance asks of a VM's disks, patching and custom data (build_workloads.cpp).
    void fill_vm_hardening(model::VirtualMachine& vm, const Cursor& body, const Cursor& props);
    /// Azure Disk Encryption extensions, given as child resources of their VM or scale set.
    void link_vm_extensions();

    // PaaS services (build_paas.cpp).
    void fill_paas_service(model::PaasService& s, const Cursor& body);
    /// A child that holds some of a service's settings: a SQL firewall rule, a SQL server's
    /// Entra-only authentication, an App Service app's web configuration.
    void add_paas_setting(model::PaasService& s, const std::string& id, const Cursor& body);
    /// A private DNS zone's virtual network link, and a private endpoint's zone group (inline in the
    /// endpoint's properties too).
    void add_dns_zone_link(model::PrivateDnsZone& zone, const Cursor& body);
    void add_dns_zone_group(model::PrivateEndpoint& endpoint, const Cursor& body);
    /// An App Service app's access restrictions (siteConfig, or the config/web child's properties).
    void read_site_restrictions(model::PaasService& s, const Cursor& config);
    /// An App Service app's WEBSITE_VNET_ROUTE_ALL app setting (siteConfig.appSettings).
    void read_route_all_setting(model::PaasService& s, const Cursor& config);
    /// The kinds of service that fill_paas_service reads, one per family of settings.
    void fill_vault_or_registry(model::PaasService& s, const Cursor& props);
    void fill_cosmos_account(model::PaasService& s, const Cursor& props);
    void fill_flexible_server(model::PaasService& s, const Cursor& props);
    /// An Event Hubs or Service Bus namespace's network rule set (networkRuleSets/default).
    void read_namespace_rules(model::PaasService& s, const Cursor& rules);
    /// A firewall rule child of a SQL server or a flexible server (startIpAddress, endIpAddress).
    void add_server_firewall_rule(model::PaasService& s, const Cursor& body);
    /// A flexible server's server parameter (configurations child): the ones about transport
    /// security and Entra-only authentication.
    void add_server_parameter(model::PaasService& s, const Cursor& body);

    Diagnostics& diagnostics_;
    model::Estate estate_;
    std::vector<Staged> staged_;
    std::vector<StagedChild> rules_;           // NSG security rules given as child resources
    std::vector<StagedChild> routes_;          // route table routes given as child resources
    std::vector<StagedChild> rule_groups_;     // firewall policy rule collection groups
    std::vector<StagedChild> paas_settings_;   // PaaS children that hold settings
    std::vector<StagedChild> dns_zone_links_;  // private DNS zones' virtual network links
    std::vector<StagedChild> dns_zone_groups_; // private endpoints' DNS zone groups
};

} // namespace ztnet::load::detail
