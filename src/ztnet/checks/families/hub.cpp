// Hub checks (ZT-HUB-*): an Azure Firewall Premium in the hub with IDPS, threat intelligence and
// TLS inspection, DDoS protection wherever the Internet can reach in, and spoke and gateway traffic
// routed through the firewall.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/families.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/model/virtual_hub.h"
#include "ztnet/route/effective_routes.h"
#include "ztnet/route/firewall.h"

namespace ztnet::checks::families {
namespace {

using model::Estate;
using model::Index;
using model::kNone;
using support::finding_on;
using support::same_word;
using support::setting;

// ---- common pieces --------------------------------------------------------------------------

/// The subscription the estate lives in: the first one any resource id names.
std::string subscription_of(const Estate& estate) {
    for (int k = 0; k < model::kResourceKindCount; ++k) {
        auto kind = static_cast<model::ResourceKind>(k);
        for (Index i = 0; i < estate.count(kind); ++i) {
            std::string subscription = model::parse_resource_id(estate.resource({kind, i}).id).subscription;
            if (!subscription.empty())
                return subscription;
        }
    }
    return {};
}

Evidence unplaced(std::string text) {
    return Evidence{std::move(text), SourceLocation{}, std::nullopt};
}

/// The policies that decide for at least one firewall, each once, in estate order.
std::vector<model::FirewallPolicyIndex> policies_in_use(const Estate& estate) {
    std::vector<model::FirewallPolicyIndex> policies;
    for (const model::AzureFirewall& firewall : estate.azure_firewalls) {
        if (firewall.firewall_policy != kNone)
            policies.push_back(firewall.firewall_policy);
    }
    std::sort(policies.begin(), policies.end());
    policies.erase(std::unique(policies.begin(), policies.end()), policies.end());
    return policies;
}

using Mode = model::FirewallAlertMode;
using ModeSetting = model::Setting<Mode>;

/// A mode as it applies to a policy, and the policy of the chain that sets it.
struct EffectiveMode {
    const ModeSetting* mode = nullptr;
    model::FirewallPolicyIndex set_by = kNone;

    std::string_view name() const { return model::name_of(mode->value); }
};

/// The strictest value of `field` along the policy and its base policies: a child policy inherits
/// its parent's threat-intelligence and IDPS modes and may only make them stricter (the enum runs
/// from the most lenient, Off, to Deny).
EffectiveMode strictest_mode(const Estate& estate, model::FirewallPolicyIndex policy,
                             ModeSetting model::FirewallPolicy::*field) {
    EffectiveMode best;
    std::vector<model::FirewallPolicyIndex> seen; // guards against a base-policy cycle in hand-written input
    for (model::FirewallPolicyIndex p = policy;
         p != kNone && std::find(seen.begin(), seen.end(), p) == seen.end();
         p = estate.firewall_policies[p].base_policy) {
        seen.push_back(p);
        const ModeSetting& mode = estate.firewall_policies[p].*field;
        if (best.set_by == kNone || mode.value > best.mode->value)
            best = {&mode, p};
    }
    return best;
}

/// Evidence for a mode: the setting where it is written, noting inheritance.
Evidence mode_evidence(const Estate& estate, model::FirewallPolicyIndex policy, const EffectiveMode& mode,
                       std::string_view property) {
    const model::FirewallPolicy& source = estate.firewall_policies[mode.set_by];
    std::string text = fmt::format("{} {}: {}", source.name, property, mode.name());
    if (mode.set_by != policy)
        text += fmt::format(" (inherited by {})", estate.firewall_policies[policy].name);
    return Evidence{std::move(text), mode.mode->where, std::nullopt};
}

/// A finding about a mode, pointing at the setting that decides it.
Finding mode_finding(const Estate& estate, model::FirewallPolicyIndex policy, const EffectiveMode& mode,
                     std::string message, std::string_view property) {
    Finding f = finding_on(estate.firewall_policies[policy], std::move(message));
    if (mode.set_by == policy)
        f.where = mode.mode->where;
    f.evidence.push_back(mode_evidence(estate, policy, mode, property));
    return f;
}

// ---- ZT-HUB-001 .. 004: the firewall and its policy -------------------------------------------

bool is_premium(const Estate& estate, const model::AzureFirewall& firewall) {
    constexpr model::FirewallTier kPremium = model::FirewallTier::Premium;
    if (firewall.sku_tier.value == kPremium)
        return true;
    return firewall.firewall_policy != kNone &&
           estate.firewall_policies[firewall.firewall_policy].sku_tier.value == kPremium;
}

std::vector<Finding> firewall_premium(const CheckContext& context) {
    const Estate& estate = context.estate;
    std::vector<Finding> out;
    if (estate.azure_firewalls.empty()) {
        // Without a virtual network there is no traffic for a firewall to inspect.
        if (estate.virtual_networks.empty())
            return out;
        std::string subscription = subscription_of(estate);
        Finding f = support::finding_on_subscription(
            subscription,
            fmt::format("subscription {} has no Azure Firewall: nothing in a hub inspects traffic "
                        "between networks or to the Internet",
                        subscription));
        f.evidence.push_back(unplaced(fmt::format(
            "{} virtual network(s), no Microsoft.Network/azureFirewalls", estate.virtual_networks.size())));
        out.push_back(std::move(f));
        return out;
    }
    for (const model::VirtualNetwork& hub : estate.virtual_networks) {
        if (!hub.virtual_hub || hub.virtual_hub->firewall != kNone || hub.peerings.empty())
            continue;
        Finding f = finding_on(hub, fmt::format("Virtual WAN hub {} is not a secured hub: no Azure Firewall "
                                                "inspects the traffic of its {} connection(s)",
                                                hub.name, hub.peerings.size()));
        f.evidence.push_back(setting(hub, fmt::format("{}: no Microsoft.Network/azureFirewalls with "
                                                      "properties.virtualHub {}",
                                                      hub.name, hub.name)));
        out.push_back(std::move(f));
    }
    for (const model::AzureFirewall& firewall : estate.azure_firewalls) {
        if (is_premium(estate, firewall))
            continue;
        const std::string_view tier = model::name_of(firewall.sku_tier.value);
        Finding f =
            finding_on(firewall, fmt::format("Azure Firewall {} is {} tier: IDPS and TLS inspection need "
                                             "Premium",
                                             firewall.name, tier));
        f.where = firewall.sku_tier.where;
        f.evidence.push_back(
            Evidence{fmt::format("{} sku.tier: {}", firewall.name, tier), firewall.sku_tier.where, {}});
        if (firewall.firewall_policy != kNone) {
            const model::FirewallPolicy& policy = estate.firewall_policies[firewall.firewall_policy];
            f.evidence.push_back(
                Evidence{fmt::format("{} sku.tier: {}", policy.name, model::name_of(policy.sku_tier.value)),
                         policy.sku_tier.where,
                         {}});
        }
        out.push_back(std::move(f));
    }
    return out;
}

/// A finding on a firewall configured with classic rules: the Premium features live only in a
/// firewall policy.
Finding no_policy_finding(const model::AzureFirewall& firewall, std::string_view feature) {
    Finding f = finding_on(firewall, fmt::format("Azure Firewall {} has no firewall policy, so {} cannot be "
                                                 "configured",
                                                 firewall.name, feature));
    f.evidence.push_back(
        setting(firewall, fmt::format("{} firewallPolicy: absent (classic rules)", firewall.name)));
    return f;
}

std::vector<Finding> idps_deny(const CheckContext& context) {
    const Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::AzureFirewall& firewall : estate.azure_firewalls) {
        if (firewall.firewall_policy == kNone)
            out.push_back(no_policy_finding(firewall, "IDPS"));
    }
    for (model::FirewallPolicyIndex p : policies_in_use(estate)) {
        EffectiveMode mode = strictest_mode(estate, p, &model::FirewallPolicy::intrusion_detection_mode);
        if (mode.mode->value == Mode::Deny)
            continue;
        std::string message = fmt::format("firewall policy {} runs IDPS in {} mode: known attack "
                                          "signatures are not blocked",
                                          estate.firewall_policies[p].name, mode.name());
        out.push_back(mode_finding(estate, p, mode, std::move(message), "intrusionDetection.mode"));
    }
    return out;
}

std::vector<Finding> threat_intel_deny(const CheckContext& context) {
    const Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::AzureFirewall& firewall : estate.azure_firewalls) {
        if (firewall.firewall_policy != kNone)
            continue; // the policy's mode applies; judged below
        if (firewall.threat_intel_mode.value == Mode::Deny)
            continue;
        const std::string_view mode = model::name_of(firewall.threat_intel_mode.value);
        Finding f = finding_on(firewall, fmt::format("Azure Firewall {} runs threat intelligence in {} mode: "
                                                     "traffic to known malicious addresses is not blocked",
                                                     firewall.name, mode));
        f.where = firewall.threat_intel_mode.where;
        f.evidence.push_back(Evidence{fmt::format("{} threatIntelMode: {}", firewall.name, mode),
                                      firewall.threat_intel_mode.where,
                                      {}});
        out.push_back(std::move(f));
    }
    for (model::FirewallPolicyIndex p : policies_in_use(estate)) {
        EffectiveMode mode = strictest_mode(estate, p, &model::FirewallPolicy::threat_intel_mode);
        if (mode.mode->value == Mode::Deny)
            continue;
        std::string message = fmt::format("firewall policy {} runs threat intelligence in {} mode: "
                                          "traffic to known malicious addresses is not blocked",
                                          estate.firewall_policies[p].name, mode.name());
        out.push_back(mode_finding(estate, p, mode, std::move(message), "threatIntelMode"));
    }
    return out;
}

std::vector<Finding> tls_inspection(const CheckContext& context) {
    const Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::AzureFirewall& firewall : estate.azure_firewalls) {
        if (firewall.firewall_policy == kNone)
            out.push_back(no_policy_finding(firewall, "TLS inspection"));
    }
    for (model::FirewallPolicyIndex p : policies_in_use(estate)) {
        const model::FirewallPolicy& policy = estate.firewall_policies[p];
        if (policy.tls_inspection)
            continue;
        Finding f =
            finding_on(policy, fmt::format("firewall policy {} has no TLS inspection: encrypted traffic "
                                           "passes the firewall unexamined",
                                           policy.name));
        f.evidence.push_back(
            setting(policy, fmt::format("{} transportSecurity.certificateAuthority: absent", policy.name)));
        out.push_back(std::move(f));
    }
    return out;
}

// ---- ZT-HUB-005: DDoS protection where the Internet reaches in -------------------------------

/// Something in a virtual network that answers on a public address.
struct PublicEntryPoint {
    model::VnetIndex vnet = kNone;
    Evidence evidence;
};

model::VnetIndex vnet_of(const Estate& estate, model::SubnetIndex subnet) {
    return subnet == kNone ? kNone : estate.subnets[subnet].virtual_network;
}

std::string public_ip_text(const Estate& estate, model::PublicIpIndex public_ip) {
    const model::PublicIpAddress& pip = estate.public_ip_addresses[public_ip];
    return pip.ip_address ? fmt::format("{} ({})", pip.name, pip.ip_address->to_string()) : pip.name;
}

void add_nic_entry_points(const Estate& estate, std::vector<PublicEntryPoint>& out) {
    for (const model::NetworkInterface& nic : estate.network_interfaces) {
        for (const model::IpConfiguration& config : nic.ip_configurations) {
            if (config.public_ip == kNone || vnet_of(estate, config.subnet) == kNone)
                continue;
            out.push_back(
                {vnet_of(estate, config.subnet),
                 setting(nic, fmt::format("public IP {} on {} {}", public_ip_text(estate, config.public_ip),
                                          nic.name, config.name))});
        }
    }
}

void add_gateway_entry_points(const Estate& estate, std::vector<PublicEntryPoint>& out) {
    for (const model::ApplicationGateway& gateway : estate.application_gateways) {
        for (const model::Frontend& frontend : gateway.frontends) {
            if (frontend.public_ip == kNone || gateway.subnets.empty())
                continue;
            out.push_back(
                {vnet_of(estate, gateway.subnets.front()),
                 setting(gateway, fmt::format("public IP {} on application gateway {}",
                                              public_ip_text(estate, frontend.public_ip), gateway.name))});
        }
    }
}

/// A public load balancer has no subnet of its own: it sits in the networks of its backends.
void add_load_balancer_entry_points(const Estate& estate, std::vector<PublicEntryPoint>& out) {
    for (const model::LoadBalancer& lb : estate.load_balancers) {
        auto public_frontend = std::find_if(lb.frontends.begin(), lb.frontends.end(),
                                            [](const model::Frontend& f) { return f.public_ip != kNone; });
        if (public_frontend == lb.frontends.end())
            continue;
        std::vector<model::VnetIndex> vnets;
        for (const model::NetworkInterface& nic : estate.network_interfaces) {
            for (const model::IpConfiguration& config : nic.ip_configurations) {
                for (const std::string& pool : config.load_balancer_backend_pools) {
                    bool in_lb =
                        std::any_of(lb.backend_pools.begin(), lb.backend_pools.end(),
                                    [&](const std::string& own) { return model::same_id(own, pool); });
                    model::VnetIndex vnet = vnet_of(estate, config.subnet);
                    if (in_lb && vnet != kNone && std::find(vnets.begin(), vnets.end(), vnet) == vnets.end())
                        vnets.push_back(vnet);
                }
            }
        }
        for (model::VnetIndex vnet : vnets) {
            out.push_back({vnet, setting(lb, fmt::format("public IP {} on load balancer {}",
                                                         public_ip_text(estate, public_frontend->public_ip),
                                                         lb.name))});
        }
    }
}

void add_hub_entry_points(const Estate& estate, std::vector<PublicEntryPoint>& out) {
    for (const model::AzureFirewall& firewall : estate.azure_firewalls) {
        for (model::PublicIpIndex pip : firewall.public_ips) {
            if (vnet_of(estate, firewall.subnet) != kNone)
                out.push_back({vnet_of(estate, firewall.subnet),
                               setting(firewall, fmt::format("public IP {} on Azure Firewall {}",
                                                             public_ip_text(estate, pip), firewall.name))});
        }
    }
    for (const model::BastionHost& bastion : estate.bastion_hosts) {
        if (bastion.public_ip != kNone && vnet_of(estate, bastion.subnet) != kNone)
            out.push_back(
                {vnet_of(estate, bastion.subnet),
                 setting(bastion, fmt::format("public IP {} on Bastion {}",
                                              public_ip_text(estate, bastion.public_ip), bastion.name))});
    }
}

std::vector<PublicEntryPoint> public_entry_points(const Estate& estate) {
    std::vector<PublicEntryPoint> entries;
    add_nic_entry_points(estate, entries);
    add_gateway_entry_points(estate, entries);
    add_load_balancer_entry_points(estate, entries);
    add_hub_entry_points(estate, entries);
    return entries;
}

std::vector<Finding> ddos_protection(const CheckContext& context) {
    const Estate& estate = context.estate;
    std::vector<PublicEntryPoint> entries = public_entry_points(estate);
    std::vector<Finding> out;
    for (model::VnetIndex v : estate.virtual_networks.indices()) {
        const model::VirtualNetwork& vnet = estate.virtual_networks[v];
        if (vnet.ddos_protection_enabled)
            continue;
        std::vector<Evidence> evidence{
            setting(vnet, fmt::format("{} enableDdosProtection: false", vnet.name))};
        for (const PublicEntryPoint& entry : entries) {
            if (entry.vnet == v)
                evidence.push_back(entry.evidence);
        }
        if (evidence.size() == 1)
            continue; // nothing public: a volumetric attack has no address to aim at
        Finding f =
            finding_on(vnet, fmt::format("{} has {} public entry point(s) and no DDoS protection plan",
                                         vnet.name, evidence.size() - 1));
        f.evidence = std::move(evidence);
        out.push_back(std::move(f));
    }
    return out;
}

// ---- ZT-HUB-006 / 007: traffic routed through the firewall -----------------------------------

/// Whether a route's next hop is an Azure Firewall of the estate (an address in its subnet counts:
/// the firewall's own address is often known only after deployment).
bool to_firewall(const Estate& estate, bool virtual_appliance, const std::optional<net::Address>& next_hop) {
    return virtual_appliance && next_hop && route::firewall_at(estate, *next_hop);
}

/// "VirtualAppliance 10.0.1.4", or the type alone when the route names no address.
std::string next_hop_text(const model::Route& route) {
    const std::string type(route.next_hop_type ? model::name_of(*route.next_hop_type) : "unknown");
    return route.next_hop_ip ? type + " " + route.next_hop_ip->to_string() : type;
}

std::string route_text(const model::RouteTable& table, const model::Route& route) {
    return fmt::format("{} route {}: {} -> {}", table.name, route.name, route.address_prefix,
                       next_hop_text(route));
}

bool is_default_route(const model::Route& route) {
    auto prefix = net::Prefix::parse(route.address_prefix);
    return prefix && prefix->family() == net::Family::V4 && prefix->length() == 0;
}

/// Subnets that hold VM network interfaces, with the names of those VMs.
std::vector<std::pair<model::SubnetIndex, std::vector<std::string>>> vm_subnets(const Estate& estate) {
    std::vector<std::pair<model::SubnetIndex, std::vector<std::string>>> out;
    for (const model::NetworkInterface& nic : estate.network_interfaces) {
        if (nic.virtual_machine == kNone)
            continue;
        const std::string& vm = estate.virtual_machines[nic.virtual_machine].name;
        for (const model::IpConfiguration& config : nic.ip_configurations) {
            if (config.subnet == kNone)
                continue;
            auto at = std::find_if(out.begin(), out.end(),
                                   [&](const auto& entry) { return entry.first == config.subnet; });
            if (at == out.end())
                at = out.emplace(out.end(), config.subnet, std::vector<std::string>{});
            if (std::find(at->second.begin(), at->second.end(), vm) == at->second.end())
                at->second.push_back(vm);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// The hub's own side of a connection (hubVirtualNetworkConnections), where enableInternetSecurity
/// is written.
Evidence hub_side_evidence(const Estate& estate, const model::Peering& vnet_side) {
    const model::Peering* hub_side = model::hub_side(estate, vnet_side);
    const model::Peering* written = hub_side ? hub_side : &vnet_side;
    return Evidence{fmt::format("hub connection {}: enableInternetSecurity false (the default route is not "
                                "propagated to {})",
                                written->name, estate.virtual_networks[vnet_side.virtual_network].name),
                    written->where,
                    {}};
}

/// A VM subnet of a VNet connected to a Virtual WAN hub, without a 0.0.0.0/0 user route: its
/// default route is the hub's, to the firewall only when the hub sends Internet traffic there and
/// the connection propagates the default route (and the subnet takes the hub's routes at all).
std::optional<Finding> hub_egress_gap(const Estate& estate, const model::Subnet& subnet,
                                      const std::string& vms, const model::Peering& connection) {
    const model::VirtualNetwork& hub = estate.virtual_networks[connection.remote_virtual_network];
    const auto& to_firewall = hub.virtual_hub->to_firewall;
    auto default_route = std::find_if(to_firewall.begin(), to_firewall.end(),
                                      [](const auto& r) { return r.prefix.length() == 0; });
    const bool propagation_off =
        subnet.route_table != kNone && estate.route_tables[subnet.route_table].disable_bgp_route_propagation;
    if (default_route != to_firewall.end() && connection.propagates_default_route && !propagation_off)
        return std::nullopt;
    Finding f = finding_on(subnet, fmt::format("{} (VMs {}) sends Internet traffic straight out: Virtual WAN "
                                               "hub {} does not give it a default route to its firewall",
                                               subnet.name, vms, hub.name));
    if (default_route == to_firewall.end())
        f.evidence.push_back(setting(hub, fmt::format("{}: no routing intent for Internet traffic and no "
                                                      "0.0.0.0/0 route to its firewall",
                                                      hub.name)));
    else if (!connection.propagates_default_route)
        f.evidence.push_back(hub_side_evidence(estate, connection));
    else
        f.evidence.push_back(setting(estate.route_tables[subnet.route_table],
                                     fmt::format("{} disableBgpRoutePropagation: true (the hub's routes "
                                                 "do not reach {})",
                                                 estate.route_tables[subnet.route_table].name, subnet.name)));
    return f;
}

/// Why a VM subnet's default route does not lead to the firewall, as a finding; nullopt if it does.
std::optional<Finding> egress_gap(const Estate& estate, const model::Subnet& subnet, const std::string& vms) {
    if (const model::Peering* connection = model::hub_connection(estate, subnet.virtual_network)) {
        const bool user_default_route =
            subnet.route_table != kNone &&
            std::any_of(estate.route_tables[subnet.route_table].routes.begin(),
                        estate.route_tables[subnet.route_table].routes.end(), is_default_route);
        if (!user_default_route)
            return hub_egress_gap(estate, subnet, vms, *connection);
    }
    if (subnet.route_table == kNone) {
        Finding f =
            finding_on(subnet, fmt::format("{} (VMs {}) has no route table: its traffic to the Internet "
                                           "and other networks bypasses the hub firewall",
                                           subnet.name, vms));
        f.evidence.push_back(setting(subnet, fmt::format("{} routeTable: absent", subnet.name)));
        return f;
    }
    const model::RouteTable& table = estate.route_tables[subnet.route_table];
    auto route = std::find_if(table.routes.begin(), table.routes.end(), is_default_route);
    if (route == table.routes.end()) {
        Finding f =
            finding_on(subnet, fmt::format("{} (VMs {}) uses route table {} without a 0.0.0.0/0 route: "
                                           "Internet traffic bypasses the hub firewall",
                                           subnet.name, vms, table.name));
        f.evidence.push_back(setting(table, fmt::format("{} routes: none for 0.0.0.0/0", table.name)));
        return f;
    }
    if (to_firewall(estate, route->next_hop_type == model::UserNextHop::VirtualAppliance, route->next_hop_ip))
        return std::nullopt;
    Finding f = finding_on(subnet, fmt::format("{} (VMs {}) sends 0.0.0.0/0 to {}, which is not an Azure "
                                               "Firewall of the estate",
                                               subnet.name, vms, next_hop_text(*route)));
    f.evidence.push_back(Evidence{route_text(table, *route), route->where, std::nullopt});
    return f;
}

std::vector<Finding> spoke_egress_through_firewall(const CheckContext& context) {
    const Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const auto& [subnet, vms] : vm_subnets(estate)) {
        if (auto gap = egress_gap(estate, estate.subnets[subnet], fmt::format("{}", fmt::join(vms, ", "))))
            out.push_back(std::move(*gap));
    }
    return out;
}

/// A network peered with the hub: its name and address space.
struct Spoke {
    std::string name;
    std::vector<net::Prefix> address_space;
};

std::vector<Spoke> spokes_of(const Estate& estate, const model::VirtualNetwork& hub) {
    std::vector<Spoke> spokes;
    for (model::PeeringIndex p : hub.peerings) {
        const model::Peering& peering = estate.peerings[p];
        if (peering.remote_virtual_network != kNone) {
            const model::VirtualNetwork& remote = estate.virtual_networks[peering.remote_virtual_network];
            spokes.push_back({remote.name, remote.address_space});
        } else {
            spokes.push_back({model::parse_resource_id(peering.remote_virtual_network_id).name,
                              peering.remote_address_space});
        }
    }
    return spokes;
}

/// The active route that carries some of `spoke` anywhere but to an Azure Firewall, or nullptr when
/// all of it goes through one (or is dropped). The longest route containing the whole prefix
/// decides for it, except where longer routes inside the prefix take part of it.
const route::EffectiveRoute* route_around_firewall(const Estate& estate, const route::RouteTableView& view,
                                                   const net::Prefix& spoke) {
    const route::EffectiveRoute* covering = nullptr;
    std::vector<const route::EffectiveRoute*> deciding;
    for (const route::EffectiveRoute& r : view.routes) {
        if (!r.active || r.prefix.family() != spoke.family())
            continue;
        if (r.prefix.contains(spoke) && (!covering || r.prefix.length() > covering->prefix.length()))
            covering = &r;
        else if (spoke.contains(r.prefix))
            deciding.push_back(&r);
    }
    if (covering)
        deciding.insert(deciding.begin(), covering);
    for (const route::EffectiveRoute* r : deciding) {
        bool through =
            r->firewall != kNone ||
            to_firewall(estate, r->next_hop == route::NextHopType::VirtualAppliance, r->next_hop_ip);
        if (!through && r->next_hop != route::NextHopType::None)
            return r;
    }
    return nullptr;
}

/// Evidence for an effective route: the user route where it is written, or the system route.
Evidence effective_route_evidence(const Estate& estate, const route::EffectiveRoute& r) {
    std::string hop(route::next_hop_name(r.next_hop));
    if (r.next_hop_ip)
        hop += " " + r.next_hop_ip->to_string();
    if (r.route_table != kNone) {
        const model::RouteTable& table = estate.route_tables[r.route_table];
        for (const model::Route& route : table.routes) {
            if (route.name == r.route_name)
                return Evidence{route_text(table, route), route.where, std::nullopt};
        }
    }
    if (r.peering != kNone) {
        const model::Peering& peering = estate.peerings[r.peering];
        return setting(peering, fmt::format("system route {} -> {} (peering {})", r.prefix.to_string(), hop,
                                            peering.name));
    }
    return unplaced(
        fmt::format("{} route {} -> {}", route::route_source_name(r.source), r.prefix.to_string(), hop));
}

std::vector<Finding> gateway_through_firewall(const CheckContext& context) {
    const Estate& estate = context.estate;
    std::vector<Finding> out;
    for (model::SubnetIndex s : estate.subnets.indices()) {
        const model::Subnet& subnet = estate.subnets[s];
        if (!same_word(subnet.name, "GatewaySubnet") || subnet.virtual_network == kNone)
            continue;
        const model::VirtualNetwork& hub = estate.virtual_networks[subnet.virtual_network];
        Diagnostics ignored; // a route tag missing from the tags file is not this check's to report
        route::RouteTableView view = route::effective_routes(estate, s, context.engine.tags(), ignored);
        for (const Spoke& spoke : spokes_of(estate, hub)) {
            for (const net::Prefix& prefix : spoke.address_space) {
                const route::EffectiveRoute* bypass = route_around_firewall(estate, view, prefix);
                if (!bypass)
                    continue;
                Finding f = finding_on(
                    subnet,
                    fmt::format("GatewaySubnet of {} sends traffic for {} ({}) to {}, around the firewall",
                                hub.name, spoke.name, prefix.to_string(),
                                route::next_hop_name(bypass->next_hop)),
                    prefix.to_string());
                f.evidence.push_back(effective_route_evidence(estate, *bypass));
                if (subnet.route_table == kNone)
                    f.evidence.push_back(setting(subnet, "GatewaySubnet routeTable: absent"));
                out.push_back(std::move(f));
            }
        }
    }
    return out;
}

// ---- ZT-HUB-009: traffic between a secured Virtual WAN hub's connections through its firewall --

/// Routes of a connected VNet's subnets that carry another connection's address space around the
/// hub's firewall: one finding per (VNet, prefix), on the VNet, with the first such route.
void connections_around_firewall(const CheckContext& context, model::VnetIndex v,
                                 const model::Peering& connection, std::vector<Finding>& out) {
    const Estate& estate = context.estate;
    const model::VirtualNetwork& vnet = estate.virtual_networks[v];
    const model::VirtualNetwork& hub = estate.virtual_networks[connection.remote_virtual_network];
    // The effective routes the reachability analysis computed, subnet by subnet.
    const route::RouteViews& views = context.reach.route_views();
    for (model::VnetIndex other : connection.hub_routes_to) {
        for (const net::Prefix& prefix : estate.virtual_networks[other].address_space) {
            for (model::SubnetIndex s : vnet.subnets) {
                const route::EffectiveRoute* bypass = route_around_firewall(estate, views.of(s), prefix);
                if (!bypass)
                    continue;
                const model::Subnet& subnet = estate.subnets[s];
                Finding f = finding_on(
                    vnet,
                    fmt::format("traffic from {} to {} ({}) goes {} through Virtual WAN hub {}, around its "
                                "firewall",
                                vnet.name, estate.virtual_networks[other].name, prefix.to_string(),
                                bypass->next_hop == route::NextHopType::VirtualHub ? "straight" : "elsewhere",
                                hub.name),
                    prefix.to_string());
                f.evidence.push_back(unplaced(fmt::format(
                    "subnet {}: {} route {} -> {}", subnet.name, route::route_source_name(bypass->source),
                    bypass->prefix.to_string(), route::next_hop_name(bypass->next_hop))));
                f.evidence.push_back(setting(hub, fmt::format("{}: no routing intent for private traffic "
                                                              "through its firewall",
                                                              hub.name)));
                out.push_back(std::move(f));
                break;
            }
        }
    }
}

bool private_traffic_intent(const model::VirtualHubRouting& hub) {
    return std::any_of(hub.to_firewall.begin(), hub.to_firewall.end(),
                       [](const auto& r) { return r.routing_intent && r.prefix.length() > 0; });
}

std::vector<Finding> hub_connections_through_firewall(const CheckContext& context) {
    const Estate& estate = context.estate;
    std::vector<Finding> out;
    for (model::VnetIndex v : estate.virtual_networks.indices()) {
        const model::VirtualNetwork& vnet = estate.virtual_networks[v];
        if (vnet.virtual_hub) {
            // Branch traffic enters through the hub's gateways and meets the firewall only under
            // routing intent for private traffic.
            if (vnet.virtual_hub->firewall == kNone || vnet.virtual_hub->branch_gateways.empty() ||
                private_traffic_intent(*vnet.virtual_hub))
                continue;
            Finding f =
                finding_on(vnet, fmt::format("traffic from the branches of Virtual WAN hub {} ({}) "
                                             "reaches its connections around its firewall",
                                             vnet.name, fmt::join(vnet.virtual_hub->branch_gateways, ", ")));
            f.evidence.push_back(
                setting(vnet, fmt::format("{}: no routing intent for private traffic through "
                                          "its firewall",
                                          vnet.name)));
            out.push_back(std::move(f));
            continue;
        }
        const model::Peering* connection = model::hub_connection(estate, v);
        if (connection == nullptr ||
            estate.virtual_networks[connection->remote_virtual_network].virtual_hub->firewall == kNone ||
            !vnet.routing_unknown.empty())
            continue;
        connections_around_firewall(context, v, *connection, out);
    }
    return out;
}

/// A finding on the gateway (or Virtual WAN hub) whose connection lets the tunnel negotiate IKEv1 or
/// a weak algorithm; nullopt when it does neither. `protocol_field` names where the protocol is set.
std::optional<Finding> weak_connection(const model::Resource& owner, const model::GatewayConnection& c,
                                       std::string_view protocol_field) {
    const bool ikev1 = same_word(c.protocol, "IKEv1");
    if (!ikev1 && c.weak_crypto.empty())
        return std::nullopt;
    std::vector<std::string> weak = c.weak_crypto;
    if (ikev1)
        weak.insert(weak.begin(), "IKEv1");
    Finding f = finding_on(owner,
                           fmt::format("VPN connection {} of {} lets the tunnel negotiate {}", c.name,
                                       owner.name, fmt::join(weak, ", ")),
                           c.name);
    f.evidence.push_back(
        Evidence{fmt::format("{} {}: {}; ipsecPolicies allow {}", c.name, protocol_field, c.protocol,
                             c.weak_crypto.empty() ? std::string("Azure's default set")
                                                   : fmt::format("{}", fmt::join(c.weak_crypto, ", "))),
                 c.where,
                 {}});
    return f;
}

std::vector<Finding> weak_vpn_crypto(const CheckContext& context) {
    std::vector<Finding> out;
    for (const model::VirtualNetworkGateway& gateway : context.estate.virtual_network_gateways)
        for (const model::GatewayConnection& c : gateway.connections)
            if (auto f = weak_connection(gateway, c, "connectionProtocol"))
                out.push_back(std::move(*f));
    // A Virtual WAN hub's VPN gateway: each link of each site connection.
    for (const model::VirtualNetwork& hub : context.estate.virtual_networks)
        if (hub.virtual_hub)
            for (const model::GatewayConnection& c : hub.virtual_hub->branch_connections)
                if (auto f = weak_connection(hub, c, "vpnConnectionProtocolType"))
                    out.push_back(std::move(*f));
    return out;
}

// ---- ZT-HUB-010: MACsec on ExpressRoute Direct ---------------------------------------------

std::vector<Finding> express_route_macsec(const CheckContext& context) {
    const Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::ExpressRouteLink& link : estate.express_route_links) {
        if (link.macsec)
            continue;
        const model::OtherResource& port = estate.others[link.port];
        Finding f =
            finding_on(port,
                       fmt::format("ExpressRoute Direct port {}: link {} carries traffic unencrypted (no "
                                   "MACsec)",
                                   port.name, link.name),
                       link.name);
        f.evidence.push_back(Evidence{fmt::format("{} link {}: macSecConfig without cknSecretIdentifier and "
                                                  "cakSecretIdentifier{}",
                                                  port.name, link.name,
                                                  link.cipher.empty() ? "" : " (cipher " + link.cipher + ")"),
                                      link.where,
                                      {}});
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace

void add_hub(std::vector<Check>& out) {
    using P = Principle;
    out.push_back(Check{
        .id = "ZT-HUB-001",
        .title = "An Azure Firewall Premium in the hub",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = R"(
            Hub: Azure Firewall Premium inspects traffic between spokes, on-premises and the
            Internet)",
        .rationale = R"(
            A firewall in the hub is the one place where traffic between networks is inspected and
            logged. Only the Premium tier adds signature-based intrusion prevention and TLS
            inspection, which catch an attacker who already holds a foothold inside.)",
        .remediation = R"(
            Deploy Microsoft.Network/azureFirewalls in the hub's AzureFirewallSubnet with sku.tier
            "Premium" and attach a Microsoft.Network/firewallPolicies resource whose sku.tier is
            "Premium".)",
        .run = firewall_premium,
        .reads = {{model::ResourceKind::AzureFirewall, "/properties/sku"},
                  {model::ResourceKind::FirewallPolicy, "/properties/sku", SettingRead::Findings::Anywhere}},
    });
    out.push_back(Check{
        .id = "ZT-HUB-002",
        .title = "Firewall IDPS in Deny mode",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Hub: Azure Firewall Premium with IDPS in alert-and-deny mode",
        .rationale = R"(
            Intrusion detection and prevention matches traffic against known attack signatures,
            including lateral movement and command-and-control. In Off or Alert mode a match is at
            best logged, so the attack proceeds.)",
        .remediation = R"(
            Set properties.intrusionDetection.mode to "Deny" on the firewall policy (Premium tier);
            a firewall with classic rules needs a firewall policy first.)",
        .run = idps_deny,
        .reads = {{model::ResourceKind::FirewallPolicy, "/properties/intrusionDetection"}},
    });
    out.push_back(Check{
        .id = "ZT-HUB-003",
        .title = "Firewall threat intelligence in Deny mode",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Hub: Azure Firewall with threat intelligence in deny mode",
        .rationale = R"(
            Threat intelligence filters traffic to and from addresses and domains Microsoft knows to
            be malicious. In Alert mode a compromised VM can still reach its command-and-control
            server or exfiltrate data.)",
        .remediation = R"(
            Set properties.threatIntelMode to "Deny" on the firewall policy (or on the
            azureFirewalls resource when it uses classic rules).)",
        .run = threat_intel_deny,
        .reads = {{model::ResourceKind::AzureFirewall, "/properties/threatIntelMode"},
                  {model::ResourceKind::FirewallPolicy, "/properties/threatIntelMode"}},
    });
    out.push_back(Check{
        .id = "ZT-HUB-004",
        .title = "Firewall TLS inspection",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Low,
        .guidance = "Hub: Azure Firewall Premium with TLS inspection",
        .rationale = R"(
            Most traffic is encrypted; without TLS inspection the firewall sees only the server
            name, so IDPS and URL filtering cannot look inside. Inspection lets the firewall verify
            what actually crosses it.)",
        .remediation = R"(
            Set properties.transportSecurity.certificateAuthority on the Premium firewall policy (an
            intermediate CA certificate in Key Vault, read through the policy's managed identity)
            and enable terminateTLS on the application rules.)",
        .run = tls_inspection,
        .reads = {{model::ResourceKind::FirewallPolicy, "/properties/transportSecurity"}},
    });
    out.push_back(Check{
        .id = "ZT-HUB-005",
        .title = "DDoS protection on networks with a public entry point",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Hub: DDoS Network Protection on every virtual network that has a public IP",
        .rationale = R"(
            Public IP addresses only get the platform's basic infrastructure protection, which is
            not tuned to the application. A DDoS protection plan adapts mitigation to each public
            address and alerts on attacks.)",
        .remediation = R"(
            Create a Microsoft.Network/ddosProtectionPlans resource and set
            properties.enableDdosProtection to true and properties.ddosProtectionPlan.id on each
            virtual network that holds a public IP (NIC, App Gateway, load balancer, firewall or
            Bastion).)",
        .run = ddos_protection,
        .reads = {{model::ResourceKind::VirtualNetwork, "/properties/enableDdosProtection"},
                  {model::ResourceKind::VirtualNetwork, "/properties/ddosProtectionPlan"}},
    });
    out.push_back(Check{
        .id = "ZT-HUB-006",
        .title = "Spoke egress forced through the hub firewall",
        .principles = {P::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Spoke step 5 / Hub: a 0.0.0.0/0 route to the hub firewall on every subnet with VMs",
        .rationale = R"(
            Without a default route to the firewall, VMs reach the Internet and other networks
            directly, so a compromised VM can exfiltrate data or download tools with nothing
            inspecting or logging it.)",
        .remediation = R"(
            Associate a Microsoft.Network/routeTables resource with each VM subnet holding a route
            with addressPrefix "0.0.0.0/0", nextHopType "VirtualAppliance" and nextHopIpAddress the
            hub firewall's private IP; set disableBgpRoutePropagation to true so that no learned
            route overrides it. In a spoke of a secured Virtual WAN hub, add a routing policy for
            Internet traffic with the hub's firewall as next hop (virtualHubs/routingIntent) and set
            enableInternetSecurity to true on the spoke's hub connection instead.)",
        .run = spoke_egress_through_firewall,
        .reads = {{model::ResourceKind::Subnet, "/properties/routeTable"},
                  {model::ResourceKind::RouteTable, "/properties/routes", SettingRead::Findings::Anywhere},
                  {model::ResourceKind::RouteTable, "/properties/disableBgpRoutePropagation",
                   SettingRead::Findings::Anywhere}},
    });
    out.push_back(Check{
        .id = "ZT-HUB-007",
        .title = "Gateway traffic to the spokes routed through the firewall",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Hub: the GatewaySubnet's route table sends spoke address spaces to the firewall",
        .rationale = R"(
            Traffic from on-premises enters through the virtual network gateway and, by default,
            goes straight to the peered spokes. Routing it through the firewall means a compromised
            on-premises host is inspected like any other source.)",
        .remediation = R"(
            Associate a route table with GatewaySubnet holding, for each spoke address space, a
            route with nextHopType "VirtualAppliance" and nextHopIpAddress the hub firewall's
            private IP.)",
        .run = gateway_through_firewall,
    });
    out.push_back(Check{
        .id = "ZT-HUB-009",
        .title = "Traffic between Virtual WAN connections through the hub firewall",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Hub: a secured Virtual WAN hub's routing intent sends private traffic to its firewall",
        .rationale = R"(
            A Virtual WAN hub's router forwards between the VNets and branches connected to it. Unless
            routing intent sends private traffic to the secured hub's firewall, a compromised
            workload in one spoke (or an on-premises host) reaches every other spoke without any
            inspection: the firewall then sees only Internet traffic.)",
        .remediation = R"(
            Add a routing policy for PrivateTraffic with the hub's Azure Firewall as next hop
            (Microsoft.Network/virtualHubs/routingIntent), and add any non-RFC 1918 address space of
            the connected VNets to the hub's private traffic prefixes.)",
        .run = hub_connections_through_firewall,
    });
    out.push_back(Check{
        .id = "ZT-HUB-008",
        .title = "VPN connections with IKEv2 and strong IPsec",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Encrypting network traffic: site-to-site VPN with strong IPsec/IKE parameters",
        .rationale = R"(
            A site-to-site tunnel carries on-premises traffic into the hub. IKEv1, DES and 3DES,
            MD5 and SHA1, or Diffie-Hellman groups 1 and 2 can be broken or downgraded; a custom
            IPsec policy that allows them weakens every tunnel that negotiates it.)",
        .remediation = R"(
            Set connectionProtocol to "IKEv2" on the Microsoft.Network/connections resource, and
            give it ipsecPolicies with AES256 or GCMAES256, SHA256 or stronger, DHGroup14 or ECP384
            and PFS (or none, for Azure's default policy). On a Virtual WAN VPN gateway, set the same
            on each vpnLinkConnections entry (vpnConnectionProtocolType, ipsecPolicies).)",
        .run = weak_vpn_crypto,
    });
    out.push_back(Check{
        .id = "ZT-HUB-010",
        .title = "ExpressRoute Direct links encrypted with MACsec",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Encrypting network traffic: MACsec on ExpressRoute Direct ports",
        .rationale = R"(
            ExpressRoute is a private circuit, not an encrypted one: traffic crosses the provider's
            and the peering location's equipment in clear. On ExpressRoute Direct, MACsec encrypts
            each physical link between the customer's routers and Microsoft's edge, so a tap there
            reads nothing.)",
        .remediation = R"(
            Store the MACsec connectivity key (CKN) and association key (CAK) as Key Vault secrets and
            set properties.links[].properties.macSecConfig on the Microsoft.Network/expressRoutePorts
            resource: cknSecretIdentifier, cakSecretIdentifier and cipher GcmAes256 or GcmAesXpn256.
            Circuits through a provider cannot use MACsec: run IPsec (a VPN gateway over the private
            peering) where their traffic must be encrypted.)",
        .run = express_route_macsec,
    });
}

} // namespace ztnet::checks::families
