// Resolving what a user names (a VM, a NIC, an address, Internet, a tag) to a concrete endpoint.
#include <algorithm>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/route/path.h"
#include "ztnet/route/private_endpoints.h"
#include "ztnet/support/ascii.h"

namespace ztnet::route {
namespace {

using model::Index;
using model::kNone;

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            bool same = ascii::to_lower(a[i - 1]) == ascii::to_lower(b[j - 1]);
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The subnet whose prefixes hold `address`, or kNone.
model::SubnetIndex subnet_of(const model::Estate& estate, net::Address address) {
    for (model::SubnetIndex s : estate.subnets.indices()) {
        for (const net::Prefix& p : estate.subnets[s].address_prefixes) {
            if (p.contains(address))
                return s;
        }
    }
    return kNone;
}

// One NIC IP configuration as an endpoint, its address and label still to fill.
Endpoint nic_at(const model::Estate& estate, model::NicIndex nic, Index config) {
    const model::NetworkInterface& n = estate.network_interfaces[nic];
    Endpoint e;
    e.kind = Endpoint::Kind::Nic;
    e.nic = nic;
    e.ip_configuration = config;
    e.subnet = n.ip_configurations[config].subnet;
    e.virtual_machine = n.virtual_machine;
    return e;
}

// A NIC whose address Azure picks among candidates the rules tell apart: the first stands for it,
// the others are alternatives every trace follows too.
Endpoint candidates_endpoint(const model::Estate& estate, model::NicIndex nic, Index config,
                             std::string label) {
    const model::NetworkInterface& n = estate.network_interfaces[nic];
    const model::IpConfiguration& c = n.ip_configurations[config];
    Endpoint e = nic_at(estate, nic, config);
    e.address = c.candidate_ips.front();
    e.alternatives.assign(c.candidate_ips.begin() + 1, c.candidate_ips.end());
    std::string addresses;
    for (const net::Address& a : c.candidate_ips)
        addresses += (addresses.empty() ? "" : " or ") + a.to_string();
    e.label = fmt::format("{} ({}, dynamic: {}, subnet {})", label, n.name, addresses,
                          estate.subnets[c.subnet].name);
    e.representative = fmt::format("the address Azure gives it when deployed: {}; each candidate stands for "
                                   "one piece of the subnet's free addresses that the rules treat alike",
                                   c.candidates_reason);
    return e;
}

} // namespace

Result<Endpoint> nic_endpoint(const model::Estate& estate, model::NicIndex nic, Index config,
                              std::string label) {
    const model::NetworkInterface& n = estate.network_interfaces[nic];
    if (n.ip_configurations.empty())
        return fail(fmt::format("network interface {} has no IP configuration", n.name));
    const model::IpConfiguration& c = n.ip_configurations[config];
    if (!c.private_ip && !c.candidate_ips.empty())
        return candidates_endpoint(estate, nic, config, std::move(label));
    if (!c.private_ip && !c.address_undecidable.empty())
        return fail(fmt::format("{}the private IP address of network interface {} is not known offline: {}",
                                kUndecidableEndpoint, n.name, c.address_undecidable));
    if (!c.private_ip)
        return fail(
            fmt::format("network interface {} has no known private IP address (a template with dynamic "
                        "allocation cannot know it; use an export, or name the address)",
                        n.name));
    Endpoint e = nic_at(estate, nic, config);
    e.address = *c.private_ip;
    std::string subnet = c.subnet == kNone ? "no subnet" : "subnet " + estate.subnets[c.subnet].name;
    // A stand-in for a dynamic address says so: the verdicts hold for any free address of the subnet.
    std::string address = c.private_ip->to_string() + (c.address_stand_in ? " dynamic" : "");
    e.label = fmt::format("{} ({}, {}, {})", label, n.name, address, subnet);
    return e;
}

namespace {

Index primary_config(const model::NetworkInterface& n) {
    for (Index i = 0; i < n.ip_configurations.size(); ++i) {
        if (n.ip_configurations[i].primary)
            return i;
    }
    return 0;
}

// An Internet address that no NSG rule names explicitly, so that it stands for "any Internet
// address" in every rule (a rule either covers all of them or none).
net::Address representative_internet_address(const model::Estate& estate) {
    net::AddressSet named;
    for (const auto& nsg : estate.network_security_groups) {
        for (const auto& rule : nsg.rules) {
            for (const auto* side : {&rule.source, &rule.destination}) {
                for (const auto& a : side->addresses) {
                    if (a.kind == model::AddressEntry::Kind::Prefix)
                        named = named.unite(net::AddressSet::from(a.prefix));
                }
            }
        }
    }
    auto free = policy::internet_addresses().subtract(named).first();
    return free ? *free : net::Address::v4(0x01000000);
}

} // namespace

Result<Endpoint> app_gateway_endpoint(const model::Estate& estate, model::AppGatewayIndex g) {
    const model::ApplicationGateway& gw = estate.application_gateways[g];
    if (gw.subnets.empty())
        return fail(fmt::format("application gateway {} has no subnet", gw.name));
    Endpoint e;
    e.kind = Endpoint::Kind::ApplicationGateway;
    e.application_gateway = g;
    e.subnet = gw.subnets[0];
    const model::Subnet& subnet = estate.subnets[e.subnet];
    for (const auto& f : gw.frontends) {
        if (f.private_ip && e.address == net::Address())
            e.address = *f.private_ip;
        if (f.public_ip != kNone && e.public_ip == kNone)
            e.public_ip = f.public_ip;
    }
    if (e.address == net::Address()) {
        if (subnet.address_prefixes.empty())
            return fail(fmt::format("subnet {} of application gateway {} has no address prefix", subnet.name,
                                    gw.name));
        // Azure reserves the first four addresses of a subnet; instances take addresses after them.
        const net::Prefix& p = subnet.address_prefixes[0];
        e.address = net::Address::from_value(p.family(), p.network().value() + 4);
        e.representative = fmt::format("an instance address of subnet {} (no private frontend is configured; "
                                       "the NSGs treat every instance address alike unless a rule names one)",
                                       subnet.name);
    }
    e.label =
        fmt::format("application gateway {} ({}, subnet {})", gw.name, e.address.to_string(), subnet.name);
    return e;
}

Result<Endpoint> load_balancer_endpoint(const model::Estate& estate, model::LoadBalancerIndex l) {
    const model::LoadBalancer& lb = estate.load_balancers[l];
    Endpoint e;
    e.kind = Endpoint::Kind::LoadBalancer;
    e.load_balancer = l;
    for (const auto& f : lb.frontends) {
        if (f.private_ip) {
            e.address = *f.private_ip;
            e.subnet = f.subnet;
            break;
        }
        if (f.public_ip != kNone && estate.public_ip_addresses[f.public_ip].ip_address) {
            e.address = *estate.public_ip_addresses[f.public_ip].ip_address;
            e.public_ip = f.public_ip;
            break;
        }
    }
    if (e.address == net::Address())
        return fail(fmt::format("load balancer {} has no frontend with a known address", lb.name));
    e.label = fmt::format("load balancer {} (frontend {})", lb.name, e.address.to_string());
    return e;
}

namespace {

Result<Endpoint> by_address(const model::Estate& estate, net::Address address) {
    for (model::NicIndex n : estate.network_interfaces.indices()) {
        const auto& nic = estate.network_interfaces[n];
        for (Index c = 0; c < nic.ip_configurations.size(); ++c) {
            const auto& config = nic.ip_configurations[c];
            bool is_private = config.private_ip && *config.private_ip == address;
            bool is_public = config.public_ip != kNone &&
                             estate.public_ip_addresses[config.public_ip].ip_address == address;
            if (!is_private && !is_public)
                continue;
            std::string label =
                nic.virtual_machine != kNone ? estate.virtual_machines[nic.virtual_machine].name : nic.name;
            auto e = nic_endpoint(estate, n, c, label);
            if (e && is_public)
                e->public_ip = config.public_ip;
            return e;
        }
    }
    for (model::AppGatewayIndex g : estate.application_gateways.indices()) {
        for (const auto& f : estate.application_gateways[g].frontends) {
            if (f.private_ip == address)
                return app_gateway_endpoint(estate, g);
        }
    }
    for (model::LoadBalancerIndex l : estate.load_balancers.indices()) {
        for (const auto& f : estate.load_balancers[l].frontends) {
            if (f.private_ip == address)
                return load_balancer_endpoint(estate, l);
        }
    }
    for (model::PrivateEndpointIndex p : estate.private_endpoints.indices()) {
        const auto& ips = estate.private_endpoints[p].private_ips;
        if (std::find(ips.begin(), ips.end(), address) != ips.end())
            return private_endpoint_endpoint(estate, p);
    }
    Endpoint e;
    e.address = address;
    e.subnet = subnet_of(estate, address);
    if (e.subnet != kNone) {
        e.kind = Endpoint::Kind::SubnetAddress;
        e.label = fmt::format("{} (in subnet {}, no NIC holds it)", address.to_string(),
                              estate.subnets[e.subnet].name);
    } else {
        e.kind = Endpoint::Kind::External;
        bool internet = policy::internet_addresses().contains(address);
        e.label = fmt::format("{} ({})", address.to_string(),
                              address == policy::azure_platform_address()
                                  ? "the platform: DNS, DHCP, the host agent, health probes"
                              : address == policy::azure_metadata_address() ? "the Instance Metadata Service"
                              : internet                                    ? "Internet"
                                                                            : "outside every loaded VNet");
    }
    return e;
}

} // namespace

Result<Endpoint> resolve_endpoint(const model::Estate& estate, const policy::ServiceTags& tags,
                                  std::string_view text) {
    if (ascii::iequals(text, "Internet")) {
        Endpoint e;
        e.address = representative_internet_address(estate);
        e.label = "Internet";
        e.representative = "an Internet address that no rule names";
        return e;
    }
    if (auto address = net::Address::parse(text))
        return by_address(estate, *address);
    std::string_view tag = policy::canonical_tag_name(text);
    if (ascii::iequals(tag, "AzureLoadBalancer")) {
        Endpoint e;
        e.address = policy::azure_platform_address();
        e.label = "AzureLoadBalancer (the platform's health probes)";
        return e;
    }
    for (model::VmIndex v : estate.virtual_machines.indices()) {
        const auto& vm = estate.virtual_machines[v];
        if (!ascii::iequals(vm.name, text) && !model::same_id(vm.id, text))
            continue;
        if (vm.network_interfaces.empty())
            return fail(fmt::format("virtual machine {} has no network interface", vm.name));
        model::NicIndex nic = vm.network_interfaces[0];
        return nic_endpoint(estate, nic, primary_config(estate.network_interfaces[nic]), vm.name);
    }
    for (model::NicIndex n : estate.network_interfaces.indices()) {
        const auto& nic = estate.network_interfaces[n];
        if (ascii::iequals(nic.name, text) || model::same_id(nic.id, text))
            return nic_endpoint(estate, n, primary_config(nic), nic.name);
    }
    for (model::AppGatewayIndex g : estate.application_gateways.indices()) {
        const auto& gw = estate.application_gateways[g];
        if (ascii::iequals(gw.name, text) || model::same_id(gw.id, text))
            return app_gateway_endpoint(estate, g);
    }
    for (model::LoadBalancerIndex l : estate.load_balancers.indices()) {
        const auto& lb = estate.load_balancers[l];
        if (ascii::iequals(lb.name, text) || model::same_id(lb.id, text))
            return load_balancer_endpoint(estate, l);
    }
    for (model::PrivateEndpointIndex p : estate.private_endpoints.indices()) {
        const auto& pe = estate.private_endpoints[p];
        if (ascii::iequals(pe.name, text) || model::same_id(pe.id, text))
            return private_endpoint_endpoint(estate, p);
    }
    // A PaaS service is reached, inside the network, through the private endpoint that fronts it.
    for (const model::PaasService& service : estate.paas_services) {
        if (!ascii::iequals(service.name, text) && !model::same_id(service.id, text))
            continue;
        if (service.private_endpoints.empty())
            return fail(
                fmt::format("{} {} has no private endpoint in the estate: name its public endpoint by "
                            "its service tag or address",
                            model::service_label(service.service), service.name));
        Result<Endpoint> e = private_endpoint_endpoint(estate, service.private_endpoints.front());
        if (e)
            e->label = fmt::format("{} through {}", service.name, e->label);
        return e;
    }
    if (const net::AddressSet* set = tags.find(tag)) {
        auto first = set->first();
        if (!first)
            return fail(fmt::format("service tag {} has no addresses", tag));
        Endpoint e;
        e.address = *first;
        e.label = std::string(tag);
        e.representative = fmt::format("the first address of service tag {}", tag);
        return e;
    }
    // Unknown: suggest the closest names.
    std::vector<std::pair<std::size_t, std::string>> candidates;
    auto consider = [&](const std::string& name) {
        candidates.emplace_back(edit_distance(text, name), name);
    };
    consider("Internet");
    for (const auto& r : estate.virtual_machines)
        consider(r.name);
    for (const auto& r : estate.network_interfaces)
        consider(r.name);
    for (const auto& r : estate.application_gateways)
        consider(r.name);
    for (const auto& r : estate.load_balancers)
        consider(r.name);
    for (const auto& r : estate.private_endpoints)
        consider(r.name);
    for (const auto& r : estate.paas_services)
        consider(r.name);
    std::sort(candidates.begin(), candidates.end());
    std::string closest;
    for (std::size_t i = 0; i < candidates.size() && i < 3; ++i)
        closest += (i ? ", " : "") + candidates[i].second;
    return fail(fmt::format("unknown endpoint '{}': expected a VM, NIC, application gateway, load balancer, "
                            "private endpoint or PaaS service name, "
                            "an IP address, Internet or a service tag; closest names: {}",
                            text, closest));
}

} // namespace ztnet::route
