// The azurerm types that carry or filter traffic: Azure Firewall (classic rule collections, policies,
// rule collection groups, IP groups), load balancers and their parts, Application Gateways and WAF
// policies.
#include <fmt/format.h>

#include "ztnet/load/azurerm/translation.h"
#include "ztnet/support/ascii.h"

namespace ztnet::load::azurerm {
namespace {

using Base = IdRecipe::Base;

// ---- Azure Firewall

void firewall(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    Object& sku = child(p, "sku");
    put(sku, "name", attr(r, "sku_name"));
    put(sku, "tier", attr(r, "sku_tier"));
    p.set("ipConfigurations", ip_configurations(t, r, "ip_configuration"));
    // A secured Virtual WAN hub's firewall: in the hub, with the address Azure gives it there.
    if (const Value* hub = first_block(attr(r, "virtual_hub"))) {
        Value hub_id = t.link(r, hub->find("virtual_hub_id"), "virtual_hub", {"azurerm_virtual_hub"});
        if (!hub_id.is_null())
            p.set("virtualHub", id_object(std::move(hub_id)));
        Object& addresses = child(p, "hubIPAddresses");
        put(child(addresses, "publicIPs"), "count", hub->find("public_ip_count"));
        if (std::optional<std::string> ip = known_string(hub->find("private_ip_address")))
            addresses.set("privateIPAddress", *ip);
    }
    if (!blocks(attr(r, "management_ip_configuration")).empty())
        p.set("managementIpConfiguration", ip_configurations(t, r, "management_ip_configuration")[0]);
    Value policy =
        t.link(r, attr(r, "firewall_policy_id"), "firewall_policy_id", {"azurerm_firewall_policy"});
    if (!policy.is_null())
        p.set("firewallPolicy", id_object(std::move(policy)));
    else // with a policy, the policy's threat intelligence mode is the one that applies
        put(p, "threatIntelMode", attr(r, "threat_intel_mode"));
    put(body, "zones", attr(r, "zones"));
}

// A rule's list of IP group ids (known, or through the references).
void put_ip_groups(Translation& t, const ResourceInstance& r, Object& rule, std::string key, const Value* ids,
                   std::string_view top) {
    if (ids == nullptr || ids->is_null())
        return;
    rule.set(std::move(key), t.link_list(r, ids, top, "azurerm_ip_group"));
}

// An application rule's protocols: azurerm's {type, port} blocks as ARM's {protocolType, port}.
Array application_protocols(const Value* protocol_blocks) {
    Array out;
    for (const Value& p : blocks(protocol_blocks)) {
        Object o;
        put(o, "protocolType", p.find("type"));
        put(o, "port", p.find("port"));
        out.emplace_back(std::move(o));
    }
    return out;
}

// One rule of a classic collection (azurerm_firewall_*_rule_collection) in ARM's shape.
Object classic_rule(Translation& t, const ResourceInstance& r, const Value& v, std::string_view kind) {
    Object rule;
    put(rule, "name", v.find("name"));
    put(rule, "description", v.find("description"));
    put(rule, "sourceAddresses", v.find("source_addresses"));
    put_ip_groups(t, r, rule, "sourceIpGroups", v.find("source_ip_groups"), "rule");
    if (kind == "application") {
        rule.set("protocols", application_protocols(v.find("protocol")));
        put(rule, "targetFqdns", v.find("target_fqdns"));
        put(rule, "fqdnTags", v.find("fqdn_tags"));
        return rule;
    }
    put(rule, "protocols", v.find("protocols"));
    put(rule, "destinationAddresses", v.find("destination_addresses"));
    put_ip_groups(t, r, rule, "destinationIpGroups", v.find("destination_ip_groups"), "rule");
    put(rule, "destinationFqdns", v.find("destination_fqdns"));
    put(rule, "destinationPorts", v.find("destination_ports"));
    put(rule, "translatedAddress", v.find("translated_address"));
    put(rule, "translatedPort", v.find("translated_port"));
    return rule;
}

void classic_collection(Translation& t, const ResourceInstance& r, std::string_view kind, std::string list) {
    Object collection;
    put(collection, "name", attr(r, "name"));
    Object& p = child(collection, "properties");
    put(p, "priority", attr(r, "priority"));
    if (std::optional<Value> action = given(attr(r, "action")))
        child(p, "action").set("type", std::move(*action));
    Array rules;
    for (const Value& block : blocks(attr(r, "rule")))
        rules.emplace_back(classic_rule(t, r, block, kind));
    p.set("rules", std::move(rules));
    Value target = Value::unknown("known only after apply");
    if (std::optional<std::string> name = known_string(attr(r, "azure_firewall_name")))
        if (std::optional<std::string> group = known_string(attr(r, "resource_group_name")))
            target = Value(fmt::format("/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/"
                                       "azureFirewalls/{}",
                                       t.subscription(), *group, *name));
    t.patch({std::move(target), "a firewall rule collection",
             [list = std::move(list), collection = Value(std::move(collection))](Object& fw) {
                 append(properties(fw), list, collection);
             },
             r.where});
}

void firewall_policy(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    // azurerm's defaults: sku Standard, threat intelligence Alert.
    child(p, "sku").set("tier", given(attr(r, "sku")).value_or(Value("Standard")));
    put_or(p, "threatIntelMode", attr(r, "threat_intelligence_mode"), "Alert");
    if (const Value* idps = first_block(attr(r, "intrusion_detection")))
        put(child(p, "intrusionDetection"), "mode", idps->find("mode"));
    if (const Value* tls = first_block(attr(r, "tls_certificate"))) {
        Object& ca = child(child(p, "transportSecurity"), "certificateAuthority");
        put(ca, "name", tls->find("name"));
        put(ca, "keyVaultSecretId", tls->find("key_vault_secret_id"));
    }
    if (const Value* dns = first_block(attr(r, "dns"))) {
        Object& d = child(p, "dnsSettings");
        put(d, "enableProxy", dns->find("proxy_enabled"));
        put(d, "servers", dns->find("servers"));
    }
    if (Value base = t.link(r, attr(r, "base_policy_id"), "base_policy_id", {"azurerm_firewall_policy"});
        !base.is_null())
        p.set("basePolicy", id_object(std::move(base)));
}

Object policy_rule(Translation& t, const ResourceInstance& r, const Value& v, std::string_view rule_type,
                   const std::string& top) {
    Object rule;
    rule.set("ruleType", std::string(rule_type));
    put(rule, "name", v.find("name"));
    put(rule, "description", v.find("description"));
    put(rule, "sourceAddresses", v.find("source_addresses"));
    put_ip_groups(t, r, rule, "sourceIpGroups", v.find("source_ip_groups"), top);
    if (rule_type == "ApplicationRule") {
        rule.set("protocols", application_protocols(v.find("protocols")));
        put(rule, "destinationAddresses", v.find("destination_addresses"));
        put(rule, "targetFqdns", v.find("destination_fqdns"));
        put(rule, "targetUrls", v.find("destination_urls"));
        put(rule, "fqdnTags", v.find("destination_fqdn_tags"));
        put(rule, "webCategories", v.find("web_categories"));
        put(rule, "terminateTLS", v.find("terminate_tls"));
        return rule;
    }
    put(rule, "ipProtocols", v.find("protocols"));
    put_ip_groups(t, r, rule, "destinationIpGroups", v.find("destination_ip_groups"), top);
    put(rule, "destinationFqdns", v.find("destination_fqdns"));
    put(rule, "destinationPorts", v.find("destination_ports"));
    if (rule_type == "NatRule") {
        if (std::optional<Value> address = given(v.find("destination_address")))
            rule.set("destinationAddresses", Array{std::move(*address)});
        put(rule, "translatedAddress", v.find("translated_address"));
        put(rule, "translatedFqdn", v.find("translated_fqdn"));
        put(rule, "translatedPort", v.find("translated_port"));
    } else {
        put(rule, "destinationAddresses", v.find("destination_addresses"));
    }
    return rule;
}

void rule_collection_group(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "priority", attr(r, "priority"));
    struct Kind {
        std::string_view block;
        std::string_view collection_type;
        std::string_view rule_type;
    };
    Array collections;
    for (const Kind& kind :
         {Kind{"nat_rule_collection", "FirewallPolicyNatRuleCollection", "NatRule"},
          Kind{"network_rule_collection", "FirewallPolicyFilterRuleCollection", "NetworkRule"},
          Kind{"application_rule_collection", "FirewallPolicyFilterRuleCollection", "ApplicationRule"}})
        for (const Value& block : blocks(attr(r, kind.block))) {
            Object c;
            c.set("ruleCollectionType", std::string(kind.collection_type));
            put(c, "name", block.find("name"));
            put(c, "priority", block.find("priority"));
            if (std::optional<Value> action = given(block.find("action")))
                child(c, "action").set("type", std::move(*action));
            Array rules;
            for (const Value& rule : blocks(block.find("rule")))
                rules.emplace_back(
                    policy_rule(t, r, rule, kind.rule_type, Translation::in_block(r, kind.block, block)));
            c.set("rules", std::move(rules));
            collections.emplace_back(std::move(c));
        }
    p.set("ruleCollections", std::move(collections));
}

void ip_group(Translation&, const ResourceInstance& r, Object& body) {
    put(properties(body), "ipAddresses", attr(r, "cidrs"));
}

// ---- Load balancers

Object frontend(Translation& t, const ResourceInstance& r, const Value& block, const Value& owner_id) {
    Object f;
    put(f, "name", block.find("name"));
    if (owner_id.is_string())
        if (std::optional<std::string> name = known_string(block.find("name")))
            f.set("id", fmt::format("{}/frontendIPConfigurations/{}", owner_id.as_string(), *name));
    Object& fp = child(f, "properties");
    if (Value subnet_id =
            t.link(r, block.find("subnet_id"), Translation::in_block(r, "frontend_ip_configuration", block),
                   {"azurerm_subnet"});
        !subnet_id.is_null())
        fp.set("subnet", id_object(std::move(subnet_id)));
    const Value* method = block.find("private_ip_address_allocation");
    put(fp, "privateIPAllocationMethod", method);
    if (method != nullptr && method->is_string() && ascii::iequals(method->as_string(), "Static"))
        put(fp, "privateIPAddress", block.find("private_ip_address"));
    else if (const Value* address = block.find("private_ip_address");
             address != nullptr && address->is_unknown() && given(block.find("subnet_id")))
        fp.set("privateIPAddress", *address); // a private frontend's address, given at apply
    put(fp, "privateIPAddressVersion", block.find("private_ip_address_version"));
    if (Value pip =
            t.link(r, block.find("public_ip_address_id"),
                   Translation::in_block(r, "frontend_ip_configuration", block), {"azurerm_public_ip"});
        !pip.is_null())
        fp.set("publicIPAddress", id_object(std::move(pip)));
    put(f, "zones", block.find("zones"));
    return f;
}

void load_balancer(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    // azurerm's default SKU is Basic; Azure retired Basic load balancers in September 2025.
    Object& sku = child(body, "sku");
    sku.set("name", given(attr(r, "sku")).value_or(Value("Basic")));
    put(sku, "tier", attr(r, "sku_tier"));
    Array frontends;
    const Value id = t.id_of(r);
    for (const Value& block : blocks(attr(r, "frontend_ip_configuration")))
        frontends.emplace_back(frontend(t, r, block, id));
    p.set("frontendIPConfigurations", std::move(frontends));
    for (std::string_view list :
         {"backendAddressPools", "probes", "loadBalancingRules", "inboundNatRules", "outboundRules"})
        p.set(std::string(list), Array());
}

Value sub_id(const Value& parent, std::string_view list, const Value* name) {
    std::optional<std::string> known = known_string(name);
    if (!parent.is_string() || !known)
        return Value::unknown("known only after apply");
    return Value(fmt::format("{}/{}/{}", parent.as_string(), list, *known));
}

// A part of a load balancer, added to its list.
void lb_part(Translation& t, const ResourceInstance& r, std::string list, Object properties_of_part) {
    Object part;
    put(part, "name", attr(r, "name"));
    part.set("id", t.id_of(r));
    part.set("properties", std::move(properties_of_part));
    t.patch({t.link(r, attr(r, "loadbalancer_id"), "loadbalancer_id", {"azurerm_lb"}),
             fmt::format("a load balancer's {}", list),
             [list = std::move(list), part = Value(std::move(part))](Object& lb) {
                 append(properties(lb), list, part);
             },
             r.where});
}

void lb_pool(Translation& t, const ResourceInstance& r, Object&) {
    lb_part(t, r, "backendAddressPools", Object());
}

void lb_probe(Translation& t, const ResourceInstance& r, Object&) {
    Object p;
    put_or(p, "protocol", attr(r, "protocol"), "Tcp");
    put(p, "port", attr(r, "port"));
    put(p, "requestPath", attr(r, "request_path"));
    put(p, "intervalInSeconds", attr(r, "interval_in_seconds"));
    lb_part(t, r, "probes", std::move(p));
}

void lb_rule_like(Translation& t, const ResourceInstance& r, std::string list) {
    Object p;
    Value lb = t.link(r, attr(r, "loadbalancer_id"), "loadbalancer_id", {"azurerm_lb"});
    p.set("frontendIPConfiguration",
          id_object(sub_id(lb, "frontendIPConfigurations", attr(r, "frontend_ip_configuration_name"))));
    put(p, "protocol", attr(r, "protocol"));
    put(p, "frontendPort", attr(r, "frontend_port"));
    put(p, "backendPort", attr(r, "backend_port"));
    put(p, "frontendPortRangeStart", attr(r, "frontend_port_start"));
    put(p, "frontendPortRangeEnd", attr(r, "frontend_port_end"));
    Array pools = t.link_list(r, attr(r, "backend_address_pool_ids"), "backend_address_pool_ids",
                              "azurerm_lb_backend_address_pool");
    if (Value pool = t.link(r, attr(r, "backend_address_pool_id"), "backend_address_pool_id",
                            {"azurerm_lb_backend_address_pool"});
        !pool.is_null())
        pools.push_back(std::move(pool));
    if (!pools.empty())
        p.set("backendAddressPool", id_object(pools.front()));
    if (Value probe = t.link(r, attr(r, "probe_id"), "probe_id", {"azurerm_lb_probe"}); !probe.is_null())
        p.set("probe", id_object(std::move(probe)));
    put(p, "enableFloatingIP", either(r, {"floating_ip_enabled", "enable_floating_ip"}));
    lb_part(t, r, std::move(list), std::move(p));
}

void nic_pool_association(Translation& t, const ResourceInstance& r, std::string_view pool_type,
                          std::string list, std::string what) {
    Value pool = t.link(r, attr(r, "backend_address_pool_id"), "backend_address_pool_id", {pool_type});
    const std::optional<std::string> only = known_string(attr(r, "ip_configuration_name"));
    t.patch(
        {t.link(r, attr(r, "network_interface_id"), "network_interface_id", {"azurerm_network_interface"}),
         std::move(what),
         [list = std::move(list), pool, only](Object& nic) {
             Value* configs = properties(nic).find("ipConfigurations");
             if (configs == nullptr || !configs->is_array())
                 return;
             for (Value& c : configs->as_array()) {
                 const Value* name = c.find("name");
                 if (!only || (name != nullptr && name->is_string() && name->as_string() == *only))
                     append(child(c.as_object(), "properties"), list, id_object(pool));
             }
         },
         r.where});
}

// ---- Application Gateways

// A gateway's child reference: "{gateway}/{list}/{name}".
Value gateway_ref(const Value& gateway, std::string_view list, const Value* name) {
    return id_object(sub_id(gateway, list, name));
}

Array named_list(const ResourceInstance& r, std::string_view block_name,
                 const std::function<void(const Value& block, Object& properties)>& fill) {
    Array out;
    for (const Value& block : blocks(attr(r, block_name))) {
        Object o;
        put(o, "name", block.find("name"));
        fill(block, child(o, "properties"));
        out.emplace_back(std::move(o));
    }
    return out;
}

void application_gateway(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    const Value gw = t.id_of(r);
    if (const Value* sku = first_block(attr(r, "sku"))) {
        Object& s = child(p, "sku");
        put(s, "name", sku->find("name"));
        put(s, "tier", sku->find("tier"));
        put(s, "capacity", sku->find("capacity"));
    }
    p.set(
        "gatewayIPConfigurations", named_list(r, "gateway_ip_configuration", [&](const Value& b, Object& o) {
            if (Value s = t.link(r, b.find("subnet_id"),
                                 Translation::in_block(r, "gateway_ip_configuration", b), {"azurerm_subnet"});
                !s.is_null())
                o.set("subnet", id_object(std::move(s)));
        }));
    Array frontends;
    for (const Value& block : blocks(attr(r, "frontend_ip_configuration")))
        frontends.emplace_back(frontend(t, r, block, gw));
    p.set("frontendIPConfigurations", std::move(frontends));
    p.set("frontendPorts",
          named_list(r, "frontend_port", [](const Value& b, Object& o) { put(o, "port", b.find("port")); }));
    p.set("backendAddressPools", named_list(r, "backend_address_pool", [](const Value& b, Object& o) {
              Array addresses;
              for (const Value& ip : blocks(b.find("ip_addresses"))) {
                  Object a;
                  a.set("ipAddress", ip);
                  addresses.emplace_back(std::move(a));
              }
              for (const Value& fqdn : blocks(b.find("fqdns"))) {
                  Object a;
                  a.set("fqdn", fqdn);
                  addresses.emplace_back(std::move(a));
              }
              o.set("backendAddresses", std::move(addresses));
          }));
    p.set("backendHttpSettingsCollection",
          named_list(r, "backend_http_settings", [](const Value& b, Object& o) {
              put(o, "port", b.find("port"));
              put(o, "protocol", b.find("protocol"));
              put(o, "cookieBasedAffinity", b.find("cookie_based_affinity"));
              put(o, "requestTimeout", b.find("request_timeout"));
          }));
    p.set("sslCertificates", named_list(r, "ssl_certificate", [](const Value& b, Object& o) {
              put(o, "keyVaultSecretId", b.find("key_vault_secret_id"));
          }));
    p.set("httpListeners", named_list(r, "http_listener", [&](const Value& b, Object& o) {
              o.set("frontendIPConfiguration",
                    gateway_ref(gw, "frontendIPConfigurations", b.find("frontend_ip_configuration_name")));
              o.set("frontendPort", gateway_ref(gw, "frontendPorts", b.find("frontend_port_name")));
              put(o, "protocol", b.find("protocol"));
              put(o, "hostName", b.find("host_name"));
              if (given(b.find("ssl_certificate_name")))
                  o.set("sslCertificate", gateway_ref(gw, "sslCertificates", b.find("ssl_certificate_name")));
              if (Value policy =
                      t.link(r, b.find("firewall_policy_id"), Translation::in_block(r, "http_listener", b),
                             {"azurerm_web_application_firewall_policy"});
                  !policy.is_null())
                  o.set("firewallPolicy", id_object(std::move(policy)));
          }));
    p.set("requestRoutingRules", named_list(r, "request_routing_rule", [&](const Value& b, Object& o) {
              put(o, "ruleType", b.find("rule_type"));
              put(o, "priority", b.find("priority"));
              o.set("httpListener", gateway_ref(gw, "httpListeners", b.find("http_listener_name")));
              if (given(b.find("backend_address_pool_name")))
                  o.set("backendAddressPool",
                        gateway_ref(gw, "backendAddressPools", b.find("backend_address_pool_name")));
              if (given(b.find("backend_http_settings_name")))
                  o.set("backendHttpSettings", gateway_ref(gw, "backendHttpSettingsCollection",
                                                           b.find("backend_http_settings_name")));
          }));
    if (const Value* ssl = first_block(attr(r, "ssl_policy"))) {
        Object& s = child(p, "sslPolicy");
        put(s, "policyType", ssl->find("policy_type"));
        put(s, "policyName", ssl->find("policy_name"));
        put(s, "minProtocolVersion", ssl->find("min_protocol_version"));
    }
    if (const Value* waf = first_block(attr(r, "waf_configuration"))) {
        Object& w = child(p, "webApplicationFirewallConfiguration");
        put(w, "enabled", waf->find("enabled"));
        put(w, "firewallMode", waf->find("firewall_mode"));
        put(w, "ruleSetType", waf->find("rule_set_type"));
        put(w, "ruleSetVersion", waf->find("rule_set_version"));
    }
    if (Value policy = t.link(r, attr(r, "firewall_policy_id"), "firewall_policy_id",
                              {"azurerm_web_application_firewall_policy"});
        !policy.is_null())
        p.set("firewallPolicy", id_object(std::move(policy)));
    put(body, "zones", attr(r, "zones"));
}

// A managed rule set block (type, version and, for Front Door, action) as a managedRuleSets entry;
// `default_type` is azurerm's default type, empty where the type is required.
Object managed_rule_set(const Value& block, std::string_view default_type) {
    Object o;
    if (default_type.empty())
        put(o, "ruleSetType", block.find("type"));
    else
        put_or(o, "ruleSetType", block.find("type"), std::string(default_type));
    put(o, "ruleSetVersion", block.find("version"));
    put(o, "ruleSetAction", block.find("action"));
    return o;
}

// azurerm_cdn_frontdoor_firewall_policy: mode and enabled at the top, managed_rule blocks.
void front_door_waf_policy(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    Object& s = child(p, "policySettings");
    s.set("enabledState", enabled_text(attr(r, "enabled"), true));
    put(s, "mode", attr(r, "mode"));
    Array sets;
    for (const Value& rule : blocks(attr(r, "managed_rule")))
        sets.emplace_back(managed_rule_set(rule, {}));
    child(p, "managedRules").set("managedRuleSets", std::move(sets));
    if (std::optional<Value> sku = given(attr(r, "sku_name")))
        child(body, "sku").set("name", std::move(*sku));
}

void waf_policy(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    if (const Value* settings = first_block(attr(r, "policy_settings"))) {
        // azurerm's defaults inside policy_settings: enabled, Prevention, request body check on.
        Object& s = child(p, "policySettings");
        s.set("state", enabled_text(settings->find("enabled"), true));
        put_or(s, "mode", settings->find("mode"), "Prevention");
        put_or(s, "requestBodyCheck", settings->find("request_body_check"), true);
        put(s, "maxRequestBodySizeInKb", settings->find("max_request_body_size_in_kb"));
        put(s, "fileUploadLimitInMb", settings->find("file_upload_limit_in_mb"));
    }
    Array sets;
    if (const Value* managed = first_block(attr(r, "managed_rules")))
        for (const Value& set : blocks(managed->find("managed_rule_set")))
            sets.emplace_back(managed_rule_set(set, "OWASP"));
    child(p, "managedRules").set("managedRuleSets", std::move(sets));
    Array custom;
    for (const Value& rule : blocks(attr(r, "custom_rules"))) {
        Object o;
        put(o, "name", rule.find("name"));
        put(o, "priority", rule.find("priority"));
        put(o, "ruleType", rule.find("rule_type"));
        put(o, "action", rule.find("action"));
        custom.emplace_back(std::move(o));
    }
    p.set("customRules", std::move(custom));
}

} // namespace

void add_traffic_types(TypeTable& table) {
    const IdRecipe named;
    table["azurerm_firewall"] = {"Microsoft.Network/azureFirewalls", named, firewall};
    for (const auto& [type, kind, list] :
         {std::tuple{"azurerm_firewall_network_rule_collection", "network", "networkRuleCollections"},
          std::tuple{"azurerm_firewall_application_rule_collection", "application",
                     "applicationRuleCollections"},
          std::tuple{"azurerm_firewall_nat_rule_collection", "nat", "natRuleCollections"}}) {
        std::string_view k = kind;
        std::string l = list;
        table[type] = changes_others(
            [k, l](Translation& t, const ResourceInstance& r, Object&) { classic_collection(t, r, k, l); });
    }
    table["azurerm_firewall_policy"] = {"Microsoft.Network/firewallPolicies", named, firewall_policy};
    table["azurerm_firewall_policy_rule_collection_group"] = {
        "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
        {Base::Parent, "firewall_policy_id"},
        rule_collection_group};
    table["azurerm_ip_group"] = {"Microsoft.Network/ipGroups", named, ip_group};

    table["azurerm_lb"] = {"Microsoft.Network/loadBalancers", named, load_balancer};
    const IdRecipe lb_child{Base::Parent, "loadbalancer_id"};
    table["azurerm_lb_backend_address_pool"] = {"Microsoft.Network/loadBalancers/backendAddressPools",
                                                lb_child, lb_pool, true};
    table["azurerm_lb_probe"] = {"Microsoft.Network/loadBalancers/probes", lb_child, lb_probe, true};
    table["azurerm_lb_rule"] = {
        "Microsoft.Network/loadBalancers/loadBalancingRules", lb_child,
        [](Translation& t, const ResourceInstance& r, Object&) { lb_rule_like(t, r, "loadBalancingRules"); },
        true};
    table["azurerm_lb_nat_rule"] = {
        "Microsoft.Network/loadBalancers/inboundNatRules", lb_child,
        [](Translation& t, const ResourceInstance& r, Object&) { lb_rule_like(t, r, "inboundNatRules"); },
        true};
    table["azurerm_lb_outbound_rule"] = {
        "Microsoft.Network/loadBalancers/outboundRules", lb_child,
        [](Translation& t, const ResourceInstance& r, Object&) { lb_rule_like(t, r, "outboundRules"); },
        true};
    table["azurerm_network_interface_backend_address_pool_association"] =
        changes_others([](Translation& t, const ResourceInstance& r, Object&) {
            nic_pool_association(t, r, "azurerm_lb_backend_address_pool", "loadBalancerBackendAddressPools",
                                 "a network interface's load balancer pool association");
        });
    table["azurerm_network_interface_application_gateway_backend_address_pool_association"] =
        changes_others([](Translation& t, const ResourceInstance& r, Object&) {
            nic_pool_association(t, r, "", "applicationGatewayBackendAddressPools",
                                 "a network interface's App Gateway pool association");
        });

    table["azurerm_application_gateway"] = {"Microsoft.Network/applicationGateways", named,
                                            application_gateway};
    table["azurerm_web_application_firewall_policy"] = {
        "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", named, waf_policy};
    table["azurerm_cdn_frontdoor_firewall_policy"] = {
        "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies", named, front_door_waf_policy};
}

} // namespace ztnet::load::azurerm
