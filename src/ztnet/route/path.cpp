// trace_path(): one flow, hop by hop, in Azure's order.
#include "ztnet/route/path.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/policy/admin_rules.h"
#include "ztnet/route/effective_routes.h"
#include "ztnet/route/firewall.h"
#include "ztnet/route/outbound.h"
#include "ztnet/route/private_endpoints.h"
#include "ztnet/route/route_plan.h"

namespace ztnet::route {
namespace {

using model::Index;
using model::kNone;
using net::Direction;

class Tracer {
  public:
    Tracer(const policy::PolicyEngine& engine, const RouteViews& views, const PathQuery& query,
           PathResult& out)
        : engine_(engine), estate_(engine.estate()), query_(query), out_(out), views_(views) {}

    void run();
    /// Only the NSGs (and security admin rules) of one end: the source's outbound, or the
    /// destination's inbound, whatever the path between.
    void run_side(Direction side);

  private:
    bool nsg_step(model::NsgIndex nsg, model::SubnetIndex subnet, Direction direction, std::string step,
                  const net::Flow& flow, const std::string& unknown);
    bool undecidable_nsg_step(const model::NetworkSecurityGroup& group,
                              const std::vector<policy::ResolvedRule>& rules, const policy::NsgDecision& d,
                              std::string step);
    bool admin_rules_unknown(model::SubnetIndex subnet, std::string step);
    bool admin_then_nsgs(model::SubnetIndex subnet, Direction direction, const net::Flow& flow,
                         const std::function<bool()>& nsgs);
    void platform_destination(std::string_view tag);
    bool platform_nsg_step(model::NsgIndex nsg, const std::string& unknown_nsg, std::string step,
                           std::string_view tag);
    bool source_side();
    bool entry_from_outside();
    bool route_to_destination(model::SubnetIndex from_subnet);
    bool gateway_entry(const OutsideEntry& entry);
    bool destination_side(const Endpoint& to, const net::Flow& flow);
    bool load_balancer_backends();
    struct BackendAnswer {
        Verdict admits = Verdict::Denied;
        std::string doubt; // why, when Undecidable
    };
    BackendAnswer backend_admits(const model::LoadBalancer& lb, const model::LoadBalancingRule& rule,
                                 model::NicIndex nic, Index config,
                                 const std::vector<net::Address>& addresses);
    BackendAnswer unknown_backend(const model::LoadBalancer& lb, const model::LoadBalancingRule& rule,
                                  const model::NetworkInterface& nic, const model::IpConfiguration& config);
    Hop& add(Hop::Kind kind, std::string step, Verdict verdict) {
        Hop h;
        h.kind = kind;
        h.step = std::move(step);
        h.verdict = verdict;
        out_.hops.push_back(std::move(h));
        return out_.hops.back();
    }
    void conclude(Verdict verdict, std::string summary) {
        out_.verdict = verdict;
        out_.summary = std::move(summary);
    }
    // The path goes on past a step that cannot decide (a later step may still deny the flow); the
    // first such step's reason is what an end that would have allowed the flow reports.
    void doubt(std::string why) {
        if (!doubt_)
            doubt_ = std::move(why);
    }
    void allow(std::string summary) {
        if (doubt_)
            conclude(Verdict::Undecidable, *doubt_);
        else
            conclude(Verdict::Allowed, std::move(summary));
    }
    model::VnetIndex vnet_of(model::SubnetIndex subnet) const {
        return subnet == kNone ? kNone : estate_.subnets[subnet].virtual_network;
    }
    void route_hop(const RouteStep& step);
    bool firewall_hop(model::FirewallIndex firewall);
    bool route_end(const RoutePlan& plan, std::size_t last_route_index);
    static std::string last_route_appliance(const RoutePlan& plan) {
        for (auto it = plan.steps.rbegin(); it != plan.steps.rend(); ++it) {
            if (it->route && it->route->next_hop_ip)
                return it->route->next_hop_ip->to_string();
        }
        return "the appliance";
    }

    std::optional<std::string> doubt_;
    const policy::PolicyEngine& engine_;
    const model::Estate& estate_;
    const PathQuery& query_;
    PathResult& out_;
    const RouteViews& views_;
};

std::string rule_label(const policy::ResolvedRule& r) {
    return fmt::format("{} ({}{})", r.name, r.priority, r.is_default ? ", default rule" : "");
}

bool Tracer::nsg_step(model::NsgIndex nsg, model::SubnetIndex subnet, Direction direction, std::string step,
                      const net::Flow& flow, const std::string& unknown) {
    if (nsg == kNone && !unknown.empty()) { // an NSG the input refers to but cannot tell
        Hop& h = add(Hop::Kind::Nsg, std::move(step), Verdict::Undecidable);
        h.detail = unknown + ": it may allow or deny the flow";
        doubt(fmt::format("{}: {}", estate_.subnets[subnet].name, unknown));
        return true;
    }
    if (nsg == kNone) {
        Hop& h = add(Hop::Kind::Nsg, std::move(step), Verdict::Allowed);
        h.detail = "no NSG: allowed";
        return true;
    }
    const model::NetworkSecurityGroup& group = estate_.network_security_groups[nsg];
    const policy::CompiledNsg& compiled = engine_.nsg(nsg, vnet_of(subnet));
    policy::NsgDecision d = compiled.decide(direction, flow);
    if (d.undecidable)
        return undecidable_nsg_step(group, compiled.rules(direction), d, std::move(step));
    const policy::ResolvedRule& rule = compiled.rules(direction)[d.rule];
    bool allowed = d.access == model::Access::Allow;
    Hop& h = add(Hop::Kind::Nsg, std::move(step), allowed ? Verdict::Allowed : Verdict::Denied);
    h.resource = group.id;
    h.resource_name = group.name;
    h.rule = rule.name;
    h.priority = rule.priority;
    h.default_rule = rule.is_default;
    h.where =
        rule.custom_index >= 0 ? group.rules[static_cast<std::size_t>(rule.custom_index)].where : group.where;
    h.detail = fmt::format("{}: {} {}", group.name, rule_label(rule), allowed ? "allows" : "denies");
    if (!allowed)
        conclude(Verdict::Denied, fmt::format("denied by NSG {} rule {} ({})", group.name, rule_label(rule),
                                              net::direction_name(direction)));
    return allowed;
}

// An NSG whose answer depends on a rule the input cannot tell: the rule that may allow the flow and
// the one that denies it otherwise (or the other way round), and why the first is unknown.
bool Tracer::undecidable_nsg_step(const model::NetworkSecurityGroup& group,
                                  const std::vector<policy::ResolvedRule>& rules,
                                  const policy::NsgDecision& d, std::string step) {
    const policy::ResolvedRule& allowing = rules[d.permissive_rule];
    const policy::ResolvedRule& denying = rules[d.rule];
    const policy::ResolvedRule& unknown = allowing.uncertain() ? allowing : denying;
    Hop& h = add(Hop::Kind::Nsg, std::move(step), Verdict::Undecidable);
    h.resource = group.id;
    h.resource_name = group.name;
    h.rule = unknown.name;
    h.priority = unknown.priority;
    h.where = unknown.custom_index >= 0 ? group.rules[static_cast<std::size_t>(unknown.custom_index)].where
                                        : group.where;
    h.detail = fmt::format("{}: {} may {} the flow, and {} would {} it; {}", group.name, rule_label(unknown),
                           &unknown == &allowing ? "allow" : "deny",
                           rule_label(&unknown == &allowing ? denying : allowing),
                           &unknown == &allowing ? "deny" : "allow", unknown.unknown);
    doubt(fmt::format("NSG {} rule {} may decide it: {}", group.name, rule_label(unknown), unknown.unknown));
    return true;
}

// Security admin rules the input cannot tell, which Azure applies before the NSGs: they may deny
// the flow, leave it to the NSGs, or allow it whatever the NSGs say. The NSGs then decide nothing.
bool Tracer::admin_rules_unknown(model::SubnetIndex subnet, std::string step) {
    const model::VnetIndex vnet = vnet_of(subnet);
    if (vnet == kNone || estate_.virtual_networks[vnet].admin_rules_unknown.empty())
        return false;
    const model::VirtualNetwork& v = estate_.virtual_networks[vnet];
    Hop& h = add(Hop::Kind::Nsg, std::move(step), Verdict::Undecidable);
    h.resource = v.id;
    h.resource_name = v.name;
    h.detail = fmt::format("VNet {}: {}; they may deny the flow, or allow it whatever its NSGs say", v.name,
                           v.admin_rules_unknown);
    doubt(fmt::format("VNet {}: {}", v.name, v.admin_rules_unknown));
    return true;
}

// A flow to a platform address (168.63.129.16: DNS, DHCP, the host agent; 169.254.169.254: IMDS).
// Traffic to these addresses "aren't subject to the configured network security groups unless
// targeted by service tags specific to each service" (Microsoft Learn, virtual-network/
// network-security-groups-overview), and the host node's address "isn't subject to user defined
// routes" (virtual-network/what-is-ip-address-168-63-129-16): only rules naming the tag decide.
void Tracer::platform_destination(std::string_view tag) {
    const Endpoint& from = out_.from;
    if (from.nic != kNone) {
        const model::NetworkInterface& nic = estate_.network_interfaces[from.nic];
        if (!platform_nsg_step(nic.network_security_group, nic.network_security_group_unknown,
                               "source NIC NSG (outbound)", tag))
            return;
    }
    const model::Subnet& subnet = estate_.subnets[from.subnet];
    if (!platform_nsg_step(subnet.network_security_group, subnet.network_security_group_unknown,
                           "source subnet NSG (outbound)", tag))
        return;
    add(Hop::Kind::Delivery, "delivery", Verdict::Allowed).detail =
        fmt::format("{} is the platform's own address: no route applies to it, and only NSG rules that name "
                    "{} do",
                    out_.to.address.to_string(), tag);
    allow("allowed");
}

bool Tracer::platform_nsg_step(model::NsgIndex nsg, const std::string& unknown_nsg, std::string step,
                               std::string_view tag) {
    if (nsg == kNone) {
        Hop& h = add(Hop::Kind::Nsg, std::move(step),
                     unknown_nsg.empty() ? Verdict::Allowed : Verdict::Undecidable);
        h.detail = unknown_nsg.empty() ? "no NSG: allowed"
                                       : unknown_nsg + ": a rule there may name " + std::string(tag);
        if (!unknown_nsg.empty())
            doubt(unknown_nsg);
        return true;
    }
    const model::NetworkSecurityGroup& group = estate_.network_security_groups[nsg];
    const policy::CompiledNsg& compiled = engine_.nsg(nsg, vnet_of(out_.from.subnet));
    for (const policy::ResolvedRule& rule : compiled.rules(Direction::Outbound)) {
        if (rule.is_default)
            continue;
        const model::SecurityRule* written =
            rule.custom_index >= 0 ? &group.rules[static_cast<std::size_t>(rule.custom_index)] : nullptr;
        const bool names =
            written && std::any_of(written->destination.addresses.begin(),
                                   written->destination.addresses.end(), [&](const model::AddressEntry& e) {
                                       return e.kind == model::AddressEntry::Kind::ServiceTag &&
                                              model::same_id(e.tag, tag);
                                   });
        const bool may_name = !written || written->is_unknown(model::RuleField::Destination);
        if (!names && !may_name)
            continue;
        if (rule.uncertain()) {
            if (!policy::in_reading(rule, policy::Reading::Permissive).matches(out_.flow) &&
                !policy::in_reading(rule, policy::Reading::Restrictive).matches(out_.flow))
                continue;
            Hop& h = add(Hop::Kind::Nsg, std::move(step), Verdict::Undecidable);
            h.resource = group.id;
            h.resource_name = group.name;
            h.rule = rule.name;
            h.detail = fmt::format("{}: {} may name {} and decide the flow: {}", group.name, rule_label(rule),
                                   tag, rule.unknown);
            doubt(
                fmt::format("NSG {} rule {} may decide it: {}", group.name, rule_label(rule), rule.unknown));
            return true;
        }
        if (!rule.matches(out_.flow))
            continue;
        const bool allowed = rule.access == model::Access::Allow;
        Hop& h = add(Hop::Kind::Nsg, std::move(step), allowed ? Verdict::Allowed : Verdict::Denied);
        h.resource = group.id;
        h.resource_name = group.name;
        h.rule = rule.name;
        h.priority = rule.priority;
        h.where = written ? written->where : group.where;
        h.detail = fmt::format("{}: {} names {} and {}", group.name, rule_label(rule), tag,
                               allowed ? "allows" : "denies");
        if (!allowed)
            conclude(Verdict::Denied, fmt::format("denied by NSG {} rule {} (Outbound), which names {}",
                                                  group.name, rule_label(rule), tag));
        return allowed;
    }
    Hop& h = add(Hop::Kind::Nsg, std::move(step), Verdict::Allowed);
    h.resource = group.id;
    h.resource_name = group.name;
    h.detail = fmt::format("{}: no rule names {}, so the NSG does not apply to the platform address",
                           group.name, tag);
    return true;
}

// Virtual Network Manager's security admin rules of the subnet's VNet, then the NSGs (`nsgs` adds
// their hops and says whether they let the flow on). "Security admin rules are evaluated before
// NSG rules" (Microsoft Learn, virtual-network-manager/concept-security-admins): a Deny rule ends
// evaluation, an AlwaysAllow rule "terminates further (and possibly conflicting) evaluation by NSG
// rules", an Allow rule hands the flow to the NSGs.
bool Tracer::admin_then_nsgs(model::SubnetIndex subnet, Direction direction, const net::Flow& flow,
                             const std::function<bool()>& nsgs) {
    std::string step =
        fmt::format("security admin rules ({})", direction == Direction::Inbound ? "inbound" : "outbound");
    if (admin_rules_unknown(subnet, step))
        return true;
    const model::VnetIndex vnet = vnet_of(subnet);
    const policy::AdminRules* admin = engine_.admin_rules(vnet);
    if (!admin)
        return nsgs();
    using Decision = policy::AdminDecision;
    const model::VirtualNetwork& v = estate_.virtual_networks[vnet];
    const Decision d = admin->decide(direction, flow);
    Hop& h = add(Hop::Kind::Nsg, std::move(step), Verdict::Allowed);
    h.resource = v.id;
    h.resource_name = v.name;
    std::string rule_text = "no security admin rule matches";
    if (d.rule) {
        h.rule = d.rule->rule.name;
        h.priority = d.rule->rule.priority;
        h.where = d.rule->rule.where;
        rule_text =
            fmt::format("security admin rule {} ({}, {}) of {}", d.rule->rule.name, d.rule->rule.priority,
                        model::admin_action_name(d.rule->action), d.rule->collection);
    }
    if (d.only(Decision::kDenied)) {
        h.verdict = Verdict::Denied;
        h.detail = fmt::format("VNet {}: {} denies; the NSGs are not consulted", v.name, rule_text);
        conclude(Verdict::Denied,
                 fmt::format("denied by {} ({})", rule_text, net::direction_name(direction)));
        return false;
    }
    if (d.only(Decision::kAlwaysAllowed)) {
        h.detail = fmt::format("VNet {}: {} always allows: the NSGs are not consulted", v.name, rule_text);
        return true;
    }
    if (d.only(Decision::kToNsgs)) {
        h.detail = fmt::format("VNet {}: {}{}; the NSGs decide", v.name, rule_text, d.rule ? " allows" : "");
        return nsgs();
    }
    h.verdict = Verdict::Undecidable;
    h.detail = fmt::format("VNet {}: {}; the flow may be {}", v.name, d.why,
                           d.may(Decision::kDenied) && d.may(Decision::kAlwaysAllowed)
                               ? "denied, or allowed whatever the NSGs say"
                           : d.may(Decision::kDenied) ? "denied, or left to the NSGs"
                                                      : "allowed whatever the NSGs say, or left to them");
    const Verdict before = out_.verdict;
    std::string summary = out_.summary;
    const bool passed = nsgs();
    if (!passed && d.may(Decision::kAlwaysAllowed)) { // an AlwaysAllow rule may let it past the NSGs
        out_.verdict = before;
        out_.summary = std::move(summary);
        doubt(d.why);
        return true;
    }
    if (passed && d.may(Decision::kDenied))
        doubt(d.why);
    return passed;
}

bool Tracer::source_side() {
    const Endpoint& from = out_.from;
    return admin_then_nsgs(from.subnet, Direction::Outbound, out_.flow, [&] {
        if (from.nic != kNone) {
            const model::NetworkInterface& nic = estate_.network_interfaces[from.nic];
            if (!nsg_step(nic.network_security_group, from.subnet, Direction::Outbound,
                          "source NIC NSG (outbound)", out_.flow, nic.network_security_group_unknown))
                return false;
        }
        const model::Subnet& subnet = estate_.subnets[from.subnet];
        return nsg_step(subnet.network_security_group, from.subnet, Direction::Outbound,
                        "source subnet NSG (outbound)", out_.flow, subnet.network_security_group_unknown);
    });
}

// How a flow from outside every VNet gets in: a public IP, a public frontend, or the platform.
bool Tracer::entry_from_outside() {
    const Endpoint& to = out_.to;
    const OutsideEntry entry = enter_from_outside(estate_, out_.from.address, to);
    switch (entry.kind) {
    case OutsideEntry::Kind::Platform:
        add(Hop::Kind::Entry, "entry", Verdict::Allowed).detail =
            "the platform address 168.63.129.16 reaches every VNet (health probes, DNS)";
        return true;
    case OutsideEntry::Kind::PublicIp:
    case OutsideEntry::Kind::ClosedPublicIp: {
        const model::PublicIpAddress& ip = estate_.public_ip_addresses[entry.public_ip];
        Hop& h = add(Hop::Kind::Entry, "entry", Verdict::Allowed);
        h.resource = ip.id;
        h.resource_name = ip.name;
        h.detail = fmt::format("arrives on public IP {} ({} SKU){}", ip.name, model::name_of(ip.sku.value),
                               ip.ip_address ? " " + ip.ip_address->to_string() : "");
        if (entry.kind == OutsideEntry::Kind::PublicIp)
            return true;
        h.verdict = Verdict::Denied;
        h.detail += ": a Standard public IP is closed to inbound traffic unless an NSG allows it";
        conclude(Verdict::Denied, "a Standard public IP without an NSG admits no inbound traffic");
        return false;
    }
    case OutsideEntry::Kind::Gateway:
    case OutsideEntry::Kind::GatewayMaybe:
        return gateway_entry(entry);
    case OutsideEntry::Kind::None:
        break;
    }
    Hop& h = add(Hop::Kind::Entry, "entry", Verdict::Denied);
    h.detail = fmt::format("no public entry point: {} has no public IP, and no public frontend leads to it",
                           to.label);
    conclude(Verdict::Denied, h.detail);
    return false;
}

// From on-premises through the gateway that serves the destination's VNet, then on by the
// gateway subnet's routes: its user-defined routes apply to traffic arriving from on-premises.
bool Tracer::gateway_entry(const OutsideEntry& entry) {
    const model::VirtualNetworkGateway& gateway = estate_.virtual_network_gateways[entry.gateway];
    Hop& h = add(Hop::Kind::Entry, "entry", Verdict::Allowed);
    h.resource = gateway.id;
    h.resource_name = gateway.name;
    h.detail = fmt::format(
        "arrives from on-premises through {} gateway {}",
        gateway.gateway_type ? model::name_of(*gateway.gateway_type) : std::string_view("a"), gateway.name);
    if (entry.kind == OutsideEntry::Kind::GatewayMaybe) {
        h.verdict = Verdict::Undecidable;
        h.detail += fmt::format(", which may learn {} by BGP: {}", out_.from.address.to_string(),
                                gateway.learns_unknown);
        doubt(fmt::format("whether on-premises announces {} through gateway {} is unknown ({})",
                          out_.from.address.to_string(), gateway.name, gateway.learns_unknown));
    }
    return route_to_destination(gateway.subnet);
}

void Tracer::route_hop(const RouteStep& step) {
    const model::Subnet& from = estate_.subnets[step.subnet];
    if (!step.route) {
        add(Hop::Kind::Route, "route", Verdict::Denied).detail =
            fmt::format("subnet {} has no route to {}", from.name, out_.flow.destination.to_string());
        return;
    }
    const EffectiveRoute& r = *step.route;
    Hop& h = add(Hop::Kind::Route, "route", Verdict::Allowed);
    h.resource = r.route_table != kNone ? estate_.route_tables[r.route_table].id : from.id;
    h.resource_name = r.route_table != kNone ? estate_.route_tables[r.route_table].name : from.name;
    h.rule = r.route_name;
    // A Virtual WAN hub's one subnet stands for its router (and its firewall's way on).
    const bool hub =
        from.virtual_network != kNone && estate_.virtual_networks[from.virtual_network].virtual_hub;
    const std::string where =
        hub ? fmt::format("Virtual WAN hub {}", estate_.virtual_networks[from.virtual_network].name)
            : fmt::format("subnet {}", from.name);
    h.detail = fmt::format("from {}: {} -> {}{} ({} route{})", where, r.prefix.to_string(),
                           next_hop_name(r.next_hop), r.next_hop_ip ? " " + r.next_hop_ip->to_string() : "",
                           route_source_name(r.source), r.route_name.empty() ? "" : " " + r.route_name);
}

bool Tracer::firewall_hop(model::FirewallIndex fw) {
    const model::AzureFirewall& firewall = estate_.azure_firewalls[fw];
    FirewallDecision d = decide_firewall(estate_, fw, {out_.flow, query_.fqdn, false}, engine_.tags());
    Verdict v = d.verdict == FirewallVerdict::Allow  ? Verdict::Allowed
                : d.verdict == FirewallVerdict::Deny ? Verdict::Denied
                                                     : Verdict::Undecidable;
    Hop& f = add(Hop::Kind::Firewall, "firewall", v);
    f.resource = firewall.id;
    f.resource_name = firewall.name;
    f.rule = d.rule.empty() ? d.stage : d.collection + "/" + d.rule;
    f.priority = d.collection_priority;
    f.detail = fmt::format("{}: {}{}{}", firewall.name, d.stage,
                           d.rule.empty() ? "" : " rule " + d.collection + "/" + d.rule,
                           d.reason.empty() ? "" : " (" + d.reason + ")");
    if (v == Verdict::Denied)
        conclude(v, "denied by firewall " + firewall.name);
    else if (v == Verdict::Undecidable)
        doubt("undecidable at firewall " + firewall.name + ": " + d.reason);
    return v != Verdict::Denied;
}

bool Tracer::route_to_destination(model::SubnetIndex from_subnet) {
    RoutePlan plan = plan_route(estate_, views_, from_subnet, out_.to);
    std::size_t last_route = 0; // an index: adding hops may move them
    for (const RouteStep& step : plan.steps) {
        if (step.kind == RouteStep::Kind::Firewall) {
            if (!firewall_hop(step.firewall))
                return false;
            continue;
        }
        route_hop(step);
        last_route = out_.hops.size() - 1;
    }
    return route_end(plan, last_route);
}

// How the plan ends, for this flow: the last route hop's verdict, and the conclusion.
bool Tracer::route_end(const RoutePlan& plan, std::size_t last_route_index) {
    Hop& last_route = out_.hops[last_route_index];
    std::string destination = out_.flow.destination.to_string();
    switch (plan.end) {
    case RouteEnd::Delivered:
        return true;
    case RouteEnd::NoRoute:
        conclude(Verdict::Denied, "no route");
        return false;
    case RouteEnd::NextHopNone:
        last_route.verdict = Verdict::Denied;
        conclude(Verdict::Denied, "dropped: the route's next hop is None");
        return false;
    case RouteEnd::Internet:
    case RouteEnd::InternetButInside: {
        bool outside = plan.end == RouteEnd::Internet;
        // Straight out of the source's subnet, the VM needs a way out; through a firewall, the
        // firewall's own address is it.
        const OutboundAccess way_out =
            outside && !plan.forwarded ? outbound_access(estate_, out_.from) : OutboundAccess{};
        const Verdict verdict = !outside || way_out.kind == OutboundAccess::Kind::None ? Verdict::Denied
                                : way_out.kind == OutboundAccess::Kind::Unknown        ? Verdict::Undecidable
                                                                                       : Verdict::Allowed;
        Hop& d = add(Hop::Kind::Delivery, "delivery", verdict);
        d.detail = !outside         ? "routed to the Internet, but the destination is inside a VNet"
                   : plan.forwarded ? "leaves Azure for the Internet"
                                    : fmt::format("leaves Azure for the Internet through {}", way_out.how);
        if (!outside || way_out.kind == OutboundAccess::Kind::None) {
            conclude(Verdict::Denied, !outside ? d.detail : "no way out: " + way_out.how);
            return false;
        }
        if (way_out.kind == OutboundAccess::Kind::Unknown)
            doubt(way_out.how);
        allow(plan.forwarded ? "allowed, through the firewall to the Internet" : "allowed to the Internet");
        return true;
    }
    case RouteEnd::Gateway:
        add(Hop::Kind::Delivery, "delivery", Verdict::Undecidable).detail =
            "handed to the virtual network gateway; what lies beyond it is not in the estate";
        conclude(Verdict::Undecidable, "beyond the virtual network gateway");
        return false;
    case RouteEnd::NoSubnet:
        last_route.verdict = Verdict::Denied;
        conclude(Verdict::Denied, fmt::format("no subnet holds {}", destination));
        return false;
    case RouteEnd::PeeringRefused:
        last_route.verdict = Verdict::Denied;
        last_route.detail += ": " + plan.why;
        conclude(Verdict::Denied, plan.why);
        return false;
    case RouteEnd::ApplianceUnknown:
        last_route.verdict = Verdict::Undecidable;
        conclude(Verdict::Undecidable, "the appliance's address is unknown");
        return false;
    case RouteEnd::NotAFirewall: {
        Hop& a = add(Hop::Kind::Firewall, "virtual appliance", Verdict::Undecidable);
        a.detail = fmt::format("{} is not an Azure Firewall in the estate; its filtering is unknown",
                               last_route_appliance(plan));
        conclude(Verdict::Undecidable, a.detail);
        return false;
    }
    case RouteEnd::FirewallSubnetUnknown:
        conclude(Verdict::Undecidable, "the firewall's subnet is unknown");
        return false;
    case RouteEnd::RoutesUnknown:
        add(Hop::Kind::Route, "route", Verdict::Undecidable).detail =
            plan.why + ": where it sends the flow is unknown";
        conclude(Verdict::Undecidable, plan.why);
        return false;
    case RouteEnd::Loop:
        add(Hop::Kind::Route, "route", Verdict::Denied).detail = "routing loop: more than 8 appliance hops";
        conclude(Verdict::Denied, "routing loop");
        return false;
    }
    return false;
}

// The destination's NSGs: subnet, then NIC (inbound). `to` is the delivery target, which differs
// from the question's endpoint for a load balancer's backends.
bool Tracer::destination_side(const Endpoint& to, const net::Flow& flow) {
    if (to.subnet == kNone)
        return true;
    return admin_then_nsgs(to.subnet, Direction::Inbound, flow, [&] {
        const model::Subnet& subnet = estate_.subnets[to.subnet];
        if (to.private_endpoint != kNone && !nsg_applies_to_private_endpoints(subnet)) {
            add(Hop::Kind::Nsg, "destination subnet NSG (inbound)", Verdict::Allowed).detail = fmt::format(
                "subnet {}'s privateEndpointNetworkPolicies is {}: its NSG does not filter traffic to the "
                "private endpoint",
                subnet.name, model::name_of(subnet.private_endpoint_network_policies));
            return true;
        }
        if (!nsg_step(subnet.network_security_group, to.subnet, Direction::Inbound,
                      "destination subnet NSG (inbound)", flow, subnet.network_security_group_unknown))
            return false;
        if (to.nic == kNone)
            return true;
        const model::NetworkInterface& nic = estate_.network_interfaces[to.nic];
        return nsg_step(nic.network_security_group, to.subnet, Direction::Inbound,
                        "destination NIC NSG (inbound)", flow, nic.network_security_group_unknown);
    });
}

// One backend's NSGs at each address it may have: Allowed when every address surely admits the
// flow, Denied when none may, else Undecidable with the reason.
Tracer::BackendAnswer Tracer::backend_admits(const model::LoadBalancer& lb,
                                             const model::LoadBalancingRule& rule, model::NicIndex nic_index,
                                             Index config_index, const std::vector<net::Address>& addresses) {
    const model::NetworkInterface& nic = estate_.network_interfaces[nic_index];
    const model::IpConfiguration& config = nic.ip_configurations[config_index];
    std::size_t surely = 0;
    std::size_t refused = 0;
    BackendAnswer answer;
    for (const net::Address& address : addresses) {
        Hop& h = add(Hop::Kind::Delivery, "load balancer", Verdict::Allowed);
        h.resource = lb.id;
        h.resource_name = lb.name;
        h.rule = rule.name;
        h.detail =
            fmt::format("{} rule {} -> backend {} {}:{}{}", lb.name, rule.name, nic.name, address.to_string(),
                        rule.backend_port, addresses.size() > 1 ? " (one address Azure may give it)" : "");
        h.backend_nic = nic_index;
        h.backend_configuration = config_index;
        net::Flow flow = out_.flow;
        flow.destination = address;
        if (rule.backend_port != 0) // an HA-ports rule (port 0) keeps the flow's port
            flow.destination_port = static_cast<std::uint16_t>(rule.backend_port);
        Endpoint backend = out_.to;
        backend.nic = nic_index;
        backend.ip_configuration = config_index;
        backend.subnet = config.subnet;
        // A backend that refuses does not decide the whole path: keep the verdict per backend.
        Verdict before = out_.verdict;
        std::string summary = out_.summary;
        std::optional<std::string> doubt_before = std::exchange(doubt_, std::nullopt);
        bool admits = destination_side(backend, flow);
        out_.verdict = before;
        out_.summary = std::move(summary);
        if (!admits)
            ++refused;
        else if (!doubt_)
            ++surely;
        else if (answer.doubt.empty())
            answer.doubt = *doubt_;
        doubt_ = std::move(doubt_before);
    }
    if (surely == addresses.size()) {
        answer.admits = Verdict::Allowed;
    } else if (refused == addresses.size()) {
        answer.admits = Verdict::Denied;
    } else {
        answer.admits = Verdict::Undecidable;
        if (answer.doubt.empty())
            answer.doubt = fmt::format("whether backend {} admits it depends on the address Azure gives it "
                                       "({})",
                                       nic.name, config.candidates_reason);
    }
    return answer;
}

// A backend whose address the input cannot tell: it may admit the flow.
Tracer::BackendAnswer Tracer::unknown_backend(const model::LoadBalancer& lb,
                                              const model::LoadBalancingRule& rule,
                                              const model::NetworkInterface& nic,
                                              const model::IpConfiguration& config) {
    Hop& h = add(Hop::Kind::Delivery, "load balancer", Verdict::Undecidable);
    h.resource = lb.id;
    h.resource_name = lb.name;
    h.rule = rule.name;
    h.detail = fmt::format("{} rule {} -> backend {}, whose address is not known offline: {}", lb.name,
                           rule.name, nic.name, config.address_undecidable);
    return {Verdict::Undecidable, fmt::format("backend {}'s address is not known offline: {}", nic.name,
                                              config.address_undecidable)};
}

// A load balancer frontend hands the flow to its backends (destination rewritten to the backend's
// address and port); the NSGs at each backend decide.
bool Tracer::load_balancer_backends() {
    const model::LoadBalancer& lb = estate_.load_balancers[out_.to.load_balancer];
    const model::LoadBalancingRule* rule = load_balancing_rule_for(lb, out_.flow);
    if (!rule) {
        add(Hop::Kind::Delivery, "load balancer", Verdict::Denied).detail =
            fmt::format("{} has no load-balancing rule for port {}", lb.name, out_.flow.destination_port);
        conclude(Verdict::Denied, "no load-balancing rule for the port");
        return false;
    }
    int admitted = 0; // surely
    int maybe = 0;    // only in some reading of what the input cannot tell, or at some address
    std::optional<std::string> backend_doubt;
    int backends = 0;
    for (model::NicIndex n : estate_.network_interfaces.indices()) {
        const auto& nic = estate_.network_interfaces[n];
        for (Index c = 0; c < nic.ip_configurations.size(); ++c) {
            const auto& config = nic.ip_configurations[c];
            bool member = std::any_of(
                config.load_balancer_backend_pools.begin(), config.load_balancer_backend_pools.end(),
                [&](const std::string& pool) { return model::same_id(pool, rule->backend_pool); });
            if (!member)
                continue;
            std::vector<net::Address> addresses =
                config.private_ip ? std::vector{*config.private_ip} : config.candidate_ips;
            if (addresses.empty() && config.address_undecidable.empty())
                continue;
            ++backends;
            BackendAnswer answer = addresses.empty() ? unknown_backend(lb, *rule, nic, config)
                                                     : backend_admits(lb, *rule, n, c, addresses);
            if (answer.admits == Verdict::Allowed) {
                ++admitted;
            } else if (answer.admits == Verdict::Undecidable) {
                ++maybe;
                if (!backend_doubt)
                    backend_doubt = std::move(answer.doubt);
            }
        }
    }
    if (admitted > 0) {
        allow(fmt::format("allowed: {} of {} backends admit the flow", admitted, backends));
        return true;
    }
    if (maybe > 0) {
        doubt(*backend_doubt);
        allow("");
        return true;
    }
    conclude(Verdict::Denied, backends == 0 ? "the load balancer's backend pool is empty"
                                            : "denied: no backend admits the flow");
    return false;
}

void Tracer::run() {
    const Endpoint& from = out_.from;
    const Endpoint& to = out_.to;
    bool inside = from.subnet != kNone;
    if (from.private_endpoint != kNone) {
        add(Hop::Kind::Entry, "entry", Verdict::Denied).detail =
            "a private endpoint only receives connections; it never opens one";
        conclude(Verdict::Denied, "a private endpoint never originates connections");
        return;
    }
    if (from.address.family() != to.address.family()) {
        add(Hop::Kind::Entry, "entry", Verdict::Denied).detail =
            fmt::format("{} and {} are of different address families: no packet carries both",
                        from.address.to_string(), to.address.to_string());
        conclude(Verdict::Denied, "the two ends are of different address families");
        return;
    }
    if (inside && to.kind == Endpoint::Kind::External) {
        if (std::optional<std::string_view> tag = policy::platform_tag_of(to.address)) {
            platform_destination(*tag);
            return;
        }
    }
    if (inside) {
        if (!source_side() || !route_to_destination(from.subnet))
            return;
        if (to.kind == Endpoint::Kind::External)
            return; // delivered to the Internet by the route step
    } else if (to.subnet == kNone && to.kind != Endpoint::Kind::LoadBalancer) {
        add(Hop::Kind::Entry, "entry", Verdict::Denied).detail =
            "both ends are outside every VNet: the estate does not carry this flow";
        conclude(Verdict::Denied, "both ends are outside every VNet");
        return;
    } else if (!entry_from_outside()) {
        // Show how the destination's NSGs would decide, for the record; the verdict stays.
        Verdict verdict = out_.verdict;
        std::string summary = out_.summary;
        if (to.subnet != kNone)
            destination_side(to, out_.flow);
        out_.verdict = verdict;
        out_.summary = summary;
        return;
    }
    if (to.kind == Endpoint::Kind::LoadBalancer) {
        load_balancer_backends();
        return;
    }
    if (!destination_side(to, out_.flow))
        return;
    add(Hop::Kind::Delivery, "delivery", Verdict::Allowed).detail = "delivered to " + to.label;
    allow("allowed");
}

void Tracer::run_side(Direction side) {
    const Endpoint& from = out_.from;
    const Endpoint& to = out_.to;
    if (side == Direction::Outbound) {
        if (from.subnet == kNone) {
            conclude(Verdict::Allowed,
                     "the source is outside every VNet: no NSG of the estate is on its way out");
            return;
        }
        if (to.kind == Endpoint::Kind::External) {
            if (std::optional<std::string_view> tag = policy::platform_tag_of(to.address)) {
                platform_destination(*tag);
                return;
            }
        }
        if (source_side())
            allow("allowed by the source's NSGs");
        return;
    }
    if (to.subnet == kNone) {
        conclude(Verdict::Allowed,
                 "the destination is outside every VNet: no NSG of the estate is on its way in");
        return;
    }
    if (destination_side(to, out_.flow))
        allow("allowed by the destination's NSGs");
}

} // namespace

bool load_balancing_protocol_matches(std::optional<model::LoadBalancerProtocol> protocol,
                                     std::uint8_t number) {
    if (protocol == model::LoadBalancerProtocol::Tcp)
        return number == 6;
    if (protocol == model::LoadBalancerProtocol::Udp)
        return number == 17;
    // All (HA ports) carries every TCP and UDP flow; a protocol the input cannot tell is taken the
    // same way, so that no flow the rule may carry is missed.
    return number == 6 || number == 17;
}

const model::LoadBalancingRule* load_balancing_rule_for(const model::LoadBalancer& lb,
                                                        const net::Flow& flow) {
    const model::LoadBalancingRule* ha_ports = nullptr;
    for (const auto& r : lb.rules) {
        if (!load_balancing_protocol_matches(r.protocol, flow.protocol))
            continue;
        if (r.frontend_port == flow.destination_port && r.frontend_port != 0)
            return &r;
        if (r.frontend_port == 0 && !ha_ports)
            ha_ports = &r;
    }
    return ha_ports;
}

std::string_view verdict_name(Verdict verdict) {
    switch (verdict) {
    case Verdict::Allowed:
        return "allowed";
    case Verdict::Denied:
        return "denied";
    case Verdict::Undecidable:
        return "undecidable";
    }
    return "undecidable";
}

PathResult trace_path(const policy::PolicyEngine& engine, const Endpoint& from, const Endpoint& to,
                      const PathQuery& query, Diagnostics& diagnostics) {
    RouteViews views(engine.estate(), engine.tags(), diagnostics);
    return trace_path(engine, views, from, to, query);
}

namespace {

PathResult trace_one(const policy::PolicyEngine& engine, const RouteViews& views, const Endpoint& from,
                     const Endpoint& to, const PathQuery& query) {
    PathResult result;
    result.from = from;
    result.to = to;
    result.flow = query.flow;
    result.flow.source = from.address;
    result.flow.destination = to.address;
    Tracer(engine, views, query, result).run();
    return result;
}

// The endpoint at each of its candidate addresses (itself when it has one address).
std::vector<Endpoint> at_each_candidate(const Endpoint& e) {
    std::vector<Endpoint> out{e};
    out.front().alternatives.clear();
    for (const net::Address& a : e.alternatives) {
        out.push_back(out.front());
        out.back().address = a;
    }
    return out;
}

// A flow from or to a NIC whose address Azure picks among candidates: traced from and to each.
// The first trace is shown; when the candidates disagree the verdict is undecidable and a last hop
// says which candidate gets which verdict.
PathResult trace_candidates(const policy::PolicyEngine& engine, const RouteViews& views, const Endpoint& from,
                            const Endpoint& to, const PathQuery& query) {
    std::vector<PathResult> traces;
    for (const Endpoint& f : at_each_candidate(from))
        for (const Endpoint& t : at_each_candidate(to))
            traces.push_back(trace_one(engine, views, f, t, query));
    PathResult out = traces.front();
    out.from = from;
    out.to = to;
    bool agree = std::all_of(traces.begin(), traces.end(),
                             [&](const PathResult& r) { return r.verdict == out.verdict; });
    std::string each;  // every candidate pair with its verdict and why
    std::string brief; // the verdict at each candidate
    for (const PathResult& r : traces) {
        const std::string pair = r.flow.source.to_string() + " -> " + r.flow.destination.to_string();
        const std::string_view verdict = verdict_name(r.verdict);
        each += fmt::format("{}{}: {}", each.empty() ? "" : "; ", pair,
                            r.summary.starts_with(verdict) ? r.summary
                                                           : fmt::format("{} ({})", verdict, r.summary));
        brief += fmt::format("{}{} {}", brief.empty() ? "" : ", ", verdict, pair);
    }
    Hop& h = out.hops.emplace_back();
    h.kind = Hop::Kind::Entry;
    h.step = "dynamic address";
    h.verdict = agree ? out.verdict : Verdict::Undecidable;
    h.detail = fmt::format("Azure picks the address when it deploys the NIC; the flow was followed at "
                           "every candidate: {}",
                           each);
    if (agree) {
        out.summary += " (the same at every address Azure may give it)";
        return out;
    }
    out.verdict = Verdict::Undecidable;
    out.summary =
        fmt::format("it depends on the address Azure gives the NIC when it is deployed ({})", brief);
    return out;
}

} // namespace

PathResult nsg_side(const policy::PolicyEngine& engine, const RouteViews& views, const Endpoint& from,
                    const Endpoint& to, const PathQuery& query, net::Direction side) {
    PathResult out;
    out.from = from;
    out.to = to;
    out.flow = query.flow;
    out.flow.source = from.address;
    out.flow.destination = to.address;
    Tracer(engine, views, query, out).run_side(side);
    return out;
}

PathResult trace_path(const policy::PolicyEngine& engine, const RouteViews& views, const Endpoint& from,
                      const Endpoint& to, const PathQuery& query) {
    if (from.alternatives.empty() && to.alternatives.empty())
        return trace_one(engine, views, from, to, query);
    return trace_candidates(engine, views, from, to, query);
}

} // namespace ztnet::route
