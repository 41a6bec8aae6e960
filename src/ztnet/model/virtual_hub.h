// A VNet's connection to a Virtual WAN hub (Azure connects a VNet to one hub at most).
#pragma once

#include "ztnet/model/estate.h"

namespace ztnet::model {

/// The VNet's side of its connection to a Virtual WAN hub of the estate, or nullptr.
inline const Peering* hub_connection(const Estate& estate, VnetIndex vnet) {
    if (vnet == kNone)
        return nullptr;
    for (PeeringIndex p : estate.virtual_networks[vnet].peerings) {
        const Peering& peering = estate.peerings[p];
        if (peering.virtual_hub_connection && peering.remote_virtual_network != kNone &&
            estate.virtual_networks[peering.remote_virtual_network].virtual_hub)
            return &peering;
    }
    return nullptr;
}

/// The hub's own side of a connection (the hubVirtualNetworkConnections resource, where its
/// settings are written), given the VNet's side; nullptr when the input lacks it.
inline const Peering* hub_side(const Estate& estate, const Peering& vnet_side) {
    for (PeeringIndex p : estate.virtual_networks[vnet_side.remote_virtual_network].peerings)
        if (estate.peerings[p].remote_virtual_network == vnet_side.virtual_network)
            return &estate.peerings[p];
    return nullptr;
}

} // namespace ztnet::model
