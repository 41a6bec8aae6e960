// The spoke virtual network's configuration: security groups on subnets (ZT-NET-001), application
// security groups for VM roles (ZT-NET-002, ZT-NET-003), baseline DenyAll rules (ZT-NET-004), and flow
// logging (ZT-LOG-*). These read the configuration as written; the segmentation group asks what the
// configuration lets through.
#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ztnet/checks/check_groups.h"
#include "ztnet/checks/check_support.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/route/effective_routes.h"
#include "ztnet/route/outbound.h"

namespace ztnet::checks::groups {
namespace {

using model::Index;
using model::kNone;
using net::Direction;
using support::finding_on;
using support::setting;

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::string prefixes_text(const std::vector<net::Prefix>& prefixes) {
    std::vector<std::string> texts;
    texts.reserve(prefixes.size());
    for (const net::Prefix& p : prefixes)
        texts.push_back(p.to_string());
    return join(texts);
}

std::string vnet_name(const model::Estate& estate, const model::Subnet& subnet) {
    return subnet.virtual_network == kNone ? std::string("?")
                                           : estate.virtual_networks[subnet.virtual_network].name;
}

std::string_view direction_word(Direction direction) {
    return direction == Direction::Inbound ? "inbound" : "outbound";
}

// ---- ZT-NET-001 ----

std::vector<Finding> subnet_without_nsg(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::Subnet& subnet : estate.subnets) {
        if (subnet.network_security_group != kNone || support::subnet_takes_no_nsg(subnet.name))
            continue;
        Finding f = finding_on(subnet, fmt::format("subnet {} ({}) of {} has no network security group",
                                                   subnet.name, prefixes_text(subnet.address_prefixes),
                                                   vnet_name(estate, subnet)));
        f.evidence.push_back(setting(subnet, fmt::format("{}/{}: networkSecurityGroup absent",
                                                         vnet_name(estate, subnet), subnet.name)));
        out.push_back(std::move(f));
    }
    return out;
}

// ---- ZT-NET-006 ----

// An address on the public Internet that no special route names: the subnet's route to it is its
// way to the Internet (the default route, or a route to a firewall that replaces it).
const net::Address kPublicAddress = net::Address::v4(0x08080808u); // 8.8.8.8

// A VM subnet whose VMs leave for the Internet straight from the subnet, through Azure's default
// outbound access: no NAT gateway, no public IP, no outbound rule, and no route to a firewall.
std::vector<Finding> default_outbound_access(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<std::vector<std::string>> relying(estate.subnets.size()); // per subnet: VM names
    for (Index n = 0; n < estate.network_interfaces.size(); ++n) {
        const model::NetworkInterface& nic = estate.network_interfaces[n];
        if (nic.virtual_machine == kNone)
            continue;
        for (Index c = 0; c < nic.ip_configurations.size(); ++c) {
            auto endpoint = route::nic_endpoint(estate, n, c, nic.name);
            if (!endpoint || endpoint->subnet == kNone ||
                route::outbound_access(estate, *endpoint).kind != route::OutboundAccess::Kind::Default)
                continue;
            // Only a subnet whose way to the Internet is its own: a default route to the firewall
            // leaves through the firewall's address instead.
            const route::EffectiveRoute* out =
                context.reach.route_views().of(endpoint->subnet).lookup(kPublicAddress);
            if (!out || out->next_hop != route::NextHopType::Internet)
                continue;
            std::vector<std::string>& names = relying[endpoint->subnet];
            const std::string& vm = estate.virtual_machines[nic.virtual_machine].name;
            if (std::find(names.begin(), names.end(), vm) == names.end())
                names.push_back(vm);
        }
    }
    std::vector<Finding> out;
    for (Index s = 0; s < estate.subnets.size(); ++s) {
        if (relying[s].empty())
            continue;
        const model::Subnet& subnet = estate.subnets[s];
        Finding f = finding_on(
            subnet, fmt::format("subnet {} of {}: VMs {} reach the Internet through Azure's "
                                "default outbound access, which Microsoft is retiring",
                                subnet.name, vnet_name(estate, subnet), fmt::join(relying[s], ", ")));
        f.evidence.push_back(
            setting(subnet, fmt::format("{}/{}: defaultOutboundAccess not false, natGateway absent, "
                                        "0.0.0.0/0 routed to Internet",
                                        vnet_name(estate, subnet), subnet.name)));
        out.push_back(std::move(f));
    }
    return out;
}

// ---- ZT-NET-002 ----

std::vector<Finding> vm_nic_not_in_one_asg(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::NetworkInterface& nic : estate.network_interfaces) {
        if (nic.virtual_machine == kNone)
            continue; // only VM NICs carry a role; others (private endpoints, appliances) are not judged
        const std::string& vm = estate.virtual_machines[nic.virtual_machine].name;
        for (const model::IpConfiguration& config : nic.ip_configurations) {
            std::size_t count = config.application_security_groups.size();
            if (count == 1)
                continue;
            std::vector<std::string> names;
            for (Index asg : config.application_security_groups)
                names.push_back(estate.application_security_groups[asg].name);
            std::string problem = count == 0 ? std::string("is in no application security group")
                                             : fmt::format("is in {} application security groups", count);
            Finding f = finding_on(
                nic, fmt::format("{} (ip configuration {} of {}) {}", nic.name, config.name, vm, problem),
                config.name);
            f.evidence.push_back(
                setting(nic, fmt::format("ipConfigurations[{}].applicationSecurityGroups: [{}]", config.name,
                                         join(names))));
            out.push_back(std::move(f));
        }
    }
    return out;
}

// ---- ZT-NET-003 ----

/// A VM's address and the subnet it is in.
struct VmAddress {
    net::Address address;
    const model::Subnet* subnet = nullptr;
    std::string vm;
};

// Sorted by address, so that the VMs a prefix holds are one range.
std::vector<VmAddress> vm_addresses(const model::Estate& estate) {
    std::vector<VmAddress> out;
    for (const model::NetworkInterface& nic : estate.network_interfaces) {
        if (nic.virtual_machine == kNone)
            continue;
        for (const model::IpConfiguration& config : nic.ip_configurations) {
            if (config.private_ip && config.subnet != kNone)
                out.push_back({*config.private_ip, &estate.subnets[config.subnet],
                               estate.virtual_machines[nic.virtual_machine].name});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const VmAddress& a, const VmAddress& b) { return a.address < b.address; });
    return out;
}

/// Whether a rule prefix names this VM: it holds the VM's address and is no wider than the VM's
/// subnet. Wider prefixes (a whole VNet, all private space) describe zones, not VM roles.
bool names_vm(const net::Prefix& prefix, const VmAddress& vm) {
    if (!prefix.contains(vm.address))
        return false;
    return std::any_of(vm.subnet->address_prefixes.begin(), vm.subnet->address_prefixes.end(),
                       [&](const net::Prefix& subnet_prefix) { return subnet_prefix.contains(prefix); });
}

/// The VMs whose addresses one side of a rule names, with the entries that name them. A prefix
/// wider than every subnet names no VM, so it is not walked (a /8 would hold them all).
void collect_named_vms(const model::RuleEndpoint& side, const std::vector<VmAddress>& vms,
                       int narrowest_subnet, std::set<std::string>& entries, std::set<std::string>& names) {
    for (const model::AddressEntry& entry : side.addresses) {
        if (entry.kind != model::AddressEntry::Kind::Prefix || entry.prefix.length() < narrowest_subnet)
            continue;
        auto first =
            std::lower_bound(vms.begin(), vms.end(), entry.prefix.first(),
                             [](const VmAddress& vm, const net::Address& a) { return vm.address < a; });
        for (auto vm = first; vm != vms.end() && vm->address <= entry.prefix.last(); ++vm) {
            if (names_vm(entry.prefix, *vm)) {
                entries.insert(entry.text());
                names.insert(vm->vm);
            }
        }
    }
}

std::vector<Finding> rule_names_vm_addresses(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<VmAddress> vms = vm_addresses(estate);
    // The shortest prefix length of any VM's subnet: a rule prefix shorter than it names no VM.
    int narrowest_subnet = 128;
    for (const VmAddress& vm : vms) {
        for (const net::Prefix& p : vm.subnet->address_prefixes)
            narrowest_subnet = std::min(narrowest_subnet, p.length());
    }
    std::vector<Finding> out;
    for (const model::NetworkSecurityGroup& nsg : estate.network_security_groups) {
        for (const model::SecurityRule& rule : nsg.rules) {
            if (rule.is_default)
                continue;
            std::set<std::string> entries;
            std::set<std::string> names;
            collect_named_vms(rule.source, vms, narrowest_subnet, entries, names);
            collect_named_vms(rule.destination, vms, narrowest_subnet, entries, names);
            if (names.empty())
                continue;
            std::vector<std::string> vm_list(names.begin(), names.end());
            Finding f = finding_on(nsg,
                                   fmt::format("{} rule {} names VM addresses ({}) instead of an application "
                                               "security group",
                                               nsg.name, rule.name, join(vm_list)),
                                   rule.name);
            f.evidence.push_back(
                Evidence{fmt::format("{} {} {} ({}): address entries {} hold {}", nsg.name,
                                     direction_word(rule.direction), rule.name, rule.priority,
                                     join({entries.begin(), entries.end()}), join(vm_list)),
                         rule.where, std::nullopt});
            out.push_back(std::move(f));
        }
    }
    return out;
}

// ---- ZT-NET-004 ----

/// Whether the subnet's route table sends everything not more specific to a virtual appliance (the
/// hub firewall): then the firewall, not the NSG, is the outbound baseline.
bool forced_through_appliance(const model::Estate& estate, const model::Subnet& subnet) {
    if (subnet.route_table == kNone)
        return false;
    const model::RouteTable& table = estate.route_tables[subnet.route_table];
    return std::any_of(table.routes.begin(), table.routes.end(), [](const model::Route& r) {
        return r.address_prefix == "0.0.0.0/0" && r.next_hop_type == model::UserNextHop::VirtualAppliance;
    });
}

/// The first usable host of a prefix (Azure reserves the first four addresses of a subnet).
std::optional<net::Address> usable_host(const std::vector<net::Prefix>& prefixes) {
    if (prefixes.empty())
        return std::nullopt;
    net::Address candidate =
        net::Address::from_value(prefixes.front().family(), prefixes.front().network().value() + 4);
    if (!prefixes.front().contains(candidate))
        return std::nullopt;
    return candidate;
}

/// A flow the NSG lets through by one of its default rules, showing what the missing baseline lets
/// in (from another subnet of the VNet, on SMB) or out (to an Internet address): nullopt when none of
/// these examples applies.
std::optional<Evidence> default_rule_flow(const CheckContext& context, Index nsg, const model::Subnet& subnet,
                                          Direction direction) {
    const model::Estate& estate = context.estate;
    std::optional<net::Address> inside = usable_host(subnet.address_prefixes);
    if (!inside || subnet.virtual_network == kNone)
        return std::nullopt;
    std::optional<net::Address> outside;
    if (direction == Direction::Inbound) {
        for (Index other : estate.virtual_networks[subnet.virtual_network].subnets) {
            if (&estate.subnets[other] != &subnet && !outside)
                outside = usable_host(estate.subnets[other].address_prefixes);
        }
    } else {
        outside = net::Address::v4(0xCB00710AU); // 203.0.113.10, an Internet address for documentation
    }
    if (!outside || outside->family() != inside->family())
        return std::nullopt;
    net::Flow flow;
    flow.protocol = net::protocol_number(net::Protocol::Tcp);
    flow.source = direction == Direction::Inbound ? *outside : *inside;
    flow.destination = direction == Direction::Inbound ? *inside : *outside;
    flow.source_port = 49152;
    flow.destination_port = 445;
    const policy::CompiledNsg& compiled = context.engine.nsg(nsg, subnet.virtual_network);
    policy::NsgDecision decision = compiled.decide(direction, flow);
    const policy::ResolvedRule& rule = compiled.rules(direction)[decision.rule];
    if (decision.access != model::Access::Allow || !rule.is_default)
        return std::nullopt;
    return Evidence{fmt::format("{} {} allowed by default rule {} ({})", direction_word(direction),
                                flow.to_string(), rule.name, rule.priority),
                    estate.network_security_groups[nsg].where, flow};
}

// In the restrictive reading of what the input cannot tell: a rule of unknown access or fields may be
// the catch-all, so the baseline is reported missing only when no value of the unknowns supplies it.
bool has_catch_all_deny(const CheckContext& context, Index nsg, Index vnet, Direction direction) {
    const std::vector<policy::ResolvedRule>& rules =
        context.engine.nsg(nsg, vnet).in(policy::Reading::Restrictive).rules(direction);
    return std::any_of(rules.begin(), rules.end(), [](const policy::ResolvedRule& r) {
        return !r.is_default && r.access == model::Access::Deny && policy::matches_every_flow(r);
    });
}

Finding missing_baseline(const CheckContext& context, Index n, Direction direction) {
    const model::Estate& estate = context.estate;
    const model::NetworkSecurityGroup& nsg = estate.network_security_groups[n];
    const model::Subnet& subnet = estate.subnets[nsg.subnets.front()];
    Finding f =
        finding_on(nsg,
                   fmt::format("{} has no baseline DenyAll rule {}: the default rules decide what is not "
                               "explicitly allowed",
                               nsg.name, direction_word(direction)),
                   std::string(direction_word(direction)));
    std::string text =
        fmt::format("{}: no custom Deny rule for protocol *, source *, destination *, every port, {}",
                    nsg.name, direction_word(direction));
    if (direction == Direction::Outbound)
        text += "; and not every subnet routes 0.0.0.0/0 to a virtual appliance";
    f.evidence.push_back(setting(nsg, std::move(text)));
    for (const model::SecurityRule& rule : nsg.rules) {
        if (rule.priority == 4096 && rule.direction == direction && !rule.is_default)
            f.evidence.push_back(Evidence{fmt::format("{} ({}) at 4096 does not match every flow", rule.name,
                                                      direction_word(direction)),
                                          rule.where, std::nullopt});
    }
    if (auto flow = default_rule_flow(context, n, subnet, direction))
        f.evidence.push_back(std::move(*flow));
    return f;
}

std::vector<Finding> no_baseline_deny_all(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (Index n = 0; n < estate.network_security_groups.size(); ++n) {
        const model::NetworkSecurityGroup& nsg = estate.network_security_groups[n];
        if (nsg.subnets.empty())
            continue; // the guidance asks for the baseline in subnet NSGs
        Index vnet = estate.subnets[nsg.subnets.front()].virtual_network;
        if (vnet == kNone)
            continue;
        if (!has_catch_all_deny(context, n, vnet, Direction::Inbound))
            out.push_back(missing_baseline(context, n, Direction::Inbound));
        bool all_forced = std::all_of(nsg.subnets.begin(), nsg.subnets.end(), [&](Index s) {
            return forced_through_appliance(estate, estate.subnets[s]);
        });
        if (!all_forced && !has_catch_all_deny(context, n, vnet, Direction::Outbound))
            out.push_back(missing_baseline(context, n, Direction::Outbound));
    }
    return out;
}

// ---- ZT-LOG-001 ----

bool vnet_flow_logged(const model::Estate& estate, Index vnet) {
    return std::any_of(estate.flow_logs.begin(), estate.flow_logs.end(),
                       [&](const model::FlowLog& f) { return f.enabled && f.target_vnet == vnet; });
}

bool nsg_flow_logged(const model::Estate& estate, Index nsg) {
    return nsg != kNone &&
           std::any_of(estate.flow_logs.begin(), estate.flow_logs.end(),
                       [&](const model::FlowLog& f) { return f.enabled && f.target_nsg == nsg; });
}

std::vector<Finding> flow_logging_off(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::FlowLog& log : estate.flow_logs) {
        if (log.enabled)
            continue;
        Finding f = finding_on(log, fmt::format("flow log {} is disabled", log.name));
        f.evidence.push_back(
            setting(log, fmt::format("{}: enabled false (target {})", log.name, log.target_resource_id)));
        out.push_back(std::move(f));
    }
    for (Index v = 0; v < estate.virtual_networks.size(); ++v) {
        if (vnet_flow_logged(estate, v))
            continue;
        // Without a VNet flow log, NSG flow logs must cover every subnet that can carry an NSG.
        const model::VirtualNetwork& vnet = estate.virtual_networks[v];
        std::vector<std::string> unlogged;
        std::vector<Evidence> evidence;
        for (Index s : vnet.subnets) {
            const model::Subnet& subnet = estate.subnets[s];
            if (support::subnet_takes_no_nsg(subnet.name) ||
                nsg_flow_logged(estate, subnet.network_security_group))
                continue;
            unlogged.push_back(subnet.name);
            evidence.push_back(setting(
                subnet,
                subnet.network_security_group == kNone
                    ? fmt::format("{}: no NSG, and no VNet flow log", subnet.name)
                    : fmt::format("{}: NSG {} has no enabled flow log", subnet.name,
                                  estate.network_security_groups[subnet.network_security_group].name)));
        }
        if (unlogged.empty())
            continue;
        Finding f = finding_on(
            vnet, fmt::format("no enabled flow log covers {} (subnets {})", vnet.name, join(unlogged)));
        f.evidence = std::move(evidence);
        out.push_back(std::move(f));
    }
    return out;
}

// ---- ZT-LOG-002 ----

/// The retention commonly asked of network logs by audit baselines.
constexpr int kMinimumRetentionDays = 90;

std::vector<Finding> flow_log_retention_short(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::FlowLog& log : estate.flow_logs) {
        if (!log.enabled || log.traffic_analytics)
            continue; // a disabled log is ZT-LOG-001's finding; traffic analytics keeps the data in a
                      // workspace
        bool kept =
            log.retention_enabled && (log.retention_days == 0 || log.retention_days >= kMinimumRetentionDays);
        if (kept)
            continue;
        std::string problem = log.retention_enabled ? fmt::format("keeps flow records only {} days, under {}",
                                                                  log.retention_days, kMinimumRetentionDays)
                                                    : std::string("has no retention policy");
        Finding f = finding_on(log, fmt::format("flow log {} {}", log.name, problem));
        f.evidence.push_back(
            setting(log, fmt::format("{}: retentionPolicy enabled {}, days {}; traffic analytics off",
                                     log.name, log.retention_enabled, log.retention_days)));
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace

void add_spoke_network(std::vector<Check>& out) {
    out.push_back(Check{
        "ZT-NET-001",
        "A network security group on every subnet",
        {Principle::AssumeBreach},
        Severity::High,
        "Spoke step 3: a network security group on every subnet that can carry one",
        "A subnet without a network security group accepts every flow its routes deliver: anything in the "
        "virtual network, its peers or on-premises reaches every port of every machine in it. GatewaySubnet, "
        "AzureFirewallSubnet, AzureFirewallManagementSubnet and RouteServerSubnet cannot carry one and are "
        "not judged.",
        "Create a Microsoft.Network/networkSecurityGroups resource for the subnet, with the application's "
        "allow rules and DenyAll at 4096, and set properties.networkSecurityGroup.id on the subnet.",
        subnet_without_nsg,
        {{model::ResourceKind::Subnet, "/properties/networkSecurityGroup"}}});
    out.push_back(Check{
        "ZT-NET-006",
        "No VM subnet relies on default outbound access",
        {Principle::AssumeBreach, Principle::VerifyExplicitly},
        Severity::Low,
        "Spoke step 5 / Hub: egress through an explicit, controlled path",
        "A VM without a NAT gateway, a public IP, a load balancer outbound rule or a route to a firewall "
        "still reaches the Internet through an address Azure picks and nobody controls or logs. Microsoft "
        "is retiring this default outbound access (new virtual networks get private subnets), so what "
        "works today stops on redeployment, and until then egress escapes every control.",
        "Route 0.0.0.0/0 to the hub firewall (a Microsoft.Network/routeTables route with nextHopType "
        "VirtualAppliance) or attach a Microsoft.Network/natGateways resource (properties.natGateway.id), "
        "and set properties.defaultOutboundAccess to false on the subnet.",
        default_outbound_access,
        {{model::ResourceKind::Subnet, "/properties/defaultOutboundAccess"},
         {model::ResourceKind::Subnet, "/properties/natGateway"}}});
    out.push_back(Check{
        "ZT-NET-002",
        "Every VM NIC in exactly one application security group",
        {Principle::LeastPrivilege},
        Severity::Medium,
        "Spoke step 4: every VM NIC in exactly its role's application security group",
        "Application security groups name VM roles, so rules can allow web to app without naming addresses. "
        "A NIC in no group is reached only through address rules or not at all; a NIC in several groups "
        "collects the access of every role.",
        "Set properties.ipConfigurations[].properties.applicationSecurityGroups on each VM NIC to exactly "
        "one "
        "Microsoft.Network/applicationSecurityGroups resource: the VM's tier (web, app, data).",
        vm_nic_not_in_one_asg,
        {{model::ResourceKind::NetworkInterface,
          "/properties/ipConfigurations/*/properties/applicationSecurityGroups"}}});
    out.push_back(Check{
        "ZT-NET-003",
        "Rules name application security groups, not VM addresses",
        {Principle::LeastPrivilege},
        Severity::Low,
        "Spoke step 4: rules written against application security groups, not loose addresses",
        "A rule that names a VM's address, or a subnet prefix holding VMs, silently grants access to "
        "whatever "
        "later takes that address, and has to be rewritten when VMs move or scale. Prefixes that hold only "
        "an App Gateway, a load balancer frontend or Bastion are fine; prefixes wider than a subnet describe "
        "zones and are not judged.",
        "Replace sourceAddressPrefix(es) / destinationAddressPrefix(es) that name VMs with "
        "sourceApplicationSecurityGroups / destinationApplicationSecurityGroups referring to the VMs' "
        "role ASGs.",
        rule_names_vm_addresses,
    });
    out.push_back(Check{
        "ZT-NET-004",
        "Baseline DenyAll inbound and outbound in every subnet NSG",
        {Principle::AssumeBreach},
        Severity::High,
        "Spoke step 5: baseline DenyAll rules at priority 4096 inbound and outbound",
        "Without a catch-all Deny rule the default rules decide: AllowVnetInBound lets every subnet and peer "
        "reach every port, AllowInternetOutBound lets every VM talk to the Internet. A Deny rule matching "
        "every protocol, address and port (at 4096 by convention; any priority blocks the defaults) makes "
        "the allow rules the whole policy. Outbound, a route 0.0.0.0/0 to the hub firewall on every subnet "
        "of the NSG is accepted instead.",
        "Add securityRules DenyAllInbound and DenyAllOutbound: priority 4096, access Deny, protocol '*', "
        "sourceAddressPrefix '*', destinationAddressPrefix '*', sourcePortRange '*', destinationPortRange "
        "'*'; or, outbound, a route table with 0.0.0.0/0 → VirtualAppliance (the firewall's private IP).",
        no_baseline_deny_all,
    });
    out.push_back(Check{
        "ZT-LOG-001",
        "Flow logging on for every virtual network",
        {Principle::VerifyExplicitly},
        Severity::Medium,
        "Spoke step 5: flow logging on",
        "Flow logs are the record of which connections were allowed and denied; without them a breach "
        "cannot be traced and the rules cannot be tightened from observed traffic. A virtual network is "
        "covered by an enabled VNet flow log, or by enabled NSG flow logs on the NSG of every subnet that "
        "can "
        "carry one; a disabled flow log is reported on itself.",
        "Create an enabled Microsoft.Network/networkWatchers/flowLogs resource with targetResourceId the "
        "virtual network (VNet flow logs; NSG flow logs can no longer be created), or set properties.enabled "
        "to true on the existing one.",
        flow_logging_off,
        {{model::ResourceKind::FlowLog, "/properties/enabled", SettingRead::Findings::Anywhere},
         {model::ResourceKind::FlowLog, "/properties/targetResourceId", SettingRead::Findings::Anywhere}}});
    out.push_back(Check{
        "ZT-LOG-002",
        "Flow logs kept for at least 90 days",
        {Principle::VerifyExplicitly},
        Severity::Medium,
        "Spoke step 5: flow logging into storage, with retention",
        "Intrusions are often found weeks after they start, and then the flow records must still exist. An "
        "enabled flow log passes with a retention policy of at least 90 days (or 0, which keeps records "
        "indefinitely), or with traffic analytics sending them to a Log Analytics workspace. Disabled flow "
        "logs are left to ZT-LOG-001.",
        "Set properties.retentionPolicy.enabled to true and properties.retentionPolicy.days to 90 or more on "
        "the flow log, or enable "
        "properties.flowAnalyticsConfiguration.networkWatcherFlowAnalyticsConfiguration.",
        flow_log_retention_short,
        {{model::ResourceKind::FlowLog, "/properties/retentionPolicy"}}});
}

} // namespace ztnet::checks::groups
