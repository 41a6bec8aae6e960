// Changes the differential tests make to a generated estate's model: private subnets (some with a
// NAT gateway), and private endpoints under random network policies. Shared by the comparison with
// path tracing and by the Z3 oracle.
#pragma once

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "ztnet/model/estate.h"

namespace ztnet::reach::testing {

/// About half the subnets made private (defaultOutboundAccess false), a third of those with a NAT
/// gateway; returns how many were made private.
inline std::size_t make_private_subnets(model::Estate& estate, std::mt19937_64& random) {
    std::size_t made = 0;
    for (model::Subnet& subnet : estate.subnets) {
        if (random() % 2 == 0)
            continue;
        subnet.default_outbound_access = false;
        ++made;
        if (random() % 3 == 0)
            subnet.nat_gateway =
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng";
    }
    return made;
}

/// A free address near the end of the subnet's first prefix, or nothing.
inline std::optional<net::Address> free_address(const model::Estate& estate, const model::Subnet& subnet) {
    if (subnet.address_prefixes.empty())
        return std::nullopt;
    const net::Prefix& prefix = subnet.address_prefixes.front();
    for (net::u128 v = prefix.last().value() - 1; v > prefix.first().value() + 3; --v) {
        const net::Address a = net::Address::from_value(prefix.family(), v);
        const bool taken = std::any_of(
            estate.network_interfaces.begin(), estate.network_interfaces.end(),
            [&](const model::NetworkInterface& nic) {
                return std::any_of(nic.ip_configurations.begin(), nic.ip_configurations.end(),
                                   [&](const model::IpConfiguration& c) { return c.private_ip == a; });
            });
        if (!taken)
            return a;
    }
    return std::nullopt;
}

/// A private endpoint at a free address in about a third of the subnets, each subnet under a random
/// privateEndpointNetworkPolicies; returns how many were added.
inline std::size_t add_private_endpoints(model::Estate& estate, std::mt19937_64& random) {
    std::size_t added = 0;
    for (model::SubnetIndex s : estate.subnets.indices()) {
        if (random() % 3 != 0)
            continue;
        std::optional<net::Address> address = free_address(estate, estate.subnets[s]);
        if (!address || address->family() != net::Family::V4)
            continue;
        estate.subnets[s].private_endpoint_network_policies = static_cast<model::PrivateEndpointPolicies>(
            random() % model::kPrivateEndpointPoliciesNames.size());
        model::PrivateEndpoint pe;
        pe.name = "pe-" + std::to_string(s.value());
        pe.id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/" + pe.name;
        pe.subnet = s;
        pe.private_ips.push_back(*address);
        estate.private_endpoints.push_back(std::move(pe));
        ++added;
    }
    return added;
}

} // namespace ztnet::reach::testing
