#include "ztnet/load/arm/evaluator_scope.h"

#include <initializer_list>
#include <string>
#include <utility>

#include "ztnet/load/arm/evaluator_ids.h"

namespace ztnet::load::arm {
namespace {

json::Value object(std::initializer_list<std::pair<const char*, json::Value>> members) {
    json::Object out;
    for (const auto& [key, value] : members)
        out.set(key, value);
    return json::Value(std::move(out));
}

// A value only Azure knows; `what` names it with its verb ("the tags … are").
json::Value only_in_azure(const std::string& what_is) {
    return json::Value::unknown(what_is + " only known in Azure");
}

} // namespace

json::Value resource_group_object(const ScopeInfo& scope) {
    return object({
        {"id", resource_group_scope_id(scope.subscription_id, scope.resource_group)},
        {"name", scope.resource_group},
        {"type", "Microsoft.Resources/resourceGroups"},
        {"location", scope.location},
        {"tags", only_in_azure("the tags of resource group '" + scope.resource_group + "' are")},
        {"properties", object({{"provisioningState", "Succeeded"}})},
    });
}

json::Value subscription_object(const ScopeInfo& scope) {
    return object({
        {"id", subscription_scope_id(scope.subscription_id)},
        {"subscriptionId", scope.subscription_id},
        {"tenantId", scope.tenant_id},
        {"displayName", only_in_azure("the subscription's display name is")},
    });
}

json::Value tenant_object(const ScopeInfo& scope) {
    return object({
        {"countryCode", only_in_azure("the tenant's country code is")},
        {"displayName", only_in_azure("the tenant's display name is")},
        {"id", "/tenants/" + scope.tenant_id},
        {"tenantId", scope.tenant_id},
    });
}

json::Value deployment_object(const ScopeInfo& scope) {
    json::Value template_copy =
        scope.template_root != nullptr ? *scope.template_root : json::Value(json::Object());
    json::Object properties;
    properties.set("template", std::move(template_copy));
    properties.set("templateHash", only_in_azure("the template hash is"));
    // Whether the template was deployed from a URI (and which) depends on how it is deployed.
    properties.set(
        "templateLink",
        json::Value::unknown("the template link exists only when the template is deployed from a URI"));
    properties.set("parameters", only_in_azure("the deployment's parameter record is"));
    properties.set("mode", "Incremental");
    properties.set("provisioningState", "Accepted");
    json::Object out;
    out.set("name", scope.deployment_name);
    if (scope.level == ScopeLevel::Subscription)
        out.set("location", scope.location);
    out.set("properties", json::Value(std::move(properties)));
    return json::Value(std::move(out));
}

json::Value environment_object() {
    json::Array audiences{"https://management.core.windows.net/", "https://management.azure.com/"};
    return object({
        {"name", "AzureCloud"},
        {"gallery", "https://gallery.azure.com/"},
        {"graph", "https://graph.windows.net/"},
        {"portal", "https://portal.azure.com"},
        {"graphAudience", "https://graph.windows.net/"},
        {"activeDirectoryDataLake", "https://datalake.azure.net/"},
        {"batch", "https://batch.core.windows.net/"},
        {"media", "https://rest.media.azure.net"},
        {"sqlManagement", "https://management.core.windows.net:8443/"},
        {"vmImageAliasDoc", "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/"
                            "quickstart-templates/"
                            "aliases.json"},
        {"resourceManager", "https://management.azure.com/"},
        {"authentication", object({
                               {"loginEndpoint", "https://login.microsoftonline.com/"},
                               {"audiences", json::Value(std::move(audiences))},
                               {"tenant", "common"},
                               {"identityProvider", "AAD"},
                           })},
        {"suffixes", object({
                         {"acrLoginServer", ".azurecr.io"},
                         {"azureDatalakeAnalyticsCatalogAndJob", "azuredatalakeanalytics.net"},
                         {"azureDatalakeStoreFileSystem", "azuredatalakestore.net"},
                         {"azureFrontDoorEndpointSuffix", "azurefd.net"},
                         {"keyvaultDns", ".vault.azure.net"},
                         {"sqlServerHostname", ".database.windows.net"},
                         {"storage", "core.windows.net"},
                     })},
    });
}

} // namespace ztnet::load::arm
