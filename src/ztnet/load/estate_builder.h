// Builds the estate model from resolved resources, whichever input they came from.
#pragma once

#include <vector>

#include "ztnet/load/raw_resource.h"
#include "ztnet/model/estate.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::load {

/// Turns resources (export or evaluated template) into the indexed model. Inline children
/// (subnets, peerings, security rules, routes, ip configurations, rule collection groups) and
/// top-level child resources give the same result. Invalid values, duplicated priorities and
/// dangling references become diagnostics with their place; nothing is guessed.
/// `covered` are the scopes the inputs cover (load/coverage.h): a reference to a resource missing
/// from a scope collected whole is reported as such.
model::Estate build_estate(const std::vector<RawResource>& resources, Diagnostics& diagnostics,
                           std::vector<model::CoveredScope> covered = {});

} // namespace ztnet::load
