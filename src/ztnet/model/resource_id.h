// Azure resource ids: compared case-insensitively, as Azure compares them, and taken apart into
// subscription, resource group, provider type and names.
#pragma once

#include <string>
#include <string_view>

namespace ztnet::model {

/// ASCII lower-case copy: the key under which ids are indexed.
std::string id_key(std::string_view id);

/// True when two ids name the same resource (ASCII case-insensitive; a trailing '/' is ignored).
bool same_id(std::string_view a, std::string_view b);

/// The parts of a resource id that ztnet needs. Empty strings when a part is absent.
struct ResourceIdParts {
    std::string subscription;   // the GUID after /subscriptions/
    std::string resource_group; // the name after /resourceGroups/
    std::string type;           // full type, e.g. "Microsoft.Network/virtualNetworks/subnets"
    std::string name;           // full name, e.g. "vnet-spoke/web"
    std::string parent_id;      // id of the parent resource for a child, else empty
};

/// Splits `id`. Extension resources ("<scope>/providers/Microsoft.Insights/diagnosticSettings/x")
/// report the extension's type and name; their scope is the part before the last "/providers/".
ResourceIdParts parse_resource_id(std::string_view id);

/// The scope an extension resource applies to (everything before its last "/providers/"), or empty.
std::string extension_scope(std::string_view id);

} // namespace ztnet::model
