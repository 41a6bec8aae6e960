// Resource ids as ARM builds them: the resourceId() family of functions, and the helpers the
// template evaluator uses to give each declared resource its id.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/load/arm/evaluator.h"
#include "ztnet/load/arm/functions.h"
#include "ztnet/support/result.h"

namespace ztnet::load::arm {

/// A resource type split at its slashes: "Microsoft.Network/virtualNetworks/subnets" has the
/// namespace "Microsoft.Network" and the types {"virtualNetworks", "subnets"}.
struct ResourceType {
    std::string name_space;
    std::vector<std::string> types;
    /// The type joined again ("Microsoft.Network/virtualNetworks/subnets").
    std::string full() const;
};

/// Splits a resource type. One trailing '/' is tolerated (ARM accepts
/// 'Microsoft.Storage/storageAccounts/'); empty segments and a missing type are errors.
Result<ResourceType> parse_resource_type(std::string_view text);

/// Splits a resource name at its slashes ("vnet/subnet" → {"vnet", "subnet"}).
std::vector<std::string> split_name(std::string_view name);

/// "{namespace}/{type1}/{name1}/{type2}/{name2}…": the part of an id after "/providers/".
/// `names` must hold one name per type.
std::string provider_path(const ResourceType& type, const std::vector<std::string>& names);

/// "/subscriptions/{subscription}".
std::string subscription_scope_id(std::string_view subscription);
/// "/subscriptions/{subscription}/resourceGroups/{group}".
std::string resource_group_scope_id(std::string_view subscription, std::string_view group);
/// The id prefix of resources deployed at this scope: the resource group id, or the subscription id.
std::string scope_id(const ScopeInfo& scope);

/// resourceId([subscriptionId], [resourceGroupName], type, name1, …) at the given scope.
Result<json::Value> resource_id_function(Arguments arguments, const ScopeInfo& scope);
/// subscriptionResourceId([subscriptionId], type, name1, …).
Result<json::Value> subscription_resource_id_function(Arguments arguments, const ScopeInfo& scope);
/// tenantResourceId(type, name1, …).
Result<json::Value> tenant_resource_id_function(Arguments arguments);
/// extensionResourceId(baseResourceId, type, name1, …).
Result<json::Value> extension_resource_id_function(Arguments arguments);
/// managementGroupResourceId([managementGroupName], type, name1, …).
Result<json::Value> management_group_resource_id_function(Arguments arguments);

/// ASCII case-insensitive equality (ARM compares names, types and ids this way).
bool equals_ci(std::string_view a, std::string_view b);
/// ASCII lower case, for case-insensitive map keys.
std::string lower_ascii(std::string_view text);

} // namespace ztnet::load::arm
