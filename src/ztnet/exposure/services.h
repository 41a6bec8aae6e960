// The service sets that exposure queries ask about: TCP to some ports, the management ports, the
// App Gateway v2 infrastructure ports.
#pragma once

#include <cstdint>
#include <string>

#include "ztnet/net/port.h"
#include "ztnet/reach/service_set.h"

namespace ztnet::exposure {

/// TCP's protocol number.
inline constexpr std::uint8_t kTcp = 6;

/// TCP from any source port to `destination_ports`.
reach::ServiceSet tcp_to(const net::PortSet& destination_ports);

/// SSH and RDP: TCP to 22 and 3389.
reach::ServiceSet management_ports();

/// App Gateway v2 infrastructure ports: Azure's control plane talks to the instances there. Azure
/// protects them with its own certificates, so they expose no application even when opened widely.
reach::ServiceSet app_gateway_infrastructure_ports();

/// "SSH", "RDP" or "SSH and RDP" for the management ports in `services`.
std::string management_names(const reach::ServiceSet& services);

} // namespace ztnet::exposure
