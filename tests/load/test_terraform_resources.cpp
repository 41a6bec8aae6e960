// A Terraform plan as an input: its azurerm resources become the estate an export of the deployed
// result would give, with the ids Azure will give them, the associations written into the subnet
// and NIC they change, and what is known only after apply left unknown.
#include <stdexcept>

#include <gtest/gtest.h>

#include "ztnet/load/loader.h"

namespace ztnet::load {
namespace {

struct Loaded {
    SourceSet sources;
    Diagnostics diagnostics;
    LoadResult result;
};

std::unique_ptr<Loaded> load_plan(const std::string& name = "web-vm", LoadOptions options = {}) {
    auto out = std::make_unique<Loaded>();
    out->result = load_paths({std::string(ZTNET_SOURCE_DIR) + "/tests/data/terraform/" + name + "/plan.json"},
                             options, out->sources, out->diagnostics);
    return out;
}

template <class T>
const T& named(const model::Table<T>& table, std::string_view name) {
    for (const T& r : table)
        if (r.name == name)
            return r;
    throw std::runtime_error("no resource named " + std::string(name));
}

bool said(const Loaded& loaded, std::string_view code, std::string_view text) {
    for (const Diagnostic& d : loaded.diagnostics.all())
        if (d.code == code && d.message.find(text) != std::string::npos)
            return true;
    return false;
}

TEST(TerraformResources, APlanBuildsTheEstateItDeploys) {
    auto loaded = load_plan();
    EXPECT_FALSE(loaded->diagnostics.has_errors());
    const model::Estate& e = loaded->result.estate;
    EXPECT_EQ(loaded->result.inputs.plans.size(), 1u);
    ASSERT_EQ(e.virtual_machines.size(), 1u);
    ASSERT_EQ(e.network_interfaces.size(), 1u);
    ASSERT_EQ(e.subnets.size(), 1u);
    ASSERT_EQ(e.network_security_groups.size(), 1u);
    // Ids Azure will give, in the default subscription.
    EXPECT_EQ(e.virtual_machines.begin()->id,
              "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/"
              "Microsoft.Compute/virtualMachines/vm-web");
    // The VM's NIC, the NIC's subnet and public IP, and the subnet's NSG, all found through the plan's
    // references (every one of those ids is known only after apply).
    const model::VirtualMachine& vm = *e.virtual_machines.begin();
    ASSERT_EQ(vm.network_interfaces.size(), 1u);
    const model::NetworkInterface& nic = e.network_interfaces[vm.network_interfaces.front()];
    ASSERT_EQ(nic.ip_configurations.size(), 1u);
    const model::IpConfiguration& config = nic.ip_configurations.front();
    ASSERT_NE(config.subnet, model::kNone);
    EXPECT_NE(config.public_ip, model::kNone);
    const model::Subnet& subnet = e.subnets[config.subnet];
    ASSERT_NE(subnet.network_security_group, model::kNone);
    const model::NetworkSecurityGroup& nsg = e.network_security_groups[subnet.network_security_group];
    EXPECT_EQ(nsg.name, "nsg-web");
    ASSERT_EQ(nsg.rules.size(), 2u);
    EXPECT_EQ(nsg.rules[1].name, "AllowRdpFromInternet");
    EXPECT_TRUE(nsg.rules[1].destination_port_set.contains(3389));
    // The address Azure picks stands in, as for a template's dynamic allocation.
    EXPECT_TRUE(config.address_stand_in);
}

TEST(TerraformResources, TypesNotReadYetAreSaid) {
    auto loaded = load_plan("hub-spoke");
    EXPECT_TRUE(said(*loaded, "terraform-unsupported-type", "azurerm_redis_cache (1)"));
}

const std::string kSub = "/subscriptions/00000000-0000-0000-0000-000000000000";

TEST(TerraformResources, HubAndSpokeLinksAreFoundThroughReferences) {
    auto loaded = load_plan("hub-spoke");
    for (const Diagnostic& d : loaded->diagnostics.all())
        EXPECT_NE(d.severity, Severity::Error) << d.code << ": " << d.message;
    EXPECT_FALSE(said(*loaded, "terraform-unresolved", ""));
    const model::Estate& e = loaded->result.estate;
    // Peerings both ways, to the VNets the plan creates.
    ASSERT_EQ(e.peerings.size(), 2u);
    for (const model::Peering& p : e.peerings) {
        ASSERT_NE(p.remote_virtual_network, model::kNone) << p.name;
        EXPECT_NE(p.remote_virtual_network, p.virtual_network);
        EXPECT_TRUE(p.allow_forwarded_traffic);
    }
    // The app subnet's route table, from a standalone association; propagation off.
    const model::Subnet& app = named(e.subnets, "snet-app");
    ASSERT_NE(app.route_table, model::kNone);
    const model::RouteTable& table = e.route_tables[app.route_table];
    EXPECT_TRUE(table.disable_bgp_route_propagation);
    ASSERT_EQ(table.routes.size(), 1u);
    EXPECT_EQ(table.routes[0].next_hop_type, model::UserNextHop::VirtualAppliance);
    // The firewall, its policy with its rule collection group (an IP group by reference), its subnet.
    ASSERT_EQ(e.azure_firewalls.size(), 1u);
    const model::AzureFirewall& fw = *e.azure_firewalls.begin();
    ASSERT_NE(fw.firewall_policy, model::kNone);
    ASSERT_NE(fw.subnet, model::kNone);
    EXPECT_EQ(e.subnets[fw.subnet].name, "AzureFirewallSubnet");
    const model::FirewallPolicy& policy = e.firewall_policies[fw.firewall_policy];
    EXPECT_EQ(policy.threat_intel_mode.value, model::FirewallAlertMode::Deny);
    EXPECT_EQ(policy.intrusion_detection_mode.value, model::FirewallAlertMode::Deny);
    ASSERT_EQ(policy.rule_collection_groups.size(), 1u);
    const auto& collections = policy.rule_collection_groups[0].collections;
    ASSERT_EQ(collections.size(), 2u);
    EXPECT_EQ(collections[0].rules[0].source_ip_groups,
              std::vector<std::string>{
                  kSub + "/resourceGroups/rg-hub/providers/Microsoft.Network/ipGroups/ipg-spoke"});
    EXPECT_EQ(collections[1].rules[0].target_fqdns, std::vector<std::string>{"packages.microsoft.com"});
    // The NSG rule's source ASG, and the NIC that joins it through an association.
    const model::NetworkSecurityGroup& nsg = named(e.network_security_groups, "nsg-data");
    ASSERT_EQ(nsg.rules[0].source.application_security_groups.size(), 1u);
    const model::NetworkInterface& nic_app = named(e.network_interfaces, "nic-app");
    ASSERT_EQ(nic_app.ip_configurations[0].application_security_groups.size(), 1u);
    EXPECT_EQ(nic_app.ip_configurations[0].application_security_groups[0],
              nsg.rules[0].source.application_security_groups[0]);
}

TEST(TerraformResources, LoadBalancerPartsJoinTheirLoadBalancer) {
    auto loaded = load_plan("hub-spoke");
    const model::Estate& e = loaded->result.estate;
    const model::LoadBalancer& lb = named(e.load_balancers, "lbi-data");
    const std::string id =
        kSub + "/resourceGroups/rg-spoke/providers/Microsoft.Network/loadBalancers/lbi-data";
    EXPECT_EQ(lb.sku.value, model::LoadBalancerSku::Standard);
    EXPECT_EQ(lb.backend_pools, std::vector<std::string>{id + "/backendAddressPools/bep-data"});
    ASSERT_EQ(lb.probes.size(), 1u);
    EXPECT_EQ(lb.probes[0].port, 1433);
    ASSERT_EQ(lb.rules.size(), 1u);
    EXPECT_EQ(lb.rules[0].frontend, id + "/frontendIPConfigurations/fe-data");
    EXPECT_EQ(lb.rules[0].backend_pool, id + "/backendAddressPools/bep-data");
    EXPECT_EQ(lb.rules[0].frontend_port, 1433);
    const model::NetworkInterface& nic = named(e.network_interfaces, "nic-data");
    EXPECT_EQ(nic.ip_configurations[0].load_balancer_backend_pools,
              std::vector<std::string>{id + "/backendAddressPools/bep-data"});
}

TEST(TerraformResources, DefaultsAreAzurermsAndRolesByNameAreKnown) {
    auto loaded = load_plan("hub-spoke");
    const model::Estate& e = loaded->result.estate;
    // The plan leaves the storage settings out: azurerm's defaults, not Azure's, are what it deploys.
    const model::StorageAccount& st = named(e.storage_accounts, "stlogs01");
    EXPECT_TRUE(st.https_only.value);
    EXPECT_TRUE(st.https_only.given());
    EXPECT_EQ(st.minimum_tls_version.value, model::TlsVersion::Tls1_2);
    EXPECT_TRUE(st.allow_blob_public_access.value);
    EXPECT_EQ(st.sku, model::StorageSku::StandardZrs);
    // The standalone network rules resource closes it.
    EXPECT_EQ(st.network_default_action.value, model::NetworkAclAction::Deny);
    // A built-in role named, not referenced by id.
    ASSERT_EQ(e.role_assignments.size(), 1u);
    const model::RoleAssignment& ra = *e.role_assignments.begin();
    EXPECT_EQ(ra.built_in_role, "Network Contributor");
    EXPECT_EQ(ra.scope, kSub + "/resourceGroups/rg-spoke");
    // Its GUID name is Azure's to give at apply: the address stands in, in its id and its name alike.
    EXPECT_EQ(ra.name, "azurerm_role_assignment.ops");
    EXPECT_TRUE(
        ra.id.ends_with("/providers/Microsoft.Authorization/roleAssignments/azurerm_role_assignment.ops"))
        << ra.id;
    // The diagnostic setting is on the firewall, into the workspace.
    ASSERT_EQ(e.diagnostic_settings.size(), 1u);
    const model::DiagnosticSetting& diag = *e.diagnostic_settings.begin();
    EXPECT_EQ(diag.scope_id,
              kSub + "/resourceGroups/rg-hub/providers/Microsoft.Network/azureFirewalls/afw-hub");
    EXPECT_EQ(diag.enabled_categories, std::vector<std::string>{"allLogs"});
}

TEST(TerraformResources, GatewaysConnectionsAndNatGatewaysAreLinked) {
    auto loaded = load_plan("hub-spoke");
    const model::Estate& e = loaded->result.estate;
    // The VPN gateway in GatewaySubnet reaches the office's prefixes through its connection.
    ASSERT_EQ(e.virtual_network_gateways.size(), 1u);
    const model::VirtualNetworkGateway& gateway = *e.virtual_network_gateways.begin();
    EXPECT_EQ(gateway.gateway_type, model::GatewayType::Vpn);
    ASSERT_NE(gateway.subnet, model::kNone);
    EXPECT_EQ(e.subnets[gateway.subnet].name, "GatewaySubnet");
    ASSERT_EQ(gateway.on_premises_prefixes.size(), 1u);
    EXPECT_EQ(gateway.on_premises_prefixes[0].to_string(), "192.168.10.0/24");
    EXPECT_TRUE(gateway.learns_unknown.empty()) << gateway.learns_unknown;
    // The connection's IPsec policy, whose SHA1 ZT-HUB-008 reports.
    ASSERT_EQ(gateway.connections.size(), 1u);
    EXPECT_EQ(gateway.connections[0].protocol, "IKEv2");
    EXPECT_EQ(gateway.connections[0].weak_crypto, std::vector<std::string>{"IKE integrity SHA1"});
    // The data subnet's NAT gateway, from a standalone association.
    EXPECT_EQ(named(e.subnets, "snet-data").nat_gateway,
              kSub + "/resourceGroups/rg-spoke/providers/Microsoft.Network/natGateways/ng-spoke");
    EXPECT_TRUE(named(e.subnets, "snet-app").nat_gateway.empty());
}

TEST(TerraformResources, PaasServicesCarryTheirNetworkSettings) {
    auto loaded = load_plan("hub-spoke");
    const model::Estate& e = loaded->result.estate;
    ASSERT_EQ(e.paas_services.size(), 9u);
    const model::PaasService& vault = named(e.paas_services, "kv-spoke");
    EXPECT_EQ(vault.service, model::PaasServiceType::KeyVault);
    EXPECT_EQ(vault.default_action.value, model::NetworkAclAction::Deny);
    ASSERT_EQ(vault.firewall_rules.size(), 1u);
    EXPECT_EQ(vault.firewall_rules[0].text, "203.0.113.0/24");
    EXPECT_FALSE(vault.purge_protection.value); // azurerm's default
    EXPECT_TRUE(vault.purge_protection.given());
    // The SQL server's firewall rule for every Azure service, found through server_id's reference.
    const model::PaasService& sql = named(e.paas_services, "sql-spoke");
    ASSERT_TRUE(sql.azure_services_rule.has_value());
    EXPECT_EQ(sql.azure_services_rule->name, "AllowAllWindowsAzureIps");
    EXPECT_EQ(sql.entra_only_authentication, std::optional<bool>(true));
    EXPECT_EQ(sql.minimum_tls.value, "1.2");
    // azurerm's https_only default is false: the app answers plain HTTP.
    const model::PaasService& app = named(e.paas_services, "app-spoke");
    EXPECT_FALSE(app.https_only.value);
    EXPECT_EQ(app.default_action.value, model::NetworkAclAction::Allow);
    const model::PaasService& aks = named(e.paas_services, "aks-spoke");
    EXPECT_EQ(aks.network_policy, "calico");
    EXPECT_TRUE(aks.local_accounts_disabled.value);
    EXPECT_EQ(aks.default_action.value, model::NetworkAclAction::Deny);
}

TEST(TerraformResources, AFrontDoorWafPolicyIsAWafPolicy) {
    auto loaded = load_plan("hub-spoke");
    const model::WafPolicy& policy = named(loaded->result.estate.waf_policies, "wafpedge");
    EXPECT_EQ(policy.type, "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies");
    EXPECT_EQ(policy.mode.value, model::WafMode::Detection);
    EXPECT_EQ(policy.state.value, model::WafState::Enabled);
    EXPECT_EQ(policy.managed_rule_sets, std::vector<std::string>{"DefaultRuleSet 1.0"});
}

TEST(TerraformResources, DataAndMessagingServicesCarryTheirSettings) {
    auto loaded = load_plan("hub-spoke");
    const model::Estate& e = loaded->result.estate;
    // 3.x's comma-separated ip_range_filter: one range, and the entry for every Azure datacenter.
    const model::PaasService& cosmos = named(e.paas_services, "cosmos-spoke");
    EXPECT_EQ(cosmos.service, model::PaasServiceType::CosmosDb);
    ASSERT_EQ(cosmos.firewall_rules.size(), 1u);
    EXPECT_EQ(cosmos.firewall_rules[0].text, "203.0.113.0/24");
    EXPECT_TRUE(cosmos.azure_services_rule.has_value());
    EXPECT_EQ(cosmos.entra_only_authentication, std::optional<bool>(true));
    EXPECT_EQ(cosmos.minimum_tls.value, "Tls12"); // azurerm's default
    const model::PaasService& registry = named(e.paas_services, "acrspoke");
    EXPECT_EQ(registry.entra_only_authentication, std::optional<bool>(false)); // admin_enabled
    EXPECT_EQ(registry.default_action.value, model::NetworkAclAction::Deny);
    // network_rulesets became the namespace's networkRuleSets/default child.
    const model::PaasService& hub = named(e.paas_services, "evh-spoke");
    EXPECT_EQ(hub.default_action.value, model::NetworkAclAction::Deny);
    ASSERT_EQ(hub.firewall_rules.size(), 1u);
    EXPECT_EQ(hub.entra_only_authentication, std::optional<bool>(true));
    // The PostgreSQL server in its delegated subnet, found through the reference, and its parameter.
    const model::PaasService& pg = named(e.paas_services, "pg-spoke");
    EXPECT_NE(pg.delegated_subnet_id.find("/subnets/snet-data"), std::string::npos) << pg.delegated_subnet_id;
    EXPECT_EQ(pg.public_network_access.value, model::PublicNetworkAccess::Disabled);
    EXPECT_FALSE(pg.require_secure_transport.value);
    EXPECT_EQ(pg.entra_only_authentication, std::optional<bool>(true));
    const model::PaasService& mysql = named(e.paas_services, "mysql-spoke");
    EXPECT_EQ(mysql.public_network_access.value, model::PublicNetworkAccess::Enabled);
    ASSERT_EQ(mysql.firewall_rules.size(), 1u);
    EXPECT_EQ(mysql.firewall_rules[0].text, "0.0.0.0-255.255.255.255");
}

TEST(TerraformResources, AVirtualWanHubIsReadAsFromATemplate) {
    auto loaded = load_plan("virtual-wan");
    EXPECT_FALSE(loaded->diagnostics.has_errors());
    const model::Estate& estate = loaded->result.estate;
    const model::VirtualNetwork& hub = named(estate.virtual_networks, "vhub-weu");
    ASSERT_TRUE(hub.virtual_hub);
    // The firewall is in the hub, by its virtual_hub block; its address is known after apply only.
    ASSERT_NE(hub.virtual_hub->firewall, model::kNone);
    const model::AzureFirewall& firewall = estate.azure_firewalls[hub.virtual_hub->firewall];
    EXPECT_EQ(firewall.name, "afw-vhub");
    ASSERT_EQ(hub.subnets.size(), 1u);
    EXPECT_EQ(firewall.subnet, hub.subnets[0]);
    EXPECT_FALSE(firewall.private_ip);
    // Routing intent's next hops name the firewall through the references: the three private
    // ranges and the default route go to it.
    EXPECT_EQ(hub.virtual_hub->to_firewall.size(), 4u);
    EXPECT_EQ(hub.virtual_hub->branch_gateways, std::vector<std::string>{"vpngw-vhub-weu"});
    // Both connections learn the other: pay's routing is Azure's default (azurerm computes the
    // block), crm names the hub's default route table through default_route_table_id.
    for (std::string_view spoke : {"vnet-pay", "vnet-crm"}) {
        const model::VirtualNetwork& v = named(estate.virtual_networks, spoke);
        ASSERT_EQ(v.peerings.size(), 1u) << spoke;
        const model::Peering& side = estate.peerings[v.peerings[0]];
        EXPECT_TRUE(side.virtual_hub_connection) << spoke;
        EXPECT_EQ(side.hub_routes_to.size(), 1u) << spoke; // the other one, not lab (it propagates elsewhere)
        EXPECT_EQ(side.propagates_default_route, spoke == "vnet-pay") << spoke;
        EXPECT_TRUE(v.routing_unknown.empty()) << v.routing_unknown;
    }
    // lab is associated with rt-isolated, which has a route (added by its own resource): ztnet does
    // not follow a custom table's routes, so lab's routing is unknown, and nobody learns lab's space
    // (it propagates to the label "isolated" only).
    const model::VirtualNetwork& lab = named(estate.virtual_networks, "vnet-lab");
    EXPECT_NE(lab.routing_unknown.find("rt-isolated"), std::string::npos) << lab.routing_unknown;
}

TEST(TerraformResources, HubLinksPortsAndSessionHostsAreRead) {
    auto loaded = load_plan("virtual-wan");
    const model::Estate& estate = loaded->result.estate;
    // The VPN gateway's site connection, with its one IKEv1 link.
    const model::VirtualNetwork& hub = named(estate.virtual_networks, "vhub-weu");
    ASSERT_EQ(hub.virtual_hub->branch_connections.size(), 1u);
    EXPECT_EQ(hub.virtual_hub->branch_connections[0].name, "vpngw-vhub-weu/conn-hq/link-a");
    EXPECT_EQ(hub.virtual_hub->branch_connections[0].protocol, "IKEv1");
    // The ExpressRoute port's two links: MACsec on link1 only.
    ASSERT_EQ(estate.express_route_links.size(), 2u);
    EXPECT_TRUE(estate.express_route_links[0].macsec);
    EXPECT_FALSE(estate.express_route_links[1].macsec);
    EXPECT_EQ(estate.express_route_links[1].name, "link2");
    // The host pool, and its session host registered by the DSC extension's settings.
    ASSERT_EQ(estate.host_pools.size(), 1u);
    EXPECT_EQ(estate.host_pools[0].public_network_access, "Enabled");
    const model::VirtualMachine& vm = named(estate.virtual_machines, "vm-avd-1");
    EXPECT_EQ(vm.host_pool, estate.others[estate.host_pools[0].resource].id);
}

TEST(TerraformResources, AScaleSetIsAVirtualMachineWithInstances) {
    auto loaded = load_plan("hub-spoke");
    const model::VirtualMachine& vmss = named(loaded->result.estate.virtual_machines, "vmss-web");
    EXPECT_TRUE(vmss.scale_set);
    EXPECT_EQ(vmss.instances, 3);
    ASSERT_EQ(vmss.network_interfaces.size(), 1u);
    const model::NetworkInterface& nic = loaded->result.estate.network_interfaces[vmss.network_interfaces[0]];
    EXPECT_EQ(nic.ip_configurations[0].application_security_groups.size(), 1u);
    EXPECT_EQ(vmss.security_type.value, model::VmSecurityType::TrustedLaunch);
}

TEST(TerraformResources, ThePriorStateIsTheEstateBeforeThePlan) {
    LoadOptions prior;
    prior.plan_side = LoadOptions::PlanSide::Prior;
    auto before = load_plan("opens-rdp", prior);
    auto after = load_plan("opens-rdp");
    EXPECT_FALSE(before->diagnostics.has_errors());
    EXPECT_FALSE(after->diagnostics.has_errors());
    EXPECT_EQ(named(before->result.estate.network_security_groups, "nsg-app").rules.size(), 1u);
    EXPECT_EQ(named(after->result.estate.network_security_groups, "nsg-app").rules.size(), 2u);
    // A plan that only creates has an empty state before it: everything it plans is new.
    auto created = load_plan("web-vm", prior);
    EXPECT_FALSE(created->diagnostics.has_errors());
    EXPECT_EQ(created->result.inputs.resources, 0u);
    // A state has no state before it to read.
    auto state = std::make_unique<Loaded>();
    state->result =
        load_paths({std::string(ZTNET_SOURCE_DIR) + "/tests/data/terraform/state/terraform.tfstate.json"},
                   prior, state->sources, state->diagnostics);
    EXPECT_TRUE(said(*state, "terraform-no-prior-state", "not a plan"));
}

} // namespace
} // namespace ztnet::load
