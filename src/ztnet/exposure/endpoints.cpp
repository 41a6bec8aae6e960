#include "ztnet/exposure/endpoints.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ztnet/model/resource_id.h"

namespace ztnet::exposure {

using model::Index;
using model::kNone;
using reach::ReachEndpoint;
using EndpointKind = ReachEndpoint::Kind;

std::string list_names(const std::set<std::string>& names) {
    return fmt::format("{}", fmt::join(names, ", "));
}

bool is_inside(const ReachEndpoint& e) {
    return e.kind != EndpointKind::Internet && e.kind != EndpointKind::Platform;
}

bool is_workload(const ReachEndpoint& e) {
    return e.kind == EndpointKind::Nic || e.kind == EndpointKind::LoadBalancer;
}

const model::BastionHost* bastion_of(const model::Estate& estate, const ReachEndpoint& e) {
    for (const model::BastionHost& b : estate.bastion_hosts) {
        if (b.subnet == e.endpoint.subnet && b.name == e.name)
            return &b;
    }
    return nullptr;
}

const model::Resource* endpoint_resource(const model::Estate& estate, const ReachEndpoint& e) {
    const route::Endpoint& at = e.endpoint;
    switch (e.kind) {
    case EndpointKind::Nic:
        if (at.virtual_machine != kNone)
            return &estate.virtual_machines[at.virtual_machine];
        return &estate.network_interfaces[at.nic];
    case EndpointKind::ApplicationGateway:
        return &estate.application_gateways[at.application_gateway];
    case EndpointKind::LoadBalancer:
        return &estate.load_balancers[at.load_balancer];
    case EndpointKind::Bastion:
        return bastion_of(estate, e);
    case EndpointKind::PrivateEndpoint:
        return &estate.private_endpoints[at.private_endpoint];
    case EndpointKind::Internet:
    case EndpointKind::OnPremises:
    case EndpointKind::Platform:
        break;
    }
    return nullptr;
}

bool same_machine(const ReachEndpoint& a, const ReachEndpoint& b) {
    if (a.kind != EndpointKind::Nic || b.kind != EndpointKind::Nic)
        return false;
    if (a.endpoint.nic == b.endpoint.nic)
        return true;
    return a.endpoint.virtual_machine != kNone && a.endpoint.virtual_machine == b.endpoint.virtual_machine;
}

bool in_bastion_subnet(const model::Estate& estate, const ReachEndpoint& e) {
    return e.endpoint.subnet != kNone &&
           model::same_id(estate.subnets[e.endpoint.subnet].name, "AzureBastionSubnet");
}

std::string subnet_label(const model::Estate& estate, model::SubnetIndex subnet) {
    const model::Subnet& s = estate.subnets[subnet];
    if (s.virtual_network == kNone)
        return s.name;
    return estate.virtual_networks[s.virtual_network].name + "/" + s.name;
}

Tier tier_of(const model::Estate& estate, const ReachEndpoint& e) {
    if (e.endpoint.subnet == kNone)
        return {e.name, endpoint_resource(estate, e)};
    Tier tier{subnet_label(estate, e.endpoint.subnet), &estate.subnets[e.endpoint.subnet]};
    if (e.kind != EndpointKind::Nic)
        return tier;
    const auto& config =
        estate.network_interfaces[e.endpoint.nic].ip_configurations[e.endpoint.ip_configuration];
    std::set<std::string> asgs;
    for (model::AsgIndex asg : config.application_security_groups)
        asgs.insert(estate.application_security_groups[asg].name);
    if (!asgs.empty())
        tier.label += " [" + list_names(asgs) + "]";
    return tier;
}

std::vector<std::uint32_t> endpoints_of_kind(const reach::Reachability& reach, EndpointKind kind) {
    std::vector<std::uint32_t> out;
    const auto& endpoints = reach.endpoints().endpoints;
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        if (endpoints[i].kind == kind)
            out.push_back(i);
    }
    return out;
}

} // namespace ztnet::exposure
