// Private endpoints. Microsoft Learn, private-link/disable-private-endpoint-network-policy: the
// subnet property privateEndpointNetworkPolicies (Disabled by default, Enabled,
// NetworkSecurityGroupEnabled, RouteTableEnabled) decides whether the subnet's NSG and its
// user-defined routes apply to traffic to the endpoints in it. Each endpoint adds a /32 route to its
// VNet and the VNets peered with it, which wins over broader routes by longest prefix. An endpoint
// never originates connections.
#pragma once

#include "ztnet/model/estate.h"
#include "ztnet/route/path.h"
#include "ztnet/support/result.h"

namespace ztnet::route {

/// Whether the subnet's NSG filters traffic to its private endpoints (Enabled,
/// NetworkSecurityGroupEnabled).
bool nsg_applies_to_private_endpoints(const model::Subnet& subnet);

/// Whether user-defined routes decide traffic to the subnet's private endpoints (Enabled,
/// RouteTableEnabled). Then ztnet adds no /32 route for them, so the routes of the source's subnet
/// decide as for any address of the subnet (the conservative reading: a route to a firewall is
/// followed rather than bypassed).
bool routes_apply_to_private_endpoints(const model::Subnet& subnet);

/// A private endpoint as the end of a question: its first address in its subnet. An error when the
/// input gives it no subnet or no address.
Result<Endpoint> private_endpoint_endpoint(const model::Estate& estate, model::PrivateEndpointIndex endpoint);

} // namespace ztnet::route
