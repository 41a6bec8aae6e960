// The network's azurerm types: resource groups, virtual networks and subnets, peerings, NSGs and
// their rules, ASGs, network interfaces, public IPs, route tables, NAT gateways, DDoS plans, private
// endpoints, Bastion, gateways and their connections, and the associations between them.
#include <fmt/format.h>

#include "ztnet/load/azurerm/translation.h"
#include "ztnet/load/terraform_resources.h"
#include "ztnet/support/ascii.h"

namespace ztnet::load::azurerm {
namespace {

using Base = IdRecipe::Base;

void virtual_network(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    if (std::optional<Value> space = given(attr(r, "address_space")))
        child(p, "addressSpace").set("addressPrefixes", std::move(*space));
    if (std::optional<Value> dns = given(attr(r, "dns_servers"));
        dns && (!dns->is_array() || !dns->as_array().empty()))
        child(p, "dhcpOptions").set("dnsServers", std::move(*dns));
    if (const Value* ddos = first_block(attr(r, "ddos_protection_plan"))) {
        put(p, "enableDdosProtection", ddos->find("enable"));
        if (Value plan =
                t.link(r, ddos->find("id"), "ddos_protection_plan", {"azurerm_network_ddos_protection_plan"});
            !plan.is_null())
            p.set("ddosProtectionPlan", id_object(std::move(plan)));
    }
    // An encryption block turns encryption on; its enforcement is required.
    if (const Value* encryption = first_block(attr(r, "encryption"))) {
        Object& e = child(p, "encryption");
        e.set("enabled", true);
        put(e, "enforcement", encryption->find("enforcement"));
    }
    if (const Value* inline_blocks = attr(r, "subnet");
        inline_blocks != nullptr && inline_blocks->is_array()) {
        Array subnets;
        for (const Value& block : inline_blocks->as_array()) {
            Object s;
            put(s, "name", block.find("name"));
            Object& sp = child(s, "properties");
            if (const Value* prefixes = block.find("address_prefixes"))
                put(sp, "addressPrefixes", prefixes);
            else
                put(sp, "addressPrefix", block.find("address_prefix"));
            if (Value nsg =
                    t.link(r, block.find("security_group"), "subnet", {"azurerm_network_security_group"});
                !nsg.is_null())
                sp.set("networkSecurityGroup", id_object(std::move(nsg)));
            subnets.emplace_back(std::move(s));
        }
        p.set("subnets", std::move(subnets));
    }
}

void subnet(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "addressPrefixes", attr(r, "address_prefixes"));
    Array endpoints;
    for (const Value& e : blocks(attr(r, "service_endpoints"))) {
        Object o;
        o.set("service", e);
        endpoints.emplace_back(std::move(o));
    }
    if (!endpoints.empty())
        p.set("serviceEndpoints", std::move(endpoints));
    Array delegations;
    for (const Value& d : blocks(attr(r, "delegation"))) {
        Object o;
        put(o, "name", d.find("name"));
        Object& inner = child(o, "properties");
        if (const Value* service = first_block(d.find("service_delegation")))
            put(inner, "serviceName", service->find("name"));
        delegations.emplace_back(std::move(o));
    }
    if (!delegations.empty())
        p.set("delegations", std::move(delegations));
    // azurerm 4.x: "Disabled", "Enabled", "NetworkSecurityGroupEnabled", "RouteTableEnabled"; 3.x a bool.
    const Value* policies =
        either(r, {"private_endpoint_network_policies", "private_endpoint_network_policies_enabled"});
    if (policies != nullptr && policies->is_bool())
        p.set("privateEndpointNetworkPolicies", Value(policies->as_bool() ? "Enabled" : "Disabled"));
    else
        put(p, "privateEndpointNetworkPolicies", policies);
    put(p, "defaultOutboundAccess", attr(r, "default_outbound_access_enabled"));
}

void peering(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    if (Value remote = t.link(r, attr(r, "remote_virtual_network_id"), "remote_virtual_network_id",
                              {"azurerm_virtual_network"});
        !remote.is_null())
        p.set("remoteVirtualNetwork", id_object(std::move(remote)));
    // azurerm's defaults: access true, forwarded traffic, gateway transit and remote gateways false.
    put_or(p, "allowVirtualNetworkAccess", attr(r, "allow_virtual_network_access"), true);
    put_or(p, "allowForwardedTraffic", attr(r, "allow_forwarded_traffic"), false);
    put_or(p, "allowGatewayTransit", attr(r, "allow_gateway_transit"), false);
    put_or(p, "useRemoteGateways", attr(r, "use_remote_gateways"), false);
}

// A rule's fields, from a standalone rule's values or an inline block.
Object security_rule(Translation& t, const ResourceInstance& r, const Value& v, std::string_view top) {
    Object p;
    for (const RuleField& f : azurerm_rule_fields()) {
        const Value* value = v.find(f.azurerm);
        // azurerm writes an empty list for the singular's sake: a list counts when it holds something.
        if (f.list && value != nullptr && value->is_array() && value->as_array().empty())
            continue;
        put(p, std::string(f.arm), value);
    }
    for (const auto& [tf, arm] :
         {std::pair{"source_application_security_group_ids", "sourceApplicationSecurityGroups"},
          std::pair{"destination_application_security_group_ids", "destinationApplicationSecurityGroups"}}) {
        const Value* ids = v.find(tf);
        if (ids == nullptr || (ids->is_array() && ids->as_array().empty()) || ids->is_null())
            continue;
        Array groups;
        const std::string key = top.empty() ? std::string(tf) : Translation::in_block(r, top, v, tf);
        for (Value& id : t.link_list(r, ids, key, "azurerm_application_security_group"))
            groups.push_back(id_object(std::move(id)));
        p.set(arm, std::move(groups));
    }
    return p;
}

void security_group(Translation& t, const ResourceInstance& r, Object& body) {
    Array rules;
    for (const Value& block : blocks(attr(r, "security_rule"))) {
        Object rule;
        put(rule, "name", block.find("name"));
        rule.set("properties", security_rule(t, r, block, "security_rule"));
        rules.emplace_back(std::move(rule));
    }
    properties(body).set("securityRules", std::move(rules));
}

void standalone_rule(Translation& t, const ResourceInstance& r, Object& body) {
    body.set("properties", security_rule(t, r, r.values, ""));
}

void network_interface(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    Array configs;
    for (const Value& block : blocks(attr(r, "ip_configuration"))) {
        Object c;
        put(c, "name", block.find("name"));
        Object& cp = child(c, "properties");
        if (Value id = t.link(r, block.find("subnet_id"), Translation::in_block(r, "ip_configuration", block),
                              {"azurerm_subnet"});
            !id.is_null())
            cp.set("subnet", id_object(std::move(id)));
        put(cp, "privateIPAllocationMethod", block.find("private_ip_address_allocation"));
        const Value* method = block.find("private_ip_address_allocation");
        if (method != nullptr && method->is_string() && ascii::iequals(method->as_string(), "Static"))
            put(cp, "privateIPAddress", block.find("private_ip_address"));
        put_or(cp, "privateIPAddressVersion", block.find("private_ip_address_version"), "IPv4");
        put(cp, "primary", block.find("primary"));
        if (Value pip = t.link(r, block.find("public_ip_address_id"),
                               Translation::in_block(r, "ip_configuration", block), {"azurerm_public_ip"});
            !pip.is_null())
            cp.set("publicIPAddress", id_object(std::move(pip)));
        configs.emplace_back(std::move(c));
    }
    p.set("ipConfigurations", std::move(configs));
    put(p, "enableIPForwarding", either(r, {"ip_forwarding_enabled", "enable_ip_forwarding"}));
    put(p, "enableAcceleratedNetworking",
        either(r, {"accelerated_networking_enabled", "enable_accelerated_networking"}));
}

void public_ip(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "publicIPAllocationMethod", attr(r, "allocation_method"));
    put(p, "ipAddress", attr(r, "ip_address"));
    put_or(p, "publicIPAddressVersion", attr(r, "ip_version"), "IPv4");
    // azurerm 4.x's default SKU is Standard (3.x: Basic).
    child(body, "sku").set("name", given(attr(r, "sku")).value_or(Value("Standard")));
    put(body, "zones", attr(r, "zones"));
}

Object route(const Value& v) {
    Object o;
    put(o, "name", v.find("name"));
    Object& p = child(o, "properties");
    put(p, "addressPrefix", v.find("address_prefix"));
    put(p, "nextHopType", v.find("next_hop_type"));
    put(p, "nextHopIpAddress", v.find("next_hop_in_ip_address"));
    return o;
}

void route_table(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    Array routes;
    for (const Value& block : blocks(attr(r, "route")))
        routes.emplace_back(route(block));
    p.set("routes", std::move(routes));
    // 4.x: bgp_route_propagation_enabled (default true); 3.x: disable_bgp_route_propagation.
    if (const Value* on = attr(r, "bgp_route_propagation_enabled"); on != nullptr && on->is_bool())
        p.set("disableBgpRoutePropagation", !on->as_bool());
    else
        put_or(p, "disableBgpRoutePropagation", attr(r, "disable_bgp_route_propagation"), false);
}

void standalone_route(Translation&, const ResourceInstance& r, Object& body) {
    Object o = route(r.values);
    body.set("properties", *o.find("properties"));
}

void nat_gateway(Translation&, const ResourceInstance& r, Object& body) {
    child(body, "sku").set("name", given(attr(r, "sku_name")).value_or(Value("Standard")));
    put(properties(body), "idleTimeoutInMinutes", attr(r, "idle_timeout_in_minutes"));
    put(body, "zones", attr(r, "zones"));
}

void ddos_plan(Translation&, const ResourceInstance&, Object&) {}

void private_endpoint(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    if (Value subnet_id = t.link(r, attr(r, "subnet_id"), "subnet_id", {"azurerm_subnet"});
        !subnet_id.is_null())
        p.set("subnet", id_object(std::move(subnet_id)));
    for (const Value& c : blocks(attr(r, "private_service_connection"))) {
        Object connection;
        put(connection, "name", c.find("name"));
        Object& cp = child(connection, "properties");
        if (Value target = t.link(r, c.find("private_connection_resource_id"),
                                  Translation::in_block(r, "private_service_connection", c), {});
            !target.is_null())
            cp.set("privateLinkServiceId", std::move(target));
        put(cp, "groupIds", c.find("subresource_names"));
        const Value* manual = c.find("is_manual_connection");
        const bool is_manual = manual != nullptr && manual->is_bool() && manual->as_bool();
        append(p, is_manual ? "manualPrivateLinkServiceConnections" : "privateLinkServiceConnections",
               std::move(connection));
    }
    put(p, "customNetworkInterfaceName", attr(r, "custom_network_interface_name"));
    for (const Value& group : blocks(attr(r, "private_dns_zone_group"))) {
        Object g;
        put(g, "name", group.find("name"));
        Array configs;
        for (Value& zone : t.link_list(r, group.find("private_dns_zone_ids"), "private_dns_zone_group",
                                       "azurerm_private_dns_zone")) {
            Object config;
            child(config, "properties").set("privateDnsZoneId", std::move(zone));
            configs.emplace_back(std::move(config));
        }
        child(g, "properties").set("privateDnsZoneConfigs", std::move(configs));
        append(p, "privateDnsZoneGroups", std::move(g));
    }
    for (const Value& c : blocks(attr(r, "ip_configuration"))) {
        Object config;
        put(config, "name", c.find("name"));
        Object& cp = child(config, "properties");
        put(cp, "privateIPAddress", c.find("private_ip_address"));
        put(cp, "groupId", c.find("subresource_name"));
        put(cp, "memberName", c.find("member_name"));
        append(p, "ipConfigurations", std::move(config));
    }
}

void bastion(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    child(body, "sku").set("name", given(attr(r, "sku")).value_or(Value("Basic")));
    p.set("ipConfigurations", ip_configurations(t, r, "ip_configuration"));
    put(p, "enableTunneling", attr(r, "tunneling_enabled"));
    put(p, "enableIpConnect", attr(r, "ip_connect_enabled"));
    put(p, "enableShareableLink", attr(r, "shareable_link_enabled"));
    if (const Value* copy = attr(r, "copy_paste_enabled"); copy != nullptr && copy->is_bool())
        p.set("disableCopyPaste", !copy->as_bool());
    put(p, "scaleUnits", attr(r, "scale_units"));
}

void network_gateway(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "gatewayType", attr(r, "type"));
    put(p, "vpnType", attr(r, "vpn_type"));
    put_or(p, "enableBgp", attr(r, "bgp_enabled"), false);
    if (const Value* enable = attr(r, "enable_bgp"); enable != nullptr && enable->is_bool())
        p.set("enableBgp", *enable);
    if (std::optional<Value> sku = given(attr(r, "sku"))) {
        Object s;
        s.set("name", *sku);
        s.set("tier", std::move(*sku));
        p.set("sku", std::move(s));
    }
    p.set("ipConfigurations", ip_configurations(t, r, "ip_configuration"));
}

void local_gateway(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "gatewayIpAddress", attr(r, "gateway_address"));
    put(p, "fqdn", attr(r, "gateway_fqdn"));
    if (std::optional<Value> space = given(attr(r, "address_space")))
        child(p, "localNetworkAddressSpace").set("addressPrefixes", std::move(*space));
    if (const Value* bgp = first_block(attr(r, "bgp_settings"))) {
        Object& b = child(p, "bgpSettings");
        put(b, "asn", bgp->find("asn"));
        put(b, "bgpPeeringAddress", bgp->find("bgp_peering_address"));
    }
}

void connection(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "connectionType", attr(r, "type"));
    if (Value gateway = t.link(r, attr(r, "virtual_network_gateway_id"), "virtual_network_gateway_id",
                               {"azurerm_virtual_network_gateway"});
        !gateway.is_null())
        p.set("virtualNetworkGateway1", id_object(std::move(gateway)));
    if (Value local = t.link(r, attr(r, "local_network_gateway_id"), "local_network_gateway_id",
                             {"azurerm_local_network_gateway"});
        !local.is_null())
        p.set("localNetworkGateway2", id_object(std::move(local)));
    if (Value peer = t.link(r, attr(r, "peer_virtual_network_gateway_id"), "peer_virtual_network_gateway_id",
                            {"azurerm_virtual_network_gateway"});
        !peer.is_null())
        p.set("virtualNetworkGateway2", id_object(std::move(peer)));
    if (Value circuit = t.link(r, attr(r, "express_route_circuit_id"), "express_route_circuit_id", {});
        !circuit.is_null())
        p.set("peer", id_object(std::move(circuit)));
    put_or(p, "enableBgp", attr(r, "bgp_enabled"), false);
    put(p, "connectionProtocol", attr(r, "connection_protocol"));
    p.set("ipsecPolicies",
          ipsec_policies(attr(r, "ipsec_policy"), {"ike_encryption", "ike_integrity", "dh_group",
                                                   "ipsec_encryption", "ipsec_integrity", "pfs_group"}));
}

// The associations: one resource's reference written into another.
void associate(Translation& t, const ResourceInstance& r, std::string_view target_attribute,
               std::string_view target_type, std::string_view value_attribute, std::string_view value_type,
               std::string property, std::string what) {
    Value value = t.link(r, attr(r, value_attribute), value_attribute, {value_type});
    t.patch({t.link(r, attr(r, target_attribute), target_attribute, {target_type}), std::move(what),
             [property = std::move(property), value = std::move(value)](Object& target) {
                 properties(target).set(property, id_object(value));
             },
             r.where});
}

// NIC associations to ASGs and pools: every IP configuration (ASGs), or the one named.
void associate_ip_configuration(Translation& t, const ResourceInstance& r, std::string_view value_attribute,
                                std::string_view value_type, std::string list, std::string what) {
    Value value = t.link(r, attr(r, value_attribute), value_attribute, {value_type});
    const std::optional<std::string> only = known_string(attr(r, "ip_configuration_name"));
    t.patch(
        {t.link(r, attr(r, "network_interface_id"), "network_interface_id", {"azurerm_network_interface"}),
         std::move(what),
         [list = std::move(list), value = std::move(value), only](Object& nic) {
             Value* configs = properties(nic).find("ipConfigurations");
             if (configs == nullptr || !configs->is_array())
                 return;
             for (Value& c : configs->as_array()) {
                 const Value* name = c.find("name");
                 if (only && (name == nullptr || !name->is_string() || name->as_string() != *only))
                     continue;
                 append(child(c.as_object(), "properties"), list, id_object(value));
             }
         },
         r.where});
}

void add_association(TypeTable& table, std::string_view type, std::string_view target_attribute,
                     std::string_view target_type, std::string_view value_attribute,
                     std::string_view value_type, std::string_view property, std::string_view what) {
    table[type] = changes_others([=](Translation& t, const ResourceInstance& r, Object&) {
        associate(t, r, target_attribute, target_type, value_attribute, value_type, std::string(property),
                  std::string(what));
    });
}

void nat_public_ip(Translation& t, const ResourceInstance& r, Object&) {
    Value pip = t.link(r, attr(r, "public_ip_address_id"), "public_ip_address_id", {"azurerm_public_ip"});
    t.patch({t.link(r, attr(r, "nat_gateway_id"), "nat_gateway_id", {"azurerm_nat_gateway"}),
             "a NAT gateway's public IP association",
             [pip](Object& nat) { append(properties(nat), "publicIpAddresses", id_object(pip)); }, r.where});
}

} // namespace

Array ip_configurations(Translation& t, const ResourceInstance& r, std::string_view top) {
    Array out;
    for (const Value& block : blocks(attr(r, top))) {
        Object c;
        put(c, "name", block.find("name"));
        Object& cp = child(c, "properties");
        const std::string refs = Translation::in_block(r, top, block);
        if (Value subnet_id = t.link(r, block.find("subnet_id"), refs, {"azurerm_subnet"});
            !subnet_id.is_null())
            cp.set("subnet", id_object(std::move(subnet_id)));
        if (Value pip = t.link(r, block.find("public_ip_address_id"), refs, {"azurerm_public_ip"});
            !pip.is_null())
            cp.set("publicIPAddress", id_object(std::move(pip)));
        put(cp, "privateIPAddress", block.find("private_ip_address"));
        put(cp, "privateIPAllocationMethod", block.find("private_ip_address_allocation"));
        out.emplace_back(std::move(c));
    }
    return out;
}

void add_network_types(TypeTable& table) {
    const IdRecipe named;
    table["azurerm_resource_group"] = {"Microsoft.Resources/resourceGroups", named, {}};
    table["azurerm_virtual_network"] = {"Microsoft.Network/virtualNetworks", named, virtual_network};
    table["azurerm_subnet"] = {"Microsoft.Network/virtualNetworks/subnets",
                               {Base::ResourceGroup, "", {"virtual_network_name", "name"}},
                               subnet};
    table["azurerm_virtual_network_peering"] = {"Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
                                                {Base::ResourceGroup, "", {"virtual_network_name", "name"}},
                                                peering};
    table["azurerm_network_security_group"] = {"Microsoft.Network/networkSecurityGroups", named,
                                               security_group};
    table["azurerm_network_security_rule"] = {
        "Microsoft.Network/networkSecurityGroups/securityRules",
        {Base::ResourceGroup, "", {"network_security_group_name", "name"}},
        standalone_rule};
    table["azurerm_application_security_group"] = {"Microsoft.Network/applicationSecurityGroups", named, {}};
    table["azurerm_network_interface"] = {"Microsoft.Network/networkInterfaces", named, network_interface};
    table["azurerm_public_ip"] = {"Microsoft.Network/publicIPAddresses", named, public_ip};
    table["azurerm_route_table"] = {"Microsoft.Network/routeTables", named, route_table};
    table["azurerm_route"] = {"Microsoft.Network/routeTables/routes",
                              {Base::ResourceGroup, "", {"route_table_name", "name"}},
                              standalone_route};
    table["azurerm_nat_gateway"] = {"Microsoft.Network/natGateways", named, nat_gateway};
    table["azurerm_network_ddos_protection_plan"] = {"Microsoft.Network/ddosProtectionPlans", named,
                                                     ddos_plan};
    table["azurerm_private_endpoint"] = {"Microsoft.Network/privateEndpoints", named, private_endpoint};
    table["azurerm_bastion_host"] = {"Microsoft.Network/bastionHosts", named, bastion};
    table["azurerm_virtual_network_gateway"] = {"Microsoft.Network/virtualNetworkGateways", named,
                                                network_gateway};
    table["azurerm_local_network_gateway"] = {"Microsoft.Network/localNetworkGateways", named, local_gateway};
    table["azurerm_virtual_network_gateway_connection"] = {"Microsoft.Network/connections", named,
                                                           connection};
    table["azurerm_network_watcher"] = {"Microsoft.Network/networkWatchers", named, {}};
    table["azurerm_private_dns_zone"] = {"Microsoft.Network/privateDnsZones", named, {}};
    table["azurerm_private_dns_zone_virtual_network_link"] = {
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        {Base::ResourceGroup, "", {"private_dns_zone_name", "name"}},
        [](Translation& t, const ResourceInstance& r, Object& body) {
            if (Value vnet = t.link(r, attr(r, "virtual_network_id"), "virtual_network_id",
                                    {"azurerm_virtual_network"});
                !vnet.is_null())
                properties(body).set("virtualNetwork", id_object(std::move(vnet)));
            put(properties(body), "registrationEnabled", attr(r, "registration_enabled"));
        }};

    add_association(table, "azurerm_subnet_network_security_group_association", "subnet_id", "azurerm_subnet",
                    "network_security_group_id", "azurerm_network_security_group", "networkSecurityGroup",
                    "a subnet's NSG association");
    add_association(table, "azurerm_network_interface_security_group_association", "network_interface_id",
                    "azurerm_network_interface", "network_security_group_id",
                    "azurerm_network_security_group", "networkSecurityGroup",
                    "a network interface's NSG association");
    add_association(table, "azurerm_subnet_route_table_association", "subnet_id", "azurerm_subnet",
                    "route_table_id", "azurerm_route_table", "routeTable",
                    "a subnet's route table association");
    add_association(table, "azurerm_subnet_nat_gateway_association", "subnet_id", "azurerm_subnet",
                    "nat_gateway_id", "azurerm_nat_gateway", "natGateway",
                    "a subnet's NAT gateway association");
    table["azurerm_nat_gateway_public_ip_association"] = changes_others(nat_public_ip);
    table["azurerm_network_interface_application_security_group_association"] =
        changes_others([](Translation& t, const ResourceInstance& r, Object&) {
            associate_ip_configuration(t, r, "application_security_group_id",
                                       "azurerm_application_security_group", "applicationSecurityGroups",
                                       "a network interface's ASG association");
        });
}

} // namespace ztnet::load::azurerm
