// RawResource: one Azure resource as a resolved JSON body, whichever input it came from.
// The export reader and the ARM template evaluator both produce these; the estate builder
// consumes them, so both paths give the same model.
#pragma once

#include "ztnet/json/value.h"
#include "ztnet/support/source.h"

namespace ztnet::load {

struct RawResource {
    /// The resource as Azure would return it: "id" (full resource id), "type" (full type, e.g.
    /// "Microsoft.Network/virtualNetworks/subnets"), "name", and where present "location", "sku",
    /// "kind", "tags", "identity", "zones", "properties". Values an ARM template cannot determine
    /// offline are json::Unknown.
    json::Value body;
    /// Where the resource is declared: the template's resource object, or the export's array element.
    SourceLocation where;
};

} // namespace ztnet::load
