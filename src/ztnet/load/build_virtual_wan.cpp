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
#include <optional>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/load/detail/net_fields.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/support/ascii.h"

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

// A hub route table's name from its id, in lower case ("defaultroutetable"): the id's last segment
// (a child's parsed name holds its parent's too).
std::string table_name(std::string_view id) {
    return ascii::lower(last_segment(model::parse_resource_id(id).name));
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
        out.associated = table_name(*id);
    Cursor propagated = config["propagatedRouteTables"];
    if (propagated) {
        out.propagated_tables.clear();
        out.propagated_labels.clear();
        for (const std::string& id : read.reference_ids(propagated["ids"]))
            out.propagated_tables.insert(table_name(id));
        for (const std::string& label : read.strings(propagated["labels"]))
            out.propagated_labels.insert(ascii::lower(label));
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

// The hub's one subnet spans its address prefix; nothing else of a subnet applies to it.
void EstateBuilder::fill_hub_subnet(model::Subnet& s, const Cursor& hub_body) {
    FieldReader read = reader(s);
    s.virtual_network =
        resolve<model::VirtualNetwork>(model::parse_resource_id(s.id).parent_id, hub_body, true);
    s.address_prefixes = read_network_prefixes(read, hub_body["properties"]["addressPrefix"]);
    s.default_outbound_access = false; // the hub's router and firewall are not VMs
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

namespace {

// Links what a hub's parts say to the hub and its connected VNets, after every resource is filled.
class HubLinker {
  public:
    HubLinker(model::Estate& estate, const std::vector<Staged>& staged, Diagnostics& diagnostics)
        : estate_(estate), staged_(staged), read_(diagnostics, nullptr) {}

    void run() {
        std::vector<std::pair<const Staged*, model::VnetIndex>> intents, tables;
        for (const Staged& s : staged_)
            read_part(s, intents, tables);
        for (const Staged* connection : vpn_connections_) {
            const model::OtherResource& other = estate_.others[connection->index];
            auto hub = gateway_hub_.find(model::id_key(model::parse_resource_id(other.id).parent_id));
            if (hub != gateway_hub_.end())
                read_branch_connection(hub->second, model::parse_resource_id(other.id).name,
                                       connection->body);
        }
        for (const auto& [staged, hub] : intents)
            read_routing_intent(*staged, hub);
        for (const auto& [staged, hub] : tables)
            read_route_table(*staged, hub);
        link_connections();
        // A VNet Azure peered with a hub (RemoteVnetToHubPeering_<guid>) whose hub connection the
        // input lacks: the hub decides its routing, and ztnet cannot tell how.
        for (const model::Peering& p : estate_.peerings)
            if (!p.virtual_hub_connection && p.remote_virtual_network == kNone &&
                p.virtual_network != kNone && p.name.starts_with(kHubPeeringPrefix))
                mark_routing_unknown(
                    p.virtual_network,
                    fmt::format("it is peered with a Virtual WAN hub ({}) whose connection to "
                                "it is not in the input (docs/export.md collects it)",
                                p.name));
    }

  private:
    struct Connection {
        model::PeeringIndex hub_side;
        model::VnetIndex hub;
        model::VnetIndex vnet;
        ConnectionRouting routing;
    };

    model::VnetIndex hub_of(const Cursor& ref) {
        auto id = read_.reference_id(ref);
        auto found = id ? estate_.find(*id) : std::nullopt;
        if (!found || found->kind != ResourceKind::VirtualNetwork ||
            !estate_.virtual_networks[found->index].virtual_hub)
            return kNone;
        return model::VnetIndex(found->index);
    }

    model::VirtualHubRouting& routing(model::VnetIndex hub) {
        return *estate_.virtual_networks[hub].virtual_hub;
    }

    bool to_firewall(model::VnetIndex hub, const std::string& next_hop) {
        return routing(hub).firewall != kNone &&
               model::same_id(next_hop, estate_.azure_firewalls[routing(hub).firewall].id);
    }

    // A hub's firewall, gateways and appliances name the hub; its routing intent and route tables
    // are its children, read once every firewall is placed.
    void read_part(const Staged& s, std::vector<std::pair<const Staged*, model::VnetIndex>>& intents,
                   std::vector<std::pair<const Staged*, model::VnetIndex>>& tables) {
        if (s.kind == ResourceKind::VirtualNetwork && estate_.virtual_networks[s.index].virtual_hub) {
            // The hub's own static routes (properties.routeTable, the first version of hub routing).
            if (!s.body["properties"]["routeTable"]["routes"].elements().empty())
                hub_unknown_.try_emplace(
                    model::VnetIndex(s.index),
                    fmt::format("Virtual WAN hub {} has static routes (properties.routeTable), "
                                "which ztnet does not model",
                                estate_.virtual_networks[s.index].name));
            return;
        }
        if (s.kind == ResourceKind::AzureFirewall) {
            model::VnetIndex hub = hub_of(s.body["properties"]["virtualHub"]);
            if (hub != kNone)
                place_firewall(model::FirewallIndex(s.index), hub, s.body["properties"]["hubIPAddresses"]);
            return;
        }
        if (s.kind != ResourceKind::Other)
            return;
        const model::OtherResource& other = estate_.others[s.index];
        const std::string type = model::id_key(other.type);
        if (type == "microsoft.network/vpngateways/vpnconnections") {
            vpn_connections_.push_back(&s); // read once its gateway's hub is known
            return;
        }
        if (type == "microsoft.network/virtualhubs/routingintent" ||
            type == "microsoft.network/virtualhubs/hubroutetables") {
            auto found = estate_.find(model::parse_resource_id(other.id).parent_id);
            if (found && found->kind == ResourceKind::VirtualNetwork &&
                estate_.virtual_networks[found->index].virtual_hub)
                (type == "microsoft.network/virtualhubs/routingintent" ? intents : tables)
                    .emplace_back(&s, model::VnetIndex(found->index));
            return;
        }
        model::VnetIndex hub = hub_of(s.body["properties"]["virtualHub"]);
        if (hub == kNone)
            return;
        if (type == "microsoft.network/vpngateways" || type == "microsoft.network/expressroutegateways" ||
            type == "microsoft.network/p2svpngateways") {
            routing(hub).branch_gateways.push_back(other.name);
            gateway_hub_[model::id_key(other.id)] = hub;
            for (const Cursor& connection : s.body["properties"]["connections"].elements())
                read_branch_connection(hub, other.name + "/" + read_.string_or(connection["name"], "?"),
                                       connection);
        } else if (type == "microsoft.network/networkvirtualappliances")
            hub_unknown_.try_emplace(hub, fmt::format("network virtual appliance {} in Virtual WAN hub {} "
                                                      "routes traffic, which ztnet does not model",
                                                      other.name, estate_.virtual_networks[hub].name));
    }

    // A site-to-site connection of a hub's VPN gateway ("gateway/connection"): one entry per link
    // of its VPN site, each with its own protocol and policies (a connection without links, in
    // older API versions, has them itself).
    void read_branch_connection(model::VnetIndex hub, const std::string& name, const Cursor& connection) {
        Cursor props = connection["properties"];
        std::vector<model::GatewayConnection>& out = routing(hub).branch_connections;
        const std::vector<Cursor> links = props["vpnLinkConnections"].elements();
        if (links.empty())
            out.push_back(read_vpn_connection(read_, name, props, "vpnConnectionProtocolType"));
        for (const Cursor& link : links)
            out.push_back(read_vpn_connection(read_, name + "/" + read_.string_or(link["name"], "?"),
                                              link["properties"], "vpnConnectionProtocolType"));
    }

    void place_firewall(model::FirewallIndex f, model::VnetIndex hub, const Cursor& hub_ips) {
        model::AzureFirewall& firewall = estate_.azure_firewalls[f];
        auto subnet =
            estate_.find(fmt::format("{}/subnets/{}", estate_.virtual_networks[hub].id, kHubSubnetName));
        if (subnet && subnet->kind == ResourceKind::Subnet)
            firewall.subnet = model::SubnetIndex(subnet->index);
        if (auto text = read_.string(hub_ips["privateIPAddress"]))
            if (auto ip = net::Address::parse(*text))
                firewall.private_ip = *ip;
        routing(hub).firewall = f;
    }

    void read_routing_intent(const Staged& staged, model::VnetIndex hub) {
        const std::string& intent = estate_.others[staged.index].name;
        for (const Cursor& policy : staged.body["properties"]["routingPolicies"].elements()) {
            const std::string name = read_.string_or(policy["name"], "");
            const std::string next_hop = read_.string_or(policy["nextHop"], "");
            if (!to_firewall(hub, next_hop)) {
                hub_unknown_.try_emplace(
                    hub, fmt::format("routing intent {} of Virtual WAN hub {} sends traffic to "
                                     "{}, which is not the hub's Azure Firewall",
                                     intent, estate_.virtual_networks[hub].name,
                                     next_hop.empty() ? "a next hop not known offline" : next_hop));
                continue;
            }
            const std::string source = fmt::format("routing intent {} policy {}", intent, name);
            for (const std::string& destination : read_.strings(policy["destinations"])) {
                if (model::same_id(destination, "PrivateTraffic"))
                    for (const net::Prefix& range : rfc1918())
                        routing(hub).to_firewall.push_back({range, source, policy.where(), true});
                else if (model::same_id(destination, "Internet"))
                    routing(hub).to_firewall.push_back(
                        {*net::Prefix::parse("0.0.0.0/0"), source, policy.where(), true});
            }
        }
    }

    void read_route_table(const Staged& staged, model::VnetIndex hub) {
        const std::string& table = estate_.others[staged.index].name;
        const std::string key = estate_.virtual_networks[hub].id + "|" + ascii::lower(table);
        for (const std::string& label : read_.strings(staged.body["properties"]["labels"]))
            table_labels_[key].insert(ascii::lower(label));
        for (const Cursor& route : staged.body["properties"]["routes"].elements()) {
            table_has_routes_.insert(key);
            if (!model::same_id(table, kDefaultTable))
                continue; // a connection associated with this table has its routing unknown
            const std::string name = read_.string_or(route["name"], "");
            const std::string next_hop = read_.string_or(route["nextHop"], "");
            if (!to_firewall(hub, next_hop)) {
                hub_unknown_.try_emplace(hub, fmt::format("route {} of {} in Virtual WAN hub {} leads to {}, "
                                                          "which is not the hub's Azure Firewall",
                                                          name, table, estate_.virtual_networks[hub].name,
                                                          next_hop));
                continue;
            }
            for (const net::Prefix& prefix : read_network_prefixes(read_, route["destinations"]))
                routing(hub).to_firewall.push_back(
                    {prefix, fmt::format("{} route {}", table, name), route.where(), false});
        }
    }

    // Each connection: the VNet's side of it, what the VNet learns, and whether ztnet can follow it.
    void link_connections() {
        std::vector<Connection> connections;
        for (const Staged& s : staged_) {
            if (s.kind != ResourceKind::Peering || !estate_.peerings[s.index].virtual_hub_connection)
                continue;
            const model::Peering& p = estate_.peerings[s.index];
            if (p.virtual_network != kNone && p.remote_virtual_network != kNone)
                connections.push_back({model::PeeringIndex(s.index), p.virtual_network,
                                       p.remote_virtual_network,
                                       read_connection_routing(read_, s.body["properties"])});
        }
        for (const Connection& c : connections) {
            model::Peering& side = estate_.peerings[vnet_side(c)];
            for (const Connection& other : connections)
                if (other.hub == c.hub && other.vnet != c.vnet && learns_from(c, other))
                    side.hub_routes_to.push_back(other.vnet);
            if (std::string why = unknown_routing(c); !why.empty())
                mark_routing_unknown(c.vnet, fmt::format("it is connected to Virtual WAN hub {}: {}",
                                                         estate_.virtual_networks[c.hub].name, why));
        }
    }

    // Azure peers the VNet with the hub's own hidden VNet, "RemoteVnetToHubPeering_<guid>": an export
    // shows that peering, which is the connection's other side; otherwise ztnet adds one.
    model::PeeringIndex vnet_side(const Connection& c) {
        model::PeeringIndex side = kNone;
        for (model::PeeringIndex p : estate_.peerings.indices()) {
            const model::Peering& peering = estate_.peerings[p];
            if (peering.virtual_network == c.vnet && peering.remote_virtual_network == kNone &&
                peering.name.starts_with(kHubPeeringPrefix))
                side = p;
        }
        if (side == kNone) {
            // Read before the table grows: a reference into it would not survive the push.
            const model::Peering& hub_side = estate_.peerings[c.hub_side];
            model::Peering peering;
            peering.id = fmt::format("{}/virtualNetworkPeerings/{}{}", estate_.virtual_networks[c.vnet].id,
                                     kHubPeeringPrefix, hub_side.name);
            peering.name = model::parse_resource_id(peering.id).name;
            peering.type = std::string(model::arm_type(ResourceKind::Peering));
            peering.location = hub_side.location;
            peering.where = hub_side.where;
            peering.virtual_network = c.vnet;
            side = model::PeeringIndex(estate_.peerings.size());
            estate_.index(peering.id, {ResourceKind::Peering, side.value()});
            estate_.peerings.push_back(std::move(peering));
        }
        model::Peering& peering = estate_.peerings[side];
        peering.remote_virtual_network = c.hub;
        peering.remote_virtual_network_id = estate_.virtual_networks[c.hub].id;
        peering.remote_address_space.clear();
        peering.allow_virtual_network_access = true;
        peering.allow_forwarded_traffic = true;
        peering.virtual_hub_connection = true;
        peering.propagates_default_route = estate_.peerings[c.hub_side].propagates_default_route;
        return side;
    }

    // Whether `c` learns `other`'s address space: `other` propagates to the table `c` is associated
    // with, or to one of that table's labels.
    bool learns_from(const Connection& c, const Connection& other) {
        const std::string& table = c.routing.associated;
        if (other.routing.propagated_tables.count(table) != 0)
            return true;
        std::set<std::string> labels = table_labels_[estate_.virtual_networks[c.hub].id + "|" + table];
        if (table == kDefaultTable)
            labels.insert("default");
        if (table == kNoneTable)
            labels.insert("none");
        return std::any_of(labels.begin(), labels.end(), [&](const std::string& l) {
            return other.routing.propagated_labels.count(l) != 0;
        });
    }

    std::string unknown_routing(const Connection& c) {
        if (!c.routing.unknown.empty())
            return c.routing.unknown;
        if (c.routing.associated != kDefaultTable &&
            table_has_routes_.count(estate_.virtual_networks[c.hub].id + "|" + c.routing.associated) != 0)
            return fmt::format(
                "its connection is associated with route table {}, whose static routes ztnet does "
                "not model",
                c.routing.associated);
        auto it = hub_unknown_.find(c.hub);
        return it != hub_unknown_.end() ? it->second : std::string();
    }

    // Every flow that leaves the VNet is then undecidable, and the checks that read its subnets'
    // routes are not assessed.
    void mark_routing_unknown(model::VnetIndex vnet, std::string why) {
        estate_.virtual_networks[vnet].routing_unknown = std::move(why);
        for (model::Subnet& subnet : estate_.subnets) {
            std::vector<std::string>& fields = subnet.unknown_fields;
            if (subnet.virtual_network == vnet &&
                std::find(fields.begin(), fields.end(), "/properties/routeTable") == fields.end())
                fields.push_back("/properties/routeTable");
        }
    }

    model::Estate& estate_;
    const std::vector<Staged>& staged_;
    FieldReader read_;
    std::map<model::VnetIndex, std::string> hub_unknown_;       // why a hub's routing is unknown
    std::map<std::string, std::set<std::string>> table_labels_; // "hub id|table" -> labels
    std::set<std::string> table_has_routes_;                    // "hub id|table"
    std::map<std::string, model::VnetIndex> gateway_hub_;       // a hub gateway's id key -> its hub
    std::vector<const Staged*> vpn_connections_;                // vpnGateways/vpnConnections children
};

} // namespace

void EstateBuilder::link_virtual_hubs() {
    HubLinker(estate_, staged_, diagnostics_).run();
}

} // namespace ztnet::load::detail
