#include "ztnet/route/private_endpoints.h"

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"

namespace ztnet::route {

bool nsg_applies_to_private_endpoints(const model::Subnet& subnet) {
    using P = model::PrivateEndpointPolicies;
    const P policy = subnet.private_endpoint_network_policies;
    return policy == P::Enabled || policy == P::NetworkSecurityGroupEnabled;
}

bool routes_apply_to_private_endpoints(const model::Subnet& subnet) {
    using P = model::PrivateEndpointPolicies;
    const P policy = subnet.private_endpoint_network_policies;
    return policy == P::Enabled || policy == P::RouteTableEnabled;
}

Result<Endpoint> private_endpoint_endpoint(const model::Estate& estate, model::PrivateEndpointIndex index) {
    const model::PrivateEndpoint& pe = estate.private_endpoints[index];
    if (pe.subnet == model::kNone)
        return fail(fmt::format("{}private endpoint {} is in a subnet the input does not hold",
                                kUndecidableEndpoint, pe.name));
    if (pe.private_ips.empty())
        return fail(
            fmt::format("{}the address of private endpoint {} is not known offline (Azure gives it when "
                        "the endpoint is deployed; an export shows it){}",
                        kUndecidableEndpoint, pe.name,
                        pe.address_undecidable.empty() ? "" : ": " + pe.address_undecidable));
    Endpoint e;
    e.kind = Endpoint::Kind::SubnetAddress;
    e.subnet = pe.subnet;
    e.private_endpoint = index;
    e.address = pe.private_ips.front();
    std::string fronts;
    for (const std::string& target : pe.target_resource_ids)
        fronts += (fronts.empty() ? "" : ", ") + model::parse_resource_id(target).name;
    e.label = fmt::format("private endpoint {} ({}{}, subnet {}{})", pe.name, e.address.to_string(),
                          pe.address_stand_in ? " dynamic" : "", estate.subnets[pe.subnet].name,
                          fronts.empty() ? "" : ", for " + fronts);
    return e;
}

} // namespace ztnet::route
