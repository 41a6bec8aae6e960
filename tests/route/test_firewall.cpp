#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/load/loader.h"
#include "ztnet/route/firewall.h"
#include "ztnet/route/firewall_match.h"

namespace ztnet::route {
namespace {

const std::string kNet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/";

net::Address addr(std::string_view text) {
    auto a = net::Address::parse(text);
    EXPECT_TRUE(a.ok()) << text;
    return a.ok() ? *a : net::Address();
}

net::Flow flow(std::uint8_t protocol, std::string_view source, std::string_view destination,
               std::uint16_t port) {
    net::Flow f;
    f.protocol = protocol;
    f.source = addr(source);
    f.destination = addr(destination);
    if (net::protocol_has_ports(protocol)) {
        f.source_port = 50000;
        f.destination_port = port;
    }
    return f;
}

net::Flow tcp(std::string_view source, std::string_view destination, std::uint16_t port) {
    return flow(6, source, destination, port);
}

std::string list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? ", \"" : "\"") + items[i] + "\"";
    return out + "]";
}

// ---- export-shaped resources ----

std::string hub_vnet() {
    std::string id = kNet + "virtualNetworks/hub";
    return R"({"id": ")" + id + R"(", "type": "Microsoft.Network/virtualNetworks", "name": "hub",
        "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"name": "AzureFirewallSubnet", "id": ")" +
           id + R"(/subnets/AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.1.0/26"}},
        {"name": "other", "id": ")" +
           id + R"(/subnets/other", "properties": {"addressPrefix": "10.0.9.0/26"}}]}})";
}

std::string classic_vnet() {
    std::string id = kNet + "virtualNetworks/branch";
    return R"({"id": ")" + id + R"(", "type": "Microsoft.Network/virtualNetworks", "name": "branch",
        "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.50.0.0/16"]},
        "subnets": [{"name": "AzureFirewallSubnet", "id": ")" +
           id + R"(/subnets/AzureFirewallSubnet", "properties": {"addressPrefix": "10.50.0.0/26"}}]}})";
}

std::string firewall(const std::string& name, const std::string& vnet, const std::string& private_ip,
                     const std::string& body) {
    std::string ip = private_ip.empty() ? "" : R"("privateIPAddress": ")" + private_ip + R"(", )";
    return R"({"id": ")" + kNet + "azureFirewalls/" + name + R"(", "type": "Microsoft.Network/azureFirewalls",
        "name": ")" +
           name +
           R"(", "location": "westeurope", "properties": {"sku": {"tier": "Standard"}, "ipConfigurations": [
        {"name": "c", "properties": {)" +
           ip + R"("subnet": {"id": ")" + kNet + "virtualNetworks/" + vnet +
           R"(/subnets/AzureFirewallSubnet"}}}])" + body + "}}";
}

std::string policy(const std::string& name, const std::string& base, const std::string& threat_intel) {
    std::string parent =
        base.empty() ? "" : R"(, "basePolicy": {"id": ")" + kNet + "firewallPolicies/" + base + "\"}";
    return R"({"id": ")" + kNet + "firewallPolicies/" + name +
           R"(", "type": "Microsoft.Network/firewallPolicies",
        "name": ")" +
           name + R"(", "location": "westeurope", "properties": {"threatIntelMode": ")" + threat_intel +
           "\"" + parent + "}}";
}

std::string group(const std::string& policy_name, const std::string& name, int priority,
                  const std::vector<std::string>& collections) {
    std::string joined;
    for (const std::string& c : collections)
        joined += (joined.empty() ? "" : ",") + c;
    return R"({"id": ")" + kNet + "firewallPolicies/" + policy_name + "/ruleCollectionGroups/" + name +
           R"(", "type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "name": ")" + name +
           R"(", "properties": {"priority": )" + std::to_string(priority) + R"(, "ruleCollections": [)" +
           joined + "]}}";
}

std::string collection(const std::string& type, const std::string& name, int priority,
                       const std::string& action, const std::vector<std::string>& rules) {
    std::string joined;
    for (const std::string& r : rules)
        joined += (joined.empty() ? "" : ",") + r;
    return R"({"ruleCollectionType": ")" + type + R"(", "name": ")" + name + R"(", "priority": )" +
           std::to_string(priority) + R"(, "action": {"type": ")" + action + R"("}, "rules": [)" + joined +
           "]}";
}

std::string filter(const std::string& name, int priority, const std::string& action,
                   const std::vector<std::string>& rules) {
    return collection("FirewallPolicyFilterRuleCollection", name, priority, action, rules);
}

std::string network_rule(const std::string& name, const std::string& protocols, const std::string& sources,
                         const std::string& destinations, const std::string& ports,
                         const std::string& extra = "") {
    return R"({"ruleType": "NetworkRule", "name": ")" + name + R"(", "ipProtocols": )" + protocols +
           R"(, "sourceAddresses": )" + sources + R"(, "destinationAddresses": )" + destinations +
           R"(, "destinationPorts": )" + ports + extra + "}";
}

std::string application_rule(const std::string& name, const std::string& sources, const std::string& targets,
                             const std::string& extra = "") {
    return R"({"ruleType": "ApplicationRule", "name": ")" + name +
           R"(", "protocols": [{"protocolType": "Https", "port": 443}, {"protocolType": "Http", "port": 80}],
        "sourceAddresses": )" +
           sources + R"(, "targetFqdns": )" + targets + extra + "}";
}

std::string ip_group(const std::string& name, const std::vector<std::string>& addresses) {
    return R"({"id": ")" + kNet + "ipGroups/" + name +
           R"(", "type": "Microsoft.Network/ipGroups", "name": ")" + name +
           R"(", "location": "westeurope", "properties": {"ipAddresses": )" + list(addresses) + "}}";
}

model::Estate load_with(const std::vector<std::string>& resources, Diagnostics& diagnostics) {
    std::string text = "[";
    for (std::size_t i = 0; i < resources.size(); ++i)
        text += (i ? ",\n" : "") + resources[i];
    text += "]";
    SourceSet sources;
    FileId file = sources.add("export.json", text);
    return load::load_sources(sources, {file}, {}, diagnostics).estate;
}

model::Estate load(const std::vector<std::string>& resources) {
    Diagnostics diagnostics;
    model::Estate estate = load_with(resources, diagnostics);
    for (const Diagnostic& d : diagnostics.all())
        ADD_FAILURE() << d.code << ": " << d.message;
    return estate;
}

model::FirewallIndex firewall_named(const model::Estate& estate, const std::string& name) {
    for (model::FirewallIndex i : estate.azure_firewalls.indices()) {
        if (estate.azure_firewalls[i].name == name)
            return i;
    }
    ADD_FAILURE() << "no firewall " << name;
    return model::kNone;
}

// A parent policy and its child, a firewall using the child, an IP group.
model::Estate policy_estate() {
    const std::string parent = "afwp-base";
    const std::string child = "afwp-hub";
    std::string ipg_id = kNet + "ipGroups/ipg-spokes";
    return load({
        hub_vnet(),
        ip_group("ipg-spokes", {"10.1.0.0/16", "10.2.0.1-10.2.0.9"}),
        policy(parent, "", "Deny"),
        policy(child, parent, "Alert"),
        // Parent: its group has a worse (higher) priority than every child group, yet comes first.
        group(parent, "base-rcg", 500,
              {filter("base-deny-ssh", 100, "Deny",
                      {network_rule("no-ssh", R"(["TCP"])", R"(["*"])", R"(["*"])", R"(["22"])")})}),
        group(child, "rcg-b", 200,
              {filter("allow-web-spoke", 100, "Allow",
                      {network_rule("web", R"(["TCP"])", R"(["*"])", R"(["10.3.0.0/16"])",
                                    R"(["443", "8000-8100"])")}),
               filter("allow-dns", 300, "Allow",
                      {network_rule("dns", R"(["UDP"])", "[]", R"(["10.0.2.4"])", R"(["53"])",
                                    R"(, "sourceIpGroups": [")" + ipg_id + "\"]")}),
               filter("allow-fqdn-net", 400, "Allow",
                      {network_rule("api", R"(["TCP"])", R"(["10.1.0.0/16"])", "[]", R"(["8443"])",
                                    R"(, "destinationFqdns": ["api.contoso.com"])")}),
               filter("allow-ssh-spoke", 500, "Allow",
                      {network_rule("ssh", R"(["TCP"])", R"(["10.1.0.0/16"])", R"(["10.3.0.0/16"])",
                                    R"(["22"])")}),
               filter("apps", 600, "Allow",
                      {application_rule("microsoft", R"(["10.1.0.0/16"])", R"(["*.microsoft.com"])")}),
               filter("apps-deny", 700, "Deny",
                      {application_rule("no-social", R"(["10.2.0.0/16"])", R"(["*.social.example"])")})}),
        group(child, "rcg-a", 100,
              {filter("deny-one-host", 900, "Deny",
                      {network_rule("host", R"(["TCP"])", R"(["*"])", R"(["10.3.0.5"])", R"(["443"])")}),
               collection("FirewallPolicyNatRuleCollection", "dnat-web", 100, "DNAT",
                          {R"({"ruleType": "NatRule", "name": "web-in", "ipProtocols": ["TCP"],
                              "sourceAddresses": ["*"], "destinationAddresses": ["20.1.1.1"],
                              "destinationPorts": ["8443"], "translatedAddress": "10.3.0.10",
                              "translatedPort": "443"})"})}),
        firewall("afw-hub", "hub", "10.0.1.4",
                 R"(, "firewallPolicy": {"id": ")" + kNet + "firewallPolicies/" + child + "\"}"),
    });
}

struct Case {
    std::string name;
    FirewallQuery query;
    FirewallVerdict verdict;
    std::string stage;
    std::string collection; // empty: not checked
    std::string rule;
};

FirewallQuery query(net::Flow f, std::optional<std::string> fqdn = std::nullopt, bool to_public_ip = false) {
    FirewallQuery q;
    q.flow = f;
    q.fqdn = std::move(fqdn);
    q.to_public_ip = to_public_ip;
    return q;
}

void run_cases(const model::Estate& estate, model::FirewallIndex fw, const policy::ServiceTags& tags,
               const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        FirewallDecision d = decide_firewall(estate, fw, c.query, tags);
        EXPECT_EQ(d.verdict, c.verdict) << c.name << ": " << d.reason;
        EXPECT_EQ(d.stage, c.stage) << c.name << ": " << d.reason;
        if (!c.collection.empty()) {
            EXPECT_EQ(d.collection, c.collection) << c.name << ": " << d.reason;
        }
        if (!c.rule.empty()) {
            EXPECT_EQ(d.rule, c.rule) << c.name;
        }
    }
}

TEST(Firewall, PolicyProcessingOrder) {
    model::Estate estate = policy_estate();
    model::FirewallIndex fw = firewall_named(estate, "afw-hub");
    const auto A = FirewallVerdict::Allow;
    const auto D = FirewallVerdict::Deny;
    run_cases(
        estate, fw, {},
        {
            // The parent's Deny (group 500) beats the child's Allow (group 200) for SSH.
            {"parent first", query(tcp("10.1.0.4", "10.3.0.4", 22)), D, "network", "base-deny-ssh", "no-ssh"},
            // Group priority before collection priority: rcg-a (100) holds a collection of
            // priority 900, which still precedes rcg-b's collection of priority 100.
            {"group order", query(tcp("10.1.0.4", "10.3.0.5", 443)), D, "network", "deny-one-host", "host"},
            {"next group", query(tcp("10.1.0.4", "10.3.0.6", 443)), A, "network", "allow-web-spoke", "web"},
            {"port range", query(tcp("10.9.0.4", "10.3.0.6", 8080)), A, "network", "allow-web-spoke", "web"},
            {"port outside", query(tcp("10.9.0.4", "10.3.0.6", 8101)), D, "default-deny", "", ""},
            {"protocol", query(flow(17, "10.1.0.4", "10.3.0.6", 443)), D, "default-deny", "", ""},
            {"default deny", query(tcp("10.1.0.4", "198.51.100.1", 25)), D, "default-deny", "", ""},
        });
    FirewallDecision parent_rule = decide_firewall(estate, fw, query(tcp("10.1.0.4", "10.3.0.4", 22)), {});
    EXPECT_EQ(parent_rule.collection_group, "base-rcg");
    EXPECT_EQ(parent_rule.collection_priority, 100);
    EXPECT_NE(parent_rule.policy.find("afwp-base"), std::string::npos);
    // The strictest threat-intelligence mode of the chain is recorded, not applied.
    EXPECT_NE(parent_rule.reason.find("threat intelligence (Deny)"), std::string::npos) << parent_rule.reason;
}

// A rule field the input cannot tell (a parameter without a value) makes the rule one that may
// match: the flows it may decide are undecidable, unless an earlier rule surely decides them.
TEST(Firewall, ARuleFieldTheInputCannotTellIsUndecidable) {
    model::Estate estate = policy_estate();
    const policy::ServiceTags tags;
    const model::FirewallIndex fw = firewall_named(estate, "afw-hub");
    for (model::FirewallPolicy& p : estate.firewall_policies)
        for (model::FirewallRuleCollectionGroup& g : p.rule_collection_groups)
            for (model::FirewallRuleCollection& c : g.collections)
                for (model::FirewallRule& r : c.rules)
                    if (r.name == "web") { // allow-web-spoke: TCP * -> 10.3.0.0/16 on 443 and 8000-8100
                        r.destination_ports.clear();
                        r.unknown_fields = {"destinationPorts"};
                        r.unknown_reason = "destinationPorts: parameter 'webPorts' has no value";
                    }
    run_cases(estate, fw, tags,
              {
                  {"a port the rule may take", query(tcp("10.1.0.5", "10.3.0.7", 9000)),
                   FirewallVerdict::Undecidable, "network", "allow-web-spoke", "web"},
                  {"SSH: the parent policy's deny comes first and surely matches",
                   query(tcp("10.1.0.5", "10.3.0.7", 22)), FirewallVerdict::Deny, "network", "base-deny-ssh",
                   "no-ssh"},
                  {"another destination: the rule cannot match", query(tcp("10.1.0.5", "10.9.0.7", 9000)),
                   FirewallVerdict::Deny, "default-deny", "", ""},
              });
    const FirewallDecision d = decide_firewall(estate, fw, query(tcp("10.1.0.5", "10.3.0.7", 9000)), tags);
    EXPECT_NE(d.reason.find("parameter 'webPorts' has no value"), std::string::npos) << d.reason;
}

// A rule type or collection action Azure does not document is warned about when read, and the
// firewall then cannot rely on the rule: the flows it may match are undecidable, never guessed.
TEST(Firewall, UnrecognisedRuleTypesAndActionsAreUndecidable) {
    Diagnostics diagnostics;
    const model::Estate estate = load_with(
        {hub_vnet(), policy("afwp", "", "Alert"),
         group("afwp", "rcg", 100,
               {filter("odd-type", 200, "Allow",
                       {R"({"ruleType": "FooRule", "name": "foo", "ipProtocols": ["TCP"],
                           "sourceAddresses": ["*"], "destinationAddresses": ["10.3.0.0/16"],
                           "destinationPorts": ["443"]})"}),
                filter("odd-action", 100, "Permit",
                       {network_rule("ssh", R"(["TCP"])", R"(["*"])", R"(["10.4.0.0/16"])", R"(["22"])")})}),
         firewall("afw", "hub", "10.0.1.4",
                  R"(, "firewallPolicy": {"id": ")" + kNet + "firewallPolicies/afwp\"}")},
        diagnostics);
    int unrecognised = 0;
    for (const Diagnostic& d : diagnostics.all())
        unrecognised += d.code == "unrecognised-value" ? 1 : 0;
    EXPECT_EQ(unrecognised, 2);
    const model::FirewallIndex fw = firewall_named(estate, "afw");
    const FirewallDecision type = decide_firewall(estate, fw, query(tcp("10.1.0.4", "10.3.0.4", 443)), {});
    EXPECT_EQ(type.verdict, FirewallVerdict::Undecidable) << type.reason;
    EXPECT_NE(type.reason.find("ruleType: 'FooRule' is not NatRule, NetworkRule or ApplicationRule"),
              std::string::npos)
        << type.reason;
    const FirewallDecision action = decide_firewall(estate, fw, query(tcp("10.1.0.4", "10.4.0.4", 22)), {});
    EXPECT_EQ(action.verdict, FirewallVerdict::Undecidable) << action.reason;
    EXPECT_NE(action.reason.find("cannot tell the collection's action"), std::string::npos) << action.reason;
    // A rule of unknown type may be of any type and match any flow: nothing after it is certain.
    const FirewallDecision other = decide_firewall(estate, fw, query(tcp("10.1.0.4", "10.5.0.4", 22)), {});
    EXPECT_EQ(other.verdict, FirewallVerdict::Undecidable) << other.reason;
    EXPECT_EQ(other.rule, "foo");
}

TEST(Firewall, TheLoaderRecordsWhatATemplateLeavesOpen) {
    const std::string text =
        R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "parameters": {"sources": {"type": "array"}, "moreRules": {"type": "array"}},
      "resources": [
        {"type": "Microsoft.Network/firewallPolicies", "apiVersion": "2023-04-01", "name": "afwp",
         "location": "westeurope", "properties": {}},
        {"type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "apiVersion": "2023-04-01",
         "name": "afwp/rcg", "dependsOn": ["[resourceId('Microsoft.Network/firewallPolicies', 'afwp')]"],
         "properties": {"priority": 100, "ruleCollections": [
           {"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "c1", "priority": 100,
            "action": {"type": "Allow"}, "rules": [
              {"ruleType": "NetworkRule", "name": "from-param", "ipProtocols": ["TCP"],
               "sourceAddresses": "[parameters('sources')]", "destinationAddresses": ["10.3.0.0/16"],
               "destinationPorts": ["443"]}]},
           {"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "c2", "priority": 200,
            "action": {"type": "Deny"}, "rules": "[parameters('moreRules')]"}]}}]})";
    SourceSet sources;
    Diagnostics diagnostics;
    const FileId file = sources.add("azuredeploy.json", text);
    const model::Estate estate = load::load_sources(sources, {file}, {}, diagnostics).estate;
    ASSERT_FALSE(diagnostics.has_errors());
    ASSERT_EQ(estate.firewall_policies.size(), 1u);
    const auto& collections = estate.firewall_policies[0].rule_collection_groups.at(0).collections;
    ASSERT_EQ(collections.size(), 2u);
    const model::FirewallRule& open = collections[0].rules.at(0);
    EXPECT_EQ(open.unknown_fields, std::vector<std::string>{"sourceAddresses"});
    EXPECT_EQ(open.unknown_reason, "sourceAddresses: parameter 'sources' has no value");
    ASSERT_EQ(collections[1].rules.size(), 1u);
    EXPECT_EQ(collections[1].rules[0].unknown_fields, std::vector<std::string>{"*"});
    EXPECT_EQ(collections[1].rules[0].unknown_reason, "rules: parameter 'moreRules' has no value");
}

TEST(Firewall, IpGroupsAndAddressForms) {
    model::Estate estate = policy_estate();
    model::FirewallIndex fw = firewall_named(estate, "afw-hub");
    const auto A = FirewallVerdict::Allow;
    const auto D = FirewallVerdict::Deny;
    run_cases(
        estate, fw, {},
        {
            {"group prefix", query(flow(17, "10.1.7.7", "10.0.2.4", 53)), A, "network", "allow-dns", "dns"},
            {"group range", query(flow(17, "10.2.0.9", "10.0.2.4", 53)), A, "network", "allow-dns", "dns"},
            {"past the range", query(flow(17, "10.2.0.10", "10.0.2.4", 53)), D, "default-deny", "", ""},
        });
}

TEST(Firewall, ApplicationRulesMatchFqdnsOrAreUndecidable) {
    model::Estate estate = policy_estate();
    model::FirewallIndex fw = firewall_named(estate, "afw-hub");
    const auto A = FirewallVerdict::Allow;
    const auto D = FirewallVerdict::Deny;
    const auto U = FirewallVerdict::Undecidable;
    run_cases(
        estate, fw, {},
        {
            {"wildcard", query(tcp("10.1.0.4", "52.1.2.3", 443), "learn.microsoft.com"), A, "application",
             "apps", "microsoft"},
            {"deep wildcard", query(tcp("10.1.0.4", "52.1.2.3", 80), "a.b.Microsoft.com."), A, "application",
             "apps", "microsoft"},
            // "*.microsoft.com" does not cover the apex (Azure Firewall FAQ).
            {"apex", query(tcp("10.1.0.4", "52.1.2.3", 443), "microsoft.com"), D, "default-deny", "", ""},
            {"other port", query(tcp("10.1.0.4", "52.1.2.3", 8443), "learn.microsoft.com"), D, "default-deny",
             "", ""},
            {"no fqdn", query(tcp("10.1.0.4", "52.1.2.3", 443)), U, "application", "apps", "microsoft"},
            // Deny rules that cannot be settled agree with the default deny: the verdict stands.
            {"agreeing deny", query(tcp("10.2.0.4", "52.1.2.3", 443)), D, "default-deny", "", ""},
            // Application rules do not apply to inbound connections on the public IP.
            {"inbound", query(tcp("10.1.0.4", "52.1.2.3", 443), "learn.microsoft.com", true), D,
             "default-deny", "", ""},
        });
    FirewallDecision undecided = decide_firewall(estate, fw, query(tcp("10.1.0.4", "52.1.2.3", 443)), {});
    EXPECT_NE(undecided.reason.find("names no destination FQDN"), std::string::npos) << undecided.reason;
}

TEST(Firewall, NetworkRuleDestinationFqdns) {
    model::Estate estate = policy_estate();
    model::FirewallIndex fw = firewall_named(estate, "afw-hub");
    run_cases(estate, fw, {},
              {
                  {"named", query(tcp("10.1.0.4", "52.9.9.9", 8443), "API.contoso.com"),
                   FirewallVerdict::Allow, "network", "allow-fqdn-net", "api"},
                  {"other name", query(tcp("10.1.0.4", "52.9.9.9", 8443), "www.contoso.com"),
                   FirewallVerdict::Deny, "default-deny", "", ""},
                  // Without a name the rule may or may not match, and it would allow: undecidable.
                  {"unnamed", query(tcp("10.1.0.4", "52.9.9.9", 8443)), FirewallVerdict::Undecidable,
                   "network", "allow-fqdn-net", "api"},
              });
}

TEST(Firewall, DnatOnlyForPublicIpArrivals) {
    model::Estate estate = policy_estate();
    model::FirewallIndex fw = firewall_named(estate, "afw-hub");
    net::Flow in = tcp("203.0.113.7", "20.1.1.1", 8443);
    FirewallDecision d = decide_firewall(estate, fw, query(in, std::nullopt, true), {});
    EXPECT_EQ(d.verdict, FirewallVerdict::Allow) << d.reason;
    EXPECT_EQ(d.stage, "dnat");
    EXPECT_EQ(d.collection, "dnat-web");
    EXPECT_EQ(d.rule, "web-in");
    ASSERT_TRUE(d.translated.has_value());
    EXPECT_EQ(d.translated->destination, addr("10.3.0.10"));
    EXPECT_EQ(d.translated->destination_port, 443);
    EXPECT_EQ(d.translated->source, in.source);
    EXPECT_EQ(d.translated->source_port, in.source_port);
    EXPECT_TRUE(d.source_translated);

    // The same flow not arriving on the public IP: DNAT rules do not apply.
    FirewallDecision through = decide_firewall(estate, fw, query(in), {});
    EXPECT_EQ(through.verdict, FirewallVerdict::Deny);
    EXPECT_EQ(through.stage, "default-deny");
    EXPECT_FALSE(through.translated.has_value());
    // Another port on the public IP: no DNAT rule, and the rest cannot allow it.
    FirewallDecision other =
        decide_firewall(estate, fw, query(tcp("203.0.113.7", "20.1.1.1", 22), {}, true), {});
    EXPECT_EQ(other.verdict, FirewallVerdict::Deny);
}

TEST(Firewall, ServiceTagsInRules) {
    std::string child = "afwp";
    model::Estate estate = load({
        hub_vnet(),
        policy(child, "", "Off"),
        group(child, "rcg", 100,
              {filter("deny-monitor", 100, "Deny",
                      {network_rule("monitor", R"(["Any"])", R"(["10.1.0.0/16"])", R"(["AzureMonitor"])",
                                    R"(["*"])")}),
               filter("allow-storage", 200, "Allow",
                      {network_rule("storage", R"(["TCP"])", R"(["*"])",
                                    R"(["Storage.WestEurope", "Missing"])", R"(["443"])")})}),
        firewall("afw", "hub", "",
                 R"(, "firewallPolicy": {"id": ")" + kNet + "firewallPolicies/" + child + "\"}"),
    });
    policy::ServiceTags tags;
    tags.set("AzureMonitor", net::AddressSet::from(*net::Prefix::parse("40.1.0.0/16")));
    tags.set("Storage.WestEurope", net::AddressSet::from(*net::Prefix::parse("20.60.0.0/16")));
    model::FirewallIndex fw = firewall_named(estate, "afw");
    run_cases(estate, fw, tags,
              {
                  {"tag deny, any protocol", query(flow(1, "10.1.0.4", "40.1.2.3", 0)), FirewallVerdict::Deny,
                   "network", "deny-monitor", "monitor"},
                  {"known tag matches", query(tcp("10.1.0.4", "20.60.0.1", 443)), FirewallVerdict::Allow,
                   "network", "allow-storage", "storage"},
                  // "Missing" is not in the tags file: the Allow rule might match.
                  {"unknown tag", query(tcp("10.1.0.4", "20.99.0.1", 443)), FirewallVerdict::Undecidable,
                   "network", "allow-storage", "storage"},
              });
    FirewallDecision off = decide_firewall(estate, fw, query(tcp("10.1.0.4", "20.60.0.1", 443)), tags);
    EXPECT_NE(off.reason.find("threat intelligence is Off"), std::string::npos) << off.reason;
}

// Classic rules, including the two examples of the rule-processing page.
TEST(Firewall, ClassicCollections) {
    std::string body = R"(,
      "natRuleCollections": [{"name": "nat", "properties": {"priority": 100, "action": {"type": "Dnat"}, "rules": [
        {"name": "rdp-in", "protocols": ["TCP"], "sourceAddresses": ["198.51.100.0/24"],
         "destinationAddresses": ["20.2.2.2"], "destinationPorts": ["3389"],
         "translatedAddress": "10.50.5.4", "translatedPort": "3389"}]}}],
      "networkRuleCollections": [
        {"name": "Allow-collection", "properties": {"priority": 200, "action": {"type": "Allow"}, "rules": [
          {"name": "Allow-SSH", "protocols": ["TCP"], "sourceAddresses": ["*"], "destinationAddresses": ["*"],
           "destinationPorts": ["22"]}]}},
        {"name": "Deny-collection", "properties": {"priority": 100, "action": {"type": "Deny"}, "rules": [
          {"name": "Deny-SSH", "protocols": ["TCP"], "sourceAddresses": ["*"], "destinationAddresses": ["*"],
           "destinationPorts": ["22"]}]}},
        {"name": "Web", "properties": {"priority": 300, "action": {"type": "Allow"}, "rules": [
          {"name": "Allow-web", "protocols": ["TCP"], "sourceAddresses": ["*"], "destinationAddresses": ["*"],
           "destinationPorts": ["80", "443"]}]}}],
      "applicationRuleCollections": [{"name": "apps", "properties": {"priority": 100, "action": {"type": "Deny"},
        "rules": [{"name": "Deny-google", "sourceAddresses": ["*"], "targetFqdns": ["google.com"],
          "protocols": [{"protocolType": "Http", "port": 80}, {"protocolType": "Https", "port": 443}]}]}}])";
    model::Estate estate = load({classic_vnet(), firewall("afw-classic", "branch", "10.50.0.4", body)});
    model::FirewallIndex fw = firewall_named(estate, "afw-classic");
    ASSERT_EQ(estate.azure_firewalls[fw].classic_collections.size(), 5u);
    run_cases(
        estate, fw, {},
        {
            // Example 1: the network rule allows google.com before any application rule runs.
            {"example 1", query(tcp("10.50.1.4", "142.250.1.1", 443), "google.com"), FirewallVerdict::Allow,
             "network", "Web", "Allow-web"},
            // Example 2: the Deny collection (100) precedes the Allow collection (200).
            {"example 2", query(tcp("10.50.1.4", "10.60.0.4", 22)), FirewallVerdict::Deny, "network",
             "Deny-collection", "Deny-SSH"},
            {"smtp", query(tcp("10.50.1.4", "10.60.0.4", 25)), FirewallVerdict::Deny, "default-deny", "", ""},
        });
    FirewallDecision dnat =
        decide_firewall(estate, fw, query(tcp("198.51.100.9", "20.2.2.2", 3389), {}, true), {});
    EXPECT_EQ(dnat.verdict, FirewallVerdict::Allow) << dnat.reason;
    EXPECT_EQ(dnat.stage, "dnat");
    EXPECT_TRUE(dnat.policy.empty());
    EXPECT_TRUE(dnat.collection_group.empty());
    ASSERT_TRUE(dnat.translated.has_value());
    EXPECT_EQ(dnat.translated->destination, addr("10.50.5.4"));
    // DNAT sources are checked: another client on the public IP matches no DNAT rule.
    FirewallDecision stranger =
        decide_firewall(estate, fw, query(tcp("203.0.113.9", "20.2.2.2", 3389), {}, true), {});
    EXPECT_NE(stranger.stage, "dnat");
    EXPECT_NE(stranger.verdict, FirewallVerdict::Allow);
}

TEST(Firewall, FqdnWildcards) {
    // Leading asterisks as the Azure Firewall FAQ documents them.
    struct WildcardCase {
        const char* pattern;
        const char* name;
        bool matches;
    };
    const WildcardCase cases[] = {
        {"www.contoso.com", "www.contoso.com", true},
        {"www.contoso.com", "WWW.Contoso.com.", true},
        {"www.contoso.com", "contoso.com", false},
        {"*.contoso.com", "any.contoso.com", true},
        {"*.contoso.com", "sub1.any.contoso.com", true},
        {"*.contoso.com", "contoso.com", false},
        {"*contoso.com", "contoso.com", true},
        {"*contoso.com", "example.anycontoso.com", true},
        {"*", "anything.example", true},
        {"*.contoso.com", "contoso.com.evil.example", false},
    };
    for (const WildcardCase& c : cases)
        EXPECT_EQ(detail::fqdn_matches(c.pattern, c.name), c.matches) << c.pattern << " vs " << c.name;
}

TEST(Firewall, FirewallAt) {
    model::Estate estate = load({hub_vnet(), classic_vnet(), firewall("with-ip", "hub", "10.0.1.4", ""),
                                 firewall("template", "branch", "", "")});
    model::FirewallIndex with_ip = firewall_named(estate, "with-ip");
    model::FirewallIndex from_template = firewall_named(estate, "template");
    EXPECT_EQ(firewall_at(estate, addr("10.0.1.4")), with_ip);
    // Any address of AzureFirewallSubnet is the firewall (the subnet holds nothing else).
    EXPECT_EQ(firewall_at(estate, addr("10.0.1.5")), with_ip);
    EXPECT_EQ(firewall_at(estate, addr("10.50.0.4")), from_template); // private IP unknown
    EXPECT_FALSE(estate.azure_firewalls[from_template].private_ip.has_value());
    EXPECT_EQ(firewall_at(estate, addr("10.0.9.4")), std::nullopt); // another subnet of the hub
    EXPECT_EQ(firewall_at(estate, addr("8.8.8.8")), std::nullopt);
}

} // namespace
} // namespace ztnet::route
