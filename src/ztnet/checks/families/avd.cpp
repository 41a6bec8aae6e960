// Azure Virtual Desktop checks (ZT-AVD-*): session hosts that need no inbound connection (reverse
// connect) and can send what the service needs, both judged by exact reachability, and host pools
// reached through Private Link without RDP Shortpath going around it.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/exposure_findings.h"
#include "ztnet/checks/families/families.h"
#include "ztnet/exposure/endpoints.h"
#include "ztnet/exposure/services.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::checks::families {
namespace {

using exposure::in_bastion_subnet;
using exposure::same_machine;
using exposure::tcp_to;
using model::kNone;
using reach::ReachEndpoint;
using reach::ServiceSet;
using support::finding_on;
using support::same_word;
using EndpointKind = ReachEndpoint::Kind;

// UDP's protocol number, and the port RDP Shortpath for managed networks listens on.
constexpr std::uint8_t kUdp = 17;
constexpr std::uint16_t kShortpathPort = 3390;

// The session host VM a reachability endpoint is a NIC of, or nullptr.
const model::VirtualMachine* session_host(const model::Estate& estate, const ReachEndpoint& e) {
    if (e.kind != EndpointKind::Nic || e.endpoint.nic == kNone)
        return nullptr;
    const model::VmIndex vm = estate.network_interfaces[e.endpoint.nic].virtual_machine;
    return vm != kNone && !estate.virtual_machines[vm].host_pool.empty() ? &estate.virtual_machines[vm]
                                                                         : nullptr;
}

// What a session host must not accept from `from`: RDP from anywhere but Bastion (reverse connect
// needs no inbound connection; administrators come through Bastion), and RDP Shortpath's UDP from
// the Internet (for managed networks it is meant to come from the clients' own network).
ServiceSet forbidden_from(const model::Estate& estate, const ReachEndpoint& from) {
    if (from.kind == EndpointKind::Bastion || in_bastion_subnet(estate, from))
        return ServiceSet::none();
    ServiceSet rdp = tcp_to(net::PortSet::single(3389));
    if (from.kind != EndpointKind::Internet)
        return rdp;
    return rdp.unite(ServiceSet::of(net::ProtocolSet::single(kUdp), net::PortSet::all(),
                                    net::PortSet::single(kShortpathPort)));
}

std::vector<Finding> inbound_to_session_hosts(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    const auto& endpoints = context.reach.endpoints().endpoints;
    std::vector<Finding> out;
    for (std::uint32_t to = 0; to < endpoints.size(); ++to) {
        const model::VirtualMachine* host = session_host(estate, endpoints[to]);
        if (host == nullptr)
            continue;
        std::set<std::string> sources;
        ServiceSet services;
        std::optional<std::pair<std::uint32_t, reach::Service>> example;
        for (std::uint32_t from = 0; from < endpoints.size(); ++from) {
            if (from == to || same_machine(endpoints[from], endpoints[to]))
                continue;
            const ServiceSet hit =
                context.reach.between(from, to).allowed.intersect(forbidden_from(estate, endpoints[from]));
            if (hit.empty())
                continue;
            sources.insert(endpoints[from].name);
            services = services.unite(hit);
            if (!example)
                example.emplace(from, *hit.example());
        }
        if (sources.empty())
            continue;
        std::vector<std::string> names(sources.begin(), sources.end());
        if (names.size() > 5)
            names.resize(5), names.emplace_back(fmt::format("and {} more", sources.size() - 5));
        Finding f = finding_on(
            *host,
            fmt::format("session host {} accepts {} ({}) from {}: Azure Virtual Desktop "
                        "needs no inbound connection",
                        host->name,
                        services.overlaps(tcp_to(net::PortSet::single(3389))) ? "RDP" : "RDP Shortpath",
                        services.to_string(), fmt::join(names, ", ")),
            endpoints[to].name);
        add_path_evidence(trace(context, example->first, to, example->second), f.evidence);
        out.push_back(std::move(f));
    }
    return out;
}

// ---- ZT-AVD-003: the outbound traffic session hosts need ----

// The service tags Microsoft lists for the traffic a session host must be able to send, all on
// TCP 443: the Azure Virtual Desktop service, Azure Monitor (the agent's diagnostics) and Azure
// Front Door (the agent's and the stack's downloads).
constexpr std::array<std::string_view, 3> kRequiredTags{"WindowsVirtualDesktop", "AzureMonitor",
                                                        "AzureFrontDoor.Frontend"};

bool has_session_hosts(const model::Estate& estate) {
    return std::any_of(estate.virtual_machines.begin(), estate.virtual_machines.end(),
                       [](const model::VirtualMachine& vm) { return !vm.host_pool.empty(); });
}

// A piece of the Internet within `tag` that `from` certainly cannot reach on TCP 443, with the flow
// that shows it; nullopt when every piece is reached or may be (a firewall's FQDN rule decides).
std::optional<std::pair<std::uint32_t, reach::Service>>
blocked_within(const CheckContext& context, std::uint32_t from, const net::AddressSet& tag) {
    const auto& endpoints = context.reach.endpoints().endpoints;
    const ServiceSet https = tcp_to(net::PortSet::single(443));
    for (std::uint32_t to = 0; to < endpoints.size(); ++to) {
        if (endpoints[to].kind != EndpointKind::Internet || !endpoints[to].addresses.overlaps(tag))
            continue;
        const reach::PairReach pair = context.reach.between(from, to);
        const ServiceSet missing = https.subtract(pair.allowed).subtract(pair.undecidable);
        if (std::optional<reach::Service> example = missing.example())
            return std::pair{to, *example};
    }
    return std::nullopt;
}

std::vector<Finding> session_host_egress(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    const auto& endpoints = context.reach.endpoints().endpoints;
    std::vector<Finding> out;
    for (std::uint32_t from = 0; from < endpoints.size(); ++from) {
        const model::VirtualMachine* host = session_host(estate, endpoints[from]);
        if (host == nullptr)
            continue;
        std::vector<std::string> blocked;
        std::optional<std::pair<std::uint32_t, reach::Service>> example;
        for (std::string_view tag : kRequiredTags) {
            const net::AddressSet* addresses = context.engine.tags().find(tag);
            if (addresses == nullptr)
                continue; // the runner says the check is not assessed
            if (auto hit = blocked_within(context, from, *addresses)) {
                blocked.emplace_back(tag);
                if (!example)
                    example = hit;
            }
        }
        if (blocked.empty())
            continue;
        Finding f =
            finding_on(*host,
                       fmt::format("session host {} cannot reach {} on TCP 443: it cannot register with "
                                   "Azure Virtual Desktop or keep its sessions",
                                   host->name, fmt::join(blocked, ", ")),
                       endpoints[from].name);
        add_path_evidence(trace(context, from, example->first, example->second), f.evidence);
        out.push_back(std::move(f));
    }
    return out;
}

// Whether the pool's session hosts talk to the service over the public endpoints.
bool session_hosts_public(const model::HostPool& pool) {
    return same_word(pool.public_network_access, "Enabled") ||
           same_word(pool.public_network_access, "EnabledForSessionHostsOnly");
}

std::vector<Finding> host_pool_private_link(const CheckContext& context) {
    std::vector<Finding> out;
    for (const model::HostPool& pool : context.estate.host_pools) {
        const model::OtherResource& resource = context.estate.others[pool.resource];
        if (session_hosts_public(pool)) {
            Finding f =
                finding_on(resource, fmt::format("host pool {} lets its session hosts reach Azure Virtual "
                                                 "Desktop over the public endpoints",
                                                 resource.name));
            f.evidence.push_back(
                Evidence{fmt::format("{} publicNetworkAccess: {}", resource.name, pool.public_network_access),
                         pool.where,
                         {}});
            out.push_back(std::move(f));
        } else if (same_word(pool.shortpath_with_private_link, "Enabled")) {
            Finding f =
                finding_on(resource, fmt::format("host pool {} requires Private Link, and lets RDP Shortpath "
                                                 "go around it",
                                                 resource.name));
            f.evidence.push_back(
                Evidence{fmt::format("{} publicNetworkAccess: {}, allowRdpShortPathWithPrivateLink: "
                                     "Enabled",
                                     resource.name, pool.public_network_access),
                         pool.where,
                         {}});
            out.push_back(std::move(f));
        }
    }
    return out;
}

} // namespace

void add_avd(std::vector<Check>& out) {
    using P = Principle;
    out.push_back(Check{
        .id = "ZT-AVD-001",
        .title = "Azure Virtual Desktop session hosts accept no inbound RDP",
        .principles = {P::AssumeBreach, P::LeastPrivilege},
        .severity = Severity::High,
        .guidance = "Azure Virtual Desktop: reverse connect, no inbound ports on the session hosts",
        .rationale = R"(
            Session hosts connect out to the Azure Virtual Desktop service, which brings the users'
            sessions back over that connection: they need no inbound port. RDP that reaches them
            from another network (or RDP Shortpath's UDP from the Internet) is a way in that skips
            the service's Entra ID sign-in, conditional access and MFA.)",
        .remediation = R"(
            Remove the NSG rules that admit TCP 3389 to the session hosts' subnet (and UDP 3390 from
            the Internet), keep DenyAllInbound at priority 4096, and administer the hosts through
            Bastion.)",
        .run = inbound_to_session_hosts,
    });
    out.push_back(Check{
        .id = "ZT-AVD-002",
        .title = "Azure Virtual Desktop host pools reached through Private Link",
        .principles = {P::AssumeBreach, P::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Azure Virtual Desktop: Private Link for the session hosts, RDP Shortpath within it",
        .rationale = R"(
            With public network access on, session hosts reach the service's public endpoints and
            their traffic leaves the private network; Private Link keeps it on private addresses,
            where the hub firewall sees it. A pool that requires Private Link but allows RDP
            Shortpath with it lets session traffic take a direct UDP path around it.)",
        .remediation = R"(
            Add a private endpoint for the host pool (and its workspace), set the pool's
            publicNetworkAccess to "Disabled" (or "EnabledForClientsOnly" where users connect from
            the Internet), and leave allowRdpShortPathWithPrivateLink "Disabled".)",
        .run = host_pool_private_link,
    });
    out.push_back(Check{
        .id = "ZT-AVD-003",
        .title = "Azure Virtual Desktop session hosts reach the service",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::High,
        .guidance =
            "Azure Virtual Desktop: the required outbound service tags allowed from the session hosts",
        .rationale = R"(
            Least-privilege egress must still let session hosts reach what the service needs: the
            Azure Virtual Desktop service (WindowsVirtualDesktop), Azure Monitor and Azure Front
            Door on TCP 443. Hardening that blocks them leaves hosts unregistered and users
            without desktops, and tends to be undone in haste.)",
        .remediation = R"(
            Allow TCP 443 outbound from the session hosts' subnet to the service tags
            WindowsVirtualDesktop, AzureMonitor and AzureFrontDoor.Frontend in its NSG (above its
            DenyAllOutbound), and in the hub firewall's policy (network rules on the tags, or the
            WindowsVirtualDesktop FQDN tag).)",
        .run = session_host_egress,
        .needs_tags = {kRequiredTags.begin(), kRequiredTags.end()},
        .judges = has_session_hosts,
    });
}

} // namespace ztnet::checks::families
