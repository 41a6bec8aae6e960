// PaaS services: Key Vaults, SQL servers, App Service apps, AKS clusters, Cosmos DB accounts,
// container registries, Event Hubs and Service Bus namespaces, PostgreSQL and MySQL flexible servers,
// with what decides who reaches their endpoints (public network access, the firewall's default and
// its rules) and the settings the guidance asks of each.
#include <fmt/format.h>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/model/paas_kinds.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/support/ascii.h"

namespace ztnet::load::detail {

using model::PaasServiceType;
using model::ResourceKind;
using model::value_text;

namespace {

constexpr ResourceKind kPaas = ResourceKind::PaasService;

std::optional<PaasServiceType> service_of(std::string_view type) {
    // In the order of kPaasTypes.
    static constexpr std::array<PaasServiceType, kPaasTypes.size()> kServices{
        PaasServiceType::KeyVault,     PaasServiceType::SqlServer,  PaasServiceType::WebApp,
        PaasServiceType::Kubernetes,   PaasServiceType::CosmosDb,   PaasServiceType::ContainerRegistry,
        PaasServiceType::EventHubs,    PaasServiceType::ServiceBus, PaasServiceType::PostgreSqlFlexible,
        PaasServiceType::MySqlFlexible};
    for (std::size_t i = 0; i < kPaasTypes.size(); ++i)
        if (model::same_id(type, kPaasTypes[i]))
            return kServices[i];
    return std::nullopt;
}

// A place inside the resource where the input writes nothing: a setting read there takes Azure's
// default, and points at the resource.
Cursor absent(const Cursor& body) {
    return Cursor{nullptr, {}, body.resource_where};
}

// The Entra-only answer and its evidence: `entra_only` is what the property's value means.
void set_entra_only(model::PaasService& s, bool entra_only, const Cursor& at, std::string_view written) {
    s.entra_only_authentication = entra_only;
    s.entra_only_where = at.where();
    s.entra_only_evidence = fmt::format("{}: {}", model::entra_only_property(s.service), written);
}

// The defaults table keys a service's settings by its ARM type: "Microsoft.Sql/servers:properties.x".
std::string property_of(const model::PaasService& s, std::string_view property) {
    return fmt::format("{}:{}", s.type, property);
}

// "10.0.0.0/24" or "10.0.0.5": the range it admits; nullopt when it is not an address (a service tag).
std::optional<model::PaasFirewallRule> prefix_rule(std::string name, const std::string& text,
                                                   const SourceLocation& where) {
    if (auto prefix = net::Prefix::parse(text))
        return model::PaasFirewallRule{std::move(name), text, prefix->first(), prefix->last(), where};
    if (auto address = net::Address::parse(text))
        return model::PaasFirewallRule{std::move(name), text, *address, *address, where};
    return std::nullopt;
}

} // namespace

void EstateBuilder::fill_paas_service(model::PaasService& s, const Cursor& body) {
    FieldReader read = reader(s);
    Cursor props = body["properties"];
    // Azure's own spelling, whatever case the input writes (a REST GET of an AKS cluster says
    // "ManagedClusters"): the defaults table and the inventory key on it.
    s.type = read.string_or(body["type"], s.type);
    for (std::string_view type : kPaasTypes)
        if (model::same_id(type, s.type))
            s.type = std::string(type);
    s.service = service_of(s.type).value_or(PaasServiceType::KeyVault);
    auto public_access = [&](std::string_view property) {
        s.public_network_access = read.enum_setting<model::PublicNetworkAccess>(
            props[property], kPaas, property_of(s, "properties." + std::string(property)));
    };
    switch (s.service) {
    case PaasServiceType::KeyVault:
    case PaasServiceType::ContainerRegistry:
        fill_vault_or_registry(s, props);
        return;
    case PaasServiceType::CosmosDb:
        fill_cosmos_account(s, props);
        return;
    case PaasServiceType::EventHubs:
    case PaasServiceType::ServiceBus:
        public_access("publicNetworkAccess");
        // Without a network rule set (the networkRuleSets/default child) every network is admitted.
        s.default_action.value = model::NetworkAclAction::Allow;
        s.default_action.where = s.where;
        s.minimum_tls = read.text_setting(props["minimumTlsVersion"], kPaas,
                                          property_of(s, "properties.minimumTlsVersion"));
        if (Cursor local = props["disableLocalAuth"])
            if (std::optional<bool> disabled = read.boolean(local))
                set_entra_only(s, *disabled, local, value_text(*disabled));
        return;
    case PaasServiceType::PostgreSqlFlexible:
    case PaasServiceType::MySqlFlexible:
        fill_flexible_server(s, props);
        return;
    case PaasServiceType::SqlServer:
        public_access("publicNetworkAccess");
        s.default_action.value = model::NetworkAclAction::Deny; // what no firewall rule admits
        s.default_action.where = s.where;
        s.minimum_tls = read.text_setting(props["minimalTlsVersion"], kPaas,
                                          property_of(s, "properties.minimalTlsVersion"));
        if (Cursor only = props["administrators"]["azureADOnlyAuthentication"])
            if (std::optional<bool> value = read.boolean(only))
                set_entra_only(s, *value, only, value_text(*value));
        return;
    case PaasServiceType::WebApp:
        public_access("publicNetworkAccess");
        s.default_action.value = model::NetworkAclAction::Allow; // no access restriction: every address
        s.default_action.where = s.where;
        s.https_only = read.bool_setting(props["httpsOnly"], kPaas, property_of(s, "properties.httpsOnly"));
        s.minimum_tls = read.text_setting(props["siteConfig"]["minTlsVersion"], kPaas,
                                          property_of(s, "properties.siteConfig.minTlsVersion"));
        s.vnet_integration_subnet_id = read.string_or(props["virtualNetworkSubnetId"], "");

        s.vnet_route_all = read.bool_setting(props["siteConfig"]["vnetRouteAllEnabled"], kPaas,
                                             property_of(s, "properties.siteConfig.vnetRouteAllEnabled"));
        read_route_all_setting(s, props["siteConfig"]);
        read_site_restrictions(s, props["siteConfig"]);
        return;
    case PaasServiceType::Kubernetes: {
        public_access("publicNetworkAccess");
        Cursor api = props["apiServerAccessProfile"];
        s.private_cluster = read.boolean_or(api["enablePrivateCluster"], false);
        // Without authorized ranges the API server admits every address.
        s.default_action.value = api["authorizedIPRanges"].elements().empty() ? model::NetworkAclAction::Allow
                                                                              : model::NetworkAclAction::Deny;
        s.default_action.where = api ? api.where() : s.where;
        for (const Cursor& range : api["authorizedIPRanges"].elements())
            if (auto text = read.string(range))
                if (auto parsed = prefix_rule(*text, *text, range.where()))
                    s.firewall_rules.push_back(std::move(*parsed));
        s.network_policy = read.string_or(props["networkProfile"]["networkPolicy"], "");
        if (model::same_id(s.network_policy, "none"))
            s.network_policy.clear();
        s.local_accounts_disabled = read.bool_setting(props["disableLocalAccounts"], kPaas,
                                                      property_of(s, "properties.disableLocalAccounts"));
        return;
    }
    }
}

// A Key Vault's networkAcls or a registry's networkRuleSet: a default action and address rules
// ({"value": "203.0.113.0/24"}; a registry's also say "action": "Allow", the only action it has).
void EstateBuilder::fill_vault_or_registry(model::PaasService& s, const Cursor& props) {
    FieldReader read = reader(s);
    const bool vault = s.service == PaasServiceType::KeyVault;
    s.public_network_access = read.enum_setting<model::PublicNetworkAccess>(
        props["publicNetworkAccess"], kPaas, property_of(s, "properties.publicNetworkAccess"));
    const std::string acl_property = vault ? "networkAcls" : "networkRuleSet";
    Cursor acls = props[acl_property];
    s.default_action = read.enum_setting<model::NetworkAclAction>(
        acls["defaultAction"], kPaas, property_of(s, "properties." + acl_property + ".defaultAction"));
    for (const Cursor& rule : acls["ipRules"].elements())
        if (auto text = read.string(rule["value"]))
            if (model::same_id(read.string_or(rule["action"], "Allow"), "Allow"))
                if (auto parsed = prefix_rule(*text, *text, rule.where()))
                    s.firewall_rules.push_back(std::move(*parsed));
    if (vault) {
        s.purge_protection = read.bool_setting(props["enablePurgeProtection"], kPaas,
                                               property_of(s, "properties.enablePurgeProtection"));
        s.rbac_authorization = read.bool_setting(props["enableRbacAuthorization"], kPaas,
                                                 property_of(s, "properties.enableRbacAuthorization"));
        return;
    }
    // The admin user is a shared name and password beside Entra ID; it is off unless enabled.
    Cursor admin = props["adminUserEnabled"];
    if (std::optional<bool> enabled = read.boolean(admin))
        set_entra_only(s, !*enabled, admin, value_text(*enabled));
    else if (!admin || !admin.value->is_unknown())
        set_entra_only(s, true, admin, "absent (false)");
}

// A Cosmos DB account's IP firewall: ipRules (or the older ipRangeFilter, comma-separated), where
// "0.0.0.0" admits every Azure datacenter; with neither rules nor the virtual network filter, every
// network is admitted.
void EstateBuilder::fill_cosmos_account(model::PaasService& s, const Cursor& props) {
    FieldReader read = reader(s);
    s.public_network_access = read.enum_setting<model::PublicNetworkAccess>(
        props["publicNetworkAccess"], kPaas, property_of(s, "properties.publicNetworkAccess"));
    std::vector<std::pair<std::string, SourceLocation>> ranges;
    for (const Cursor& rule : props["ipRules"].elements())
        if (auto text = read.string(rule["ipAddressOrRange"]))
            ranges.emplace_back(*text, rule.where());
    if (ranges.empty())
        if (auto filter = read.string(props["ipRangeFilter"]))
            for (std::string_view part : ascii::split_list(*filter))
                ranges.emplace_back(std::string(part), props["ipRangeFilter"].where());
    for (auto& [text, where] : ranges) {
        if (text == "0.0.0.0") {
            const net::Address any = *net::Address::parse("0.0.0.0");
            s.azure_services_rule = model::PaasFirewallRule{text, text, any, any, where};
        } else if (auto parsed = prefix_rule(text, text, where)) {
            s.firewall_rules.push_back(std::move(*parsed));
        }
    }
    const bool vnet_filter = read.boolean_or(props["isVirtualNetworkFilterEnabled"], false);
    const bool filtered = !ranges.empty() || vnet_filter;
    s.default_action.value = filtered ? model::NetworkAclAction::Deny : model::NetworkAclAction::Allow;
    s.default_action.where = props["ipRules"] ? props["ipRules"].where() : s.where;
    s.minimum_tls =
        read.text_setting(props["minimalTlsVersion"], kPaas, property_of(s, "properties.minimalTlsVersion"));
    if (Cursor local = props["disableLocalAuth"])
        if (std::optional<bool> disabled = read.boolean(local))
            set_entra_only(s, *disabled, local, value_text(*disabled));
}

// A PostgreSQL or MySQL flexible server: public access with firewall rules (what no rule admits is
// denied), or private access in a delegated subnet, which leaves no public endpoint. Transport
// security and MySQL's Entra-only switch are server parameters (configurations children): their
// defaults stand until one is read.
void EstateBuilder::fill_flexible_server(model::PaasService& s, const Cursor& props) {
    FieldReader read = reader(s);
    Cursor network = props["network"];
    s.delegated_subnet_id = read.string_or(network["delegatedSubnetResourceId"], "");
    s.public_network_access = read.enum_setting<model::PublicNetworkAccess>(
        network["publicNetworkAccess"], kPaas, property_of(s, "properties.network.publicNetworkAccess"));
    if (!s.delegated_subnet_id.empty() && !network["publicNetworkAccess"]) {
        s.public_network_access.value = model::PublicNetworkAccess::Disabled;
        s.public_network_access.where = network["delegatedSubnetResourceId"].where();
    }
    s.default_action.value = model::NetworkAclAction::Deny;
    s.default_action.where = s.where;
    const bool postgres = s.service == PaasServiceType::PostgreSqlFlexible;
    s.require_secure_transport =
        read.bool_setting(absent(props), kPaas, property_of(s, "configurations/require_secure_transport"));
    s.minimum_tls = read.text_setting(
        absent(props), kPaas,
        property_of(s, postgres ? "configurations/ssl_min_protocol_version" : "configurations/tls_version"));
    if (!postgres)
        return;
    Cursor password = props["authConfig"]["passwordAuth"];
    if (std::optional<std::string> text = read.string(password))
        set_entra_only(s, model::same_id(*text, "Disabled"), password, *text);
}

// App Service access restrictions: the Allow rules with an address admit it. Azure shows what an
// address no rule names gets as a last entry of its own ("Allow all" or "Deny all": address Any,
// the lowest priority), and as ipSecurityRestrictionsDefaultAction; without either, no rule means
// every address is admitted, and any rule means the others are denied.
void EstateBuilder::read_site_restrictions(model::PaasService& s, const Cursor& config) {
    constexpr std::int64_t kLastEntry = 2147483647;
    FieldReader read = reader(s);
    Cursor restrictions = config["ipSecurityRestrictions"];
    Cursor fallback = config["ipSecurityRestrictionsDefaultAction"];
    if (!restrictions.value && !fallback.value)
        return;
    std::optional<model::NetworkAclAction> last_entry;
    bool any_rule = false;
    if (restrictions.value) {
        s.firewall_rules.clear();
        for (const Cursor& rule : restrictions.elements()) {
            const std::string action = read.string_or(rule["action"], "Allow");
            const std::string address = read.string_or(rule["ipAddress"], "");
            const bool allow = model::same_id(action, "Allow");
            if (model::same_id(address, "Any") && read.integer(rule["priority"]) == kLastEntry) {
                last_entry = allow ? model::NetworkAclAction::Allow : model::NetworkAclAction::Deny;
                continue;
            }
            any_rule = true;
            if (!allow || address.empty())
                continue;
            if (model::same_id(address, "Any")) {
                s.firewall_rules.push_back({read.string_or(rule["name"], address), "Any",
                                            *net::Address::parse("0.0.0.0"),
                                            *net::Address::parse("255.255.255.255"), rule.where()});
                continue;
            }
            if (auto parsed = prefix_rule(read.string_or(rule["name"], address), address, rule.where()))
                s.firewall_rules.push_back(std::move(*parsed));
        }
    }
    if (auto action =
            read.optional_enum<model::NetworkAclAction>(fallback, "ipSecurityRestrictionsDefaultAction")) {
        s.default_action.value = *action;
        s.default_action.where = fallback.where();
    } else if (last_entry) {
        s.default_action.value = *last_entry;
        s.default_action.where = restrictions.where();
    } else if (restrictions.value) {
        s.default_action.value = any_rule ? model::NetworkAclAction::Deny : model::NetworkAclAction::Allow;
        s.default_action.where = restrictions.where();
    }
}

void EstateBuilder::add_paas_setting(model::PaasService& s, const std::string& id, const Cursor& body) {
    FieldReader read = reader(s);
    const std::string type = model::parse_resource_id(id).type;
    const std::string child = type.substr(type.rfind('/') + 1);
    Cursor props = body["properties"];
    if (model::same_id(child, "firewallRules")) {
        add_server_firewall_rule(s, body);
    } else if (model::same_id(child, "configurations")) {
        add_server_parameter(s, body);
    } else if (model::same_id(child, "networkRuleSets")) {
        read_namespace_rules(s, props);
    } else if (model::same_id(type, "Microsoft.Sql/servers/azureADOnlyAuthentications")) {
        if (Cursor only = props["azureADOnlyAuthentication"])
            if (std::optional<bool> value = read.boolean(only))
                set_entra_only(s, *value, only, value_text(*value));
    } else if (model::same_id(type, "Microsoft.Web/sites/config")) {
        // Only the "web" configuration holds the site's settings (others: appsettings, logs, …).
        if (!model::same_id(last_segment(read.string_or(body["name"], id)), "web"))
            return;
        if (props["minTlsVersion"])
            s.minimum_tls = read.text_setting(props["minTlsVersion"], kPaas,
                                              property_of(s, "properties.siteConfig.minTlsVersion"));
        if (props["vnetRouteAllEnabled"])
            s.vnet_route_all = read.bool_setting(props["vnetRouteAllEnabled"], kPaas,
                                                 property_of(s, "properties.siteConfig.vnetRouteAllEnabled"));
        read_route_all_setting(s, props);
        read_site_restrictions(s, props);
    } else if (model::same_id(type, "Microsoft.Web/sites/networkConfig")) {
        // The "virtualNetwork" child: regional VNet integration, as an older API writes it.
        if (std::optional<std::string> subnet = read.string(props["subnetResourceId"]);
            subnet && !subnet->empty())
            s.vnet_integration_subnet_id = *subnet;
    }
}

// The app setting WEBSITE_VNET_ROUTE_ALL=1 routes every outbound call through the integration
// subnet, as vnetRouteAllEnabled does (the setting came first).
void EstateBuilder::read_route_all_setting(model::PaasService& s, const Cursor& config) {
    FieldReader read = reader(s);
    for (const Cursor& setting : config["appSettings"].elements())
        if (model::same_id(read.string_or(setting["name"], ""), "WEBSITE_VNET_ROUTE_ALL")) {
            const std::string value = read.string_or(setting["value"], "");
            if (value == "1" || model::same_id(value, "true")) {
                s.vnet_route_all.value = true;
                s.vnet_route_all.where = setting.where();
                s.vnet_route_all.defaulted = nullptr;
            }
        }
}

void EstateBuilder::add_server_firewall_rule(model::PaasService& s, const Cursor& body) {
    FieldReader read = reader(s);
    Cursor props = body["properties"];
    const std::string name = last_segment(read.string_or(body["name"], ""));
    auto start = read.string(props["startIpAddress"]);
    auto end = read.string(props["endIpAddress"]);
    auto first = start ? net::Address::parse(*start) : Result<net::Address>(Error{});
    auto last = end ? net::Address::parse(*end) : Result<net::Address>(Error{});
    const auto unknown = [](const Cursor& c) { return c.value != nullptr && c.value->is_unknown(); };
    if (unknown(props["startIpAddress"]) || unknown(props["endIpAddress"]))
        return; // recorded as unknown: the checks that read the firewall are not assessed here
    if (!first || !last) {
        read.warning(body, "paas-firewall-rule",
                     fmt::format("firewall rule {} of {} has no start and end address ztnet can read: "
                                 "left out",
                                 name, s.name));
        return;
    }
    model::PaasFirewallRule rule{name, fmt::format("{}-{}", *start, *end), *first, *last, body.where()};
    if (*start == "0.0.0.0" && *end == "0.0.0.0")
        s.azure_services_rule = std::move(rule);
    else
        s.firewall_rules.push_back(std::move(rule));
}

// Server parameters are text ("ON", "off", "TLSv1.2", "TLSv1.2,TLSv1.3"), whatever their meaning.
void EstateBuilder::add_server_parameter(model::PaasService& s, const Cursor& body) {
    if (!model::is_flexible_server(s.service))
        return;
    FieldReader read = reader(s);
    const std::string name = last_segment(read.string_or(body["name"], ""));
    Cursor value = body["properties"]["value"];
    std::optional<std::string> text = read.string(value);
    if (!text)
        return;
    const auto on = [&] { return model::same_id(*text, "on") || model::same_id(*text, "true"); };
    if (model::same_id(name, "require_secure_transport")) {
        s.require_secure_transport.value = on();
        s.require_secure_transport.where = value.where();
        s.require_secure_transport.defaulted = nullptr;
    } else if (model::same_id(name, s.service == PaasServiceType::PostgreSqlFlexible
                                        ? "ssl_min_protocol_version"
                                        : "tls_version")) {
        s.minimum_tls.value = *text;
        s.minimum_tls.where = value.where();
        s.minimum_tls.defaulted = nullptr;
    } else if (s.service == PaasServiceType::MySqlFlexible && model::same_id(name, "aad_auth_only")) {
        set_entra_only(s, on(), value, *text);
    }
}

// An Event Hubs or Service Bus namespace's network rule set. Its defaultAction decides what no rule
// names; left out, ztnet reads "Allow", the reading that never hides an open namespace.
void EstateBuilder::read_namespace_rules(model::PaasService& s, const Cursor& rules) {
    if (s.service != PaasServiceType::EventHubs && s.service != PaasServiceType::ServiceBus)
        return;
    FieldReader read = reader(s);
    if (auto access = read.optional_enum<model::PublicNetworkAccess>(rules["publicNetworkAccess"],
                                                                     "publicNetworkAccess");
        access && *access != model::PublicNetworkAccess::Enabled) {
        s.public_network_access.value = *access;
        s.public_network_access.where = rules["publicNetworkAccess"].where();
        s.public_network_access.defaulted = nullptr;
    }
    if (auto action = read.optional_enum<model::NetworkAclAction>(rules["defaultAction"], "defaultAction")) {
        s.default_action.value = *action;
        s.default_action.where = rules["defaultAction"].where();
    }
    s.firewall_rules.clear();
    for (const Cursor& rule : rules["ipRules"].elements())
        if (auto text = read.string(rule["ipMask"]))
            if (model::same_id(read.string_or(rule["action"], "Allow"), "Allow"))
                if (auto parsed = prefix_rule(*text, *text, rule.where()))
                    s.firewall_rules.push_back(std::move(*parsed));
}

} // namespace ztnet::load::detail
