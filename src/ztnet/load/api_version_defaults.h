// Azure's defaults for settings a resource leaves out, where the default changed with the API version.
#pragma once

#include <span>
#include <string_view>

namespace ztnet::load {

/// One setting whose default changed: resources deployed with an API version before `since` get
/// `before`, those from `since` on (or with no API version, as in an export) get `from`.
struct ApiVersionDefault {
    std::string_view type;     // ARM type, compared ignoring case
    std::string_view property; // the name under "properties"
    std::string_view since;    // the first API version (YYYY-MM-DD) with the new default
    bool before;
    bool from;
    std::string_view source; // where Azure documents it
};

/// Every row, in one table.
std::span<const ApiVersionDefault> api_version_defaults();

/// The default of `property` for a resource of `type` deployed with `api_version` ("2019-04-01",
/// "2021-06-01-preview"; empty for an export). Precondition: the table has a row for the pair.
bool api_version_default(std::string_view type, std::string_view property, std::string_view api_version);

} // namespace ztnet::load
