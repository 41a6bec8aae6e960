// The segmentation checks (ZT-SEG-*): judged by exact reachability, i.e. what Azure lets through
// after every NSG, route, firewall and load balancer on the way, not by reading rules one at a time.
// "RDP is open from the Internet" therefore means an Internet flow to 3389 really arrives, and
// every finding carries such a flow, traced hop by hop to the rules that decide it.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/exposure_findings.h"
#include "ztnet/checks/families/families.h"
#include "ztnet/exposure/allowed_within.h"
#include "ztnet/exposure/endpoints.h"
#include "ztnet/exposure/exposures.h"
#include "ztnet/exposure/services.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/paths/paths.h"
#include "ztnet/policy/platform_rules.h"
#include "ztnet/route/path.h"

namespace ztnet::checks::families {
namespace {

using exposure::AllowedWithin;
using exposure::AllowedWithinEach;
using exposure::app_gateway_infrastructure_ports;
using exposure::classes_where;
using exposure::endpoint_resource;
using exposure::endpoints_of_kind;
using exposure::Exposure;
using exposure::Exposures;
using exposure::in_bastion_subnet;
using exposure::is_inside;
using exposure::is_workload;
using exposure::kTcp;
using exposure::management_names;
using exposure::management_ports;
using exposure::same_machine;
using exposure::sweep;
using exposure::tcp_to;
using exposure::Tier;
using exposure::tier_of;
using exposure::TierPairs;
using model::Index;
using model::kNone;
using reach::ReachEndpoint;
using reach::Service;
using reach::ServiceSet;
using support::finding_on;
using EndpointKind = ReachEndpoint::Kind;

// Clients send from ephemeral ports; this is the one example flows use.
constexpr std::uint16_t kEphemeralPort = 49152;

// ---- ZT-SEG-001: SSH/RDP from the Internet ----

std::vector<Finding> internet_management(const CheckContext& context) {
    const auto& endpoints = context.reach.endpoints().endpoints;
    AllowedWithin management(context.reach.table(), management_ports());
    const auto internet = endpoints_of_kind(context.reach, EndpointKind::Internet);
    Exposures exposures;
    for (std::uint32_t to = 0; to < endpoints.size(); ++to) {
        if (is_workload(endpoints[to]))
            add_internet_exposure(context, internet, to, management, exposures);
    }
    return exposure_findings(context, exposures, [](const Exposure& e) {
        std::string ports = e.services.to_string();
        return std::pair{fmt::format("{} accepts {} ({}) from the Internet", e.resource->name,
                                     management_names(e.services), ports),
                         ports};
    });
}

// ---- ZT-SEG-002: the Internet reaches more than the entry points ----

// What the Internet is meant to reach on an endpoint: an App Gateway's HTTPS listener (443) and
// its v2 infrastructure ports, a Bastion host's 443; nothing else. The model carries no listener
// protocol, and a Zero Trust application is served over HTTPS only, so any other port, plain
// HTTP 80 above all, counts as an unintended entry. The firewall, the third intended entry, is no
// endpoint of reachability (a DNAT rule is not followed), so nothing is judged for it here.
ServiceSet intended_entry(const ReachEndpoint& e) {
    if (e.kind == EndpointKind::ApplicationGateway)
        return tcp_to(net::PortSet::single(443)).unite(app_gateway_infrastructure_ports());
    if (e.kind == EndpointKind::Bastion)
        return tcp_to(net::PortSet::single(443));
    return ServiceSet::none();
}

std::vector<Finding> internet_exposure(const CheckContext& context) {
    const auto& endpoints = context.reach.endpoints().endpoints;
    AllowedWithinEach within(context.reach.table());
    const auto internet = endpoints_of_kind(context.reach, EndpointKind::Internet);
    Exposures exposures;
    for (std::uint32_t to = 0; to < endpoints.size(); ++to) {
        if (!is_inside(endpoints[to]))
            continue;
        ServiceSet unintended = ServiceSet::all().subtract(intended_entry(endpoints[to]));
        // SSH and RDP on workloads are ZT-SEG-001's (critical) findings; not repeated here.
        if (is_workload(endpoints[to]))
            unintended = unintended.subtract(management_ports());
        add_internet_exposure(context, internet, to, within[unintended], exposures);
    }
    return exposure_findings(context, exposures, [](const Exposure& e) {
        return std::pair{fmt::format("{} is reachable from the Internet on {}, which is not an intended "
                                     "entry point (App Gateway HTTPS 443, Bastion 443)",
                                     e.resource->name, e.services.to_string()),
                         std::string()};
    });
}

// ---- ZT-SEG-003: management ports between inside endpoints ----

bool may_manage(const model::Estate& estate, const ReachEndpoint& e) {
    return e.kind == EndpointKind::Bastion || in_bastion_subnet(estate, e);
}

// Whether an endpoint may send: the Internet and the platform are judged by other checks, Bastion
// is the intended administrator.
bool may_send_laterally(const model::Estate& estate, const ReachEndpoint& e) {
    return is_inside(e) && !may_manage(estate, e);
}

std::vector<Finding> lateral_management(const CheckContext& context) {
    const auto& endpoints = context.reach.endpoints().endpoints;
    const reach::ClassTable& table = context.reach.table();
    AllowedWithin management(table, management_ports());
    const auto senders = classes_where(
        table, context.reach, [&](const ReachEndpoint& e) { return may_send_laterally(context.estate, e); });
    const auto targets = classes_where(table, context.reach, is_workload);
    // The sender classes that reach each target class, found row by row (the table's order).
    management.derive_all();
    const auto hits =
        sweep(table, senders, targets, [&](std::uint64_t entry) { return management.any_of_entry(entry); });
    std::vector<std::vector<std::uint32_t>> senders_of(table.classes());
    for (std::size_t r = 0; r < senders.size(); ++r) {
        for (std::uint32_t to_class : hits[r])
            senders_of[to_class].push_back(senders[r]);
    }
    // Then target by target, so that each receiver's exposure is looked up once.
    Exposures exposures;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    std::vector<const Exposure*> fed; // by this target class already: its class pairs are kept
    for (std::uint32_t to_class : targets) {
        fed.clear();
        for (std::uint32_t to : table.members()[to_class]) {
            const model::Resource* resource = endpoint_resource(context.estate, endpoints[to]);
            if (!resource || senders_of[to_class].empty())
                continue;
            Exposure* e = nullptr; // made on the first pair: a sender may be this very machine
            bool new_class_pairs = true;
            for (std::uint32_t from_class : senders_of[to_class]) {
                pairs.clear();
                for (std::uint32_t from : table.members()[from_class]) {
                    if (from != to && !same_machine(endpoints[from], endpoints[to]))
                        pairs.emplace_back(from, to);
                }
                if (pairs.empty())
                    continue;
                if (!e) {
                    e = &exposures.at(*resource, "");
                    new_class_pairs = std::find(fed.begin(), fed.end(), e) == fed.end();
                    fed.push_back(e);
                }
                Exposures::add_to(*e, context.reach, pairs, management(from_class, to_class),
                                  new_class_pairs);
            }
        }
    }
    return exposure_findings(context, exposures, [](const Exposure& e) {
        return std::pair{fmt::format("{} accepts {} ({}) from endpoints other than Bastion: {}",
                                     e.resource->name, management_names(e.services), e.services.to_string(),
                                     e.source_list()),
                         std::string()};
    });
}

// ---- ZT-SEG-004: lateral paths between tiers ----

// With an intent: every flow between inside endpoints that the intent does not name.
Exposures excess_between_tiers(const CheckContext& context) {
    const auto& endpoints = context.reach.endpoints().endpoints;
    Exposures exposures;
    for (const reach::Violation& v : context.verified->violations) {
        if (v.kind != reach::Violation::Kind::Excess || !is_inside(endpoints[v.from]) ||
            !is_inside(endpoints[v.to]))
            continue;
        Tier from = tier_of(context.estate, endpoints[v.from]);
        Tier to = tier_of(context.estate, endpoints[v.to]);
        if (!to.resource)
            continue;
        exposures.add(*to.resource, from.label + " -> " + to.label, v, endpoints[v.from].name);
    }
    return exposures;
}

// Without one: a VM that reaches a VM of another tier on every TCP port, a boundary that filters
// nothing.
Exposures open_tier_boundaries(const CheckContext& context) {
    const auto& endpoints = context.reach.endpoints().endpoints;
    const reach::ClassTable& table = context.reach.table();
    ServiceSet every_tcp_port = ServiceSet::of(net::ProtocolSet::single(kTcp),
                                               net::PortSet::single(kEphemeralPort), net::PortSet::all());
    AllowedWithin tcp(table, every_tcp_port);
    const auto nics = classes_where(table, context.reach,
                                    [](const ReachEndpoint& e) { return e.kind == EndpointKind::Nic; });
    // Tiers numbered, so that pairs are grouped by numbers and labels are built once per pair of
    // tiers.
    std::vector<Tier> tiers;
    std::unordered_map<std::string, std::uint32_t> tier_number;
    std::vector<std::uint32_t> tier_of_endpoint(endpoints.size());
    for (std::uint32_t c : nics) {
        for (std::uint32_t e : table.members()[c]) {
            Tier tier = tier_of(context.estate, endpoints[e]);
            auto [it, inserted] =
                tier_number.try_emplace(tier.label, static_cast<std::uint32_t>(tiers.size()));
            if (inserted)
                tiers.push_back(std::move(tier));
            tier_of_endpoint[e] = it->second;
        }
    }
    tcp.derive_all();
    const auto hits = sweep(table, nics, nics, [&](std::uint64_t entry) { return tcp.all_of_entry(entry); });
    // One traced flow shows the path and the rules that open it; the finding says every TCP port
    // is open, which more examples would not show better. A large estate has tens of thousands.
    Exposures exposures(1);
    std::unordered_map<std::uint64_t, Exposure*> exposure_of; // (from tier, to tier) -> exposure
    TierPairs by_tiers;
    for (std::size_t r = 0; r < nics.size(); ++r) {
        const std::uint32_t from_class = nics[r];
        for (std::uint32_t to_class : hits[r]) {
            // Members of one pair of classes may sit in different tiers (an ASG no rule names does
            // not split a class): grouped by the pair of tiers.
            by_tiers.clear();
            for (std::uint32_t from : table.members()[from_class]) {
                for (std::uint32_t to : table.members()[to_class]) {
                    const std::uint32_t a = tier_of_endpoint[from];
                    const std::uint32_t b = tier_of_endpoint[to];
                    if (a != b && !same_machine(endpoints[from], endpoints[to]))
                        by_tiers.add(std::uint64_t{a} << 32 | b, {from, to});
                }
            }
            const ServiceSet& allowed = table.set(table.allowed(from_class, to_class));
            for (const auto& [key, pairs] : by_tiers.in_order()) {
                Exposure*& e = exposure_of[key];
                if (!e) { // a new pair of tiers: tier labels are distinct, so the label is new too
                    const Tier& a = tiers[key >> 32];
                    const Tier& b = tiers[key & 0xffffffffU];
                    e = &exposures.make(*b.resource, a.label + " -> " + b.label);
                }
                Exposures::add(*e, context.reach, *pairs, allowed);
            }
        }
    }
    return exposures;
}

std::vector<Finding> lateral_paths(const CheckContext& context) {
    bool with_intent = context.verified != nullptr;
    Exposures exposures = with_intent ? excess_between_tiers(context) : open_tier_boundaries(context);
    return exposure_findings(context, exposures, [&](const Exposure& e) {
        std::string message =
            with_intent
                ? fmt::format("{}: {} allowed that the intent does not name ({} endpoint pair(s))", e.label,
                              e.services.to_string(), e.pair_count)
                : fmt::format("{}: every TCP port is open between the tiers ({} VM pair(s)); the boundary "
                              "filters nothing",
                              e.label, e.pair_count);
        return std::pair{std::move(message), e.label};
    });
}

// ---- ZT-SEG-005 and ZT-SEG-006: rule analysis ----

std::string rule_side(const model::Estate& estate, const model::RuleEndpoint& side) {
    std::vector<std::string> names;
    for (const model::AddressEntry& a : side.addresses)
        names.push_back(a.text());
    for (model::AsgIndex asg : side.application_security_groups)
        names.push_back(estate.application_security_groups[asg].name);
    return fmt::format("{}", fmt::join(names, ","));
}

// "Inbound AllowRdp (110, Allow): Tcp * port * -> * port 3389".
std::string rule_text(const model::Estate& estate, const model::SecurityRule& rule) {
    return fmt::format("{} {} ({}, {}): {} {} port {} -> {} port {}", net::direction_name(rule.direction),
                       rule.name, rule.priority, rule.access == model::Access::Allow ? "Allow" : "Deny",
                       rule.protocol, rule_side(estate, rule.source), fmt::join(rule.source_ports, ","),
                       rule_side(estate, rule.destination), fmt::join(rule.destination_ports, ","));
}

// Evidence for one rule of a compiled NSG: a custom rule at its place, a default rule at the NSG's.
Evidence rule_evidence(const model::Estate& estate, const model::NetworkSecurityGroup& group,
                       const policy::ResolvedRule& rule, const std::optional<net::Flow>& flow) {
    if (rule.custom_index < 0)
        return Evidence{fmt::format("default rule {} ({})", rule.name, rule.priority), group.where, flow};
    const model::SecurityRule& custom = group.rules[static_cast<std::size_t>(rule.custom_index)];
    return Evidence{rule_text(estate, custom), custom.where, flow};
}

Finding rule_finding(const CheckContext& context, const reach::NsgRuleAnalysis& analysis,
                     const reach::RuleFinding& rf) {
    const model::NetworkSecurityGroup& group = context.estate.network_security_groups[analysis.nsg];
    const policy::CompiledNsg& compiled =
        context.engine.nsg(analysis.nsg, support::associated_vnet(context.estate, analysis.nsg));
    const auto& rules = compiled.rules(rf.direction);
    const policy::ResolvedRule& rule = rules[rf.rule];
    std::string direction(net::direction_name(rf.direction));
    std::string kind(reach::rule_finding_kind_name(rf.kind));
    Finding f = finding_on(group, fmt::format("{} ({}): {}", group.name, direction, rf.explanation),
                           fmt::format("{} {} {}", direction, rule.name, kind));
    Evidence subject = rule_evidence(context.estate, group, rule, rf.example);
    if (rf.example)
        subject.text += "; example flow " + rf.example->to_string();
    f.evidence.push_back(std::move(subject));
    for (std::uint32_t related : rf.related)
        f.evidence.push_back(rule_evidence(context.estate, group, rules[related], std::nullopt));
    return f;
}

std::vector<Finding> rule_findings(const CheckContext& context, bool source_port) {
    std::vector<Finding> out;
    for (const reach::NsgRuleAnalysis& analysis : context.rule_analyses) {
        for (const reach::RuleFinding& rf : analysis.findings) {
            if ((rf.kind == reach::RuleFinding::Kind::SourcePortRestricted) == source_port)
                out.push_back(rule_finding(context, analysis, rf));
        }
    }
    return out;
}

std::vector<Finding> rule_overlaps(const CheckContext& context) {
    return rule_findings(context, false);
}

std::vector<Finding> source_port_rules(const CheckContext& context) {
    return rule_findings(context, true);
}

// ---- ZT-SEG-007: platform traffic ----

std::optional<std::uint32_t> platform_endpoint(const reach::Reachability& reach) {
    std::vector<std::uint32_t> platform = endpoints_of_kind(reach, EndpointKind::Platform);
    if (platform.empty())
        return std::nullopt;
    return platform.front();
}

std::string_view last_segment(std::string_view id) {
    return id.substr(id.find_last_of('/') + 1);
}

// The port a load-balancing rule's health probe knocks on: its probe's, else the backend port.
int probe_port(const model::LoadBalancer& lb, const model::LoadBalancingRule& rule) {
    for (const model::Probe& probe : lb.probes) {
        if (!rule.probe.empty() && model::same_id(last_segment(rule.probe), probe.name))
            return probe.port;
    }
    return rule.backend_port;
}

std::string probe_name(const model::LoadBalancingRule& rule, int port) {
    if (rule.probe.empty())
        return fmt::format("the probe on port {}", port);
    return fmt::format("probe {}", last_segment(rule.probe));
}

bool in_backend_pool(const model::Estate& estate, const ReachEndpoint& e, const std::string& pool) {
    if (e.kind != EndpointKind::Nic)
        return false;
    const auto& config =
        estate.network_interfaces[e.endpoint.nic].ip_configurations[e.endpoint.ip_configuration];
    return std::any_of(config.load_balancer_backend_pools.begin(), config.load_balancer_backend_pools.end(),
                       [&](const std::string& p) { return model::same_id(p, pool); });
}

// A finding that `required` does not fully get from `from` to `to`, with the first missing flow traced
// to the rule that stops it; nullopt when nothing is missing.
std::optional<Finding> blocked_platform_traffic(const CheckContext& context, const model::Resource& resource,
                                                std::uint32_t from, std::uint32_t to,
                                                const ServiceSet& required, std::string message,
                                                std::string discriminator) {
    ServiceSet missing = required.subtract(context.reach.between(from, to).allowed);
    std::optional<Service> example = missing.example();
    if (!example)
        return std::nullopt;
    Finding f = finding_on(resource, fmt::format("{} (blocked: {})", message, missing.to_string()),
                           std::move(discriminator));
    add_path_evidence(trace(context, from, to, *example), f.evidence);
    return f;
}

void check_load_balancer_probes(const CheckContext& context, std::uint32_t platform,
                                std::vector<Finding>& out) {
    const auto& endpoints = context.reach.endpoints().endpoints;
    for (const model::LoadBalancer& lb : context.estate.load_balancers) {
        std::set<std::pair<int, std::uint32_t>> checked; // (probe port, backend endpoint)
        for (const model::LoadBalancingRule& rule : lb.rules) {
            int port = probe_port(lb, rule);
            if (port <= 0 || port > 65535)
                continue;
            for (std::uint32_t backend = 0; backend < endpoints.size(); ++backend) {
                if (!in_backend_pool(context.estate, endpoints[backend], rule.backend_pool) ||
                    !checked.emplace(port, backend).second)
                    continue;
                std::string message =
                    fmt::format("{}: {} (Tcp {}) from AzureLoadBalancer cannot reach backend {}, so the load "
                                "balancer takes it out of rotation",
                                lb.name, probe_name(rule, port), port, endpoints[backend].name);
                auto finding = blocked_platform_traffic(
                    context, lb, platform, backend,
                    tcp_to(net::PortSet::single(static_cast<std::uint16_t>(port))), std::move(message),
                    fmt::format("probe {} -> {}", port, endpoints[backend].name));
                if (finding)
                    out.push_back(std::move(*finding));
            }
        }
    }
}

using policy::is_v2;

// GatewayManager's addresses sit in one or more pieces of the Internet (every piece is treated
// alike by every rule and route), and each must reach the infrastructure ports. When no rule names
// the tag, its addresses are part of a larger piece, whose verdict is theirs. Without a public
// frontend nothing enters from the Internet in the model, and there is nothing to judge.
void check_gateway_manager(const CheckContext& context, std::uint32_t gateway, std::vector<Finding>& out) {
    const auto& endpoints = context.reach.endpoints().endpoints;
    const net::AddressSet* manager = context.engine.tags().find("GatewayManager");
    const model::Resource* resource = endpoint_resource(context.estate, endpoints[gateway]);
    if (!manager || !resource || endpoints[gateway].endpoint.public_ip == kNone)
        return;
    net::Family family = endpoints[gateway].endpoint.address.family();
    for (std::uint32_t piece : endpoints_of_kind(context.reach, EndpointKind::Internet)) {
        // Only addresses of the gateway's family can reach it.
        if (!endpoints[piece].addresses.of(family).overlaps(manager->of(family)))
            continue;
        auto finding = blocked_platform_traffic(
            context, *resource, piece, gateway, app_gateway_infrastructure_ports(),
            fmt::format(
                "{}: GatewayManager cannot reach the App Gateway v2 infrastructure ports (Tcp 65200-65535); "
                "Azure cannot manage the gateway",
                resource->name),
            "GatewayManager");
        if (finding) {
            out.push_back(std::move(*finding));
            return; // one finding per gateway: the first piece that is cut off shows it
        }
    }
}

void check_app_gateways(const CheckContext& context, std::uint32_t platform, std::vector<Finding>& out) {
    const auto& endpoints = context.reach.endpoints().endpoints;
    for (std::uint32_t gateway : endpoints_of_kind(context.reach, EndpointKind::ApplicationGateway)) {
        const model::ApplicationGateway& g =
            context.estate.application_gateways[endpoints[gateway].endpoint.application_gateway];
        if (!is_v2(g))
            continue;
        check_gateway_manager(context, gateway, out);
        // Azure asks that AzureLoadBalancer may reach the gateway subnet on any port.
        auto finding = blocked_platform_traffic(
            context, g, platform, gateway, tcp_to(net::PortSet::all()),
            fmt::format("{}: the AzureLoadBalancer probes cannot reach the App Gateway on every TCP port",
                        g.name),
            "AzureLoadBalancer");
        if (finding)
            out.push_back(std::move(*finding));
    }
}

std::vector<Finding> platform_traffic(const CheckContext& context) {
    std::vector<Finding> out;
    std::optional<std::uint32_t> platform = platform_endpoint(context.reach);
    if (!platform)
        return out;
    check_load_balancer_probes(context, *platform, out);
    check_app_gateways(context, *platform, out);
    return out;
}

// ---- ZT-SEG-008: intended flows the estate blocks ----

// The resource that stops a missing flow: the NSG (or firewall, route table) of the first step that
// denies its first example; else the destination.
const model::Resource* blocking_resource(const CheckContext& context, const reach::Violation& v) {
    for (const route::PathResult& path : v.examples) {
        for (const route::Hop& hop : path.hops) {
            if (hop.verdict == route::Verdict::Allowed || hop.resource.empty())
                continue;
            if (auto ref = context.estate.find(hop.resource))
                return &context.estate.resource(*ref);
        }
    }
    return endpoint_resource(context.estate, context.reach.endpoints().endpoints[v.to]);
}

std::vector<Finding> blocked_intent(const CheckContext& context) {
    if (!context.verified)
        return {};
    const auto& endpoints = context.reach.endpoints().endpoints;
    Exposures blocked;
    for (const reach::Violation& v : context.verified->violations) {
        const model::Resource* resource =
            v.kind == reach::Violation::Kind::Missing ? blocking_resource(context, v) : nullptr;
        if (!resource)
            continue;
        std::string flows = v.intent_flows.empty() ? std::string("intended flow")
                                                   : fmt::format("{}", fmt::join(v.intent_flows, ", "));
        blocked.add(*resource, flows, v, endpoints[v.from].name + " -> " + endpoints[v.to].name);
    }
    std::vector<Finding> out;
    for (const Exposure& e : blocked.list()) {
        std::string message =
            fmt::format("{} blocks the intended flow(s) '{}': {} denied for {} endpoint pair(s) ({})",
                        e.resource->name, e.label, e.services.to_string(), e.pair_count, e.source_list());
        out.push_back(exposure_finding(context, e, blocked.example_flows(), std::move(message), e.label));
    }
    return out;
}

// ---- ZT-SEG-009: the Internet a few hops from a crown jewel ----

// Attack paths over management services only (an exploitable service is the user's assumption,
// not the estate's fault), at most the policy's internet-hops long, from the Internet to each
// crown jewel: a finding per jewel reached, on the endpoint the path ends at, with each hop's
// rules as evidence and the minimum cut as the fix.
std::vector<Finding> breach_paths(const CheckContext& context) {
    if (!context.analysis)
        return {};
    paths::PathOptions options;
    options.policy = context.attack_policy ? *context.attack_policy : model::AttackPolicy::defaults();
    options.policy.exploitable.clear();
    options.max_hops = options.policy.internet_hops;
    options.blast_radius = false;
    options.max_paths = 1000;
    auto result = paths::attack_paths(*context.analysis, options);
    if (!result)
        return {}; // a crown jewel the policy names is missing: the command reports it
    const auto& endpoints = context.reach.endpoints().endpoints;
    std::vector<std::string> cut;
    for (const paths::CutRule& rule : result->rules)
        cut.push_back(rule.nsg.empty() ? rule.advice
                                       : fmt::format("{} {}: {}", rule.nsg, rule.rule, rule.advice));
    std::vector<Finding> out;
    std::set<std::size_t> reported;
    for (const paths::AttackPath& path : result->paths) {
        if (!path.sure || !reported.insert(path.jewel).second)
            continue;
        const std::uint32_t end = path.hops.back().to;
        const model::Resource* resource = endpoint_resource(context.estate, endpoints[end]);
        if (!resource)
            continue;
        std::string line = endpoints[path.start].name;
        for (const paths::PathHop& hop : path.hops)
            line += " -> " + endpoints[hop.to].name;
        const paths::CrownJewel& jewel = result->jewels[path.jewel];
        Finding f =
            finding_on(*resource,
                       fmt::format("The Internet reaches crown jewel {} ({}) in {} hop(s) through management "
                                   "services: {}",
                                   jewel.name, jewel.kind, path.hops.size(), line),
                       jewel.name);
        for (const paths::PathHop& hop : path.hops) {
            std::string text =
                fmt::format("{} -> {}{} on {} ({})", endpoints[hop.from].name, endpoints[hop.to].name,
                            hop.via ? " through " + endpoints[*hop.via].name : "",
                            paths::service_names(options.policy, hop.services), hop.services.to_string());
            SourceLocation where;
            for (const route::Hop& h : hop.trace ? hop.trace->hops : std::vector<route::Hop>{}) {
                if (h.verdict == route::Verdict::Allowed &&
                    (h.kind == route::Hop::Kind::Nsg || h.kind == route::Hop::Kind::Firewall)) {
                    text += fmt::format("; allowed by {}",
                                        h.resource.empty() ? h.detail : h.resource_name + " " + h.rule);
                    if (h.where.has_file())
                        where = h.where;
                }
            }
            f.evidence.push_back(
                Evidence{std::move(text), where, hop.trace ? std::optional(hop.trace->flow) : std::nullopt});
        }
        if (!cut.empty())
            f.evidence.push_back(Evidence{
                "cutting every such path: " + fmt::format("{}", fmt::join(cut, "; ")), {}, std::nullopt});
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace

void add_seg(std::vector<Check>& out) {
    using P = Principle;
    out.push_back(Check{
        .id = "ZT-SEG-001",
        .title = "SSH or RDP reachable from the Internet",
        .principles = {P::AssumeBreach},
        .severity = Severity::Critical,
        .guidance = "Spoke step 6: no RDP/SSH from the Internet; access only through the App Gateway",
        .rationale = R"(
            Management ports open to the Internet are scanned and brute-forced within minutes of
            exposure, and a single weak credential hands an attacker a shell inside the network.
            Reachability is computed through every NSG, public IP and load balancer, so the finding
            means a real flow gets in.)",
        .remediation = R"(
            Delete the inbound rules that allow TCP 22 or 3389 from Internet, * or a public range
            (the rules named in the evidence), remove the VM's public IP
            (ipConfigurations[].properties.publicIPAddress), and manage the VM through Azure Bastion
            or just-in-time access.)",
        .run = internet_management,
    });
    out.push_back(Check{
        .id = "ZT-SEG-002",
        .title = "The Internet reaches more than the intended entry points",
        .principles = {P::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Segmentation: nothing reachable from the Internet but the intended entry points",
        .rationale = R"(
            The only doors from the Internet should be the App Gateway's HTTPS listener (with its v2
            infrastructure ports), Bastion and the firewall. Every other reachable port, such as
            plain HTTP on the gateway or a service on a VM with a public IP, is attack surface the
            WAF does not cover.)",
        .remediation = R"(
            Restrict the inbound NSG rules that admit the flows in the evidence to TCP 443 towards
            the App Gateway subnet (securityRules[].properties.destinationPortRange), replace an
            HTTP listener by an HTTPS one, and remove public IPs and public load balancer frontends
            from workloads.)",
        .run = internet_exposure,
    });
    out.push_back(Check{
        .id = "ZT-SEG-003",
        .title = "Management ports reachable from inside, not only from Bastion",
        .principles = {P::AssumeBreach, P::LeastPrivilege},
        .severity = Severity::High,
        .guidance = "Virtual machines: management ports closed except through Bastion or just-in-time access",
        .rationale = R"(
            When any VM can open SSH or RDP to another, one breached machine becomes a foothold for
            the whole estate. Management should come from the hub's Bastion subnet alone.)",
        .remediation = R"(
            Allow TCP 22/3389 inbound only from the AzureBastionSubnet prefix (or through
            just-in-time access) and add a DenyAllInbound rule at priority 4096 to every NSG, so
            that the default AllowVnetInBound no longer admits management traffic from other
            subnets.)",
        .run = lateral_management,
    });
    out.push_back(Check{
        .id = "ZT-SEG-004",
        .title = "Lateral paths between tiers",
        .principles = {P::LeastPrivilege, P::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Segmentation: no lateral path between tiers that the intent does not name",
        .rationale = R"(
            Tiers exist so that a breach of one does not open the others. With an intent, every flow
            between inside endpoints that it does not name is a lateral path; without one, a tier
            that reaches another on every TCP port shows a boundary that filters nothing.)",
        .remediation = R"(
            Write the application's flows as allow rules between ASGs
            (destinationApplicationSecurityGroups) and end every NSG with DenyAllInbound and
            DenyAllOutbound at priority 4096; give a subnet without an NSG one
            (subnets[].properties.networkSecurityGroup).)",
        .run = lateral_paths,
    });
    out.push_back(Check{
        .id = "ZT-SEG-005",
        .title = "NSG rules that are shadowed, redundant or conflicting",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Low,
        .guidance = "Segmentation: rules that shadow, duplicate or contradict each other",
        .rationale = R"(
            A rule that never decides anything, or whose effect depends on its order against a rule
            of the opposite access, says something the NSG does not do. Reviewers then approve rules
            that are not what runs.)",
        .remediation = R"(
            Delete shadowed and redundant rules, or narrow the earlier rule that hides them; for
            conflicting rules, make the two rules' address or port ranges disjoint
            (securityRules[].properties) so that the order no longer matters.)",
        .run = rule_overlaps,
    });
    out.push_back(Check{
        .id = "ZT-SEG-006",
        .title = "NSG rules that restrict the source port",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Segmentation: rules that restrict the source port",
        .rationale = R"(
            Clients send from ephemeral ports, so a rule that names one source port almost never
            matches: an allow rule written that way carries nothing (the flow really rides on a
            broader rule, or breaks as soon as a DenyAll is added), and a deny rule written that way
            blocks nothing.)",
        .remediation = R"(
            Set sourcePortRange to "*" on the rule and put the service port in destinationPortRange.)",
        .run = source_port_rules,
    });
    out.push_back(Check{
        .id = "ZT-SEG-007",
        .title = "Hardening that breaks platform traffic",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::High,
        .guidance = R"(
            Segmentation: hardening must not break load balancer health probes or App Gateway v2
            infrastructure ports)",
        .rationale = R"(
            A DenyAll rule at priority 4096 also overrides the default AllowAzureLoadBalancerInBound
            (65001): health probes then fail and the load balancer silently drops every backend. An
            App Gateway v2 whose GatewayManager or AzureLoadBalancer traffic is blocked cannot be
            managed or updated.)",
        .remediation = R"(
            Add inbound allow rules above the DenyAll: source AzureLoadBalancer to each backend on
            its probe port, and for the App Gateway subnet source GatewayManager to TCP 65200-65535
            and source AzureLoadBalancer to any port
            (securityRules[].properties.sourceAddressPrefix).)",
        .run = platform_traffic,
    });
    out.push_back(Check{
        .id = "ZT-SEG-008",
        .title = "Intended flows that the estate blocks",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::High,
        .guidance = "Spoke step 5: only the application's flows allowed, and every one of them allowed",
        .rationale = R"(
            An intent names the flows the application needs; a rule that blocks one breaks the
            application, and the usual reaction, a broad allow rule added in a hurry, undoes the
            segmentation.)",
        .remediation = R"(
            Add a narrow allow rule for the missing flow at the NSG (or firewall) named in the
            evidence, between the ASGs or prefixes of the intent's groups and on the intent's ports
            only.)",
        .run = blocked_intent,
    });
    out.push_back(Check{
        .id = "ZT-SEG-009",
        .title = "The Internet a few hops from a crown jewel",
        .principles = {P::AssumeBreach},
        .severity = Severity::Critical,
        .guidance = "Assume breach: no path from the Internet to the data tier through management services",
        .rationale = R"(
            Each hop of a lateral-movement path is a machine an attacker takes over through SSH, RDP,
            WinRM or SMB that the network lets through. When the Internet reaches a crown jewel (the
            data tier, a private endpoint of storage, Key Vault or SQL) in a few such hops, one
            stolen password or unpatched service on the first machine is a breach of the data.)",
        .remediation = R"(
            Cut the path where the evidence says: remove or narrow the allow rules that let the
            Internet reach a VM on a management port, and deny management ports between tiers
            except from Azure Bastion (securityRules[].properties); `ztnet paths` lists the fewest
            rules whose change cuts every path.)",
        .run = breach_paths,
    });
}

} // namespace ztnet::checks::families
