// The spoke virtual network's configuration (ZT-NET-*): security groups on subnets (ZT-NET-001),
// application security groups for VM roles (ZT-NET-002, ZT-NET-003), baseline DenyAll rules
// (ZT-NET-004), no rule that opens a management port to the Internet (ZT-NET-005), no reliance on
// default outbound access (ZT-NET-006), and virtual network encryption where VMs talk (ZT-NET-007). These
// read the configuration as written; the segmentation family (ZT-SEG-*) asks what the configuration lets
// through.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/families.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/reach/flow_box.h"
#include "ztnet/route/effective_routes.h"
#include "ztnet/route/outbound.h"

namespace ztnet::checks::families {
namespace {

using model::Index;
using model::kNone;
using net::Direction;
using support::finding_on;
using support::join;
using support::setting;

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
    model::IndexedBy<model::Subnet, std::vector<std::string>> relying(estate.subnets.size()); // VM names
    for (model::NicIndex n : estate.network_interfaces.indices()) {
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
    for (model::SubnetIndex s : estate.subnets.indices()) {
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
            for (model::AsgIndex asg : config.application_security_groups)
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
                       int narrowest_subnet, const std::set<model::VnetIndex>& nsg_vnets,
                       std::set<std::string>& entries, std::set<std::string>& names) {
    for (const model::AddressEntry& entry : side.addresses) {
        if (entry.kind != model::AddressEntry::Kind::Prefix || entry.prefix.length() < narrowest_subnet)
            continue;
        auto first =
            std::lower_bound(vms.begin(), vms.end(), entry.prefix.first(),
                             [](const VmAddress& vm, const net::Address& a) { return vm.address < a; });
        for (auto vm = first; vm != vms.end() && vm->address <= entry.prefix.last(); ++vm) {
            // An ASG holds NICs of one VNet, and a rule can name it only where the NSG applies in
            // that VNet: a VM of another VNet (a peered or hub-connected spoke) is named by address.
            const bool same_vnet = nsg_vnets.empty() || nsg_vnets.count(vm->subnet->virtual_network) != 0;
            if (same_vnet && names_vm(entry.prefix, *vm)) {
                entries.insert(entry.text());
                names.insert(vm->vm);
            }
        }
    }
}

/// The VNets where the NSG applies: those of its subnets and of its NICs' subnets.
std::set<model::VnetIndex> vnets_of(const model::Estate& estate, const model::NetworkSecurityGroup& nsg) {
    std::set<model::VnetIndex> out;
    for (model::SubnetIndex s : nsg.subnets)
        out.insert(estate.subnets[s].virtual_network);
    for (model::NicIndex n : nsg.network_interfaces)
        for (const model::IpConfiguration& config : estate.network_interfaces[n].ip_configurations)
            if (config.subnet != kNone)
                out.insert(estate.subnets[config.subnet].virtual_network);
    out.erase(model::VnetIndex(kNone));
    return out;
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
        const std::set<model::VnetIndex> vnets = vnets_of(estate, nsg);
        for (const model::SecurityRule& rule : nsg.rules) {
            if (rule.is_default)
                continue;
            std::set<std::string> entries;
            std::set<std::string> names;
            collect_named_vms(rule.source, vms, narrowest_subnet, vnets, entries, names);
            collect_named_vms(rule.destination, vms, narrowest_subnet, vnets, entries, names);
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
std::optional<Evidence> default_rule_flow(const CheckContext& context, model::NsgIndex nsg,
                                          const model::Subnet& subnet, Direction direction) {
    const model::Estate& estate = context.estate;
    std::optional<net::Address> inside = usable_host(subnet.address_prefixes);
    if (!inside || subnet.virtual_network == kNone)
        return std::nullopt;
    std::optional<net::Address> outside;
    if (direction == Direction::Inbound) {
        for (model::SubnetIndex other : estate.virtual_networks[subnet.virtual_network].subnets) {
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
bool has_catch_all_deny(const CheckContext& context, model::NsgIndex nsg, model::VnetIndex vnet,
                        Direction direction) {
    const std::vector<policy::ResolvedRule>& rules =
        context.engine.nsg(nsg, vnet).in(policy::Reading::Restrictive).rules(direction);
    return std::any_of(rules.begin(), rules.end(), [](const policy::ResolvedRule& r) {
        return !r.is_default && r.access == model::Access::Deny && policy::matches_every_flow(r);
    });
}

Finding missing_baseline(const CheckContext& context, model::NsgIndex n, Direction direction) {
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
    for (model::NsgIndex n : estate.network_security_groups.indices()) {
        const model::NetworkSecurityGroup& nsg = estate.network_security_groups[n];
        if (nsg.subnets.empty())
            continue; // the guidance asks for the baseline in subnet NSGs
        model::VnetIndex vnet = estate.subnets[nsg.subnets.front()].virtual_network;
        if (vnet == kNone)
            continue;
        if (!has_catch_all_deny(context, n, vnet, Direction::Inbound))
            out.push_back(missing_baseline(context, n, Direction::Inbound));
        bool all_forced = std::all_of(nsg.subnets.begin(), nsg.subnets.end(), [&](model::SubnetIndex s) {
            return forced_through_appliance(estate, estate.subnets[s]);
        });
        if (!all_forced && !has_catch_all_deny(context, n, vnet, Direction::Outbound))
            out.push_back(missing_baseline(context, n, Direction::Outbound));
    }
    return out;
}

// ---- ZT-NET-005 ----

// NSG rules that open a management port to the Internet, judged rule by rule. ZT-SEG-001
// proves an exposure by a path to a machine; this check finds the rule itself, whether or not a
// machine stands behind it today (a network template, a rule added to an existing NSG, a path cut
// somewhere else for now). A rule counts only for the flows it decides: those that no earlier rule
// of its NSG matches, so a rule shadowed by an earlier Deny is no finding.

constexpr std::uint8_t kTcp = 6;

struct ManagementPort {
    std::uint16_t port;
    std::string_view name;
};
// SSH, RDP and WinRM (HTTP and HTTPS): the ports that hand out a shell.
constexpr ManagementPort kManagementPorts[] = {{22, "SSH"}, {3389, "RDP"}, {5985, "WinRM"}, {5986, "WinRM"}};

net::PortSet management_port_set() {
    net::PortSet ports;
    for (const ManagementPort& m : kManagementPorts)
        ports.insert(m.port);
    return ports;
}

// The flows that reach a management port from the Internet: TCP from any Internet address and port.
reach::FlowBox internet_management_box() {
    reach::FlowBox box;
    box.protocols = net::ProtocolSet::single(kTcp);
    box.sources = policy::internet_addresses();
    box.destinations = net::AddressSet::any();
    box.source_ports = net::PortSet::all();
    box.destination_ports = management_port_set();
    return box;
}

// The Internet-to-management flows that rule `i` of a direction decides: it matches them and no
// earlier rule does. Nothing when it decides none of them; an overflowed set when the flows could
// not be worked out within the box cap.
reach::FlowBoxSet decided_management_flows(const std::vector<policy::ResolvedRule>& rules, std::size_t i,
                                           const reach::FlowBox& interest) {
    reach::FlowBoxSet decided = reach::FlowBoxSet::from_rule(rules[i]);
    decided.intersect(interest);
    for (std::size_t j = 0; j < i && !decided.empty() && !decided.overflowed(); ++j)
        decided.subtract(reach::FlowBoxSet::from_rule(rules[j]));
    return decided;
}

// "SSH and RDP" for the management ports some flow of `flows` goes to.
std::string port_names(const reach::FlowBoxSet& flows) {
    std::vector<std::string_view> names;
    for (const ManagementPort& m : kManagementPorts) {
        bool hit = false;
        for (const reach::FlowBox& box : flows.boxes())
            hit = hit || box.destination_ports.contains(m.port);
        if (hit && std::find(names.begin(), names.end(), m.name) == names.end())
            names.push_back(m.name);
    }
    if (names.empty())
        return "management ports";
    std::string out(names.front());
    for (std::size_t k = 1; k < names.size(); ++k)
        out += (k + 1 == names.size() ? " and " : ", ") + std::string(names[k]);
    return out;
}

// The NSGs behind which ZT-SEG-001 already proves an exposure: those of the subnet or the NIC of a
// machine that the Internet reaches on SSH or RDP. That finding, with its path, is the stronger
// one; this check then stays silent about the NSG rather than report the exposure twice.
model::IndexedBy<model::NetworkSecurityGroup, bool> proven_by_path(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    model::IndexedBy<model::NetworkSecurityGroup, bool> proven(estate.network_security_groups.size(), false);
    const auto& endpoints = context.reach.endpoints().endpoints;
    std::vector<std::uint32_t> internet;
    for (std::uint32_t i = 0; i < endpoints.size(); ++i)
        if (endpoints[i].kind == reach::ReachEndpoint::Kind::Internet)
            internet.push_back(i);
    net::PortSet ssh_rdp;
    ssh_rdp.insert(22);
    ssh_rdp.insert(3389);
    const reach::ServiceSet interest =
        reach::ServiceSet::of(net::ProtocolSet::single(kTcp), net::PortSet::all(), ssh_rdp);
    for (std::uint32_t to = 0; to < endpoints.size(); ++to) {
        const reach::ReachEndpoint& e = endpoints[to];
        if (e.kind != reach::ReachEndpoint::Kind::Nic)
            continue;
        const model::NsgIndex subnet_nsg =
            e.endpoint.subnet != kNone ? estate.subnets[e.endpoint.subnet].network_security_group : kNone;
        const model::NsgIndex nic_nsg = estate.network_interfaces[e.endpoint.nic].network_security_group;
        if ((subnet_nsg == kNone || proven[subnet_nsg]) && (nic_nsg == kNone || proven[nic_nsg]))
            continue; // nothing left to learn from this machine
        bool reached = false;
        for (std::uint32_t from : internet)
            reached = reached || context.reach.between(from, to).allowed.overlaps(interest);
        if (!reached)
            continue;
        for (model::NsgIndex nsg : {subnet_nsg, nic_nsg})
            if (nsg != kNone)
                proven[nsg] = true;
    }
    return proven;
}

// Whether a rule's source, as written, names the Internet: '*', the Internet tag, or a prefix with
// public addresses in it. Other service tags (AzureLoadBalancer, GatewayManager, AzureCloud) are
// public addresses too, but they are Azure's own platform, not the Internet.
bool written_from_internet(const model::SecurityRule& rule, const net::AddressSet& internet) {
    for (const model::AddressEntry& entry : rule.source.addresses) {
        switch (entry.kind) {
        case model::AddressEntry::Kind::Any:
            return true;
        case model::AddressEntry::Kind::ServiceTag:
            if (model::same_id(entry.tag, "Internet"))
                return true;
            break;
        case model::AddressEntry::Kind::Prefix:
            if (net::AddressSet::from(entry.prefix).overlaps(internet))
                return true;
            break;
        }
    }
    return false;
}

std::vector<Finding> management_rules(const CheckContext& context) {
    std::vector<Finding> out;
    const model::Estate& estate = context.estate;
    const reach::FlowBox interest = internet_management_box();
    const model::IndexedBy<model::NetworkSecurityGroup, bool> proven = proven_by_path(context);
    for (model::NsgIndex nsg : estate.network_security_groups.indices()) {
        if (proven[nsg])
            continue;
        const model::NetworkSecurityGroup& group = estate.network_security_groups[nsg];
        const policy::CompiledNsg& compiled = context.engine.nsg(nsg, support::associated_vnet(estate, nsg));
        // The restrictive reading of what the input cannot tell: a rule reported there opens the
        // port whatever the unknown values turn out to be (an unknown source at its known entries, an
        // unknown Deny above it at its widest).
        const std::vector<policy::ResolvedRule>& rules =
            compiled.in(policy::Reading::Restrictive).rules(net::Direction::Inbound);
        for (std::size_t i = 0; i < rules.size(); ++i) {
            const policy::ResolvedRule& rule = rules[i];
            if (rule.is_default || rule.custom_index < 0 || rule.access != model::Access::Allow)
                continue;
            const model::SecurityRule& custom = group.rules[static_cast<std::size_t>(rule.custom_index)];
            if (!written_from_internet(custom, interest.sources))
                continue;
            reach::FlowBoxSet decided = decided_management_flows(rules, i, interest);
            if (!decided.overflowed() && decided.empty())
                continue;
            std::string ports = decided.overflowed() ? "a management port" : port_names(decided);
            Finding f = finding_on(group,
                                   fmt::format("{}: inbound rule {} ({}) allows {} from the Internet{}",
                                               group.name, rule.name, rule.priority, ports,
                                               group.subnets.empty() && group.network_interfaces.empty()
                                                   ? " (the NSG is not associated with anything yet)"
                                                   : ""),
                                   "Inbound " + rule.name);
            f.where = custom.where;
            std::vector<std::string> sources;
            for (const model::AddressEntry& a : custom.source.addresses)
                sources.push_back(a.text());
            std::string text = fmt::format("rule {} ({}, Allow): {} from {} to ports {}", rule.name,
                                           rule.priority, custom.protocol, fmt::join(sources, ","),
                                           fmt::join(custom.destination_ports, ","));
            std::optional<net::Flow> example = decided.example();
            if (example)
                text += "; example flow " + example->to_string();
            else
                text += "; the flows it decides could not be worked out within the analysis' limit, so it is "
                        "reported as it is written";
            f.evidence.push_back(Evidence{std::move(text), custom.where, example});
            out.push_back(std::move(f));
        }
    }
    return out;
}

// Virtual networks that hold a VM's interface.
std::vector<bool> networks_with_vms(const model::Estate& estate) {
    std::vector<bool> out(estate.virtual_networks.size(), false);
    for (const model::VirtualMachine& vm : estate.virtual_machines)
        for (model::NicIndex n : vm.network_interfaces)
            for (const model::IpConfiguration& config : estate.network_interfaces[n].ip_configurations)
                if (config.subnet != kNone && estate.subnets[config.subnet].virtual_network != kNone)
                    out[estate.subnets[config.subnet].virtual_network.value()] = true;
    return out;
}

std::vector<Finding> unencrypted_networks(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    const std::vector<bool> with_vms = networks_with_vms(estate);
    std::vector<Finding> out;
    for (model::VnetIndex v : estate.virtual_networks.indices()) {
        const model::VirtualNetwork& vnet = estate.virtual_networks[v];
        if (!with_vms[v.value()] || vnet.encryption_enabled)
            continue;
        Finding f = support::finding_on(
            vnet, fmt::format("traffic between the VMs of {} crosses the network unencrypted unless each "
                              "application encrypts it",
                              vnet.name));
        f.evidence.push_back(
            Evidence{fmt::format("{} encryption.enabled: false", vnet.name), vnet.encryption_where, {}});
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace

void add_net(std::vector<Check>& out) {
    out.push_back(Check{
        .id = "ZT-NET-001",
        .title = "A network security group on every subnet",
        .principles = {Principle::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Spoke step 3: a network security group on every subnet that can carry one",
        .rationale = R"(
            A subnet without a network security group accepts every flow its routes deliver:
            anything in the virtual network, its peers or on-premises reaches every port of every
            machine in it. GatewaySubnet, AzureFirewallSubnet, AzureFirewallManagementSubnet and
            RouteServerSubnet cannot carry one and are not judged.)",
        .remediation = R"(
            Create a Microsoft.Network/networkSecurityGroups resource for the subnet, with the
            application's allow rules and DenyAll at 4096, and set
            properties.networkSecurityGroup.id on the subnet.)",
        .run = subnet_without_nsg,
        .reads = {{model::ResourceKind::Subnet, "/properties/networkSecurityGroup"}},
    });
    out.push_back(Check{
        .id = "ZT-NET-006",
        .title = "No VM subnet relies on default outbound access",
        .principles = {Principle::AssumeBreach, Principle::VerifyExplicitly},
        .severity = Severity::Low,
        .guidance = "Spoke step 5 / Hub: egress through an explicit, controlled path",
        .rationale = R"(
            A VM without a NAT gateway, a public IP, a load balancer outbound rule or a route to a
            firewall still reaches the Internet through an address Azure picks and nobody controls
            or logs. Microsoft is retiring this default outbound access (new virtual networks get
            private subnets), so what works today stops on redeployment, and until then egress
            escapes every control.)",
        .remediation = R"(
            Route 0.0.0.0/0 to the hub firewall (a Microsoft.Network/routeTables route with
            nextHopType VirtualAppliance) or attach a Microsoft.Network/natGateways resource
            (properties.natGateway.id), and set properties.defaultOutboundAccess to false on the
            subnet.)",
        .run = default_outbound_access,
        .reads = {{model::ResourceKind::Subnet, "/properties/defaultOutboundAccess"},
                  {model::ResourceKind::Subnet, "/properties/natGateway"}},
    });
    out.push_back(Check{
        .id = "ZT-NET-002",
        .title = "Every VM NIC in exactly one application security group",
        .principles = {Principle::LeastPrivilege},
        .severity = Severity::Medium,
        .guidance = "Spoke step 4: every VM NIC in exactly its role's application security group",
        .rationale = R"(
            Application security groups name VM roles, so rules can allow web to app without naming
            addresses. A NIC in no group is reached only through address rules or not at all; a NIC
            in several groups collects the access of every role.)",
        .remediation = R"(
            Set properties.ipConfigurations[].properties.applicationSecurityGroups on each VM NIC to
            exactly one Microsoft.Network/applicationSecurityGroups resource: the VM's tier (web,
            app, data).)",
        .run = vm_nic_not_in_one_asg,
        .reads = {{model::ResourceKind::NetworkInterface,
                   "/properties/ipConfigurations/*/properties/applicationSecurityGroups"}},
    });
    out.push_back(Check{
        .id = "ZT-NET-003",
        .title = "Rules name application security groups, not VM addresses",
        .principles = {Principle::LeastPrivilege},
        .severity = Severity::Low,
        .guidance = "Spoke step 4: rules written against application security groups, not loose addresses",
        .rationale = R"(
            A rule that names a VM's address, or a subnet prefix holding VMs, silently grants access
            to whatever later takes that address, and has to be rewritten when VMs move or scale.
            Prefixes that hold only an App Gateway, a load balancer frontend or Bastion are fine;
            prefixes wider than a subnet describe zones and are not judged.)",
        .remediation = R"(
            Replace sourceAddressPrefix(es) / destinationAddressPrefix(es) that name VMs with
            sourceApplicationSecurityGroups / destinationApplicationSecurityGroups referring to the
            VMs' role ASGs.)",
        .run = rule_names_vm_addresses,
    });
    out.push_back(Check{
        .id = "ZT-NET-004",
        .title = "Baseline DenyAll inbound and outbound in every subnet NSG",
        .principles = {Principle::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Spoke step 5: baseline DenyAll rules at priority 4096 inbound and outbound",
        .rationale = R"(
            Without a catch-all Deny rule the default rules decide: AllowVnetInBound lets every
            subnet and peer reach every port, AllowInternetOutBound lets every VM talk to the
            Internet. A Deny rule matching every protocol, address and port (at 4096 by convention;
            any priority blocks the defaults) makes the allow rules the whole policy. Outbound, a
            route 0.0.0.0/0 to the hub firewall on every subnet of the NSG is accepted instead.)",
        .remediation = R"(
            Add securityRules DenyAllInbound and DenyAllOutbound: priority 4096, access Deny,
            protocol '*', sourceAddressPrefix '*', destinationAddressPrefix '*', sourcePortRange
            '*', destinationPortRange '*'; or, outbound, a route table with 0.0.0.0/0 →
            VirtualAppliance (the firewall's private IP).)",
        .run = no_baseline_deny_all,
    });
    out.push_back(Check{
        .id = "ZT-NET-005",
        .title = "No NSG rule opens SSH, RDP or WinRM to the Internet",
        .principles = {Principle::AssumeBreach, Principle::LeastPrivilege},
        .severity = Severity::High,
        .guidance = R"(
            Spoke step 6: no RDP/SSH from the Internet; management only from the hub (Bastion,
            just-in-time))",
        .rationale = R"(
            An inbound rule that admits SSH, RDP or WinRM from the Internet is the most common
            exposure on Azure: any machine placed behind the NSG, now or later, is scanned and
            brute-forced within minutes. The rule is judged by the flows it actually decides, after
            the earlier rules of its NSG; when a machine behind it is already reachable that way,
            ZT-SEG-001 reports the proven path instead.)",
        .remediation = R"(
            Delete the rule, or narrow its source to the hub's Bastion subnet or a management jump
            host's address, and reach machines through Azure Bastion or just-in-time access.)",
        .run = management_rules,
    });
    out.push_back(Check{
        .id = "ZT-NET-007",
        .title = "Virtual network encryption where VMs talk",
        .principles = {Principle::AssumeBreach},
        .severity = Severity::Low,
        .guidance = "Encrypting network traffic: virtual network encryption",
        .rationale = R"(
            Assume breach includes the path between VMs: virtual network encryption encrypts
            traffic between the VMs of the network (and its peered networks) with DTLS on the
            host, whatever the applications do.)",
        .remediation = R"(
            Set properties.encryption to {"enabled": true, "enforcement": "AllowUnencrypted"} on the
            Microsoft.Network/virtualNetworks resource, on VM sizes that support accelerated
            networking; "DropUnencrypted" once every VM supports it.)",
        .run = unencrypted_networks,
        .reads = {{model::ResourceKind::VirtualNetwork, "/properties/encryption"}},
    });
}

} // namespace ztnet::checks::families
