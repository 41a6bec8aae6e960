// Virtual Network Manager's security admin rules, as Microsoft Learn states them
// (virtual-network-manager/concept-security-admins): they are evaluated before the NSG rules; a
// Deny rule stops the traffic whatever the NSGs say, an AlwaysAllow rule lets it through without
// the NSGs being consulted, an Allow rule hands it over to the NSGs; the rule with the lowest
// priority number that matches decides; a rule collection applies to the VNets of the network
// groups it names. Each statement flips a verdict, and the fast path must agree with path tracing.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/policy/admin_rules.h"

#include "route_test_support.h"

namespace ztnet::route {
namespace {

const std::string kRg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/";
const std::string kManager = kRg + "networkManagers/avnm";
const std::string kGroup = kManager + "/networkGroups/spokes";
const std::string kCollection = kManager + "/securityAdminConfigurations/baseline/ruleCollections/guardrails";

// One admin rule: protocol Tcp to `port`, from anywhere to anywhere.
std::string admin_rule(const std::string& name, const std::string& access, int priority, int port,
                       const std::string& direction = "Inbound") {
    return R"({"id": ")" + kCollection + "/rules/" + name +
           R"(", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
      "name": ")" +
           name + R"(", "kind": "Custom", "properties": {"access": ")" + access + R"(", "priority": )" +
           std::to_string(priority) + R"(, "direction": ")" + direction +
           R"(", "protocol": "Tcp", "sources": [{"addressPrefix": "*", "addressPrefixType": "IPPrefix"}],
        "destinations": [{"addressPrefix": "*", "addressPrefixType": "IPPrefix"}], "sourcePortRanges": [],
        "destinationPortRanges": [")" +
           std::to_string(port) + R"("]}})";
}

// A NIC with one static address in `subnet` ("vnet/subnets/name").
std::string nic(const std::string& name, const std::string& address, const std::string& subnet) {
    return R"({"id": ")" + kRg + "networkInterfaces/" + name +
           R"(", "type": "Microsoft.Network/networkInterfaces",
      "name": ")" +
           name + R"(", "properties": {"ipConfigurations": [{"name": "ip", "properties": {
        "privateIPAddress": ")" +
           address + R"(", "privateIPAllocationMethod": "Static",
        "subnet": {"id": ")" +
           kRg + "virtualNetworks/" + subnet + R"("}}}]}})";
}

struct Options {
    std::string rules;          // admin rules, comma-separated JSON objects
    bool static_member = true;  // vnet-a is a static member of the group
    bool policy_member = false; // an Azure Policy definition adds members to the group
};

// Two VNets: vnet-a (nic-web behind nsg-web, which denies SSH from the VNet; nic-app without an
// NSG) in the group, vnet-b (nic-other) outside it; and the manager with one rule collection.
std::string estate_json(const Options& o) {
    std::string json =
        R"([{"id": ")" + kRg +
        R"(networkSecurityGroups/nsg-web", "type": "Microsoft.Network/networkSecurityGroups",
      "name": "nsg-web", "properties": {"securityRules": [{"name": "DenySsh", "properties": {"priority": 100,
        "direction": "Inbound", "access": "Deny", "protocol": "Tcp", "sourceAddressPrefix": "VirtualNetwork",
        "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]}},
     {"id": ")" +
        kRg + R"(virtualNetworks/vnet-a", "type": "Microsoft.Network/virtualNetworks", "name": "vnet-a",
      "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
        {"id": ")" +
        kRg + R"(virtualNetworks/vnet-a/subnets/web", "name": "web", "properties": {
          "addressPrefix": "10.0.1.0/24", "networkSecurityGroup": {"id": ")" +
        kRg + R"(networkSecurityGroups/nsg-web"}}},
        {"id": ")" +
        kRg + R"(virtualNetworks/vnet-a/subnets/app", "name": "app", "properties": {
          "addressPrefix": "10.0.2.0/24"}}]}},
     {"id": ")" +
        kRg + R"(virtualNetworks/vnet-b", "type": "Microsoft.Network/virtualNetworks", "name": "vnet-b",
      "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}, "subnets": [
        {"id": ")" +
        kRg + R"(virtualNetworks/vnet-b/subnets/other", "name": "other", "properties": {
          "addressPrefix": "10.1.1.0/24"}}]}},
     )" +
        nic("nic-web", "10.0.1.4", "vnet-a/subnets/web") + ", " +
        nic("nic-app", "10.0.2.4", "vnet-a/subnets/app") + ", " +
        nic("nic-other", "10.1.1.4", "vnet-b/subnets/other") + R"(,
     {"id": ")" +
        kManager + R"(", "type": "Microsoft.Network/networkManagers", "name": "avnm",
      "properties": {"networkManagerScopes": {"subscriptions": ["/subscriptions/s"]},
        "networkManagerScopeAccesses": ["SecurityAdmin"]}},
     {"id": ")" +
        kGroup + R"(", "type": "Microsoft.Network/networkManagers/networkGroups", "name": "spokes",
      "properties": {"memberType": "VirtualNetwork"}},
     {"id": ")" +
        kManager + R"(/securityAdminConfigurations/baseline",
      "type": "Microsoft.Network/networkManagers/securityAdminConfigurations", "name": "baseline", "properties": {}},
     {"id": ")" +
        kCollection +
        R"(", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
      "name": "guardrails", "properties": {"appliesToGroups": [{"networkGroupId": ")" +
        kGroup + R"("}]}})";
    if (o.static_member)
        json += R"(, {"id": ")" + kGroup +
                R"(/staticMembers/a", "type": "Microsoft.Network/networkManagers/networkGroups/staticMembers",
      "name": "a", "properties": {"resourceId": ")" +
                kRg + R"(virtualNetworks/vnet-a"}})";
    if (o.policy_member)
        json +=
            R"(, {"id": "/subscriptions/s/providers/Microsoft.Authorization/policyDefinitions/spokes-by-tag",
      "type": "Microsoft.Authorization/policyDefinitions", "name": "spokes-by-tag", "properties": {
        "mode": "Microsoft.Network.Data", "policyRule": {"if": {"field": "type", "equals": "Microsoft.Network/virtualNetworks"},
        "then": {"effect": "addToNetworkGroup", "details": {"networkGroupId": ")" +
            kGroup + R"("}}}}})";
    if (!o.rules.empty())
        json += ", " + o.rules;
    return json + "]";
}

using testing::LoadedText;

std::unique_ptr<LoadedText> load(const Options& o) {
    auto loaded = testing::load_text(estate_json(o));
    EXPECT_FALSE(loaded->diagnostics.has_errors());
    return loaded;
}

Verdict trace(LoadedText& loaded, const std::string& from, const std::string& to, int port) {
    return testing::trace_between(loaded, from, to, 6, static_cast<std::uint16_t>(port)).verdict;
}

TEST(AdminRules, WithoutThemTheNsgsDecide) {
    auto loaded = load({admin_rule("deny-other", "Deny", 10, 9999)}); // matches neither flow
    EXPECT_EQ(trace(*loaded, "nic-app", "nic-web", 443), Verdict::Allowed);
    EXPECT_EQ(trace(*loaded, "nic-app", "nic-web", 22), Verdict::Denied); // nsg-web's DenySsh
    testing::expect_fast_path_agrees(*loaded);
}

// "If you create a security admin rule to Deny a certain type of traffic, ... the traffic is
// blocked" whatever the NSG rules allow: allowed becomes denied.
TEST(AdminRules, ADenyRuleStopsWhatTheNsgsAllow) {
    auto loaded = load({admin_rule("deny-https", "Deny", 10, 443)});
    EXPECT_EQ(trace(*loaded, "nic-app", "nic-web", 443), Verdict::Denied);
    EXPECT_EQ(trace(*loaded, "nic-app", "nic-web", 80), Verdict::Allowed);      // another port
    EXPECT_EQ(trace(*loaded, "nic-other", "nic-other", 443), Verdict::Allowed); // vnet-b is not in the group
    testing::expect_fast_path_agrees(*loaded);
}

// AlwaysAllow "terminates further (and possibly conflicting) evaluation by NSG rules": denied
// becomes allowed.
TEST(AdminRules, AnAlwaysAllowRulePassesWhatTheNsgsDeny) {
    auto loaded = load({admin_rule("always-ssh", "AlwaysAllow", 10, 22)});
    EXPECT_EQ(trace(*loaded, "nic-app", "nic-web", 22), Verdict::Allowed);
    testing::expect_fast_path_agrees(*loaded);
}

// An Allow rule hands the traffic over to the NSGs, which still deny it.
TEST(AdminRules, AnAllowRuleLeavesItToTheNsgs) {
    auto loaded = load({admin_rule("allow-ssh", "Allow", 10, 22)});
    EXPECT_EQ(trace(*loaded, "nic-app", "nic-web", 22), Verdict::Denied);
    testing::expect_fast_path_agrees(*loaded);
}

// The lowest priority number decides between rules that match the same traffic.
TEST(AdminRules, TheLowestPriorityNumberDecides) {
    auto deny_first = load(
        {admin_rule("deny-ssh", "Deny", 10, 22) + ", " + admin_rule("always-ssh", "AlwaysAllow", 20, 22)});
    EXPECT_EQ(trace(*deny_first, "nic-app", "nic-web", 22), Verdict::Denied);
    testing::expect_fast_path_agrees(*deny_first);
    auto always_first = load(
        {admin_rule("deny-ssh", "Deny", 30, 22) + ", " + admin_rule("always-ssh", "AlwaysAllow", 20, 22)});
    EXPECT_EQ(trace(*always_first, "nic-app", "nic-web", 22), Verdict::Allowed);
    testing::expect_fast_path_agrees(*always_first);
}

// Outbound rules apply where the flow leaves: a Deny outbound rule of vnet-a stops what leaves it.
TEST(AdminRules, OutboundRulesApplyAtTheSource) {
    auto loaded = load({admin_rule("deny-out", "Deny", 10, 443, "Outbound")});
    EXPECT_EQ(trace(*loaded, "nic-app", "nic-web", 443), Verdict::Denied);
    auto result = testing::trace_between(*loaded, "nic-app", "nic-web", 6, 443);
    ASSERT_FALSE(result.hops.empty());
    EXPECT_EQ(result.hops.front().step, "security admin rules (outbound)");
    EXPECT_EQ(result.hops.front().rule, "deny-out");
    testing::expect_fast_path_agrees(*loaded);
}

// Members Azure Policy chooses are unknown offline: the rule may or may not apply, so a verdict it
// would flip is undecidable (with a warning), never the NSGs' answer alone.
TEST(AdminRules, MembersChosenByPolicyMakeTheRuleUndecidable) {
    auto loaded = load({admin_rule("deny-https", "Deny", 10, 443), false, true});
    const auto& all = loaded->diagnostics.all();
    EXPECT_TRUE(std::any_of(all.begin(), all.end(),
                            [](const Diagnostic& d) { return d.code == "network-group-members-unknown"; }));
    EXPECT_EQ(trace(*loaded, "nic-app", "nic-web", 443), Verdict::Undecidable);
    EXPECT_EQ(trace(*loaded, "nic-app", "nic-web", 22), Verdict::Denied); // the rule does not match
    auto always = load({admin_rule("always-ssh", "AlwaysAllow", 10, 22), false, true});
    EXPECT_EQ(trace(*always, "nic-app", "nic-web", 22), Verdict::Undecidable);
    EXPECT_EQ(trace(*always, "nic-app", "nic-web", 443), Verdict::Allowed);
    testing::expect_fast_path_agrees(*loaded);
    testing::expect_fast_path_agrees(*always);
}

// A static member listed, and a policy adding more: vnet-a surely is a member.
TEST(AdminRules, AStaticMemberIsSurelyInTheGroup) {
    auto loaded = load({admin_rule("deny-https", "Deny", 10, 443), true, true});
    EXPECT_EQ(trace(*loaded, "nic-app", "nic-web", 443), Verdict::Denied);
    EXPECT_EQ(trace(*loaded, "nic-other", "nic-other", 443), Verdict::Undecidable); // vnet-b may be added
    testing::expect_fast_path_agrees(*loaded);
}

// A Default rule's fields are Microsoft's: whatever it may decide is undecidable.
TEST(AdminRules, DefaultRulesAreUnknown) {
    const std::string rule =
        R"({"id": ")" + kCollection +
        R"(/rules/default-1", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
      "name": "default-1", "kind": "Default", "properties": {"flag": "DenyHighRiskPorts"}})";
    auto loaded = load({rule});
    EXPECT_EQ(trace(*loaded, "nic-app", "nic-web", 443), Verdict::Undecidable);
    testing::expect_fast_path_agrees(*loaded);
}

// The reference decision itself: outcomes of the rules that may match, up to the first that surely does.
TEST(AdminRules, TheReferenceCollectsPossibleOutcomes) {
    auto loaded = load({admin_rule("deny-https", "Deny", 10, 443), false, true});
    policy::PolicyEngine engine(loaded->estate, loaded->tags, loaded->diagnostics);
    const policy::AdminRules* admin = engine.admin_rules(model::VnetIndex(0u));
    ASSERT_NE(admin, nullptr);
    net::Flow flow;
    flow.protocol = 6;
    flow.source = *net::Address::parse("10.0.2.4");
    flow.destination = *net::Address::parse("10.0.1.4");
    flow.source_port = 50000;
    flow.destination_port = 443;
    const policy::AdminDecision d = admin->decide(net::Direction::Inbound, flow);
    EXPECT_EQ(d.outcomes, policy::AdminDecision::kDenied | policy::AdminDecision::kToNsgs);
    EXPECT_NE(d.why.find("spokes"), std::string::npos) << d.why;
    flow.destination_port = 80;
    EXPECT_TRUE(admin->decide(net::Direction::Inbound, flow).only(policy::AdminDecision::kToNsgs));
}

} // namespace
} // namespace ztnet::route
