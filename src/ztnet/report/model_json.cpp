#include "ztnet/report/model_json.h"

#include <algorithm>
#include <tuple>

#include "ztnet/model/azure_enums.h"

namespace ztnet::report {

using json::Array;
using json::Object;
using json::Value;
using model::Estate;
using model::Index;
using model::kNone;

Value string_array(const std::vector<std::string>& items) {
    Array a;
    for (const auto& s : items)
        a.emplace_back(s);
    return a;
}

namespace {

template <class T>
Value prefixes(const std::vector<T>& items) {
    Array a;
    for (const auto& p : items)
        a.emplace_back(p.to_string());
    return a;
}

Value optional_address(const std::optional<net::Address>& a) {
    return a ? Value(a->to_string()) : Value();
}

// The id of the referenced resource, or null.
template <class T>
Value ref(const model::Table<T>& items, model::IndexOf<T> i) {
    return i == kNone ? Value() : Value(items[i].id);
}

template <class T>
Value refs(const model::Table<T>& items, const std::vector<model::IndexOf<T>>& indices) {
    Array a;
    for (model::IndexOf<T> i : indices)
        a.emplace_back(items[i].id);
    return a;
}

// An enumeration as Azure spells it.
template <model::AzureEnum E>
Value name(E value) {
    return Value(std::string(model::name_of(value)));
}

// An enumeration the input may not tell: empty when it does not (as before enumerations were enums).
template <model::AzureEnum E>
Value optional_name(const std::optional<E>& value) {
    return Value(value ? std::string(model::name_of(*value)) : std::string());
}

// A setting's value (Azure's default where the input leaves it out).
template <model::AzureEnum E>
Value setting(const model::Setting<E>& s) {
    return name(s.value);
}
Value setting(const model::Setting<bool>& s) {
    return Value(s.value);
}
Value setting(const model::Setting<std::string>& s) {
    return Value(s.value);
}

Object base(const model::Resource& r) {
    Object o;
    o.set("id", r.id);
    o.set("type", r.type);
    o.set("name", r.name);
    o.set("location", r.location);
    return o;
}

Value rule_endpoint(const Estate& e, const model::RuleEndpoint& side) {
    Object o;
    Array addresses;
    for (const auto& a : side.addresses)
        addresses.emplace_back(a.text());
    o.set("addresses", std::move(addresses));
    o.set("applicationSecurityGroups", refs(e.application_security_groups, side.application_security_groups));
    return o;
}

Value security_rule(const Estate& e, const model::SecurityRule& r) {
    Object o;
    o.set("name", r.name);
    o.set("priority", r.priority);
    o.set("direction", r.direction == model::Direction::Inbound ? "Inbound" : "Outbound");
    o.set("access", r.access == model::Access::Allow ? "Allow" : "Deny");
    o.set("protocol", r.protocol);
    o.set("source", rule_endpoint(e, r.source));
    o.set("sourcePorts", string_array(r.source_ports));
    o.set("destination", rule_endpoint(e, r.destination));
    o.set("destinationPorts", string_array(r.destination_ports));
    return o;
}

Value frontend(const Estate& e, const model::Frontend& f) {
    Object o;
    o.set("name", f.name);
    o.set("subnet", ref(e.subnets, f.subnet));
    o.set("privateIpAddress", optional_address(f.private_ip));
    o.set("publicIpAddress", ref(e.public_ip_addresses, f.public_ip));
    return o;
}

Value firewall_collections(const std::vector<model::FirewallRuleCollection>& collections) {
    Array out;
    for (const auto& c : collections) {
        Object o;
        o.set("name", c.name);
        o.set("priority", c.priority);
        o.set("kind", name(c.kind));
        o.set("action", optional_name(c.action));
        Array rules;
        for (const auto& r : c.rules) {
            Object ro;
            ro.set("name", r.name);
            ro.set("ruleType", optional_name(r.rule_type));
            ro.set("protocols", string_array(r.protocols));
            ro.set("sourceAddresses", string_array(r.source_addresses));
            ro.set("sourceIpGroups", string_array(r.source_ip_groups));
            ro.set("destinationAddresses", string_array(r.destination_addresses));
            ro.set("destinationIpGroups", string_array(r.destination_ip_groups));
            ro.set("destinationFqdns", string_array(r.destination_fqdns));
            ro.set("destinationPorts", string_array(r.destination_ports));
            ro.set("targetFqdns", string_array(r.target_fqdns));
            ro.set("fqdnTags", string_array(r.fqdn_tags));
            ro.set("webCategories", string_array(r.web_categories));
            ro.set("translatedAddress", r.translated_address);
            ro.set("translatedPort", r.translated_port);
            rules.emplace_back(std::move(ro));
        }
        o.set("rules", std::move(rules));
        out.emplace_back(std::move(o));
    }
    return out;
}

} // namespace

Object to_json(const Estate& /*estate*/, const model::ResourceGroup& r) {
    return base(r);
}

Object to_json(const Estate& e, const model::VirtualNetwork& v) {
    Object o = base(v);
    o.set("addressSpace", prefixes(v.address_space));
    o.set("subnets", refs(e.subnets, v.subnets));
    o.set("encryptionEnabled", v.encryption_enabled);
    o.set("ddosProtectionEnabled", v.ddos_protection_enabled);
    o.set("ddosProtectionPlan", ref(e.ddos_protection_plans, v.ddos_protection_plan));
    o.set("dnsServers", string_array(v.dns_servers));
    if (v.virtual_hub) {
        // A Virtual WAN hub: what its routing sends to its firewall, and its branch gateways.
        Object hub;
        hub.set("azureFirewall", ref(e.azure_firewalls, v.virtual_hub->firewall));
        Array to_firewall;
        for (const model::VirtualHubRouting::FirewallRoute& r : v.virtual_hub->to_firewall) {
            Object route;
            route.set("prefix", r.prefix.to_string());
            route.set("source", r.source);
            to_firewall.emplace_back(std::move(route));
        }
        hub.set("toFirewall", std::move(to_firewall));
        hub.set("branchGateways", string_array(v.virtual_hub->branch_gateways));
        o.set("virtualHub", std::move(hub));
    }
    return o;
}

Object to_json(const Estate& e, const model::Subnet& s) {
    Object o = base(s);
    o.set("virtualNetwork", ref(e.virtual_networks, s.virtual_network));
    o.set("addressPrefixes", prefixes(s.address_prefixes));
    o.set("networkSecurityGroup", ref(e.network_security_groups, s.network_security_group));
    o.set("routeTable", ref(e.route_tables, s.route_table));
    o.set("serviceEndpoints", string_array(s.service_endpoints));
    o.set("delegations", string_array(s.delegations));
    o.set("privateEndpointNetworkPolicies", name(s.private_endpoint_network_policies));
    o.set("defaultOutboundAccess", s.default_outbound_access);
    return o;
}

Object to_json(const Estate& e, const model::Peering& p) {
    Object o = base(p);
    o.set("virtualNetwork", ref(e.virtual_networks, p.virtual_network));
    o.set("remoteVirtualNetwork", p.remote_virtual_network_id);
    o.set("allowVirtualNetworkAccess", p.allow_virtual_network_access);
    o.set("allowForwardedTraffic", p.allow_forwarded_traffic);
    o.set("allowGatewayTransit", p.allow_gateway_transit);
    o.set("useRemoteGateways", p.use_remote_gateways);
    if (p.virtual_hub_connection) {
        o.set("virtualHubConnection", true);
        o.set("propagatesDefaultRoute", p.propagates_default_route);
        o.set("hubRoutesTo", refs(e.virtual_networks, p.hub_routes_to));
    }
    return o;
}

Object to_json(const Estate& e, const model::NetworkSecurityGroup& n) {
    Object o = base(n);
    std::vector<const model::SecurityRule*> sorted;
    for (const auto& r : n.rules)
        sorted.push_back(&r);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) {
        return std::tie(a->direction, a->priority, a->name) < std::tie(b->direction, b->priority, b->name);
    });
    Array rules;
    for (const auto* r : sorted)
        rules.push_back(security_rule(e, *r));
    o.set("securityRules", std::move(rules));
    o.set("subnets", refs(e.subnets, n.subnets));
    o.set("networkInterfaces", refs(e.network_interfaces, n.network_interfaces));
    return o;
}

Object to_json(const Estate& e, const model::ApplicationSecurityGroup& a) {
    Object o = base(a);
    Array members;
    for (const auto& [nic, config] : a.members)
        members.emplace_back(e.network_interfaces[nic].ip_configurations[config].id);
    o.set("members", std::move(members));
    return o;
}

Object to_json(const Estate& e, const model::RouteTable& t) {
    Object o = base(t);
    Array routes;
    for (const auto& r : t.routes) {
        Object ro;
        ro.set("name", r.name);
        ro.set("addressPrefix", r.address_prefix);
        ro.set("nextHopType", r.next_hop_type ? name(*r.next_hop_type) : Value());
        ro.set("nextHopIpAddress", optional_address(r.next_hop_ip));
        routes.emplace_back(std::move(ro));
    }
    o.set("routes", std::move(routes));
    o.set("disableBgpRoutePropagation", t.disable_bgp_route_propagation);
    o.set("subnets", refs(e.subnets, t.subnets));
    return o;
}

Object to_json(const Estate& e, const model::NetworkInterface& n) {
    Object o = base(n);
    Array configs;
    for (const auto& c : n.ip_configurations) {
        Object co;
        co.set("id", c.id);
        co.set("name", c.name);
        co.set("subnet", ref(e.subnets, c.subnet));
        co.set("privateIpAddress", optional_address(c.private_ip));
        co.set("privateIpAllocation", name(c.private_ip_allocation));
        if (c.address_stand_in)
            co.set("privateIpAddressStandsIn", true); // for whichever free address Azure assigns
        if (!c.candidate_ips.empty()) {               // one per piece of free addresses the rules tell apart
            Array candidates;
            for (const net::Address& a : c.candidate_ips)
                candidates.push_back(a.to_string());
            co.set("privateIpAddressCandidates", std::move(candidates));
            co.set("privateIpAddressCandidatesReason", c.candidates_reason);
        }
        if (!c.address_undecidable.empty())
            co.set("privateIpAddressUndecidable", c.address_undecidable);
        co.set("primary", c.primary);
        co.set("publicIpAddress", ref(e.public_ip_addresses, c.public_ip));
        co.set("applicationSecurityGroups",
               refs(e.application_security_groups, c.application_security_groups));
        co.set("loadBalancerBackendPools", string_array(c.load_balancer_backend_pools));
        co.set("applicationGatewayBackendPools", string_array(c.application_gateway_backend_pools));
        configs.emplace_back(std::move(co));
    }
    o.set("ipConfigurations", std::move(configs));
    o.set("networkSecurityGroup", ref(e.network_security_groups, n.network_security_group));
    o.set("virtualMachine", ref(e.virtual_machines, n.virtual_machine));
    o.set("ipForwarding", n.ip_forwarding);
    return o;
}

Object to_json(const Estate& /*estate*/, const model::PublicIpAddress& p) {
    Object o = base(p);
    o.set("sku", setting(p.sku));
    o.set("allocation", name(p.allocation));
    o.set("ipAddress", optional_address(p.ip_address));
    o.set("ipVersion", name(p.ip_version));
    o.set("attachedTo", p.attached_to);
    return o;
}

Object to_json(const Estate& e, const model::LoadBalancer& lb) {
    Object o = base(lb);
    o.set("sku", setting(lb.sku));
    Array fronts;
    for (const auto& f : lb.frontends)
        fronts.push_back(frontend(e, f));
    o.set("frontends", std::move(fronts));
    o.set("backendPools", string_array(lb.backend_pools));
    Array rules;
    for (const auto& r : lb.rules) {
        Object ro;
        ro.set("name", r.name);
        ro.set("frontend", r.frontend);
        ro.set("backendPool", r.backend_pool);
        ro.set("protocol", optional_name(r.protocol));
        ro.set("frontendPort", r.frontend_port);
        ro.set("backendPort", r.backend_port);
        ro.set("probe", r.probe);
        rules.emplace_back(std::move(ro));
    }
    o.set("rules", std::move(rules));
    Array probes;
    for (const auto& p : lb.probes) {
        Object po;
        po.set("name", p.name);
        po.set("protocol", optional_name(p.protocol));
        po.set("port", p.port);
        probes.emplace_back(std::move(po));
    }
    o.set("probes", std::move(probes));
    return o;
}

Object to_json(const Estate& e, const model::ApplicationGateway& g) {
    Object o = base(g);
    o.set("skuName", optional_name(g.sku_name));
    o.set("skuTier", optional_name(g.sku_tier));
    o.set("subnets", refs(e.subnets, g.subnets));
    Array fronts;
    for (const auto& f : g.frontends)
        fronts.push_back(frontend(e, f));
    o.set("frontends", std::move(fronts));
    Array ports;
    for (int p : g.frontend_ports)
        ports.emplace_back(p);
    o.set("frontendPorts", std::move(ports));
    Array pools;
    for (const auto& pool : g.backend_pool_addresses)
        pools.push_back(string_array(pool));
    o.set("backendPools", std::move(pools));
    o.set("wafEnabled", g.waf_enabled);
    o.set("wafMode", optional_name(g.waf_mode));
    o.set("wafPolicy", ref(e.waf_policies, g.waf_policy));
    o.set("sslPolicy", setting(g.ssl_policy));
    return o;
}

Object to_json(const Estate& /*estate*/, const model::WafPolicy& w) {
    Object o = base(w);
    o.set("mode", setting(w.mode));
    o.set("state", setting(w.state));
    o.set("managedRuleSets", string_array(w.managed_rule_sets));
    return o;
}

Object to_json(const Estate& e, const model::AzureFirewall& f) {
    Object o = base(f);
    o.set("skuTier", setting(f.sku_tier));
    o.set("threatIntelMode", setting(f.threat_intel_mode));
    o.set("subnet", ref(e.subnets, f.subnet));
    o.set("privateIpAddress", optional_address(f.private_ip));
    o.set("publicIpAddresses", refs(e.public_ip_addresses, f.public_ips));
    o.set("firewallPolicy", ref(e.firewall_policies, f.firewall_policy));
    o.set("ruleCollections", firewall_collections(f.classic_collections));
    return o;
}

Object to_json(const Estate& e, const model::FirewallPolicy& p) {
    Object o = base(p);
    o.set("skuTier", setting(p.sku_tier));
    o.set("threatIntelMode", setting(p.threat_intel_mode));
    o.set("intrusionDetectionMode", setting(p.intrusion_detection_mode));
    o.set("tlsInspection", p.tls_inspection);
    o.set("basePolicy", ref(e.firewall_policies, p.base_policy));
    Array groups;
    for (const auto& g : p.rule_collection_groups) {
        Object go;
        go.set("id", g.id);
        go.set("name", g.name);
        go.set("priority", g.priority);
        go.set("ruleCollections", firewall_collections(g.collections));
        groups.emplace_back(std::move(go));
    }
    o.set("ruleCollectionGroups", std::move(groups));
    return o;
}

Object to_json(const Estate& /*estate*/, const model::IpGroup& g) {
    Object o = base(g);
    o.set("ipAddresses", string_array(g.ip_addresses));
    return o;
}

Object to_json(const Estate& e, const model::BastionHost& b) {
    Object o = base(b);
    o.set("sku", setting(b.sku));
    o.set("subnet", ref(e.subnets, b.subnet));
    return o;
}

Object to_json(const Estate& e, const model::VirtualNetworkGateway& g) {
    Object o = base(g);
    o.set("gatewayType", optional_name(g.gateway_type));
    o.set("subnet", ref(e.subnets, g.subnet));
    o.set("bgpEnabled", g.bgp_enabled);
    return o;
}

Object to_json(const Estate& /*estate*/, const model::DdosProtectionPlan& d) {
    return base(d);
}

Object to_json(const Estate& e, const model::PrivateEndpoint& p) {
    Object o = base(p);
    o.set("subnet", ref(e.subnets, p.subnet));
    o.set("targets", string_array(p.target_resource_ids));
    o.set("groupIds", string_array(p.group_ids));
    Array ips;
    for (const auto& ip : p.private_ips)
        ips.emplace_back(ip.to_string());
    o.set("privateIpAddresses", std::move(ips));
    if (!p.dns_zone_ids.empty())
        o.set("privateDnsZones", string_array(p.dns_zone_ids));
    return o;
}

Object to_json(const Estate& e, const model::VirtualMachine& vm) {
    Object o = base(vm);
    o.set("networkInterfaces", refs(e.network_interfaces, vm.network_interfaces));
    o.set("securityType", setting(vm.security_type));
    o.set("secureBoot", setting(vm.secure_boot));
    o.set("vTpm", setting(vm.vtpm));
    o.set("encryptionAtHost", setting(vm.encryption_at_host));
    o.set("azureDiskEncryption", vm.azure_disk_encryption);
    o.set("diskEncryptionSet", vm.disk_encryption_set_id);
    o.set("patchMode", setting(vm.patch_mode));
    o.set("customDataCredentials", static_cast<std::int64_t>(vm.custom_data_secrets.size()));
    o.set("osType", optional_name(vm.os_type));
    o.set("passwordAuthentication", !vm.disable_password_authentication.value);
    if (vm.scale_set)
        o.set("instances", vm.instances);
    return o;
}

Object to_json(const Estate& e, const model::StorageAccount& s) {
    Object o = base(s);
    o.set("kind", optional_name(s.kind));
    o.set("sku", optional_name(s.sku));
    o.set("httpsOnly", setting(s.https_only));
    o.set("minimumTlsVersion", setting(s.minimum_tls_version));
    o.set("allowBlobPublicAccess", setting(s.allow_blob_public_access));
    o.set("allowSharedKeyAccess", setting(s.allow_shared_key_access));
    o.set("publicNetworkAccess", setting(s.public_network_access));
    o.set("networkDefaultAction", setting(s.network_default_action));
    o.set("encryptionKeySource", setting(s.encryption_key_source));
    o.set("infrastructureEncryption", setting(s.infrastructure_encryption));
    o.set("privateEndpoints", refs(e.private_endpoints, s.private_endpoints));
    return o;
}

Object to_json(const Estate& /*estate*/, const model::NetworkWatcher& w) {
    return base(w);
}

Object to_json(const Estate& /*estate*/, const model::FlowLog& f) {
    Object o = base(f);
    o.set("target", f.target_resource_id);
    o.set("storageId", f.storage_id);
    o.set("enabled", f.enabled);
    o.set("retentionEnabled", f.retention_enabled);
    o.set("retentionDays", f.retention_days);
    o.set("formatVersion", f.format_version);
    o.set("trafficAnalytics", f.traffic_analytics);
    return o;
}

Object to_json(const Estate& /*estate*/, const model::DiagnosticSetting& d) {
    Object o = base(d);
    o.set("scope", d.scope_id);
    o.set("workspaceId", d.workspace_id);
    o.set("storageAccountId", d.storage_account_id);
    o.set("enabledCategories", string_array(d.enabled_categories));
    return o;
}

Object to_json(const Estate& /*estate*/, const model::RoleDefinition& r) {
    Object o = base(r);
    o.set("roleName", r.role_name);
    o.set("custom", r.custom);
    o.set("actions", string_array(r.actions));
    o.set("notActions", string_array(r.not_actions));
    o.set("dataActions", string_array(r.data_actions));
    o.set("assignableScopes", string_array(r.assignable_scopes));
    return o;
}

Object to_json(const Estate& e, const model::RoleAssignment& r) {
    Object o = base(r);
    o.set("scope", r.scope);
    o.set("roleDefinitionId", r.role_definition_id);
    o.set("roleDefinition", ref(e.role_definitions, r.role_definition));
    o.set("builtInRole", r.built_in_role);
    o.set("principalId", r.principal_id);
    o.set("principalType", optional_name(r.principal_type));
    return o;
}

Object to_json(const Estate& e, const model::PaasService& s) {
    Object o = base(s);
    o.set("service", std::string(model::service_label(s.service)));
    o.set("publicNetworkAccess", setting(s.public_network_access));
    o.set("defaultAction", setting(s.default_action));
    Array rules;
    for (const model::PaasFirewallRule& rule : s.firewall_rules)
        rules.emplace_back(rule.text);
    o.set("firewallRules", std::move(rules));
    o.set("allowsAzureServices", s.azure_services_rule.has_value());
    o.set("privateEndpoints", refs(e.private_endpoints, s.private_endpoints));
    if (!model::entra_only_property(s.service).empty())
        o.set("entraOnlyAuthentication",
              s.entra_only_authentication ? Value(*s.entra_only_authentication) : Value());
    if (!s.minimum_tls.value.empty())
        o.set("minimumTlsVersion", s.minimum_tls.value);
    switch (s.service) {
    case model::PaasServiceType::KeyVault:
        o.set("purgeProtection", setting(s.purge_protection));
        o.set("rbacAuthorization", setting(s.rbac_authorization));
        break;
    case model::PaasServiceType::WebApp:
        o.set("httpsOnly", setting(s.https_only));
        o.set("vnetIntegrationSubnet", s.vnet_integration_subnet_id);
        o.set("vnetRouteAll", setting(s.vnet_route_all));
        break;
    case model::PaasServiceType::Kubernetes:
        o.set("privateCluster", s.private_cluster);
        o.set("networkPolicy", s.network_policy);
        o.set("localAccountsDisabled", setting(s.local_accounts_disabled));
        break;
    case model::PaasServiceType::PostgreSqlFlexible:
    case model::PaasServiceType::MySqlFlexible:
        o.set("requireSecureTransport", setting(s.require_secure_transport));
        o.set("delegatedSubnet", s.delegated_subnet_id);
        break;
    case model::PaasServiceType::SqlServer:
    case model::PaasServiceType::CosmosDb:
    case model::PaasServiceType::ContainerRegistry:
    case model::PaasServiceType::EventHubs:
    case model::PaasServiceType::ServiceBus:
        break;
    }
    return o;
}

Object to_json(const Estate& /*estate*/, const model::PrivateDnsZone& z) {
    Object o = base(z);
    o.set("linkedVirtualNetworks", string_array(z.linked_vnet_ids));
    return o;
}

Object to_json(const Estate& /*estate*/, const model::OtherResource& r) {
    return base(r);
}

} // namespace ztnet::report
