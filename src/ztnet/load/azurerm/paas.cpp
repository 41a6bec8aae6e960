// The PaaS services' azurerm types: Key Vaults, SQL servers and their firewall rules, App Service
// apps, AKS clusters. Defaults are azurerm's, which it sends to Azure when the plan leaves them out.
#include <fmt/format.h>

#include "ztnet/load/azurerm/translation.h"

namespace ztnet::load::azurerm {
namespace {

using Base = IdRecipe::Base;

void key_vault(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "tenantId", attr(r, "tenant_id"));
    if (std::optional<Value> sku = given(attr(r, "sku_name"))) {
        Object& s = child(p, "sku");
        s.set("family", std::string("A"));
        s.set("name", std::move(*sku));
    }
    p.set("publicNetworkAccess", enabled_text(attr(r, "public_network_access_enabled"), true));
    put_or(p, "enablePurgeProtection", attr(r, "purge_protection_enabled"), false);
    put_or(p, "enableRbacAuthorization",
           either(r, {"rbac_authorization_enabled", "enable_rbac_authorization"}), false);
    put(p, "softDeleteRetentionInDays", attr(r, "soft_delete_retention_days"));
    if (const Value* acls = first_block(attr(r, "network_acls"))) {
        Object& a = child(p, "networkAcls");
        put(a, "defaultAction", acls->find("default_action"));
        put(a, "bypass", acls->find("bypass"));
        Array ip_rules;
        for (const Value& ip : blocks(acls->find("ip_rules"))) {
            Object o;
            o.set("value", ip);
            ip_rules.emplace_back(std::move(o));
        }
        a.set("ipRules", std::move(ip_rules));
        Array vnet_rules;
        for (Value& id :
             t.link_list(r, acls->find("virtual_network_subnet_ids"), "network_acls", "azurerm_subnet")) {
            Object o;
            o.set("id", std::move(id));
            vnet_rules.emplace_back(std::move(o));
        }
        a.set("virtualNetworkRules", std::move(vnet_rules));
    }
}

void sql_server(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "version", attr(r, "version"));
    p.set("publicNetworkAccess", enabled_text(attr(r, "public_network_access_enabled"), true));
    put_or(p, "minimalTlsVersion", attr(r, "minimum_tls_version"), "1.2");
    if (const Value* admin = first_block(attr(r, "azuread_administrator"))) {
        Object& a = child(p, "administrators");
        put(a, "login", admin->find("login_username"));
        put(a, "sid", admin->find("object_id"));
        put_or(a, "azureADOnlyAuthentication", admin->find("azuread_authentication_only"), false);
    }
}

void sql_firewall_rule(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "startIpAddress", attr(r, "start_ip_address"));
    put(p, "endIpAddress", attr(r, "end_ip_address"));
}

void web_app(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put_or(p, "httpsOnly", attr(r, "https_only"), false);
    p.set("publicNetworkAccess", enabled_text(attr(r, "public_network_access_enabled"), true));
    if (Value subnet =
            t.link(r, attr(r, "virtual_network_subnet_id"), "virtual_network_subnet_id", {"azurerm_subnet"});
        !subnet.is_null())
        p.set("virtualNetworkSubnetId", std::move(subnet));
    const Value* config = first_block(attr(r, "site_config"));
    if (config == nullptr)
        return;
    Object& c = child(p, "siteConfig");
    put_or(c, "minTlsVersion", config->find("minimum_tls_version"), "1.2");
    put_or(c, "ipSecurityRestrictionsDefaultAction", config->find("ip_restriction_default_action"), "Allow");
    Array restrictions;
    for (const Value& rule : blocks(config->find("ip_restriction"))) {
        Object o;
        put(o, "name", rule.find("name"));
        put(o, "priority", rule.find("priority"));
        put_or(o, "action", rule.find("action"), "Allow");
        if (std::optional<Value> tag = given(rule.find("service_tag"))) {
            o.set("ipAddress", std::move(*tag));
            o.set("tag", std::string("ServiceTag"));
        } else {
            put(o, "ipAddress", rule.find("ip_address"));
        }
        if (Value subnet =
                t.link(r, rule.find("virtual_network_subnet_id"), "site_config", {"azurerm_subnet"});
            !subnet.is_null())
            o.set("vnetSubnetResourceId", std::move(subnet));
        restrictions.emplace_back(std::move(o));
    }
    c.set("ipSecurityRestrictions", std::move(restrictions));
}

void kubernetes(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    Object& api = child(p, "apiServerAccessProfile");
    put_or(api, "enablePrivateCluster", attr(r, "private_cluster_enabled"), false);
    // 4.x: api_server_access_profile.authorized_ip_ranges; 3.x: api_server_authorized_ip_ranges.
    if (const Value* profile = first_block(attr(r, "api_server_access_profile")))
        put(api, "authorizedIPRanges", profile->find("authorized_ip_ranges"));
    else
        put(api, "authorizedIPRanges", attr(r, "api_server_authorized_ip_ranges"));
    if (const Value* network = first_block(attr(r, "network_profile"))) {
        Object& n = child(p, "networkProfile");
        put(n, "networkPlugin", network->find("network_plugin"));
        put(n, "networkPolicy", network->find("network_policy"));
    }
    put_or(p, "disableLocalAccounts", attr(r, "local_account_disabled"), false);
    put(p, "enableRBAC", attr(r, "role_based_access_control_enabled"));
}

} // namespace

void add_paas_types(TypeTable& table) {
    const IdRecipe named;
    table["azurerm_key_vault"] = {"Microsoft.KeyVault/vaults", named, key_vault};
    table["azurerm_mssql_server"] = {"Microsoft.Sql/servers", named, sql_server};
    table["azurerm_mssql_firewall_rule"] = {
        "Microsoft.Sql/servers/firewallRules", {Base::Parent, "server_id"}, sql_firewall_rule};
    for (std::string_view type : {"azurerm_linux_web_app", "azurerm_windows_web_app"})
        table[type] = {"Microsoft.Web/sites", named, web_app};
    table["azurerm_kubernetes_cluster"] = {"Microsoft.ContainerService/managedClusters", named, kubernetes};
}

} // namespace ztnet::load::azurerm
