// ZT-NET-005: NSG rules that open a management port to the Internet, judged rule by rule. ZT-SEG-001
// proves an exposure by a path to a machine; this check finds the rule itself, whether or not a
// machine stands behind it today (a network template, a rule added to an existing NSG, a path cut
// somewhere else for now). A rule counts only for the flows it decides: those that no earlier rule
// of its NSG matches, so a rule shadowed by an earlier Deny is no finding.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ztnet/checks/check_groups.h"
#include "ztnet/checks/check_support.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/reach/flow_box.h"

namespace ztnet::checks::groups {
namespace {

using model::Index;
using model::kNone;
using support::finding_on;

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
std::vector<bool> proven_by_path(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<bool> proven(estate.network_security_groups.size(), false);
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
        const Index subnet_nsg =
            e.endpoint.subnet != kNone ? estate.subnets[e.endpoint.subnet].network_security_group : kNone;
        const Index nic_nsg = estate.network_interfaces[e.endpoint.nic].network_security_group;
        if ((subnet_nsg == kNone || proven[subnet_nsg]) && (nic_nsg == kNone || proven[nic_nsg]))
            continue; // nothing left to learn from this machine
        bool reached = false;
        for (std::uint32_t from : internet)
            reached = reached || context.reach.between(from, to).allowed.overlaps(interest);
        if (!reached)
            continue;
        for (Index nsg : {subnet_nsg, nic_nsg})
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
    const std::vector<bool> proven = proven_by_path(context);
    for (Index nsg = 0; nsg < estate.network_security_groups.size(); ++nsg) {
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

} // namespace

void add_management_rules(std::vector<Check>& out) {
    using P = Principle;
    out.push_back(Check{
        "ZT-NET-005",
        "No NSG rule opens SSH, RDP or WinRM to the Internet",
        {P::AssumeBreach, P::LeastPrivilege},
        Severity::High,
        "Spoke step 6: no RDP/SSH from the Internet; management only from the hub (Bastion, just-in-time)",
        "An inbound rule that admits SSH, RDP or WinRM from the Internet is the most common exposure on "
        "Azure: any machine placed behind the NSG, now or later, is scanned and brute-forced within "
        "minutes. The rule is judged by the flows it actually decides, after the earlier rules of its "
        "NSG; when a machine behind it is already reachable that way, ZT-SEG-001 reports the proven path "
        "instead.",
        "Delete the rule, or narrow its source to the hub's Bastion subnet or a management jump host's "
        "address, and reach machines through Azure Bastion or just-in-time access.",
        management_rules});
}

} // namespace ztnet::checks::groups
