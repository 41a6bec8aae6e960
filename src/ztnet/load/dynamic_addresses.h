// Dynamic private addresses of network interfaces whose input does not say them (templates).
#pragma once

#include "ztnet/model/estate.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::load {

/// Gives each IPv4 configuration without a known address a free address of its subnet to stand in
/// for the one Azure will assign, when every address condition of the estate (NSG rule prefixes,
/// routes, firewall rules, IP groups, App Gateway pools) treats all of the subnet's free addresses
/// alike: then the verdicts are the same whichever Azure picks. Otherwise the configuration keeps no
/// address and records why (IpConfiguration::address_undecidable). Reports a note per subnet served
/// and a warning per subnet that cannot be.
void assign_dynamic_addresses(model::Estate& estate, Diagnostics& diagnostics);

} // namespace ztnet::load
