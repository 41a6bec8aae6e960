// Network security groups and their rules, firewalls and their policies, WAF policies, IP groups.
#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/load/detail/net_fields.h"
#include "ztnet/load/detail/rule_fields.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load::detail {

using model::Index;
using model::kNone;
using model::ResourceKind;

namespace {

constexpr int kMinPriority = 100;
constexpr int kMaxPriority = 4096;

bool is_address_like(std::string_view text) {
    return !text.empty() &&
           (std::isdigit(static_cast<unsigned char>(text[0])) || text.find(':') != std::string_view::npos);
}

// The port set of one side, from the singular and plural fields.
std::vector<std::string> read_port_texts(FieldReader& read, const Cursor& props, std::string_view singular,
                                         std::string_view plural) {
    std::vector<std::string> texts;
    if (auto one = read.string(props[singular]); one && !one->empty())
        texts.push_back(*one);
    for (std::string& p : read.strings(props[plural]))
        texts.push_back(std::move(p));
    return texts;
}

std::vector<std::string> read_strings_ci(FieldReader& read, const Cursor& c, std::string_view key) {
    return read.strings(c[key]);
}

} // namespace

// One address entry of a rule ("*", a prefix or address, or a service tag).
std::optional<model::AddressEntry> parse_address_entry(FieldReader& read, const Cursor& at,
                                                       const std::string& text, const std::string& rule) {
    model::AddressEntry entry;
    if (text == "*") {
        entry.kind = model::AddressEntry::Kind::Any;
        return entry;
    }
    if (is_address_like(text)) {
        auto prefix = net::Prefix::parse(text);
        if (!prefix) {
            read.error(at, "invalid-prefix", fmt::format("rule {}: {}", rule, prefix.error().message));
            return std::nullopt;
        }
        if (prefix->had_host_bits())
            read.warning(at, "prefix-host-bits",
                         fmt::format("rule {}: prefix '{}' has host bits set; Azure treats it as {}", rule,
                                     text, prefix->to_string()));
        entry.kind = model::AddressEntry::Kind::Prefix;
        entry.prefix = *prefix;
        return entry;
    }
    bool tag_chars = std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
    if (text.empty() || !tag_chars) {
        read.error(
            at, "invalid-prefix",
            fmt::format("rule {}: '{}' is not an address, a prefix, '*' or a service tag", rule, text));
        return std::nullopt;
    }
    entry.kind = model::AddressEntry::Kind::ServiceTag;
    entry.tag = text;
    return entry;
}

// Why the value at `c`, or one of its elements, is unknown; nullopt when it is known (or absent).
std::optional<std::string> unknown_reason(const Cursor& c) {
    if (!c.value)
        return std::nullopt;
    if (c.value->is_unknown())
        return c.value->as_unknown().reason;
    for (const Cursor& e : c.elements()) {
        if (e.value && e.value->is_unknown())
            return e.value->as_unknown().reason;
        if (auto id = e["id"]; id.value && id.value->is_unknown())
            return id.value->as_unknown().reason;
    }
    return std::nullopt;
}

// Records that `field` of `rule` is unknown when any of `cursors` is.
void note_unknown_field(model::SecurityRule& rule, model::RuleField field,
                        std::initializer_list<Cursor> cursors) {
    for (const Cursor& c : cursors) {
        if (auto reason = unknown_reason(c)) {
            rule.unknowns.push_back({field, std::move(*reason)});
            return;
        }
    }
}

model::RuleEndpoint EstateBuilder::read_rule_endpoint(model::NetworkSecurityGroup& n, model::SecurityRule& of,
                                                      const Cursor& props, bool source) {
    FieldReader read = reader(n);
    const std::string& rule = of.name;
    const model::RuleField field = source ? model::RuleField::Source : model::RuleField::Destination;
    std::string side = source ? "source" : "destination";
    model::RuleEndpoint endpoint;
    Cursor singular = props[side + "AddressPrefix"];
    Cursor plural = props[side + "AddressPrefixes"];
    Cursor asgs = props[side + "ApplicationSecurityGroups"];
    note_unknown_field(of, field, {singular, plural, asgs});
    std::vector<std::pair<Cursor, std::string>> texts;
    if (auto one = read.string(singular); one && !one->empty())
        texts.emplace_back(singular, *one);
    for (const Cursor& e : plural.elements()) {
        if (auto s = read.string(e))
            texts.emplace_back(e, *s);
    }
    for (const auto& [at, text] : texts) {
        if (auto entry = parse_address_entry(read, at, text, rule))
            endpoint.addresses.push_back(std::move(*entry));
    }
    for (const std::string& id : read.reference_ids(asgs)) {
        auto asg = resolve<model::ApplicationSecurityGroup>(id, asgs, true);
        if (asg != kNone)
            endpoint.application_security_groups.push_back(asg);
        else if (!estate_.find(id)) // outside the input: its members are unknown
            of.unknowns.push_back(
                {field, fmt::format("application security group {} is outside the input", last_segment(id))});
    }
    if (!endpoint.addresses.empty() && !endpoint.application_security_groups.empty())
        read.error(
            props, "rule-mixed-endpoint",
            fmt::format("rule {}: {} side mixes address prefixes and application security groups; Azure "
                        "allows one or the other",
                        rule, side));
    bool given = singular.value || plural.value || asgs.value;
    if (of.is_unknown(field))
        return endpoint; // known entries are kept; mixing and tags are judged once the value is known
    if (!given)
        read.error(props, "missing-field",
                   fmt::format(
                       "rule {1} has no {0}AddressPrefix, {0}AddressPrefixes or {0}ApplicationSecurityGroups",
                       side, rule));
    std::size_t tags = std::count_if(endpoint.addresses.begin(), endpoint.addresses.end(), [](const auto& e) {
        return e.kind == model::AddressEntry::Kind::ServiceTag;
    });
    if (tags > 0 && endpoint.addresses.size() > 1)
        read.warning(
            props, "rule-mixed-tag",
            fmt::format("rule {}: {} side mixes a service tag with other entries, which Azure does not "
                        "accept in one rule",
                        rule, side));
    return endpoint;
}

void EstateBuilder::fill_nsg(model::NetworkSecurityGroup& n, const Cursor& body) {
    Cursor rules = body["properties"]["securityRules"];
    if (auto reason = unknown_reason(rules))
        n.rules_unknown = "its security rules: " + *reason;
    for (const Cursor& rule : rules.elements()) {
        if (rule.value && !rule.value->is_unknown())
            add_security_rule(n, "", rule);
    }
}

void EstateBuilder::add_security_rule(model::NetworkSecurityGroup& n, const std::string& id,
                                      const Cursor& body) {
    FieldReader read = reader(n);
    Cursor props = body["properties"];
    model::SecurityRule rule;
    rule.name = last_segment(read.string_or(body["name"], ""));
    rule.id = !id.empty() ? id : read.string_or(body["id"], n.id + "/securityRules/" + rule.name);
    rule.where = body.where();
    rule.description = read.string_or(props["description"], "");
    if (!props) {
        read.error(body, "missing-field", fmt::format("security rule {} has no properties", rule.name));
        return;
    }
    note_unknown_field(rule, model::RuleField::Priority, {props["priority"]});
    note_unknown_field(rule, model::RuleField::InboundOrOutbound, {props["direction"]});
    note_unknown_field(rule, model::RuleField::AllowOrDeny, {props["access"]});
    note_unknown_field(rule, model::RuleField::Protocol, {props["protocol"]});
    note_unknown_field(rule, model::RuleField::SourcePorts,
                       {props["sourcePortRange"], props["sourcePortRanges"]});
    note_unknown_field(rule, model::RuleField::DestinationPorts,
                       {props["destinationPortRange"], props["destinationPortRanges"]});
    if (auto priority = read.integer(props["priority"])) {
        if (*priority < kMinPriority || *priority > kMaxPriority)
            read.error(props["priority"], "invalid-priority",
                       fmt::format("rule {}: priority {} is outside {}-{}", rule.name, *priority,
                                   kMinPriority, kMaxPriority));
        rule.priority = static_cast<int>(std::clamp<std::int64_t>(*priority, 0, 1 << 20));
    } else if (!props["priority"].value) {
        read.error(props, "missing-field", fmt::format("rule {} has no priority", rule.name));
    }
    std::string direction = read.string_or(props["direction"], "");
    if (model::same_id(direction, "Inbound"))
        rule.direction = model::Direction::Inbound;
    else if (model::same_id(direction, "Outbound"))
        rule.direction = model::Direction::Outbound;
    else if (props["direction"].value && !props["direction"].value->is_unknown())
        read.error(
            props["direction"], "invalid-direction",
            fmt::format("rule {}: direction '{}', expected Inbound or Outbound", rule.name, direction));
    else if (!props["direction"].value)
        read.error(props, "missing-field", fmt::format("rule {} has no direction", rule.name));
    std::string access = read.string_or(props["access"], "");
    if (model::same_id(access, "Allow"))
        rule.access = model::Access::Allow;
    else if (model::same_id(access, "Deny"))
        rule.access = model::Access::Deny;
    else if (props["access"].value && !props["access"].value->is_unknown())
        read.error(props["access"], "invalid-access",
                   fmt::format("rule {}: access '{}', expected Allow or Deny", rule.name, access));
    else if (!props["access"].value)
        read.error(props, "missing-field", fmt::format("rule {} has no access", rule.name));
    rule.protocol = read.string_or(props["protocol"], "");
    if (auto protocols = net::parse_nsg_protocol(rule.protocol))
        rule.protocols = *protocols;
    else if (props["protocol"].value && !props["protocol"].value->is_unknown())
        read.error(props["protocol"], "invalid-protocol",
                   fmt::format("rule {}: {}", rule.name, protocols.error().message));
    else if (!props["protocol"].value)
        read.error(props, "missing-field", fmt::format("rule {} has no protocol", rule.name));
    rule.source = read_rule_endpoint(n, rule, props, true);
    rule.destination = read_rule_endpoint(n, rule, props, false);
    auto read_ports = [&](std::string_view singular, std::string_view plural, std::vector<std::string>& texts,
                          net::PortSet& set) {
        texts = read_port_texts(read, props, singular, plural);
        if (texts.empty() && !props[singular].value && !props[plural].value) {
            read.error(props, "missing-field",
                       fmt::format("rule {} has no {} or {}", rule.name, singular, plural));
            return;
        }
        for (const std::string& text : texts) {
            auto ports = net::parse_port_spec(text);
            if (!ports) {
                read.error(props[plural].value ? props[plural] : props[singular], "invalid-port",
                           fmt::format("rule {}: {}", rule.name, ports.error().message));
                continue;
            }
            set = set.unite(*ports);
        }
    };
    read_ports("sourcePortRange", "sourcePortRanges", rule.source_ports, rule.source_port_set);
    read_ports("destinationPortRange", "destinationPortRanges", rule.destination_ports,
               rule.destination_port_set);
    n.rules.push_back(std::move(rule));
}

void EstateBuilder::check_rule_priorities(const model::NetworkSecurityGroup& n) {
    std::map<std::pair<int, int>, const model::SecurityRule*> seen;
    std::map<std::string, const model::SecurityRule*> names;
    for (const model::SecurityRule& rule : n.rules) {
        auto key = std::make_pair(static_cast<int>(rule.direction), rule.priority);
        auto [it, fresh] = seen.emplace(key, &rule);
        if (!fresh && rule.priority != 0) {
            Diagnostic d{Severity::Error,
                         "duplicate-priority",
                         fmt::format("NSG {}: rules {} and {} both have {} priority {}", n.name,
                                     it->second->name, rule.name,
                                     rule.direction == model::Direction::Inbound ? "inbound" : "outbound",
                                     rule.priority),
                         rule.where,
                         {}};
            diagnostics_.add(std::move(d));
        }
        auto [nit, fresh_name] = names.emplace(model::id_key(rule.name), &rule);
        if (!fresh_name)
            diagnostics_.add({Severity::Error,
                              "duplicate-rule",
                              fmt::format("NSG {}: rule {} is declared more than once", n.name, rule.name),
                              rule.where,
                              {}});
    }
}

// An App Gateway WAF policy, or a Front Door one, whose state is policySettings.enabledState.
void EstateBuilder::fill_waf_policy(model::WafPolicy& w, const Cursor& body) {
    FieldReader read = reader(w);
    Cursor props = body["properties"];
    Cursor settings = props["policySettings"];
    const bool front_door = model::same_id(read.string_or(body["type"], model::parse_resource_id(w.id).type),
                                           kFrontDoorWafPolicyType);
    if (front_door)
        w.type = std::string(kFrontDoorWafPolicyType);
    w.mode = read.enum_setting<model::WafMode>(settings["mode"], ResourceKind::WafPolicy,
                                               "properties.policySettings.mode");
    w.state = read.enum_setting<model::WafState>(settings[front_door ? "enabledState" : "state"],
                                                 ResourceKind::WafPolicy, "properties.policySettings.state");
    for (const Cursor& set : props["managedRules"]["managedRuleSets"].elements()) {
        w.managed_rule_sets.push_back(read.string_or(set["ruleSetType"], "") + " " +
                                      read.string_or(set["ruleSetVersion"], ""));
    }
}

namespace {

// The first unknown value at or anywhere inside `v`, or null.
const json::Unknown* first_unknown(const json::Value& v) {
    if (v.is_unknown())
        return &v.as_unknown();
    if (v.is_array()) {
        for (const json::Value& e : v.as_array())
            if (const json::Unknown* u = first_unknown(e))
                return u;
    } else if (v.is_object()) {
        for (const auto& [key, member] : v.as_object())
            if (const json::Unknown* u = first_unknown(member))
                return u;
    }
    return nullptr;
}

// Records which fields of a firewall rule the input cannot tell.
void note_unknown_firewall_fields(model::FirewallRule& rule, const Cursor& r, const Cursor& src) {
    if (auto reason = unknown_reason(r)) {
        rule.unknown_fields.push_back("*");
        rule.unknown_reason = *reason;
        return;
    }
    for (std::string_view field :
         {"ruleType", "protocols", "ipProtocols", "sourceAddresses", "sourceIpGroups", "destinationAddresses",
          "destinationIpGroups", "destinationFqdns", "destinationPorts", "targetFqdns", "fqdnTags",
          "webCategories", "translatedAddress", "translatedPort"}) {
        Cursor c = field == "ruleType" ? r[field] : src[field];
        const json::Unknown* unknown = c.value ? first_unknown(*c.value) : nullptr;
        if (!unknown)
            continue;
        rule.unknown_fields.emplace_back(field);
        if (rule.unknown_reason.empty())
            rule.unknown_reason = fmt::format("{}: {}", field, unknown->reason);
    }
}

// Stands for rules the input cannot tell at all (a collection's rule list from a parameter), of the
// type a classic collection gives its rules.
model::FirewallRule unknown_firewall_rules(const std::string& reason,
                                           std::optional<model::FirewallRuleType> type = std::nullopt) {
    model::FirewallRule rule;
    rule.rule_type = type;
    rule.name = "(unknown rules)";
    rule.unknown_fields.push_back("*");
    rule.unknown_reason = reason;
    return rule;
}

// A classic rule's type is its collection's; a policy rule names its own. A type Azure does not
// document is warned about and makes the rule unknown, so that the firewall cannot rely on it.
std::optional<model::FirewallRuleType> read_rule_type(FieldReader& read, const Cursor& r,
                                                      std::optional<model::FirewallRuleType> classic,
                                                      model::FirewallRule& rule) {
    if (!r["ruleType"] || r["ruleType"].value->is_unknown())
        return classic;
    std::optional<model::FirewallRuleType> type =
        read.optional_enum<model::FirewallRuleType>(r["ruleType"], "ruleType");
    if (!type && std::find(rule.unknown_fields.begin(), rule.unknown_fields.end(), "ruleType") ==
                     rule.unknown_fields.end()) {
        rule.unknown_fields.emplace_back("ruleType");
        if (rule.unknown_reason.empty())
            rule.unknown_reason = fmt::format("ruleType: '{}' is not {}", read.string_or(r["ruleType"], ""),
                                              model::expected_names<model::FirewallRuleType>());
    }
    return type;
}

model::FirewallRule read_firewall_rule(FieldReader& read, const Cursor& r,
                                       std::optional<model::FirewallRuleType> classic_type) {
    model::FirewallRule rule;
    Cursor src = r["properties"] ? r["properties"] : r; // classic rules nest under properties only sometimes
    note_unknown_firewall_fields(rule, r, src);
    rule.name = read.string_or(r["name"], "");
    rule.rule_type = read_rule_type(read, r, classic_type, rule);
    for (const Cursor& p : src["protocols"].elements()) {
        if (p.value->is_unknown())
            continue;
        if (p.value->is_string())
            rule.protocols.push_back(p.value->as_string());
        else if (p.value->is_object())
            rule.protocols.push_back(read.string_or(p["protocolType"], "") + ":" +
                                     std::to_string(read.integer(p["port"]).value_or(0)));
    }
    for (std::string& p : read_strings_ci(read, src, "ipProtocols"))
        rule.protocols.push_back(std::move(p));
    rule.source_addresses = read_strings_ci(read, src, "sourceAddresses");
    rule.source_ip_groups = read_strings_ci(read, src, "sourceIpGroups");
    rule.destination_addresses = read_strings_ci(read, src, "destinationAddresses");
    rule.destination_ip_groups = read_strings_ci(read, src, "destinationIpGroups");
    rule.destination_fqdns = read_strings_ci(read, src, "destinationFqdns");
    rule.destination_ports = read_strings_ci(read, src, "destinationPorts");
    rule.target_fqdns = read_strings_ci(read, src, "targetFqdns");
    rule.fqdn_tags = read_strings_ci(read, src, "fqdnTags");
    rule.web_categories = read_strings_ci(read, src, "webCategories");
    rule.translated_address = read.string_or(src["translatedAddress"], "");
    rule.translated_port = read.string_or(src["translatedPort"], "");
    return rule;
}

} // namespace

void EstateBuilder::fill_firewall(model::AzureFirewall& f, const Cursor& body) {
    FieldReader read = reader(f);
    Cursor props = body["properties"];
    f.sku_tier = read.enum_setting<model::FirewallTier>(props["sku"]["tier"], ResourceKind::AzureFirewall,
                                                        "properties.sku.tier");
    f.threat_intel_mode = read.enum_setting<model::FirewallAlertMode>(
        props["threatIntelMode"], ResourceKind::AzureFirewall, "properties.threatIntelMode");
    for (const Cursor& c : props["ipConfigurations"].elements()) {
        Cursor cp = c["properties"];
        if (cp["subnet"])
            f.subnet = resolve_ref<model::Subnet>(cp["subnet"], true);
        if (auto ip = read_address(read, cp["privateIPAddress"]))
            f.private_ip = ip;
        if (cp["publicIPAddress"]) {
            auto pip = resolve_ref<model::PublicIpAddress>(cp["publicIPAddress"], true);
            if (pip != kNone)
                f.public_ips.push_back(pip);
        }
    }
    if (props["firewallPolicy"])
        f.firewall_policy = resolve_ref<model::FirewallPolicy>(props["firewallPolicy"], true);
    using Kind = model::FirewallCollectionKind;
    using Type = model::FirewallRuleType;
    struct Classic {
        std::string_view list;
        Kind kind;
        Type rule_type;
    };
    for (const Classic& c :
         {Classic{"natRuleCollections", Kind::Nat, Type::NatRule},
          Classic{"networkRuleCollections", Kind::Network, Type::NetworkRule},
          Classic{"applicationRuleCollections", Kind::Application, Type::ApplicationRule}}) {
        for (const Cursor& coll : props[c.list].elements()) {
            model::FirewallRuleCollection collection;
            collection.name = read.string_or(coll["name"], "");
            collection.kind = c.kind;
            collection.priority = static_cast<int>(read.integer(coll["properties"]["priority"]).value_or(0));
            collection.action = read.optional_enum<model::FirewallAction>(
                coll["properties"]["action"]["type"], "properties.action.type");
            for (const Cursor& r : coll["properties"]["rules"].elements())
                collection.rules.push_back(read_firewall_rule(read, r, c.rule_type));
            if (auto reason = unknown_reason(coll["properties"]["rules"]))
                collection.rules.push_back(unknown_firewall_rules("rules: " + *reason, c.rule_type));
            f.classic_collections.push_back(std::move(collection));
        }
        if (auto reason = unknown_reason(props[c.list])) {
            model::FirewallRuleCollection collection;
            collection.name = "(unknown collections)";
            collection.kind = c.kind;
            collection.rules.push_back(
                unknown_firewall_rules(std::string(c.list) + ": " + *reason, c.rule_type));
            f.classic_collections.push_back(std::move(collection));
        }
    }
}

void EstateBuilder::fill_firewall_policy(model::FirewallPolicy& p, const Cursor& body) {
    FieldReader read = reader(p);
    Cursor props = body["properties"];
    constexpr ResourceKind kPolicy = ResourceKind::FirewallPolicy;
    p.sku_tier = read.enum_setting<model::FirewallTier>(props["sku"]["tier"], kPolicy, "properties.sku.tier");
    p.threat_intel_mode = read.enum_setting<model::FirewallAlertMode>(props["threatIntelMode"], kPolicy,
                                                                      "properties.threatIntelMode");
    p.intrusion_detection_mode = read.enum_setting<model::FirewallAlertMode>(
        props["intrusionDetection"]["mode"], kPolicy, "properties.intrusionDetection.mode");
    p.tls_inspection = static_cast<bool>(props["transportSecurity"]["certificateAuthority"]);
    if (props["basePolicy"])
        p.base_policy = resolve_ref<model::FirewallPolicy>(props["basePolicy"], true);
}

void EstateBuilder::add_rule_collection_group(model::FirewallPolicy& p, const std::string& id,
                                              const Cursor& body) {
    FieldReader read = reader(p);
    Cursor props = body["properties"];
    model::FirewallRuleCollectionGroup group;
    group.id = id;
    group.name = last_segment(read.string_or(body["name"], ""));
    group.where = body.where();
    group.priority = static_cast<int>(read.integer(props["priority"]).value_or(0));
    for (const Cursor& coll : props["ruleCollections"].elements()) {
        model::FirewallRuleCollection collection;
        collection.name = read.string_or(coll["name"], "");
        collection.priority = static_cast<int>(read.integer(coll["priority"]).value_or(0));
        std::string type = read.string_or(coll["ruleCollectionType"], "");
        collection.kind = model::same_id(type, "FirewallPolicyNatRuleCollection")
                              ? model::FirewallCollectionKind::Nat
                              : model::FirewallCollectionKind::Filter;
        collection.action = read.optional_enum<model::FirewallAction>(coll["action"]["type"], "action.type");
        // A NAT collection's rules are NAT rules even when one leaves its ruleType out.
        std::optional<model::FirewallRuleType> implied;
        if (collection.kind == model::FirewallCollectionKind::Nat)
            implied = model::FirewallRuleType::NatRule;
        for (const Cursor& r : coll["rules"].elements())
            collection.rules.push_back(read_firewall_rule(read, r, implied));
        if (auto reason = unknown_reason(coll["rules"]))
            collection.rules.push_back(unknown_firewall_rules("rules: " + *reason, implied));
        group.collections.push_back(std::move(collection));
    }
    if (auto reason = unknown_reason(props["ruleCollections"])) {
        model::FirewallRuleCollection collection; // action unknown too: it may allow or deny
        collection.name = "(unknown collections)";
        collection.kind = model::FirewallCollectionKind::Filter;
        collection.rules.push_back(unknown_firewall_rules("ruleCollections: " + *reason));
        group.collections.push_back(std::move(collection));
    }
    std::stable_sort(group.collections.begin(), group.collections.end(),
                     [](const auto& a, const auto& b) { return a.priority < b.priority; });
    p.rule_collection_groups.push_back(std::move(group));
}

void EstateBuilder::fill_ip_group(model::IpGroup& g, const Cursor& body) {
    FieldReader read = reader(g);
    g.ip_addresses = read.strings(body["properties"]["ipAddresses"]);
}

} // namespace ztnet::load::detail
