// Questions about the endpoints of reachability: what kind of thing an endpoint is, which resource
// stands for it, which tier it belongs to, and which endpoints or equivalence classes are of a kind.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/reach/endpoints.h"
#include "ztnet/reach/reachability.h"

namespace ztnet::exposure {

/// The names, sorted and joined with ", ".
std::string list_names(const std::set<std::string>& names);

/// Whether the endpoint is inside the estate: neither a piece of the Internet nor the platform.
bool is_inside(const reach::ReachEndpoint& e);

/// Where a breached workload can sit: a VM's NIC, or a load balancer frontend that forwards to VMs.
/// App Gateways and Bastion are managed services that run no customer code and answer no SSH/RDP.
bool is_workload(const reach::ReachEndpoint& e);

/// The Bastion host of a Bastion endpoint, or nullptr.
const model::BastionHost* bastion_of(const model::Estate& estate, const reach::ReachEndpoint& e);

/// The resource a finding about this endpoint is attached to: a NIC's VM (or the NIC when it has
/// none), the App Gateway, the load balancer, the Bastion host; nullptr for the Internet,
/// on-premises and the platform.
const model::Resource* endpoint_resource(const model::Estate& estate, const reach::ReachEndpoint& e);

/// Whether two endpoints are one machine: two IP configurations of one VM (or of one NIC), with
/// nothing lateral between them.
bool same_machine(const reach::ReachEndpoint& a, const reach::ReachEndpoint& b);

/// Whether the endpoint sits in an AzureBastionSubnet.
bool in_bastion_subnet(const model::Estate& estate, const reach::ReachEndpoint& e);

/// "vnet-spoke/snet-web": the subnet, named within its virtual network.
std::string subnet_label(const model::Estate& estate, model::SubnetIndex subnet);

/// A tier: a subnet, and for a NIC the ASGs it is in ("vnet-spoke/snet-web [asg-web]"). A load
/// balancer frontend, an App Gateway or a Bastion host belongs to the tier of its subnet.
struct Tier {
    std::string label;
    const model::Resource* resource = nullptr; // the subnet, or the endpoint's own resource
};

/// The tier of an endpoint; one outside every subnet is a tier of its own.
Tier tier_of(const model::Estate& estate, const reach::ReachEndpoint& e);

/// The indices of the endpoints of one kind, in ascending order.
std::vector<std::uint32_t> endpoints_of_kind(const reach::Reachability& reach,
                                             reach::ReachEndpoint::Kind kind);

/// The classes whose members all pass `keep` (kind and subnet are the same across a class, so one
/// member decides).
template <class Keep>
std::vector<std::uint32_t> classes_where(const reach::ClassTable& table, const reach::Reachability& reach,
                                         Keep keep) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t c = 0; c < table.classes(); ++c) {
        if (keep(reach.endpoints().endpoints[table.members()[c].front()]))
            out.push_back(c);
    }
    return out;
}

} // namespace ztnet::exposure
