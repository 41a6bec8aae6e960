// Where routing takes a flow from a subnet to an endpoint: the route lookups, the firewalls it
// crosses, and how it ends. Routing depends only on the destination address, never on ports or
// protocol, so one plan serves every flow between the same places: path tracing walks it for one
// flow, reachability for a whole set of flows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/route/effective_routes.h"
#include "ztnet/route/path.h"

namespace ztnet::route {

/// The effective routes of every subnet of an estate.
class RouteViews {
  public:
    /// Every subnet's effective routes, computed now (what they find reported to `diagnostics`);
    /// afterwards only read, so that any number of threads may share them.
    RouteViews(const model::Estate& estate, const policy::ServiceTags& tags, Diagnostics& diagnostics);
    /// The subnet's effective routes (none for kNone).
    const RouteTableView& of(model::SubnetIndex subnet) const;

  private:
    std::vector<RouteTableView> views_; // per subnet
};

struct RouteStep {
    enum class Kind : std::uint8_t { Lookup, Firewall };
    Kind kind = Kind::Lookup;
    /// Lookup: the subnet the lookup is made from, and the route it finds (null: no route), in
    /// the RouteViews the plan was made with (whose routes stay where they are).
    model::SubnetIndex subnet = model::kNone;
    const EffectiveRoute* route = nullptr;
    /// Firewall: the Azure Firewall the route's next hop leads to.
    model::FirewallIndex firewall = model::kNone;
};

/// How routing ends.
enum class RouteEnd : std::uint8_t {
    Delivered,         // into the destination's subnet (its NSGs decide next)
    Internet,          // out to the Internet, the destination being outside every VNet
    NoRoute,           // no route matches the destination
    NextHopNone,       // the route drops the traffic
    InternetButInside, // routed to the Internet although the destination is inside a VNet
    NoSubnet,          // a VNet route, but no subnet of that VNet holds the destination
    PeeringRefused,    // the remote VNet's peering refuses (access or forwarded traffic)
    Gateway,           // handed to a virtual network gateway: beyond the estate
    ApplianceUnknown,  // a virtual appliance whose address is unknown
    NotAFirewall,      // a virtual appliance that is not an Azure Firewall of the estate
    FirewallSubnetUnknown,
    RoutesUnknown, // the subnet's route table is not in the input (RoutePlan::why says which)
    Loop,          // more appliance hops than any real design has
};

/// Whether the end lets the flow on (true), blocks it (false) or cannot be known (nullopt).
std::optional<bool> route_end_passes(RouteEnd end);

struct RoutePlan {
    std::vector<RouteStep> steps;
    RouteEnd end = RouteEnd::NoRoute;
    /// PeeringRefused: which peering and why; RoutesUnknown: which subnet and route table.
    std::string why;
    /// Whether the flow crossed a firewall (forwarded traffic) before the end.
    bool forwarded = false;
};

/// Plans routing from `from_subnet` to `to` (its address, subnet and kind decide), in Azure's order:
/// longest-prefix lookup, a firewall next hop continues from the firewall's subnet, peering checks
/// both sides (forwarded traffic after a firewall), at most kMaxApplianceHops appliances.
RoutePlan plan_route(const model::Estate& estate, const RouteViews& views, model::SubnetIndex from_subnet,
                     const Endpoint& to);

inline constexpr int kMaxApplianceHops = 8;

/// How traffic from outside every VNet (the Internet, on-premises, or the platform address) enters
/// at `to`.
struct OutsideEntry {
    enum class Kind : std::uint8_t {
        Platform,       // the platform address 168.63.129.16 reaches every VNet (probes, DNS)
        Gateway,        // from on-premises, through a gateway that serves the destination's VNet
        GatewayMaybe,   // through a gateway that learns by BGP what the input does not list: whether
                        // on-premises announces the source is unknown
        PublicIp,       // through the destination's public IP
        ClosedPublicIp, // a Standard public IP on a NIC with no NSG anywhere admits nothing
        None,           // no public IP leads to the destination
    };
    Kind kind = Kind::None;
    model::PublicIpIndex public_ip = model::kNone; // PublicIp and ClosedPublicIp
    model::GatewayIndex gateway = model::kNone;    // Gateway and GatewayMaybe
    bool admits() const { return kind == Kind::Platform || kind == Kind::PublicIp; }
    bool through_gateway() const { return kind == Kind::Gateway || kind == Kind::GatewayMaybe; }
};

/// The entry from `from`, an address outside every VNet, to `to`: through a gateway that serves
/// the destination's VNet when `from` is among its on-premises prefixes (or what BGP taught the
/// destination's subnet), else the destination's own public IP or its NIC configuration's; path
/// tracing and reachability both decide it here. A gateway entry is followed by routing from the
/// gateway's subnet, whose user-defined routes apply to traffic arriving from on-premises.
OutsideEntry enter_from_outside(const model::Estate& estate, const net::Address& from, const Endpoint& to);

/// Whether `to_vnet` accepts traffic from `from_vnet` over their peering (both sides must exist;
/// forwarded traffic needs allowForwardedTraffic on the receiving side); `why` says why not.
bool peering_accepts(const model::Estate& estate, model::VnetIndex from_vnet, model::VnetIndex to_vnet,
                     bool forwarded, std::string& why);

} // namespace ztnet::route
