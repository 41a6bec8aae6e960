#include "ztnet/model/built_in_roles.h"

#include <array>

#include "ztnet/model/resource_id.h"
#include "ztnet/support/ascii.h"

namespace ztnet::model {
namespace {

struct BuiltInRole {
    std::string_view guid;
    std::string_view name;
};

// Well-known built-in role definition ids, the same in every tenant.
constexpr std::array<BuiltInRole, 5> kBuiltInRoles{{
    {"8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner"},
    {"b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor"},
    {"acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader"},
    {"4d97b98b-1d4f-4787-a291-c67834d212e7", "Network Contributor"},
    {"18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator"},
}};

} // namespace

std::string_view built_in_role_name(std::string_view definition_id) {
    std::string key = id_key(definition_id);
    for (const BuiltInRole& role : kBuiltInRoles) {
        if (key.size() >= role.guid.size() &&
            key.compare(key.size() - role.guid.size(), role.guid.size(), role.guid) == 0)
            return role.name;
    }
    return {};
}

std::string_view built_in_role_guid(std::string_view role_name) {
    for (const BuiltInRole& role : kBuiltInRoles)
        if (ascii::iequals(role.name, role_name))
            return role.guid;
    return {};
}

} // namespace ztnet::model
