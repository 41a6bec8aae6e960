// How a VM reaches the Internet once its route says "Internet". Microsoft Learn,
// virtual-network/ip-services/default-outbound-access: a VM with no explicit outbound method gets
// Azure's default outbound access, unless its subnet is private (defaultOutboundAccess false); the
// explicit methods are a NAT gateway on the subnet, a public IP on the NIC, a load balancer outbound
// rule for its backend pool, or a route to a firewall or appliance (which leaves the VNet through
// the appliance, not from the VM's subnet).
#pragma once

#include <cstdint>
#include <string>

#include "ztnet/model/estate.h"
#include "ztnet/route/path.h"

namespace ztnet::route {

struct OutboundAccess {
    enum class Kind : std::uint8_t {
        Explicit, // a NAT gateway, a public IP, an outbound rule, or a service with its own address
        Default,  // Azure's default outbound access: no explicit method, the subnet is not private
        None,     // a private subnet and no explicit method: no way to the Internet
        Unknown,  // the input cannot tell (a NAT gateway reference it leaves unknown)
    };
    Kind kind = Kind::Explicit;
    std::string how; // for people: "NAT gateway ng-spoke", "no NAT gateway, public IP or ..."
};

/// How `from` reaches the Internet when it routes there directly (not through an appliance).
OutboundAccess outbound_access(const model::Estate& estate, const Endpoint& from);

} // namespace ztnet::route
