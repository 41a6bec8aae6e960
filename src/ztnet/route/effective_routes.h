// Effective routes of a subnet, as Azure computes them: system routes, peering routes, gateway
// routes and user-defined routes, chosen by longest prefix match with user > BGP > system on ties.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/net/address.h"
#include "ztnet/net/prefix.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::route {

enum class NextHopType : std::uint8_t {
    VnetLocal,
    VNetPeering,
    VirtualNetworkGateway,
    Internet,
    VirtualAppliance,
    /// A Virtual WAN hub's router, which forwards to the hub's other connections (EffectiveRoute::vnet
    /// is the hub). Azure lists such routes as VirtualNetworkGateway; ztnet names the hub.
    VirtualHub,
    None, // dropped
};
std::string_view next_hop_name(NextHopType type);

/// Whether `address` lies in a range Azure drops by default (RFC 1918, RFC 6598 shared space): what
/// a gateway that learns routes by BGP may carry without the input saying so.
bool in_reserved_range(const net::Address& address);

/// Where a route came from, in Azure's precedence order on equal prefixes (User wins).
enum class RouteSource : std::uint8_t { User, Gateway, Default };
std::string_view route_source_name(RouteSource source);

struct EffectiveRoute {
    net::Prefix prefix;
    NextHopType next_hop = NextHopType::None;
    std::optional<net::Address> next_hop_ip; // VirtualAppliance only
    /// VirtualAppliance: the Azure Firewall of a Virtual WAN hub the route leads to, known by the
    /// hub's routing even where its address is not (a template's hub firewall).
    model::FirewallIndex firewall = model::kNone;
    RouteSource source = RouteSource::Default;
    /// For user routes: the route table and the route's name; for peering routes: the peering.
    model::RouteTableIndex route_table = model::kNone;
    std::string route_name;
    model::PeeringIndex peering = model::kNone;
    /// The VNet a VnetLocal / VNetPeering route leads to; the hub's VNet for VirtualHub.
    model::VnetIndex vnet = model::kNone;
    /// A route that is in the table but not used (e.g. a system route overridden by a user route
    /// with the same prefix), kept so that `explain` can say so.
    bool active = true;
    /// For a user route whose address prefix is a service tag: the tag as written (each of the
    /// tag's blocks becomes one route); empty for an explicit prefix. Explicit prefixes win ties.
    std::string service_tag;
};

/// The effective routes of one subnet. lookup() is longest prefix match over active routes.
class RouteTableView {
  public:
    std::vector<EffectiveRoute> routes; // sorted by family, then prefix length descending
    /// True when a virtual network gateway propagates routes to this subnet (one in the VNet, or a
    /// peer's through useRemoteGateways, and propagation not disabled). Their on-premises prefixes
    /// are not in the model, so `routes` holds none of them: traffic to on-premises space may take
    /// the gateway although lookup() cannot say so.
    bool gateway_routes = false;

    /// The active route with the longest prefix containing `destination`, or nullptr. A linear scan
    /// in lookup order: O(n) for n routes (tens, or a few thousand with large service tags).
    const EffectiveRoute* lookup(net::Address destination) const;
};

/// Computes the effective routes of `subnet`: VNet address spaces -> VnetLocal; each peering whose
/// state allows traffic -> VNetPeering with the remote VNet's address space; 0.0.0.0/0 -> Internet;
/// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 -> None unless inside the address space
/// (the VnetLocal route then wins by length); the subnet's route table (unless BGP propagation is
/// disabled, gateway routes are added from gateways in the VNet or used through remote gateways);
/// user routes whose prefix is a service tag expand to the tag's prefixes. Problems (a tag not in
/// the tags file) go to `diagnostics`.
RouteTableView effective_routes(const model::Estate& estate, model::SubnetIndex subnet,
                                const policy::ServiceTags& tags, Diagnostics& diagnostics);

} // namespace ztnet::route
