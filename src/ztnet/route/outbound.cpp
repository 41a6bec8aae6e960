#include "ztnet/route/outbound.h"

#include <algorithm>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"

namespace ztnet::route {
namespace {

using model::Index;
using model::kNone;

// A load balancer whose outbound rule covers one of the configuration's backend pools.
const model::LoadBalancer* outbound_rule_for(const model::Estate& estate,
                                             const model::IpConfiguration& config) {
    for (const model::LoadBalancer& lb : estate.load_balancers)
        for (const std::string& pool : lb.outbound_pools)
            for (const std::string& member : config.load_balancer_backend_pools)
                if (model::same_id(pool, member))
                    return &lb;
    return nullptr;
}

} // namespace

OutboundAccess outbound_access(const model::Estate& estate, const Endpoint& from) {
    using Kind = OutboundAccess::Kind;
    if (from.kind != Endpoint::Kind::Nic && from.kind != Endpoint::Kind::SubnetAddress)
        return {Kind::Explicit, "the service's own public address"};
    if (from.nic != kNone && from.ip_configuration != model::kNoPosition) {
        const model::IpConfiguration& config =
            estate.network_interfaces[from.nic].ip_configurations[from.ip_configuration];
        if (config.public_ip != kNone)
            return {Kind::Explicit,
                    fmt::format("public IP {}", estate.public_ip_addresses[config.public_ip].name)};
        if (const model::LoadBalancer* lb = outbound_rule_for(estate, config))
            return {Kind::Explicit, fmt::format("load balancer {}'s outbound rule", lb->name)};
    }
    if (from.subnet == kNone)
        return {Kind::Explicit, "outside every VNet"};
    const model::Subnet& subnet = estate.subnets[from.subnet];
    if (!subnet.nat_gateway.empty())
        return {Kind::Explicit,
                fmt::format("NAT gateway {}", model::parse_resource_id(subnet.nat_gateway).name)};
    if (!subnet.nat_gateway_unknown.empty())
        return {Kind::Unknown, fmt::format("subnet {}: {}", subnet.name, subnet.nat_gateway_unknown)};
    if (subnet.default_outbound_access)
        return {Kind::Default,
                fmt::format("Azure's default outbound access (subnet {} is not private)", subnet.name)};
    return {Kind::None,
            fmt::format("subnet {} is private (defaultOutboundAccess false) and no NAT gateway, public "
                        "IP or load balancer outbound rule gives it a way out",
                        subnet.name)};
}

} // namespace ztnet::route
