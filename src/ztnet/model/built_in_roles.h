// Azure's well-known built-in roles: their definition GUIDs are the same in every tenant, so an
// assignment can be read by role whether it names the role by id (ARM, exports) or by name
// (Terraform's role_definition_name).
#pragma once

#include <string_view>

namespace ztnet::model {

/// The name of the built-in role whose definition id ends in its GUID; empty when it is not one of
/// the well-known roles.
std::string_view built_in_role_name(std::string_view definition_id);

/// The GUID of a well-known built-in role, by its name (case-insensitive); empty when unknown.
std::string_view built_in_role_guid(std::string_view role_name);

} // namespace ztnet::model
