// PaaS services: Key Vaults, SQL servers, App Service apps and AKS clusters, with what decides who
// reaches their endpoints (public network access, the firewall's default and its rules) and the
// settings the guidance asks of each.
#include <fmt/format.h>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load::detail {

using model::PaasServiceType;
using model::ResourceKind;

namespace {

constexpr ResourceKind kPaas = ResourceKind::PaasService;

std::optional<PaasServiceType> service_of(std::string_view type) {
    if (model::same_id(type, "Microsoft.KeyVault/vaults"))
        return PaasServiceType::KeyVault;
    if (model::same_id(type, "Microsoft.Sql/servers"))
        return PaasServiceType::SqlServer;
    if (model::same_id(type, "Microsoft.Web/sites"))
        return PaasServiceType::WebApp;
    if (model::same_id(type, "Microsoft.ContainerService/managedClusters"))
        return PaasServiceType::Kubernetes;
    return std::nullopt;
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
    case PaasServiceType::KeyVault: {
        public_access("publicNetworkAccess");
        Cursor acls = props["networkAcls"];
        s.default_action = read.enum_setting<model::NetworkAclAction>(
            acls["defaultAction"], kPaas, property_of(s, "properties.networkAcls.defaultAction"));
        for (const Cursor& rule : acls["ipRules"].elements())
            if (auto text = read.string(rule["value"]))
                if (auto parsed = prefix_rule(*text, *text, rule.where()))
                    s.firewall_rules.push_back(std::move(*parsed));
        s.purge_protection = read.bool_setting(props["enablePurgeProtection"], kPaas,
                                               property_of(s, "properties.enablePurgeProtection"));
        s.rbac_authorization = read.bool_setting(props["enableRbacAuthorization"], kPaas,
                                                 property_of(s, "properties.enableRbacAuthorization"));
        return;
    }
    case PaasServiceType::SqlServer:
        public_access("publicNetworkAccess");
        s.default_action.value = model::NetworkAclAction::Deny; // what no firewall rule admits
        s.default_action.where = s.where;
        s.minimum_tls = read.text_setting(props["minimalTlsVersion"], kPaas,
                                          property_of(s, "properties.minimalTlsVersion"));
        if (Cursor only = props["administrators"]["azureADOnlyAuthentication"]) {
            s.entra_only_authentication = read.boolean(only);
            s.entra_only_where = only.where();
        }
        return;
    case PaasServiceType::WebApp:
        public_access("publicNetworkAccess");
        s.default_action.value = model::NetworkAclAction::Allow; // no access restriction: every address
        s.default_action.where = s.where;
        s.https_only = read.bool_setting(props["httpsOnly"], kPaas, property_of(s, "properties.httpsOnly"));
        s.minimum_tls = read.text_setting(props["siteConfig"]["minTlsVersion"], kPaas,
                                          property_of(s, "properties.siteConfig.minTlsVersion"));
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
    Cursor props = body["properties"];
    if (model::same_id(type, "Microsoft.Sql/servers/firewallRules")) {
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
    } else if (model::same_id(type, "Microsoft.Sql/servers/azureADOnlyAuthentications")) {
        if (Cursor only = props["azureADOnlyAuthentication"]) {
            s.entra_only_authentication = read.boolean(only);
            s.entra_only_where = only.where();
        }
    } else if (model::same_id(type, "Microsoft.Web/sites/config")) {
        // Only the "web" configuration holds the site's settings (others: appsettings, logs, …).
        if (!model::same_id(last_segment(read.string_or(body["name"], id)), "web"))
            return;
        if (props["minTlsVersion"])
            s.minimum_tls = read.text_setting(props["minTlsVersion"], kPaas,
                                              property_of(s, "properties.siteConfig.minTlsVersion"));
        read_site_restrictions(s, props);
    }
}

} // namespace ztnet::load::detail
