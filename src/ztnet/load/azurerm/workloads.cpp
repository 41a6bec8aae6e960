// The azurerm types around the network: VMs and scale sets, storage accounts, flow logs,
// diagnostic settings, roles, Defender plans, and the resources they point at (workspaces,
// identities).
#include <fmt/format.h>

#include "ztnet/load/azurerm/translation.h"
#include "ztnet/model/built_in_roles.h"
#include "ztnet/support/ascii.h"

namespace ztnet::load::azurerm {
namespace {

using Base = IdRecipe::Base;

// ---- Virtual machines and scale sets

bool is_true(const Value* v) {
    return v != nullptr && v->is_bool() && v->as_bool();
}

// The security profile: trusted launch when secure boot or vTPM is on (azurerm sets the security
// type from them), and encryption at host.
Object security_profile(const ResourceInstance& r) {
    Object security;
    put(security, "encryptionAtHost", attr(r, "encryption_at_host_enabled"));
    const Value* boot = attr(r, "secure_boot_enabled");
    const Value* vtpm = attr(r, "vtpm_enabled");
    if (is_true(boot) || is_true(vtpm))
        security.set("securityType", std::string("TrustedLaunch"));
    Object uefi;
    put(uefi, "secureBootEnabled", boot);
    put(uefi, "vTpmEnabled", vtpm);
    if (!uefi.empty())
        security.set("uefiSettings", std::move(uefi));
    return security;
}

// The OS parts: the OS type from the azurerm type, Linux's password authentication, the image.
void os_profile(const ResourceInstance& r, bool linux, Object& p) {
    Object& configuration =
        child(child(p, "osProfile"), linux ? "linuxConfiguration" : "windowsConfiguration");
    if (linux) // azurerm's default: password authentication off
        put_or(configuration, "disablePasswordAuthentication", attr(r, "disable_password_authentication"),
               true);
    // azurerm's defaults are Azure's: ImageDefault on Linux, AutomaticByOS on Windows.
    if (std::optional<Value> mode = given(attr(r, "patch_mode"))) {
        Object& patch = child(configuration, "patchSettings");
        patch.set("patchMode", std::move(*mode));
        put(patch, "assessmentMode", attr(r, "patch_assessment_mode"));
    }
    Object& storage = child(p, "storageProfile");
    child(storage, "osDisk").set("osType", std::string(linux ? "Linux" : "Windows"));
    if (const Value* image = first_block(attr(r, "source_image_reference"))) {
        Object& i = child(storage, "imageReference");
        put(i, "publisher", image->find("publisher"));
        put(i, "offer", image->find("offer"));
        put(i, "sku", image->find("sku"));
        put(i, "version", image->find("version"));
    }
}

void virtual_machine(Translation& t, const ResourceInstance& r, Object& body) {
    const bool linux = r.type == "azurerm_linux_virtual_machine";
    Object& p = properties(body);
    Array nics;
    for (Value& id : t.link_list(r, attr(r, "network_interface_ids"), "network_interface_ids",
                                 "azurerm_network_interface"))
        nics.push_back(id_object(std::move(id)));
    child(p, "networkProfile").set("networkInterfaces", std::move(nics));
    put(child(p, "hardwareProfile"), "vmSize", attr(r, "size"));
    os_profile(r, linux, p);
    p.set("securityProfile", security_profile(r));
    if (std::optional<Value> zone = given(attr(r, "zone")))
        body.set("zones", Array{std::move(*zone)});
}

Array id_objects(Array ids) {
    Array out;
    for (Value& id : ids)
        out.push_back(id_object(std::move(id)));
    return out;
}

void scale_set(Translation& t, const ResourceInstance& r, Object& body) {
    const bool linux = r.type == "azurerm_linux_virtual_machine_scale_set";
    Object& sku = child(body, "sku");
    put(sku, "name", attr(r, "sku"));
    put(sku, "capacity", attr(r, "instances"));
    Object& profile = child(properties(body), "virtualMachineProfile");
    Array configurations;
    for (const Value& nic : blocks(attr(r, "network_interface"))) {
        const std::string top = Translation::in_block(r, "network_interface", nic);
        Object c;
        put(c, "name", nic.find("name"));
        Object& cp = child(c, "properties");
        put(cp, "primary", nic.find("primary"));
        if (Value nsg =
                t.link(r, nic.find("network_security_group_id"), top, {"azurerm_network_security_group"});
            !nsg.is_null())
            cp.set("networkSecurityGroup", id_object(std::move(nsg)));
        put(cp, "enableIPForwarding", nic.find("enable_ip_forwarding"));
        put(cp, "enableAcceleratedNetworking", nic.find("enable_accelerated_networking"));
        Array ip_configurations;
        for (const Value& ip : blocks(nic.find("ip_configuration"))) {
            Object i;
            put(i, "name", ip.find("name"));
            Object& ipp = child(i, "properties");
            put(ipp, "primary", ip.find("primary"));
            if (Value subnet_id = t.link(r, ip.find("subnet_id"), top, {"azurerm_subnet"});
                !subnet_id.is_null())
                ipp.set("subnet", id_object(std::move(subnet_id)));
            if (const Value* pip = first_block(ip.find("public_ip_address"))) {
                Object& pc = child(ipp, "publicIPAddressConfiguration");
                put(pc, "name", pip->find("name"));
            }
            for (const auto& [tf, arm, type] :
                 {std::tuple{"application_security_group_ids", "applicationSecurityGroups",
                             "azurerm_application_security_group"},
                  std::tuple{"load_balancer_backend_address_pool_ids", "loadBalancerBackendAddressPools",
                             "azurerm_lb_backend_address_pool"},
                  std::tuple{"application_gateway_backend_address_pool_ids",
                             "applicationGatewayBackendAddressPools", ""}}) {
                Array ids = t.link_list(r, ip.find(tf), top, type);
                if (!ids.empty())
                    ipp.set(arm, id_objects(std::move(ids)));
            }
            ip_configurations.emplace_back(std::move(i));
        }
        cp.set("ipConfigurations", std::move(ip_configurations));
        configurations.emplace_back(std::move(c));
    }
    child(profile, "networkProfile").set("networkInterfaceConfigurations", std::move(configurations));
    os_profile(r, linux, profile);
    profile.set("securityProfile", security_profile(r));
    put(body, "zones", attr(r, "zones"));
}

// ---- Storage

// azurerm writes the SKU as tier and replication; Azure as one name.
Value storage_sku(const ResourceInstance& r) {
    const Value* tier = attr(r, "account_tier");
    const Value* replication = attr(r, "account_replication_type");
    if ((tier != nullptr && tier->is_unknown()) || (replication != nullptr && replication->is_unknown()))
        return Value::unknown("known only after apply");
    std::optional<std::string> t = known_string(tier);
    std::optional<std::string> rep = known_string(replication);
    if (!t || !rep)
        return Value();
    return Value(*t + "_" + *rep);
}

Object network_acls(Translation& t, const ResourceInstance& r, const Value& rules, std::string_view top) {
    Object acls;
    put(acls, "defaultAction", rules.find("default_action"));
    // azurerm lists the bypasses; Azure joins them: "AzureServices, Logging".
    if (const Value* bypass = rules.find("bypass"); bypass != nullptr && bypass->is_array()) {
        std::string joined;
        for (const Value& b : bypass->as_array())
            if (b.is_string())
                joined += (joined.empty() ? "" : ", ") + b.as_string();
        acls.set("bypass", joined.empty() ? std::string("None") : joined);
    }
    Array ip_rules;
    for (const Value& ip : blocks(rules.find("ip_rules"))) {
        Object o;
        o.set("value", ip);
        o.set("action", std::string("Allow"));
        ip_rules.emplace_back(std::move(o));
    }
    acls.set("ipRules", std::move(ip_rules));
    Array vnet_rules;
    for (Value& id : t.link_list(r, rules.find("virtual_network_subnet_ids"), top, "azurerm_subnet")) {
        Object o;
        o.set("id", std::move(id));
        o.set("action", std::string("Allow"));
        vnet_rules.emplace_back(std::move(o));
    }
    acls.set("virtualNetworkRules", std::move(vnet_rules));
    return acls;
}

void storage_account(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put_or(body, "kind", attr(r, "account_kind"), "StorageV2");
    if (Value sku = storage_sku(r); !sku.is_null())
        child(body, "sku").set("name", std::move(sku));
    // azurerm 4.x's documented defaults for what the plan leaves out.
    put_or(p, "supportsHttpsTrafficOnly",
           either(r, {"https_traffic_only_enabled", "enable_https_traffic_only"}), true);
    put_or(p, "minimumTlsVersion", attr(r, "min_tls_version"), "TLS1_2");
    put_or(p, "allowBlobPublicAccess", attr(r, "allow_nested_items_to_be_public"), true);
    put_or(p, "allowSharedKeyAccess", attr(r, "shared_access_key_enabled"), true);
    p.set("publicNetworkAccess", enabled_text(attr(r, "public_network_access_enabled"), true));
    put(p, "defaultToOAuthAuthentication", attr(r, "default_to_oauth_authentication"));
    put(p, "allowCrossTenantReplication", attr(r, "cross_tenant_replication_enabled"));
    if (const Value* rules = first_block(attr(r, "network_rules")))
        p.set("networkAcls", network_acls(t, r, *rules, "network_rules"));
    else
        child(p, "networkAcls").set("defaultAction", std::string("Allow"));
    Object& encryption = child(p, "encryption");
    encryption.set("keySource", first_block(attr(r, "customer_managed_key")) != nullptr
                                    ? std::string("Microsoft.Keyvault")
                                    : std::string("Microsoft.Storage"));
    put_or(encryption, "requireInfrastructureEncryption", attr(r, "infrastructure_encryption_enabled"),
           false);
}

void storage_network_rules(Translation& t, const ResourceInstance& r, Object&) {
    Value acls = network_acls(t, r, r.values, "virtual_network_subnet_ids");
    t.patch({t.link(r, attr(r, "storage_account_id"), "storage_account_id", {"azurerm_storage_account"}),
             "a storage account's network rules",
             [acls](Object& account) { properties(account).set("networkAcls", acls); }, r.where});
}

// ---- Monitoring

void flow_log(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    // 4.x names the target target_resource_id (a VNet, subnet, NIC or NSG); 3.x, and NSG flow logs,
    // network_security_group_id. An NSG flow log's target_resource_id is computed from the latter.
    Value target = t.link(r, attr(r, "target_resource_id"), "target_resource_id", {});
    if (!target.is_string())
        if (Value nsg = t.link(r, attr(r, "network_security_group_id"), "network_security_group_id",
                               {"azurerm_network_security_group"});
            !nsg.is_null())
            target = std::move(nsg);
    if (!target.is_null())
        p.set("targetResourceId", std::move(target));
    if (Value storage =
            t.link(r, attr(r, "storage_account_id"), "storage_account_id", {"azurerm_storage_account"});
        !storage.is_null())
        p.set("storageId", std::move(storage));
    put_or(p, "enabled", attr(r, "enabled"), false);
    if (const Value* retention = first_block(attr(r, "retention_policy"))) {
        Object& rp = child(p, "retentionPolicy");
        put(rp, "enabled", retention->find("enabled"));
        put(rp, "days", retention->find("days"));
    }
    Object& format = child(p, "format");
    format.set("type", std::string("JSON"));
    put_or(format, "version", attr(r, "version"), 1);
    if (const Value* analytics = first_block(attr(r, "traffic_analytics"))) {
        Object& a = child(child(p, "flowAnalyticsConfiguration"), "networkWatcherFlowAnalyticsConfiguration");
        put(a, "enabled", analytics->find("enabled"));
        put(a, "workspaceId", analytics->find("workspace_id"));
        put(a, "workspaceRegion", analytics->find("workspace_region"));
        if (Value workspace = t.link(r, analytics->find("workspace_resource_id"), "traffic_analytics",
                                     {"azurerm_log_analytics_workspace"});
            !workspace.is_null())
            a.set("workspaceResourceId", std::move(workspace));
        put(a, "trafficAnalyticsInterval", analytics->find("interval_in_minutes"));
    }
}

void diagnostic_setting(Translation& t, const ResourceInstance& r, Object& body) {
    body.erase("location");
    Object& p = properties(body);
    if (Value workspace = t.link(r, attr(r, "log_analytics_workspace_id"), "log_analytics_workspace_id",
                                 {"azurerm_log_analytics_workspace"});
        !workspace.is_null())
        p.set("workspaceId", std::move(workspace));
    if (Value storage =
            t.link(r, attr(r, "storage_account_id"), "storage_account_id", {"azurerm_storage_account"});
        !storage.is_null())
        p.set("storageAccountId", std::move(storage));
    put(p, "logAnalyticsDestinationType", attr(r, "log_analytics_destination_type"));
    Array logs;
    // 4.x: enabled_log blocks; 3.x also `log` blocks with an enabled flag.
    for (std::string_view name : {"enabled_log", "log"})
        for (const Value& block : blocks(attr(r, name))) {
            Object o;
            put(o, "category", block.find("category"));
            put(o, "categoryGroup", block.find("category_group"));
            o.set("enabled",
                  name == "enabled_log" ? Value(true) : given(block.find("enabled")).value_or(true));
            logs.emplace_back(std::move(o));
        }
    p.set("logs", std::move(logs));
    Array metrics;
    for (std::string_view name : {"enabled_metric", "metric"})
        for (const Value& block : blocks(attr(r, name))) {
            Object o;
            put(o, "category", block.find("category"));
            o.set("enabled",
                  name == "enabled_metric" ? Value(true) : given(block.find("enabled")).value_or(true));
            metrics.emplace_back(std::move(o));
        }
    p.set("metrics", std::move(metrics));
}

// ---- Roles

void role_definition(Translation& t, const ResourceInstance& r, Object& body) {
    body.erase("location");
    body.set("name", given(attr(r, "role_definition_id")).value_or(Value(r.address)));
    Object& p = properties(body);
    put(p, "roleName", attr(r, "name"));
    p.set("type", std::string("CustomRole"));
    put(p, "description", attr(r, "description"));
    Array permissions;
    for (const Value& block : blocks(attr(r, "permissions"))) {
        Object o;
        for (const auto& [tf, arm] :
             {std::pair{"actions", "actions"}, std::pair{"not_actions", "notActions"},
              std::pair{"data_actions", "dataActions"}, std::pair{"not_data_actions", "notDataActions"}})
            o.set(arm, given(block.find(tf)).value_or(Value(Array())));
        permissions.emplace_back(std::move(o));
    }
    p.set("permissions", std::move(permissions));
    if (const Value* scopes = attr(r, "assignable_scopes"); scopes != nullptr && !scopes->is_null())
        p.set("assignableScopes", t.link_list(r, scopes, "assignable_scopes", ""));
    else if (std::optional<Value> scope = given(attr(r, "scope")))
        p.set("assignableScopes", Array{std::move(*scope)});
}

void role_assignment(Translation& t, const ResourceInstance& r, Object& body) {
    body.erase("location");
    Object& p = properties(body);
    Value scope = t.link(r, attr(r, "scope"), "scope", {});
    if (!scope.is_null())
        p.set("scope", std::move(scope));
    Value definition =
        t.link(r, attr(r, "role_definition_id"), "role_definition_id", {"azurerm_role_definition"});
    if (!definition.is_string()) // a built-in role by name: its id is the same in every tenant
        if (std::optional<std::string> name = known_string(attr(r, "role_definition_name")))
            if (std::string_view guid = model::built_in_role_guid(*name); !guid.empty())
                definition = Value(fmt::format("/subscriptions/{}/providers/Microsoft.Authorization/"
                                               "roleDefinitions/{}",
                                               t.subscription(), guid));
    if (!definition.is_null())
        p.set("roleDefinitionId", std::move(definition));
    put(p, "principalId", attr(r, "principal_id"));
    put(p, "principalType", attr(r, "principal_type"));
    put(p, "description", attr(r, "description"));
}

// A role definition's azurerm id is "GUID|SCOPE"; Azure's is in role_definition_resource_id.
IdRecipe role_definition_id() {
    IdRecipe recipe{Base::Scope, "scope", {"role_definition_id"}};
    recipe.known_id = "role_definition_resource_id";
    return recipe;
}

// ---- Defender plans and the resources others point at

void pricing(Translation&, const ResourceInstance& r, Object& body) {
    body.erase("location");
    Object& p = properties(body);
    put(p, "pricingTier", attr(r, "tier"));
    put(p, "subPlan", attr(r, "subplan"));
}

void workspace(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    if (std::optional<Value> sku = given(attr(r, "sku")))
        child(p, "sku").set("name", std::move(*sku));
    put(p, "retentionInDays", attr(r, "retention_in_days"));
    p.set("publicNetworkAccessForIngestion", enabled_text(attr(r, "internet_ingestion_enabled"), true));
    p.set("publicNetworkAccessForQuery", enabled_text(attr(r, "internet_query_enabled"), true));
}

} // namespace

void add_workload_types(TypeTable& table) {
    const IdRecipe named;
    for (std::string_view type : {"azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine"})
        table[type] = {"Microsoft.Compute/virtualMachines", named, virtual_machine};
    for (std::string_view type :
         {"azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set"})
        table[type] = {"Microsoft.Compute/virtualMachineScaleSets", named, scale_set};
    table["azurerm_storage_account"] = {"Microsoft.Storage/storageAccounts", named, storage_account};
    table["azurerm_storage_account_network_rules"] = changes_others(storage_network_rules);
    table["azurerm_network_watcher_flow_log"] = {"Microsoft.Network/networkWatchers/flowLogs",
                                                 {Base::ResourceGroup, "", {"network_watcher_name", "name"}},
                                                 flow_log};
    IdRecipe diagnostics{Base::Scope, "target_resource_id"};
    diagnostics.known_id = "";
    table["azurerm_monitor_diagnostic_setting"] = {"Microsoft.Insights/diagnosticSettings", diagnostics,
                                                   diagnostic_setting};
    table["azurerm_role_definition"] = {"Microsoft.Authorization/roleDefinitions", role_definition_id(),
                                        role_definition};
    table["azurerm_role_assignment"] = {
        "Microsoft.Authorization/roleAssignments", {Base::Scope, "scope"}, role_assignment};
    table["azurerm_security_center_subscription_pricing"] = {
        "Microsoft.Security/pricings", {Base::Subscription, "", {"resource_type"}}, pricing};
    table["azurerm_log_analytics_workspace"] = {"Microsoft.OperationalInsights/workspaces", named, workspace};
    table["azurerm_user_assigned_identity"] = {"Microsoft.ManagedIdentity/userAssignedIdentities", named, {}};
}

} // namespace ztnet::load::azurerm
