// The PaaS services' azurerm types: Key Vaults, SQL servers and their firewall rules, App Service
// apps, AKS clusters, Cosmos DB accounts, container registries, Event Hubs and Service Bus
// namespaces, PostgreSQL and MySQL flexible servers with their firewall rules and parameters. Defaults are
// azurerm's, which it sends to Azure when the plan leaves them out.
#include <fmt/format.h>

#include "ztnet/load/azurerm/translation.h"
#include "ztnet/support/ascii.h"

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
    put_or(c, "vnetRouteAllEnabled", config->find("vnet_route_all_enabled"), false);
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

// 4.x writes ip_range_filter as a set of strings, 3.x as one comma-separated string.
void cosmos_account(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    p.set("databaseAccountOfferType", std::string("Standard"));
    p.set("publicNetworkAccess", enabled_text(attr(r, "public_network_access_enabled"), true));
    Array ip_rules;
    const Value* filter = attr(r, "ip_range_filter");
    const auto add = [&](const Value& range) {
        Object o;
        o.set("ipAddressOrRange", range);
        ip_rules.emplace_back(std::move(o));
    };
    if (std::optional<std::string> text =
            filter != nullptr && filter->is_string() ? known_string(filter) : std::nullopt) {
        for (std::string_view part : ascii::split_list(*text))
            add(Value(std::string(part)));
    } else if (filter != nullptr && filter->is_unknown()) {
        p.set("ipRules", *filter);
    } else {
        for (const Value& range : blocks(filter))
            add(range);
    }
    if (filter == nullptr || !filter->is_unknown())
        p.set("ipRules", std::move(ip_rules));
    put_or(p, "isVirtualNetworkFilterEnabled", attr(r, "is_virtual_network_filter_enabled"), false);
    put_or(p, "minimalTlsVersion", attr(r, "minimal_tls_version"), "Tls12");
    put_or(p, "disableLocalAuth", attr(r, "local_authentication_disabled"), false);
}

void container_registry(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    if (std::optional<Value> sku = given(attr(r, "sku")))
        child(body, "sku").set("name", std::move(*sku));
    p.set("publicNetworkAccess", enabled_text(attr(r, "public_network_access_enabled"), true));
    put_or(p, "adminUserEnabled", attr(r, "admin_enabled"), false);
    if (const Value* rules = first_block(attr(r, "network_rule_set"))) {
        Object& n = child(p, "networkRuleSet");
        put_or(n, "defaultAction", rules->find("default_action"), "Allow");
        Array ip_rules;
        for (const Value& rule : blocks(rules->find("ip_rule"))) {
            Object o;
            put_or(o, "action", rule.find("action"), "Allow");
            put(o, "value", rule.find("ip_range"));
            ip_rules.emplace_back(std::move(o));
        }
        n.set("ipRules", std::move(ip_rules));
    }
}

// A "local authentication enabled" attribute (default true) as ARM's disableLocalAuth.
void disable_local_auth(Object& p, const Value* enabled) {
    if (enabled != nullptr && enabled->is_unknown())
        p.set("disableLocalAuth", *enabled);
    else if (enabled != nullptr && enabled->is_bool())
        p.set("disableLocalAuth", !enabled->as_bool());
    else
        p.set("disableLocalAuth", false);
}

// Event Hubs' network_rulesets and Service Bus' network_rule_set are ARM's networkRuleSets/default
// child; their IP rules are blocks (ip_mask, action) or, for Service Bus, a list of ranges.
void namespace_rules(Translation& t, const ResourceInstance& r, const Object& parent,
                     std::string_view block) {
    const Value* rules = first_block(attr(r, block));
    if (rules == nullptr)
        return;
    Object rule_set;
    const Value* parent_id = parent.find("id");
    if (parent_id != nullptr && parent_id->is_string())
        rule_set.set("id", parent_id->as_string() + "/networkRuleSets/default");
    else
        rule_set.set("id", Value::unknown("known only after apply"));
    const Value* type = parent.find("type");
    rule_set.set("type", (type != nullptr && type->is_string() ? type->as_string() : std::string()) +
                             "/networkRuleSets");
    rule_set.set("name", std::string("default"));
    Object& p = properties(rule_set);
    put_or(p, "defaultAction", rules->find("default_action"), "Allow");
    p.set("publicNetworkAccess", enabled_text(rules->find("public_network_access_enabled"), true));
    put(p, "trustedServiceAccessEnabled", rules->find("trusted_service_access_enabled"));
    Array ip_rules;
    for (const Value& rule : blocks(rules->find("ip_rule"))) {
        Object o;
        put(o, "ipMask", rule.find("ip_mask"));
        put_or(o, "action", rule.find("action"), "Allow");
        ip_rules.emplace_back(std::move(o));
    }
    for (const Value& range : blocks(rules->find("ip_rules"))) {
        Object o;
        o.set("ipMask", range);
        o.set("action", std::string("Allow"));
        ip_rules.emplace_back(std::move(o));
    }
    p.set("ipRules", std::move(ip_rules));
    t.add_child(r, std::move(rule_set));
}

void messaging_namespace(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    if (std::optional<Value> sku = given(attr(r, "sku")))
        child(body, "sku").set("name", std::move(*sku));
    p.set("publicNetworkAccess", enabled_text(attr(r, "public_network_access_enabled"), true));
    put_or(p, "minimumTlsVersion", attr(r, "minimum_tls_version"), "1.2");
    disable_local_auth(p, either(r, {"local_authentication_enabled", "local_auth_enabled"}));
    namespace_rules(t, r, body,
                    r.type == "azurerm_eventhub_namespace" ? "network_rulesets" : "network_rule_set");
}

// PostgreSQL's public_network_access_enabled is a bool, MySQL's public_network_access a word; a
// server in a delegated subnet has no public access either way.
void flexible_server(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "version", attr(r, "version"));
    Object& network = child(p, "network");
    Value subnet = t.link(r, attr(r, "delegated_subnet_id"), "delegated_subnet_id", {"azurerm_subnet"});
    const bool delegated = !subnet.is_null();
    if (delegated)
        network.set("delegatedSubnetResourceId", std::move(subnet));
    put(network, "privateDnsZoneArmResourceId", attr(r, "private_dns_zone_id"));
    if (const Value* word = attr(r, "public_network_access"); given(word))
        network.set("publicNetworkAccess", *word);
    else
        network.set("publicNetworkAccess",
                    enabled_text(attr(r, "public_network_access_enabled"), !delegated));
    if (const Value* auth = first_block(attr(r, "authentication"))) {
        Object& a = child(p, "authConfig");
        a.set("passwordAuth", enabled_text(auth->find("password_auth_enabled"), true));
        a.set("activeDirectoryAuth", enabled_text(auth->find("active_directory_auth_enabled"), false));
    }
}

void server_firewall_rule(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "startIpAddress", attr(r, "start_ip_address"));
    put(p, "endIpAddress", attr(r, "end_ip_address"));
}

void server_parameter(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "value", attr(r, "value"));
    p.set("source", std::string("user-override"));
}

} // namespace

void add_paas_types(TypeTable& table) {
    const IdRecipe named;
    table["azurerm_key_vault"] = {"Microsoft.KeyVault/vaults", named, key_vault};
    table["azurerm_mssql_server"] = {"Microsoft.Sql/servers", named, sql_server};
    table["azurerm_mssql_firewall_rule"] = {
        "Microsoft.Sql/servers/firewallRules", {Base::Parent, "server_id"}, server_firewall_rule};
    for (std::string_view type : {"azurerm_linux_web_app", "azurerm_windows_web_app"})
        table[type] = {"Microsoft.Web/sites", named, web_app};
    table["azurerm_kubernetes_cluster"] = {"Microsoft.ContainerService/managedClusters", named, kubernetes};
    table["azurerm_cosmosdb_account"] = {"Microsoft.DocumentDB/databaseAccounts", named, cosmos_account};
    table["azurerm_container_registry"] = {"Microsoft.ContainerRegistry/registries", named,
                                           container_registry};
    table["azurerm_eventhub_namespace"] = {"Microsoft.EventHub/namespaces", named, messaging_namespace};
    table["azurerm_servicebus_namespace"] = {"Microsoft.ServiceBus/namespaces", named, messaging_namespace};
    const IdRecipe server_child{Base::Parent, "server_id"};
    table["azurerm_postgresql_flexible_server"] = {"Microsoft.DBforPostgreSQL/flexibleServers", named,
                                                   flexible_server};
    table["azurerm_postgresql_flexible_server_firewall_rule"] = {
        "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules", server_child, server_firewall_rule};
    table["azurerm_postgresql_flexible_server_configuration"] = {
        "Microsoft.DBforPostgreSQL/flexibleServers/configurations", server_child, server_parameter};
    table["azurerm_mysql_flexible_server"] = {"Microsoft.DBforMySQL/flexibleServers", named, flexible_server};
    table["azurerm_mysql_flexible_server_firewall_rule"] = {
        "Microsoft.DBforMySQL/flexibleServers/firewallRules", server_child, server_firewall_rule};
    table["azurerm_mysql_flexible_server_configuration"] = {
        "Microsoft.DBforMySQL/flexibleServers/configurations", server_child, server_parameter};
}

} // namespace ztnet::load::azurerm
