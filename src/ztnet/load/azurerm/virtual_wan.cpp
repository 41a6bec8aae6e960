// Virtual WAN's azurerm types: the WAN, its hubs, their VNet connections, route tables and their
// routes, routing intent, and the hubs' VPN, ExpressRoute and point-to-site gateways (a secured
// hub's firewall is azurerm_firewall with a virtual_hub block: traffic.cpp). What ztnet makes of
// them is build_virtual_wan.cpp's; here they only take ARM's shape.
#include <fmt/format.h>

#include "ztnet/load/azurerm/translation.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load::azurerm {
namespace {

using Base = IdRecipe::Base;

// A route table reference: an azurerm_virtual_hub_route_table's id, or a hub's
// default_route_table_id (the only route table attribute a hub has), which the plan may know only
// after apply and then refers to the hub itself.
Value route_table_link(Translation& t, const ResourceInstance& r, const Value* value, std::string_view top) {
    Value id = t.link(r, value, top, {"azurerm_virtual_hub_route_table", "azurerm_virtual_hub"});
    if (id.is_string() &&
        model::same_id(model::parse_resource_id(id.as_string()).type, "Microsoft.Network/virtualHubs"))
        return Value(id.as_string() + "/hubRouteTables/defaultRouteTable");
    return id;
}

void virtual_wan(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put_or(p, "type", attr(r, "type"), "Standard");
    put_or(p, "allowBranchToBranchTraffic", attr(r, "allow_branch_to_branch_traffic"), true);
    put_or(p, "disableVpnEncryption", attr(r, "disable_vpn_encryption"), false);
}

// A hub's own static routes (its route blocks) are the first version of hub routing.
void virtual_hub(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "addressPrefix", attr(r, "address_prefix"));
    put(p, "sku", attr(r, "sku"));
    Value wan = t.link(r, attr(r, "virtual_wan_id"), "virtual_wan_id", {"azurerm_virtual_wan"});
    if (!wan.is_null())
        p.set("virtualWan", id_object(std::move(wan)));
    Array routes;
    for (const Value& route : blocks(attr(r, "route"))) {
        Object o;
        put(o, "addressPrefixes", route.find("address_prefixes"));
        put(o, "nextHopIpAddress", route.find("next_hop_ip_address"));
        routes.emplace_back(std::move(o));
    }
    child(p, "routeTable").set("routes", std::move(routes));
}

// A connection's routing block; absent, or unknown as a whole (azurerm computes it when the
// configuration leaves it out), it is Azure's default: the default route table, both ways.
void connection_routing(Translation& t, const ResourceInstance& r, Object& p) {
    const Value* routing = first_block(attr(r, "routing"));
    if (routing == nullptr)
        return;
    Object& config = child(p, "routingConfiguration");
    Value associated = route_table_link(t, r, routing->find("associated_route_table_id"), "routing");
    if (!associated.is_null())
        config.set("associatedRouteTable", id_object(std::move(associated)));
    if (const Value* propagated = first_block(routing->find("propagated_route_table"))) {
        Object& out = child(config, "propagatedRouteTables");
        put(out, "labels", propagated->find("labels"));
        Array ids;
        if (const Value* list = propagated->find("route_table_ids"); list != nullptr && list->is_array())
            for (const Value& id : list->as_array())
                ids.emplace_back(id_object(route_table_link(t, r, &id, "routing")));
        out.set("ids", std::move(ids));
    }
    for (const auto& [key, arm] : {std::pair{"inbound_route_map_id", "inboundRouteMap"},
                                   std::pair{"outbound_route_map_id", "outboundRouteMap"}})
        if (std::optional<Value> map = given(routing->find(key)))
            config.set(arm, id_object(std::move(*map)));
    Array static_routes;
    for (const Value& route : blocks(routing->find("static_vnet_route"))) {
        Object o;
        put(o, "name", route.find("name"));
        put(o, "addressPrefixes", route.find("address_prefixes"));
        put(o, "nextHopIpAddress", route.find("next_hop_ip_address"));
        static_routes.emplace_back(std::move(o));
    }
    if (!static_routes.empty())
        child(config, "vnetRoutes").set("staticRoutes", std::move(static_routes));
}

void hub_connection(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    Value remote = t.link(r, attr(r, "remote_virtual_network_id"), "remote_virtual_network_id",
                          {"azurerm_virtual_network"});
    if (!remote.is_null())
        p.set("remoteVirtualNetwork", id_object(std::move(remote)));
    put_or(p, "enableInternetSecurity", attr(r, "internet_security_enabled"), false);
    connection_routing(t, r, p);
}

// A route's next hop (the hub's firewall, a connection) is a resource id the plan may know only
// after apply: `top` is the attribute whose references name it.
Object hub_route(Translation& t, const ResourceInstance& r, const Value& route, std::string_view top) {
    Object o;
    put(o, "name", route.find("name"));
    put(o, "destinationType", route.find("destinations_type"));
    put(o, "destinations", route.find("destinations"));
    put(o, "nextHopType", route.find("next_hop_type"));
    Value next_hop = t.link(r, route.find("next_hop"), top, {});
    if (!next_hop.is_null())
        o.set("nextHop", std::move(next_hop));
    return o;
}

void hub_route_table(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "labels", attr(r, "labels"));
    Array routes;
    for (const Value& route : blocks(attr(r, "route")))
        routes.emplace_back(hub_route(t, r, route, Translation::in_block(r, "route", route)));
    p.set("routes", std::move(routes));
}

// azurerm_virtual_hub_route_table_route: one route, added to its table.
void hub_route_table_route(Translation& t, const ResourceInstance& r, Object&) {
    Value table = t.link(r, attr(r, "route_table_id"), "route_table_id", {"azurerm_virtual_hub_route_table"});
    Object route = hub_route(t, r, r.values, "next_hop");
    t.patch({std::move(table), "a hub route table's route",
             [route](Object& target) { append(properties(target), "routes", Value(route)); }, r.where});
}

void routing_intent(Translation& t, const ResourceInstance& r, Object& body) {
    Array policies;
    for (const Value& policy : blocks(attr(r, "routing_policy"))) {
        Object o;
        put(o, "name", policy.find("name"));
        put(o, "destinations", policy.find("destinations"));
        Value next_hop =
            t.link(r, policy.find("next_hop"), Translation::in_block(r, "routing_policy", policy), {});
        if (!next_hop.is_null())
            o.set("nextHop", std::move(next_hop));
        policies.emplace_back(std::move(o));
    }
    properties(body).set("routingPolicies", std::move(policies));
}

// A hub's gateway: what matters here is which hub it is in.
void hub_gateway(Translation& t, const ResourceInstance& r, Object& body) {
    Value hub = t.link(r, attr(r, "virtual_hub_id"), "virtual_hub_id", {"azurerm_virtual_hub"});
    if (!hub.is_null())
        properties(body).set("virtualHub", id_object(std::move(hub)));
}

} // namespace

void add_virtual_wan_types(TypeTable& table) {
    const IdRecipe named;
    const IdRecipe hub_child{Base::Parent, "virtual_hub_id"};
    table["azurerm_virtual_wan"] = {"Microsoft.Network/virtualWans", named, virtual_wan};
    table["azurerm_virtual_hub"] = {"Microsoft.Network/virtualHubs", named, virtual_hub};
    table["azurerm_virtual_hub_connection"] = {"Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
                                               hub_child, hub_connection};
    table["azurerm_virtual_hub_route_table"] = {"Microsoft.Network/virtualHubs/hubRouteTables", hub_child,
                                                hub_route_table};
    table["azurerm_virtual_hub_route_table_route"] = changes_others(hub_route_table_route);
    table["azurerm_virtual_hub_routing_intent"] = {"Microsoft.Network/virtualHubs/routingIntent", hub_child,
                                                   routing_intent};
    table["azurerm_vpn_gateway"] = {"Microsoft.Network/vpnGateways", named, hub_gateway};
    table["azurerm_express_route_gateway"] = {"Microsoft.Network/expressRouteGateways", named, hub_gateway};
    table["azurerm_point_to_site_vpn_gateway"] = {"Microsoft.Network/p2sVpnGateways", named, hub_gateway};
}

} // namespace ztnet::load::azurerm
