// The objects the scope functions return (resourceGroup(), subscription(), tenant(), deployment(),
// environment()), in the shapes ARM documents. What only Azure knows (display names, tags, the
// template hash) is Unknown.
#pragma once

#include "ztnet/json/value.h"
#include "ztnet/load/arm/evaluator.h"

namespace ztnet::load::arm {

/// {id, name, type, location, tags, properties: {provisioningState}} of the scope's resource group.
json::Value resource_group_object(const ScopeInfo& scope);
/// {id, subscriptionId, tenantId, displayName}.
json::Value subscription_object(const ScopeInfo& scope);
/// {countryCode, displayName, id, tenantId}.
json::Value tenant_object(const ScopeInfo& scope);
/// {name, [location], properties: {template, templateHash, templateLink, parameters, mode,
/// provisioningState}}.
json::Value deployment_object(const ScopeInfo& scope);
/// The public Azure cloud (AzureCloud): endpoints, authentication and DNS suffixes.
json::Value environment_object();

} // namespace ztnet::load::arm
