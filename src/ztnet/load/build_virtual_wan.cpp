// Virtual WAN hubs. A hub (Microsoft.Network/virtualHubs) is read as a VNet of its address prefix
// with one subnet, AzureFirewallSubnet: a secured hub's firewall sits there and the hub's router
// forwards from there. Each hub VNet connection is read as a peering each way between the hub and
// the VNet, both allowing forwarded traffic (the hub's router forwards between its connections).
// What the hub then teaches each connected VNet (route/effective_routes.cpp) comes from:
// - the connections: the route table each is associated with and the tables and labels it
//   propagates to decide which other connections' address spaces it learns, and
//   enableInternetSecurity whether it learns the hub's 0.0.0.0/0;
// - routing intent: PrivateTraffic sends the RFC 1918 ranges to the firewall in place of the other
//   connections' routes, Internet sends 0.0.0.0/0 to it;
// - the static routes of the hub's defaultRouteTable whose next hop is the firewall.
// What ztnet cannot follow (a network virtual appliance in the hub, routing intent or a static
// route to anything but the hub's Azure Firewall, a custom route table with routes, a route map,
// a connection's own static routes) makes the routing of the VNets it concerns unknown: their
// flows out of the VNet are undecidable, as before this module.
#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/load/detail/net_fields.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load::detail {

using model::kNone;
using model::ResourceKind;

namespace {

// Route table names compare case-insensitively: they are kept in lower case.
constexpr std::string_view kDefaultTable = "defaultroutetable";
constexpr std::string_view kNoneTable = "noneroutetable";

const std::array<net::Prefix, 3>& rfc1918() {
    static const std::array<net::Prefix, 3> kRanges{*net::Prefix::parse("10.0.0.0/8"),
                                                    *net::Prefix::parse("172.16.0.0/12"),
                                                    *net::Prefix::parse("192.168.0.0/16")};
    return kRanges;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// How a hub connection routes: the table it is associated with and where it propagates.
struct ConnectionRouting {
    std::string associated = std::string(kDefaultTable);
    std::set<std::string> propagated_tables{std::string(kDefaultTable)};
    std::set<std::string> propagated_labels{"default"};
    std::string unknown; // why ztnet cannot follow it
};

ConnectionRouting read_connection_routing(FieldReader& read, const Cursor& props) {
    ConnectionRouting out;
    Cursor config = props["routingConfiguration"];
    if (!config)
        return out;
    if (auto id = read.reference_id(config["associatedRouteTable"]))
        out.associated = lower(model::parse_resource_id(*id).name);
    Cursor propagated = config["propagatedRouteTables"];
    if (propagated) {
        out.propagated_tables.clear();
        out.propagated_labels.clear();
        for (const std::string& id : read.reference_ids(propagated["ids"]))
            out.propagated_tables.insert(lower(model::parse_resource_id(id).name));
        for (const std::string& label : read.strings(propagated["labels"]))
            out.propagated_labels.insert(lower(label));
    }
    if (config["inboundRouteMap"] || config["outboundRouteMap"])
        out.unknown = "its connection uses a route map, which ztnet does not model";
    else if (!config["vnetRoutes"]["staticRoutes"].elements().empty())
        out.unknown =
            "its connection has static routes to an appliance in the VNet, which ztnet does not model";
    else if (config.value != nullptr && config.value->is_unknown())
        out.unknown = "its connection's routingConfiguration is not known offline";
    return out;
}

} // namespace

void EstateBuilder::fill_virtual_hub(model::VirtualNetwork& v, const Cursor& body) {
    FieldReader read = reader(v);
    Cursor props = body["properties"];
    v.address_space = read_network_prefixes(read, props["addressPrefix"]);
    if (v.address_space.empty() && !props["addressPrefix"].value)
        read.error(props, "missing-field", "virtual hub has no addressPrefix");
    v.virtual_hub.emplace();
}

void EstateBuilder::fill_hub_connection(model::Peering& p, const Cursor& body) {
    FieldReader read = reader(p);
    Cursor props = body["properties"];
    p.type = std::string(kHubConnectionType);
    read_peering_ends(p, read, body, "hub connection");
    p.allow_virtual_network_access = true;
    p.allow_forwarded_traffic = true;
    p.virtual_hub_connection = true;
    p.propagates_default_route = read.boolean_or(props["enableInternetSecurity"], false);
}

void EstateBuilder::link_virtual_hubs() {
    FieldReader read(diagnostics_, nullptr);
    auto hub_of = [&](const Cursor& ref) -> model::VnetIndex {
        auto id = read.reference_id(ref);
        if (!id)
            return kNone;
        auto found = estate_.find(*id);
        if (!found || found->kind != ResourceKind::VirtualNetwork ||
            !estate_.virtual_networks[found->index].virtual_hub)
            return kNone;
        return model::VnetIndex(found->index);
    };
    auto hub_subnet = [&](model::VnetIndex hub) -> model::SubnetIndex {
        auto found =
            estate_.find(fmt::format("{}/subnets/{}", estate_.virtual_networks[hub].id, kHubSubnetName));
        return found && found->kind == ResourceKind::Subnet ? model::SubnetIndex(found->index) : kNone;
    };
    std::map<model::VnetIndex, std::string> hub_unknown;       // why a hub's routing is unknown
    std::map<std::string, std::set<std::string>> table_labels; // "hub id|table" -> labels
    std::map<std::string, bool> table_has_routes;

    // Firewalls, gateways, appliances, routing intent and route tables of each hub.
    std::vector<std::pair<const Staged*, model::VnetIndex>> intents, tables;
    for (const Staged& s : staged_) {
        if (s.kind == ResourceKind::AzureFirewall) {
            model::VnetIndex hub = hub_of(s.body["properties"]["virtualHub"]);
            if (hub == kNone)
                continue;
            model::AzureFirewall& firewall = estate_.azure_firewalls[s.index];
            firewall.subnet = hub_subnet(hub);
            Cursor hub_ips = s.body["properties"]["hubIPAddresses"];
            if (auto text = read.string(hub_ips["privateIPAddress"]))
                if (auto ip = net::Address::parse(*text))
                    firewall.private_ip = *ip;
            estate_.virtual_networks[hub].virtual_hub->firewall = model::FirewallIndex(s.index);
            continue;
        }
        if (s.kind != ResourceKind::Other)
            continue;
        const model::OtherResource& other = estate_.others[s.index];
        const std::string type = model::id_key(other.type);
        if (type == "microsoft.network/virtualhubs/routingintent" ||
            type == "microsoft.network/virtualhubs/hubroutetables") {
            auto found = estate_.find(model::parse_resource_id(other.id).parent_id);
            if (!found || found->kind != ResourceKind::VirtualNetwork ||
                !estate_.virtual_networks[found->index].virtual_hub)
                continue;
            auto& list = type == "microsoft.network/virtualhubs/routingintent" ? intents : tables;
            list.emplace_back(&s, model::VnetIndex(found->index));
            continue;
        }
        model::VnetIndex hub = hub_of(s.body["properties"]["virtualHub"]);
        if (hub == kNone)
            continue;
        if (type == "microsoft.network/vpngateways" || type == "microsoft.network/expressroutegateways" ||
            type == "microsoft.network/p2svpngateways")
            estate_.virtual_networks[hub].virtual_hub->branch_gateways.push_back(other.name);
        else if (type == "microsoft.network/networkvirtualappliances")
            hub_unknown.try_emplace(hub, fmt::format("network virtual appliance {} in Virtual WAN hub {} "
                                                     "routes traffic, which ztnet does not model",
                                                     other.name, estate_.virtual_networks[hub].name));
    }
    auto to_firewall = [&](model::VnetIndex hub, const std::string& next_hop) {
        const model::VirtualHubRouting& routing = *estate_.virtual_networks[hub].virtual_hub;
        return routing.firewall != kNone &&
               model::same_id(next_hop, estate_.azure_firewalls[routing.firewall].id);
    };
    for (const auto& [staged, hub] : intents) {
        model::VirtualNetwork& vnet = estate_.virtual_networks[hub];
        const std::string intent = estate_.others[staged->index].name;
        for (const Cursor& policy : staged->body["properties"]["routingPolicies"].elements()) {
            const std::string name = read.string_or(policy["name"], "");
            const std::string next_hop = read.string_or(policy["nextHop"], "");
            if (!to_firewall(hub, next_hop)) {
                hub_unknown.try_emplace(
                    hub, fmt::format("routing intent {} of Virtual WAN hub {} sends traffic to {}, which is "
                                     "not the hub's Azure Firewall",
                                     intent, vnet.name,
                                     next_hop.empty() ? "a next hop not known offline" : next_hop));
                continue;
            }
            for (const std::string& destination : read.strings(policy["destinations"])) {
                const std::string source = fmt::format("routing intent {} policy {}", intent, name);
                if (model::same_id(destination, "PrivateTraffic"))
                    for (const net::Prefix& range : rfc1918())
                        vnet.virtual_hub->to_firewall.push_back({range, source, policy.where(), true});
                else if (model::same_id(destination, "Internet"))
                    vnet.virtual_hub->to_firewall.push_back(
                        {*net::Prefix::parse("0.0.0.0/0"), source, policy.where(), true});
            }
        }
    }
    for (const auto& [staged, hub] : tables) {
        model::VirtualNetwork& vnet = estate_.virtual_networks[hub];
        const std::string table = estate_.others[staged->index].name;
        const std::string key = vnet.id + "|" + lower(table);
        for (const std::string& label : read.strings(staged->body["properties"]["labels"]))
            table_labels[key].insert(lower(label));
        for (const Cursor& route : staged->body["properties"]["routes"].elements()) {
            table_has_routes[key] = true;
            if (!model::same_id(table, kDefaultTable))
                continue; // a connection associated with this table has its routing unknown below
            const std::string name = read.string_or(route["name"], "");
            const std::string next_hop = read.string_or(route["nextHop"], "");
            if (!to_firewall(hub, next_hop)) {
                hub_unknown.try_emplace(hub, fmt::format("route {} of {} in Virtual WAN hub {} leads to {}, "
                                                         "which is not the hub's Azure Firewall",
                                                         name, table, vnet.name, next_hop));
                continue;
            }
            for (const net::Prefix& prefix : read_network_prefixes(read, route["destinations"]))
                vnet.virtual_hub->to_firewall.push_back(
                    {prefix, fmt::format("{} route {}", table, name), route.where(), false});
        }
    }

    // Each connection: the VNet's side of it, and what the VNet learns.
    struct Connection {
        model::PeeringIndex hub_side;
        model::VnetIndex hub;
        model::VnetIndex vnet;
        ConnectionRouting routing;
    };
    std::vector<Connection> connections;
    for (const Staged& s : staged_) {
        if (s.kind != ResourceKind::Peering || !estate_.peerings[s.index].virtual_hub_connection)
            continue;
        const model::Peering& p = estate_.peerings[s.index];
        if (p.virtual_network == kNone || p.remote_virtual_network == kNone)
            continue;
        connections.push_back({model::PeeringIndex(s.index), p.virtual_network, p.remote_virtual_network,
                               read_connection_routing(read, s.body["properties"])});
    }
    for (const Connection& c : connections) {
        const model::Peering& hub_side = estate_.peerings[c.hub_side];
        const model::VirtualNetwork& hub = estate_.virtual_networks[c.hub];
        // Azure peers the VNet with the hub's own (hidden) VNet, "RemoteVnetToHubPeering_<guid>": an
        // export shows that peering, which is this connection's other side.
        model::PeeringIndex side = kNone;
        for (model::PeeringIndex p : estate_.peerings.indices()) {
            const model::Peering& peering = estate_.peerings[p];
            if (peering.virtual_network == c.vnet && peering.remote_virtual_network == kNone &&
                peering.name.starts_with("RemoteVnetToHubPeering"))
                side = p;
        }
        if (side == kNone) {
            model::Peering peering;
            peering.id = fmt::format("{}/virtualNetworkPeerings/{}", estate_.virtual_networks[c.vnet].id,
                                     "RemoteVnetToHubPeering_" + hub_side.name);
            peering.name = model::parse_resource_id(peering.id).name;
            peering.virtual_network = c.vnet;
            peering.type = std::string(model::arm_type(ResourceKind::Peering));
            peering.location = hub_side.location;
            peering.where = hub_side.where;
            side = model::PeeringIndex(estate_.peerings.size());
            estate_.index(peering.id, {ResourceKind::Peering, side.value()});
            estate_.peerings.push_back(std::move(peering));
        }
        model::Peering& peering = estate_.peerings[side];
        peering.remote_virtual_network = c.hub;
        peering.remote_virtual_network_id = hub.id;
        peering.remote_address_space.clear();
        peering.allow_virtual_network_access = true;
        peering.allow_forwarded_traffic = true;
        peering.virtual_hub_connection = true;
        peering.propagates_default_route = estate_.peerings[c.hub_side].propagates_default_route;
        auto learns_from = [&](const Connection& other) {
            const std::string& table = c.routing.associated;
            if (other.routing.propagated_tables.count(table) != 0)
                return true;
            std::set<std::string> labels = table_labels[hub.id + "|" + table];
            if (table == std::string(kDefaultTable))
                labels.insert("default");
            if (table == std::string(kNoneTable))
                labels.insert("none");
            return std::any_of(labels.begin(), labels.end(), [&](const std::string& l) {
                return other.routing.propagated_labels.count(l);
            });
        };
        for (const Connection& other : connections)
            if (other.hub == c.hub && other.vnet != c.vnet && learns_from(other))
                peering.hub_routes_to.push_back(other.vnet);
        std::string unknown = c.routing.unknown;
        if (unknown.empty() && table_has_routes[hub.id + "|" + c.routing.associated] &&
            c.routing.associated != std::string(kDefaultTable))
            unknown = fmt::format("its connection is associated with route table {}, whose static routes "
                                  "ztnet does not model",
                                  c.routing.associated);
        if (unknown.empty())
            if (auto it = hub_unknown.find(c.hub); it != hub_unknown.end())
                unknown = it->second;
        if (!unknown.empty()) {
            model::VirtualNetwork& vnet = estate_.virtual_networks[c.vnet];
            vnet.routing_unknown =
                fmt::format("it is connected to Virtual WAN hub {}: {}", hub.name, unknown);
            for (model::SubnetIndex s : estate_.subnets.indices())
                if (estate_.subnets[s].virtual_network == c.vnet) {
                    std::vector<std::string>& fields = estate_.subnets[s].unknown_fields;
                    if (std::find(fields.begin(), fields.end(), "/properties/routeTable") == fields.end())
                        fields.push_back("/properties/routeTable");
                }
        }
    }
}

} // namespace ztnet::load::detail
