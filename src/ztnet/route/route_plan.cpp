#include "ztnet/route/route_plan.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/route/effective_routes.h"
#include "ztnet/route/firewall.h"

namespace ztnet::route {

using model::Index;
using model::kNone;

RouteViews::RouteViews(const model::Estate& estate, const policy::ServiceTags& tags,
                       Diagnostics& diagnostics) {
    views_.reserve(estate.subnets.size());
    for (model::SubnetIndex subnet : estate.subnets.indices())
        views_.push_back(effective_routes(estate, subnet, tags, diagnostics));
}

const RouteTableView& RouteViews::of(model::SubnetIndex subnet) const {
    static const RouteTableView kNoRoutes; // no subnet: no routes
    return !subnet.is_none() && subnet.value() < views_.size() ? views_[subnet.value()] : kNoRoutes;
}

std::optional<bool> route_end_passes(RouteEnd end) {
    switch (end) {
    case RouteEnd::Delivered:
    case RouteEnd::Internet:
        return true;
    case RouteEnd::Gateway:
    case RouteEnd::ApplianceUnknown:
    case RouteEnd::NotAFirewall:
    case RouteEnd::FirewallSubnetUnknown:
    case RouteEnd::RoutesUnknown:
        return std::nullopt;
    case RouteEnd::NoRoute:
    case RouteEnd::NextHopNone:
    case RouteEnd::InternetButInside:
    case RouteEnd::NoSubnet:
    case RouteEnd::PeeringRefused:
    case RouteEnd::Loop:
        return false;
    }
    return false;
}

bool peering_accepts(const model::Estate& estate, model::VnetIndex from_vnet, model::VnetIndex to_vnet,
                     bool forwarded, std::string& why) {
    // The peering held by the receiving VNet, pointing back at the sender.
    for (model::PeeringIndex p : estate.virtual_networks[to_vnet].peerings) {
        const model::Peering& back = estate.peerings[p];
        if (back.remote_virtual_network != from_vnet)
            continue;
        if (!back.allow_virtual_network_access) {
            why = fmt::format("peering {} of {} does not allow virtual network access", back.name,
                              estate.virtual_networks[to_vnet].name);
            return false;
        }
        if (forwarded && !back.allow_forwarded_traffic) {
            why = fmt::format("peering {} of {} does not allow forwarded traffic", back.name,
                              estate.virtual_networks[to_vnet].name);
            return false;
        }
        return true;
    }
    why = fmt::format("{} has no peering back to {} (a peering needs both sides)",
                      estate.virtual_networks[to_vnet].name, estate.virtual_networks[from_vnet].name);
    return false;
}

namespace {

// What one lookup's route leads to; nullopt when routing goes on from a firewall's subnet.
std::optional<RouteEnd> follow(const model::Estate& estate, const EffectiveRoute& r,
                               model::SubnetIndex subnet, const Endpoint& to, RoutePlan& plan,
                               model::SubnetIndex& next_subnet) {
    switch (r.next_hop) {
    case NextHopType::None:
        return RouteEnd::NextHopNone;
    case NextHopType::Internet:
        return to.kind == Endpoint::Kind::External ? RouteEnd::Internet : RouteEnd::InternetButInside;
    case NextHopType::VirtualNetworkGateway:
        return RouteEnd::Gateway;
    case NextHopType::VnetLocal:
    case NextHopType::VNetPeering: {
        if (to.subnet == kNone || estate.subnets[to.subnet].virtual_network != r.vnet)
            return RouteEnd::NoSubnet;
        model::VnetIndex source_vnet = estate.subnets[subnet].virtual_network;
        if (r.vnet != source_vnet && !peering_accepts(estate, source_vnet, r.vnet, plan.forwarded, plan.why))
            return RouteEnd::PeeringRefused;
        return RouteEnd::Delivered;
    }
    case NextHopType::VirtualHub: {
        // The hub's router forwards from the hub's one subnet, by the hub's routes.
        const std::vector<model::SubnetIndex>& hub_subnets = estate.virtual_networks[r.vnet].subnets;
        if (hub_subnets.empty())
            return RouteEnd::NoRoute;
        plan.forwarded = true;
        next_subnet = hub_subnets.front();
        return std::nullopt;
    }
    case NextHopType::VirtualAppliance: {
        std::optional<model::FirewallIndex> firewall;
        if (r.firewall != kNone)
            firewall = r.firewall; // a Virtual WAN hub's, whose address may be unknown
        else if (!r.next_hop_ip)
            return RouteEnd::ApplianceUnknown;
        else
            firewall = firewall_at(estate, *r.next_hop_ip);
        if (!firewall)
            return RouteEnd::NotAFirewall;
        RouteStep step;
        step.kind = RouteStep::Kind::Firewall;
        step.firewall = *firewall;
        plan.steps.push_back(step);
        if (estate.azure_firewalls[*firewall].subnet == kNone)
            return RouteEnd::FirewallSubnetUnknown;
        plan.forwarded = true;
        next_subnet = estate.azure_firewalls[*firewall].subnet;
        return std::nullopt;
    }
    }
    return RouteEnd::NoRoute;
}

// Why a Virtual Network Manager may carry the flow another way than the routes the input shows:
// both VNets may be in one of its connectivity configurations, and no peering carries the flow.
const std::string* manager_connects(const model::Estate& estate, model::SubnetIndex subnet,
                                    const Endpoint& to, const EffectiveRoute* route) {
    const model::VnetIndex from_vnet = estate.subnets[subnet].virtual_network;
    if (from_vnet == kNone || to.subnet == kNone ||
        estate.virtual_networks[from_vnet].connectivity_unknown.empty())
        return nullptr;
    const model::VnetIndex to_vnet = estate.subnets[to.subnet].virtual_network;
    if (to_vnet == kNone || to_vnet == from_vnet ||
        estate.virtual_networks[to_vnet].connectivity_unknown.empty())
        return nullptr;
    if (route && route->next_hop == NextHopType::VNetPeering)
        return nullptr;
    return &estate.virtual_networks[from_vnet].connectivity_unknown;
}

} // namespace

RoutePlan plan_route(const model::Estate& estate, const RouteViews& views, model::SubnetIndex from_subnet,
                     const Endpoint& to) {
    RoutePlan plan;
    plan.steps.reserve(4); // a lookup, a firewall, a lookup from its subnet: the common longest
    model::SubnetIndex subnet = from_subnet;
    for (int hop = 0; hop < kMaxApplianceHops; ++hop) {
        if (const std::string& unknown = estate.subnets[subnet].route_table_unknown; !unknown.empty()) {
            plan.end = RouteEnd::RoutesUnknown;
            plan.why = fmt::format("subnet {}: {}", estate.subnets[subnet].name, unknown);
            return plan;
        }
        RouteStep lookup;
        lookup.subnet = subnet;
        lookup.route = views.of(subnet).lookup(to.address);
        plan.steps.push_back(lookup);
        if (const std::string* why = manager_connects(estate, subnet, to, lookup.route)) {
            plan.end = RouteEnd::RoutesUnknown;
            plan.why = fmt::format(
                "VNet {}: {}", estate.virtual_networks[estate.subnets[subnet].virtual_network].name, *why);
            return plan;
        }
        if (!lookup.route) {
            plan.end = RouteEnd::NoRoute;
            return plan;
        }
        // A Virtual WAN hub decides where traffic leaving the VNet goes: not modelled yet.
        const model::VnetIndex vnet = estate.subnets[subnet].virtual_network;
        if (vnet != kNone && !estate.virtual_networks[vnet].routing_unknown.empty() &&
            lookup.route->next_hop != NextHopType::VnetLocal) {
            plan.end = RouteEnd::RoutesUnknown;
            plan.why = fmt::format("VNet {}: {}", estate.virtual_networks[vnet].name,
                                   estate.virtual_networks[vnet].routing_unknown);
            return plan;
        }
        model::SubnetIndex next_subnet = kNone;
        if (std::optional<RouteEnd> end = follow(estate, *lookup.route, subnet, to, plan, next_subnet)) {
            plan.end = *end;
            return plan;
        }
        subnet = next_subnet;
    }
    plan.end = RouteEnd::Loop;
    return plan;
}

namespace {

// "On-premises address spaces" reach a VNet through the gateway that serves it (Microsoft Learn,
// vpn-gateway/vpn-gateway-about-vpngateways; gateway transit: virtual-network/
// virtual-network-peering-overview): a source among a serving gateway's on-premises prefixes, or
// among what BGP taught the destination's subnet (--routes), enters there. A source in a range a
// BGP gateway may learn without the input saying so may enter there too: undecidable.
std::optional<OutsideEntry> enter_from_on_premises(const model::Estate& estate, const net::Address& from,
                                                   const Endpoint& to) {
    if (to.subnet == model::kNone || estate.virtual_network_gateways.empty())
        return std::nullopt;
    const model::Subnet& subnet = estate.subnets[to.subnet];
    if (subnet.virtual_network == model::kNone)
        return std::nullopt;
    const std::vector<model::GatewayIndex> gateways =
        model::gateways_reaching(estate, subnet.virtual_network);
    const auto holds = [&](const std::vector<net::Prefix>& prefixes) {
        return std::any_of(prefixes.begin(), prefixes.end(),
                           [&](const net::Prefix& p) { return p.contains(from); });
    };
    for (model::GatewayIndex g : gateways)
        if (holds(estate.virtual_network_gateways[g].on_premises_prefixes))
            return OutsideEntry{OutsideEntry::Kind::Gateway, model::kNone, g};
    if (!gateways.empty() && holds(subnet.learned_prefixes))
        return OutsideEntry{OutsideEntry::Kind::Gateway, model::kNone, gateways.front()};
    if (!subnet.learned_from.empty() || !in_reserved_range(from))
        return std::nullopt;
    for (model::GatewayIndex g : gateways)
        if (!estate.virtual_network_gateways[g].learns_unknown.empty())
            return OutsideEntry{OutsideEntry::Kind::GatewayMaybe, model::kNone, g};
    return std::nullopt;
}

} // namespace

OutsideEntry enter_from_outside(const model::Estate& estate, const net::Address& from, const Endpoint& to) {
    if (from == policy::azure_platform_address())
        return {OutsideEntry::Kind::Platform};
    if (std::optional<OutsideEntry> entry = enter_from_on_premises(estate, from, to))
        return *entry;
    model::PublicIpIndex pip = to.public_ip;
    if (pip == model::kNone && to.nic != model::kNone)
        pip = estate.network_interfaces[to.nic].ip_configurations[to.ip_configuration].public_ip;
    if (pip == model::kNone)
        return {OutsideEntry::Kind::None};
    // An NSG the input cannot tell counts: it may open the address.
    const auto has = [](model::NsgIndex nsg, const std::string& unknown) {
        return nsg != model::kNone || !unknown.empty();
    };
    const bool has_nsg =
        (to.subnet != model::kNone && has(estate.subnets[to.subnet].network_security_group,
                                          estate.subnets[to.subnet].network_security_group_unknown)) ||
        (to.nic != model::kNone && has(estate.network_interfaces[to.nic].network_security_group,
                                       estate.network_interfaces[to.nic].network_security_group_unknown));
    const bool closed = to.kind == Endpoint::Kind::Nic &&
                        estate.public_ip_addresses[pip].sku.value == model::PublicIpSku::Standard && !has_nsg;
    return {closed ? OutsideEntry::Kind::ClosedPublicIp : OutsideEntry::Kind::PublicIp, pip};
}

} // namespace ztnet::route
