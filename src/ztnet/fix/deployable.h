// What a fix to an export means for Azure: the resources it changes, each whole, ready for a PUT
// (an ARM template, a Bicep file, Terraform's azapi provider or `az resource create`).
#pragma once

#include <string>
#include <vector>

#include "ztnet/fix/fix.h"
#include "ztnet/json/value.h"
#include "ztnet/support/result.h"

namespace ztnet::fix {

struct Deployable {
    std::string id;
    std::string type;        ///< full ARM type
    std::string name;        ///< full name ("vnet/subnet" for a child)
    std::string api_version; ///< the version the body is written for
    /// What a PUT takes: location, sku, kind, tags, identity, zones, properties, as the patched
    /// export holds them, without the bookkeeping Azure writes itself (the resource's own id, etags,
    /// provisioningState, resourceGuid) and Resource Graph's `extended` additions.
    json::Value body;
    bool is_new = false;
};

/// The resources the proved fixes add or change in export inputs (templates are fixed by their
/// patched copy), in the order the exports list them. Errors: an export that no longer reads, or a
/// type whose API version ztnet does not know (code `fix-api-version`).
Result<std::vector<Deployable>> deployable_changes(const FixRun& run);

/// The API version ztnet writes a type's body for, or empty when it has none.
std::string_view api_version_for(std::string_view type);

} // namespace ztnet::fix
