// The inventory report: what was loaded, as counts per kind (text) or every resource with its
// resolved security-relevant fields (JSON, documented in docs/inventory.md).
#pragma once

#include <string>

#include "ztnet/json/value.h"
#include "ztnet/model/estate.h"

namespace ztnet::report {

/// Every resource, sorted by id (case-insensitive), with its security-relevant fields.
/// References are written as resource ids, so the output does not depend on input order.
json::Value inventory_json(const model::Estate& estate);

/// Counts per kind, one line each, in the model's kind order; kinds with no resources are left out.
std::string inventory_text(const model::Estate& estate);

} // namespace ztnet::report
