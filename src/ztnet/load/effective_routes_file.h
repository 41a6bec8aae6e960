// What BGP taught a subnet, from the output of `az network nic show-effective-route-table` for a
// network interface in it: the one thing about routing an estate cannot tell offline.
#pragma once

#include <string>

#include "ztnet/json/value.h"
#include "ztnet/model/estate.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/source.h"

namespace ztnet::load {

/// Reads the effective route table `root` (the command's JSON: {"value": [...]} or the array) of
/// the network interface `nic` (its name or id) and records, on every subnet the interface has an
/// IP configuration in, the prefixes of the active routes whose source is VirtualNetworkGateway
/// (model::Subnet::learned_prefixes). A route table of another shape, a prefix that is not one, or
/// an interface the estate lacks is an error naming the file and the JSON pointer.
void apply_effective_routes(model::Estate& estate, const std::string& nic, const json::Value& root,
                            FileId file, Diagnostics& diagnostics);

} // namespace ztnet::load
