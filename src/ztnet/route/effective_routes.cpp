// Effective routes of a subnet.
//
// What Microsoft Learn documents (virtual-network/virtual-networks-udr-overview, checked for this
// module) and how it maps here:
// - Default system routes of every subnet: each VNet address range -> VnetLocal; 0.0.0.0/0 ->
//   Internet; 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 -> None. A reserved range
//   equal to a VNet range changes to VnetLocal; one contained in a larger VNet range is removed;
//   one containing a VNet range stays and loses to the longer VnetLocal route. We keep removed and
//   replaced routes with active=false so that `explain` can show them.
// - Peering adds one route per address range of the peer's address space (next hop VNet peering).
// - A virtual network gateway (in the VNet, or a hub's gateway used through useRemoteGateways)
//   propagates on-premises prefixes (BGP or local network gateway) to every subnet, unless the
//   subnet's route table disables gateway route propagation. The prefixes of local network gateways
//   the input connects become routes to the gateway; what BGP or ExpressRoute learns is not in the
//   input, so such a gateway also takes the private ranges Azure would otherwise drop (undecidable
//   beyond it, never dropped).
// - A Virtual WAN hub teaches the VNets connected to it routes of its own, ranked as BGP routes
//   (add_virtual_hub_routes below; docs/semantics.md section 6c).
// - Selection: longest prefix match; on equal prefixes user > BGP > system. Between user routes of
//   equal prefix, an explicit prefix beats a service tag, and tags rank regional > top level >
//   AzureCloud regional > AzureCloud.
// - The page's routing example shows the reserved None routes removed once a user route for
//   0.0.0.0/0 is added; we follow it (traffic to unassigned private space then takes the 0/0 route).
// - Not modelled: service endpoint routes (the services' prefixes are not loaded), and the rule that
//   VNet/peering system routes win over more specific BGP routes (no BGP prefixes are loaded).
// - IPv6: the page documents IPv4 only; a VNet with IPv6 space also gets ::/0 -> Internet, which is
//   what Azure lists in the effective routes of dual-stack subnets.
#include "ztnet/route/effective_routes.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <tuple>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/model/virtual_hub.h"
#include "ztnet/route/private_endpoints.h"

namespace ztnet::route {

std::string_view next_hop_name(NextHopType type) {
    switch (type) {
    case NextHopType::VnetLocal:
        return "VnetLocal";
    case NextHopType::VNetPeering:
        return "VNetPeering";
    case NextHopType::VirtualNetworkGateway:
        return "VirtualNetworkGateway";
    case NextHopType::Internet:
        return "Internet";
    case NextHopType::VirtualAppliance:
        return "VirtualAppliance";
    case NextHopType::VirtualHub:
        return "VirtualHub";
    case NextHopType::None:
        return "None";
    }
    return "None";
}

std::string_view route_source_name(RouteSource source) {
    switch (source) {
    case RouteSource::User:
        return "User";
    case RouteSource::Gateway:
        return "VirtualNetworkGateway"; // the Source column of Azure's effective routes
    case RouteSource::Default:
        return "Default";
    }
    return "Default";
}

const EffectiveRoute* RouteTableView::lookup(net::Address destination) const {
    // Routes are sorted by family, then prefix length descending, with the active route of a prefix
    // first: the first active route that contains the destination is the longest prefix match.
    for (const EffectiveRoute& route : routes) {
        if (route.active && route.prefix.contains(destination))
            return &route;
    }
    return nullptr;
}

namespace {

using model::Index;
using model::kNone;

// The four ranges Azure drops by default (RFC 1918 and RFC 6598 shared space).
constexpr std::array<net::Prefix, 4> kReservedRanges = {
    net::Prefix::from(net::Address::v4(0x0A000000u), 8),  // 10.0.0.0/8
    net::Prefix::from(net::Address::v4(0xAC100000u), 12), // 172.16.0.0/12
    net::Prefix::from(net::Address::v4(0xC0A80000u), 16), // 192.168.0.0/16
    net::Prefix::from(net::Address::v4(0x64400000u), 10), // 100.64.0.0/10
};

} // namespace

bool in_reserved_range(const net::Address& address) {
    return std::any_of(kReservedRanges.begin(), kReservedRanges.end(),
                       [&](const net::Prefix& p) { return p.contains(address); });
}

namespace {

EffectiveRoute system_route(net::Prefix prefix, NextHopType hop) {
    EffectiveRoute route;
    route.prefix = prefix;
    route.next_hop = hop;
    route.source = RouteSource::Default;
    return route;
}

bool is_reserved_none(const EffectiveRoute& route) {
    return route.source == RouteSource::Default && route.next_hop == NextHopType::None;
}

void add_vnet_routes(const model::VirtualNetwork& vnet, model::VnetIndex vnet_index,
                     std::vector<EffectiveRoute>& out) {
    for (const net::Prefix& prefix : vnet.address_space) {
        EffectiveRoute route = system_route(prefix, NextHopType::VnetLocal);
        route.vnet = vnet_index;
        out.push_back(route);
    }
}

// The remote VNet's address space when it is loaded (it is the current truth), else the space the
// peering recorded when it was last synchronised.
const std::vector<net::Prefix>& peer_space(const model::Estate& estate, const model::Peering& peering) {
    if (peering.remote_virtual_network != kNone)
        return estate.virtual_networks[peering.remote_virtual_network].address_space;
    return peering.remote_address_space;
}

void add_peering_routes(const model::Estate& estate, const model::VirtualNetwork& vnet,
                        std::vector<EffectiveRoute>& out) {
    for (model::PeeringIndex p : vnet.peerings) {
        const model::Peering& peering = estate.peerings[p];
        if (!peering.allow_virtual_network_access)
            continue;
        for (const net::Prefix& prefix : peer_space(estate, peering)) {
            EffectiveRoute route = system_route(prefix, NextHopType::VNetPeering);
            route.peering = p;
            route.vnet = peering.remote_virtual_network;
            out.push_back(route);
        }
    }
}

// Each private endpoint adds a /32 route to its VNet and to the VNets peered with it, unless its
// subnet lets user-defined routes decide (route/private_endpoints.h).
void add_private_endpoint_routes(const model::Estate& estate, model::VnetIndex vnet_index,
                                 std::vector<EffectiveRoute>& out) {
    const model::VirtualNetwork& vnet = estate.virtual_networks[vnet_index];
    for (const model::PrivateEndpoint& pe : estate.private_endpoints) {
        if (pe.subnet == kNone || routes_apply_to_private_endpoints(estate.subnets[pe.subnet]))
            continue;
        const model::VnetIndex pe_vnet = estate.subnets[pe.subnet].virtual_network;
        model::PeeringIndex peering = kNone;
        if (pe_vnet != vnet_index) {
            for (model::PeeringIndex p : vnet.peerings)
                if (estate.peerings[p].allow_virtual_network_access &&
                    estate.peerings[p].remote_virtual_network == pe_vnet)
                    peering = p;
            if (peering == kNone)
                continue;
        }
        for (const net::Address& ip : pe.private_ips) {
            EffectiveRoute route =
                system_route(net::Prefix::from(ip, ip.family() == net::Family::V4 ? 32 : 128),
                             peering == kNone ? NextHopType::VnetLocal : NextHopType::VNetPeering);
            route.vnet = pe_vnet;
            route.peering = peering;
            out.push_back(route);
        }
    }
}

void add_default_routes(const model::VirtualNetwork& vnet, std::vector<EffectiveRoute>& out) {
    out.push_back(system_route(net::Prefix::from(net::Address::v4(0), 0), NextHopType::Internet));
    for (const net::Prefix& reserved : kReservedRanges)
        out.push_back(system_route(reserved, NextHopType::None));
    bool has_v6 = std::any_of(vnet.address_space.begin(), vnet.address_space.end(),
                              [](const net::Prefix& p) { return p.family() == net::Family::V6; });
    if (has_v6)
        out.push_back(system_route(net::Prefix::from(net::Address::v6(0), 0), NextHopType::Internet));
}

// Routes a gateway propagates: each on-premises prefix its connections reach (next hop the
// gateway, ranked as BGP), except where it overlaps the VNet's own or peered space, which system
// routes keep. A gateway that may learn more by BGP may also carry the private ranges Azure
// otherwise drops, so those are handed to it too: traffic there is then undecidable, never dropped.
void add_gateway_routes(const model::Estate& estate, const model::Subnet& subnet,
                        std::vector<EffectiveRoute>& out) {
    const model::VnetIndex vnet = subnet.virtual_network;
    const std::vector<EffectiveRoute> space = out; // VNet and peering routes so far
    // A prefix within the VNet's own or a peer's space stays with the system routes; a broader one
    // (an on-premises summary such as 10.0.0.0/8, a BGP default route) is installed, and the longest
    // prefix keeps the VNet's own traffic local; an equal 0.0.0.0/0 beats the system default route.
    auto overlaps_space = [&](const net::Prefix& prefix) {
        return std::any_of(space.begin(), space.end(), [&](const EffectiveRoute& r) {
            return (r.next_hop == NextHopType::VnetLocal || r.next_hop == NextHopType::VNetPeering) &&
                   r.prefix.contains(prefix);
        });
    };
    auto add = [&](const net::Prefix& prefix) {
        EffectiveRoute route = system_route(prefix, NextHopType::VirtualNetworkGateway);
        route.source = RouteSource::Gateway;
        out.push_back(route);
    };
    bool learns_unknown = false;
    for (model::GatewayIndex g : model::gateways_reaching(estate, vnet)) {
        const model::VirtualNetworkGateway& gateway = estate.virtual_network_gateways[g];
        for (const net::Prefix& prefix : gateway.on_premises_prefixes)
            if (!overlaps_space(prefix))
                add(prefix);
        learns_unknown = learns_unknown || !gateway.learns_unknown.empty();
    }
    if (!subnet.learned_from.empty()) {
        // The user gave the routes BGP taught this subnet (--routes): they replace the guess.
        for (const net::Prefix& prefix : subnet.learned_prefixes)
            if (!overlaps_space(prefix))
                add(prefix);
        return;
    }
    if (learns_unknown)
        for (const net::Prefix& reserved : kReservedRanges)
            add(reserved);
}

// What a Virtual WAN hub teaches a VNet connected to it, or its own subnet (load/
// build_virtual_wan.cpp reads it; Microsoft Learn: virtual-wan/about-virtual-hub-routing,
// virtual-wan/how-to-routing-policies). All are ranked as BGP routes:
// - the address spaces of the connections it learns from, next hop the hub's router, except
//   where routing intent sends private traffic to the firewall (it replaces them there);
// - the prefixes the hub sends to its firewall: routing intent's, the defaultRouteTable's static
//   routes; 0.0.0.0/0 only to a connection that propagates the default route;
// - with branch gateways in the hub, the private ranges their BGP may carry, undecidable as for a
//   gateway that learns what the input does not show (where the firewall does not take them).
void add_virtual_hub_routes(const model::Estate& estate, model::VnetIndex vnet_index,
                            std::vector<EffectiveRoute>& out) {
    const model::VirtualNetwork& vnet = estate.virtual_networks[vnet_index];
    auto add_hub_routes = [&](model::VnetIndex hub_index, const model::Peering* connection) {
        const model::VirtualHubRouting& hub = *estate.virtual_networks[hub_index].virtual_hub;
        auto to_firewall_by_intent = [&](const net::Prefix& prefix) {
            return std::any_of(hub.to_firewall.begin(), hub.to_firewall.end(),
                               [&](const model::VirtualHubRouting::FirewallRoute& r) {
                                   return r.routing_intent && r.prefix.length() > 0 &&
                                          r.prefix.contains(prefix);
                               });
        };
        if (connection != nullptr)
            for (model::VnetIndex other : connection->hub_routes_to)
                for (const net::Prefix& prefix : estate.virtual_networks[other].address_space) {
                    if (to_firewall_by_intent(prefix))
                        continue;
                    EffectiveRoute route = system_route(prefix, NextHopType::VirtualHub);
                    route.source = RouteSource::Gateway;
                    route.vnet = hub_index;
                    out.push_back(route);
                }
        for (const model::VirtualHubRouting::FirewallRoute& r : hub.to_firewall) {
            if (connection == nullptr || (r.prefix.length() == 0 && !connection->propagates_default_route))
                continue;
            EffectiveRoute route = system_route(r.prefix, NextHopType::VirtualAppliance);
            route.source = RouteSource::Gateway;
            route.firewall = hub.firewall;
            route.next_hop_ip = estate.azure_firewalls[hub.firewall].private_ip;
            route.route_name = r.source;
            out.push_back(route);
        }
        if (!hub.branch_gateways.empty())
            for (const net::Prefix& reserved : kReservedRanges) {
                if (connection != nullptr && to_firewall_by_intent(reserved))
                    continue;
                EffectiveRoute route = system_route(reserved, NextHopType::VirtualNetworkGateway);
                route.source = RouteSource::Gateway;
                out.push_back(route);
            }
    };
    if (vnet.virtual_hub)
        add_hub_routes(vnet_index, nullptr);
    else if (const model::Peering* connection = model::hub_connection(estate, vnet_index))
        add_hub_routes(connection->remote_virtual_network, connection);
}

bool vnet_has_gateway(const model::Estate& estate, model::VnetIndex vnet) {
    return std::any_of(estate.virtual_network_gateways.begin(), estate.virtual_network_gateways.end(),
                       [&](const model::VirtualNetworkGateway& g) {
                           return g.subnet != kNone && estate.subnets[g.subnet].virtual_network == vnet;
                       });
}

bool uses_remote_gateway(const model::Estate& estate, const model::VirtualNetwork& vnet) {
    return std::any_of(vnet.peerings.begin(), vnet.peerings.end(),
                       [&](model::PeeringIndex p) { return estate.peerings[p].use_remote_gateways; });
}

NextHopType next_hop_of(model::UserNextHop hop) {
    switch (hop) {
    case model::UserNextHop::VirtualAppliance:
        return NextHopType::VirtualAppliance;
    case model::UserNextHop::VirtualNetworkGateway:
        return NextHopType::VirtualNetworkGateway;
    case model::UserNextHop::VnetLocal:
        return NextHopType::VnetLocal;
    case model::UserNextHop::Internet:
        return NextHopType::Internet;
    case model::UserNextHop::None:
        break;
    }
    return NextHopType::None;
}

// The loader's own test for "this is meant as a prefix, not a tag".
bool looks_like_prefix(std::string_view text) {
    return !text.empty() &&
           (std::isdigit(static_cast<unsigned char>(text[0])) || text.find(':') != std::string_view::npos);
}

struct UserRouteContext {
    const model::RouteTable& table;
    model::RouteTableIndex table_index;
    model::VnetIndex vnet;
    const policy::ServiceTags& tags;
    Diagnostics& diagnostics;
};

EffectiveRoute user_route(const UserRouteContext& ctx, const model::Route& route, NextHopType hop,
                          net::Prefix prefix) {
    EffectiveRoute out;
    out.prefix = prefix;
    out.next_hop = hop;
    out.source = RouteSource::User;
    out.route_table = ctx.table_index;
    out.route_name = route.name;
    if (hop == NextHopType::VirtualAppliance)
        out.next_hop_ip = route.next_hop_ip;
    if (hop == NextHopType::VnetLocal)
        out.vnet = ctx.vnet;
    return out;
}

void add_user_route(const UserRouteContext& ctx, const model::Route& route,
                    std::vector<EffectiveRoute>& out) {
    // A next hop or prefix the loader rejected, or one a template leaves unknown, was reported
    // there (as an error or an unknown field); such a route cannot be placed, so it is left out.
    if (!route.next_hop_type || route.address_prefix.empty())
        return;
    const NextHopType hop = next_hop_of(*route.next_hop_type);
    if (looks_like_prefix(route.address_prefix)) {
        if (auto prefix = net::Prefix::parse_strict(route.address_prefix))
            out.push_back(user_route(ctx, route, hop, *prefix));
        return;
    }
    std::string_view tag = policy::canonical_tag_name(route.address_prefix);
    const net::AddressSet* addresses = ctx.tags.find(tag);
    if (addresses == nullptr) {
        ctx.diagnostics.error(
            "unknown-service-tag",
            fmt::format("route table {}, route {}: service tag '{}' is not in the service tags file",
                        ctx.table.name, route.name, route.address_prefix),
            route.where);
        return;
    }
    // The tags file holds sets, so the tag's prefixes come back as the fewest covering blocks;
    // adjacent published prefixes may merge into a shorter one (same addresses, same next hop).
    for (const net::Prefix& prefix : addresses->to_prefixes()) {
        EffectiveRoute expanded = user_route(ctx, route, hop, prefix);
        expanded.service_tag = route.address_prefix;
        out.push_back(std::move(expanded));
    }
}

// Rank among user routes of one prefix (lower wins), as the page's "Exact Match" section orders
// them: explicit prefix, regional tag, top-level tag, AzureCloud regional, AzureCloud.
int tag_rank(std::string_view tag) {
    if (tag.empty())
        return 0;
    bool regional = tag.find('.') != std::string_view::npos;
    bool azure_cloud = tag.size() >= 10 && model::same_id(tag.substr(0, 10), "AzureCloud");
    if (azure_cloud)
        return regional ? 3 : 4;
    return regional ? 1 : 2;
}

// Precedence on equal prefixes, lower wins: user (by tag rank), then BGP, then system routes, of
// which a VNet or peering route beats the reserved None route it replaces.
int precedence(const EffectiveRoute& route) {
    switch (route.source) {
    case RouteSource::User:
        return tag_rank(route.service_tag);
    case RouteSource::Gateway:
        return 5;
    case RouteSource::Default:
        return route.next_hop == NextHopType::None ? 7 : 6;
    }
    return 7;
}

// Reserved None routes that a VNet or peered range equals or contains are replaced or removed by
// Azure; a user route for 0.0.0.0/0 removes all four (the page's routing example).
void retire_reserved_routes(std::vector<EffectiveRoute>& routes) {
    bool user_default_route = std::any_of(routes.begin(), routes.end(), [](const EffectiveRoute& r) {
        return r.source == RouteSource::User && r.prefix.family() == net::Family::V4 &&
               r.prefix.length() == 0;
    });
    for (EffectiveRoute& reserved : routes) {
        if (!is_reserved_none(reserved))
            continue;
        bool covered = std::any_of(routes.begin(), routes.end(), [&](const EffectiveRoute& r) {
            bool space = r.source == RouteSource::Default &&
                         (r.next_hop == NextHopType::VnetLocal || r.next_hop == NextHopType::VNetPeering);
            return space && r.prefix.contains(reserved.prefix);
        });
        if (covered || user_default_route)
            reserved.active = false;
    }
}

// Sorts into lookup order and leaves one active route per prefix: the one with the best precedence
// among those still active.
void select_routes(std::vector<EffectiveRoute>& routes) {
    auto key = [](const EffectiveRoute& r) {
        return std::make_tuple(r.prefix.family(), -r.prefix.length(), r.prefix.network(), !r.active,
                               precedence(r));
    };
    std::stable_sort(routes.begin(), routes.end(),
                     [&](const EffectiveRoute& a, const EffectiveRoute& b) { return key(a) < key(b); });
    bool prefix_has_winner = false;
    for (std::size_t i = 0; i < routes.size(); ++i) {
        if (i == 0 || routes[i].prefix != routes[i - 1].prefix)
            prefix_has_winner = false;
        if (routes[i].active && prefix_has_winner)
            routes[i].active = false;
        else if (routes[i].active)
            prefix_has_winner = true;
    }
}

} // namespace

RouteTableView effective_routes(const model::Estate& estate, model::SubnetIndex subnet,
                                const policy::ServiceTags& tags, Diagnostics& diagnostics) {
    RouteTableView view;
    assert(estate.subnets.contains(subnet));
    if (!estate.subnets.contains(subnet))
        return view;
    const model::Subnet& s = estate.subnets[subnet];
    const model::RouteTable* table = s.route_table != kNone ? &estate.route_tables[s.route_table] : nullptr;

    if (s.virtual_network != kNone) {
        const model::VirtualNetwork& vnet = estate.virtual_networks[s.virtual_network];
        add_vnet_routes(vnet, s.virtual_network, view.routes);
        add_peering_routes(estate, vnet, view.routes);
        add_private_endpoint_routes(estate, s.virtual_network, view.routes);
        add_default_routes(vnet, view.routes);
        bool propagation_disabled = table != nullptr && table->disable_bgp_route_propagation;
        view.gateway_routes = !propagation_disabled && (vnet_has_gateway(estate, s.virtual_network) ||
                                                        uses_remote_gateway(estate, vnet));
        if (view.gateway_routes)
            add_gateway_routes(estate, s, view.routes);
        // A Virtual WAN hub's routes reach the VNet as BGP routes do: not where propagation is off.
        if (!propagation_disabled)
            add_virtual_hub_routes(estate, s.virtual_network, view.routes);
    } else {
        add_default_routes(model::VirtualNetwork{}, view.routes);
    }
    if (table != nullptr) {
        UserRouteContext ctx{*table, s.route_table, s.virtual_network, tags, diagnostics};
        for (const model::Route& route : table->routes)
            add_user_route(ctx, route, view.routes);
    }
    retire_reserved_routes(view.routes);
    select_routes(view.routes);
    return view;
}

} // namespace ztnet::route
