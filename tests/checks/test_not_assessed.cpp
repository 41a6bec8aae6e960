// Setting checks where the input cannot tell the setting: a template whose storage account, VM or
// WAF policy takes a setting from a parameter without a value. The check is not assessed there (no
// finding rests on the default the loader read in its place), the run says so, and a setting the
// template does give is still judged.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/checks/runner.h"
#include "ztnet/json/reader.h"

#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;

std::string template_with(const std::string& parameters, const std::string& resources) {
    return R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0", "parameters": {)" +
           parameters + R"(}, "resources": [)" + resources + "]}";
}

std::string storage_account(const std::string& name, const std::string& properties) {
    return R"({"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": ")" + name +
           R"(", "location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"},
       "properties": {)" +
           properties + "}}";
}

CheckRun run(CheckFixture& fixture, const std::vector<std::string>& checks) {
    return run_checks(fixture.context(), {}, "2026-12-06", checks);
}

std::vector<std::string> flagged(const CheckRun& r) {
    std::vector<std::string> out;
    for (const Finding& f : r.findings)
        out.push_back(f.check_id + " " + f.resource_name);
    return out;
}

TEST(NotAssessed, AStorageSettingFromAParameterWithoutValueIsNotJudged) {
    CheckFixture fixture(template_with(
        R"("httpsOnly": {"type": "bool"}, "tls": {"type": "string"})",
        storage_account("stunknown", R"("supportsHttpsTrafficOnly": "[parameters('httpsOnly')]",
                                        "minimumTlsVersion": "[parameters('tls')]")") +
            "," +
            storage_account("stplainhttp",
                            R"("supportsHttpsTrafficOnly": false, "minimumTlsVersion": "TLS1_0")")));
    ASSERT_FALSE(fixture.diagnostics().has_errors());
    const CheckRun r = run(fixture, {"ZT-STG-001", "ZT-STG-002"});
    EXPECT_EQ(flagged(r), (std::vector<std::string>{"ZT-STG-001 stplainhttp", "ZT-STG-002 stplainhttp"}));
    ASSERT_EQ(r.not_assessed.size(), 2u);
    EXPECT_EQ(r.not_assessed[0].check_id, "ZT-STG-001");
    EXPECT_EQ(r.not_assessed[0].resource_name, "stunknown");
    EXPECT_EQ(r.not_assessed[0].setting, "/properties/supportsHttpsTrafficOnly");
    EXPECT_FALSE(r.not_assessed[0].anywhere);
    EXPECT_EQ(r.not_assessed[1].check_id, "ZT-STG-002");
    EXPECT_EQ(r.not_assessed[1].setting, "/properties/minimumTlsVersion");
}

TEST(NotAssessed, AnUnknownObjectAroundTheSettingCountsToo) {
    CheckFixture fixture(template_with(
        R"("security": {"type": "object"})",
        R"({"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-03-01", "name": "vm-open",
            "location": "westeurope",
            "properties": {"securityProfile": "[parameters('security')]",
              "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts",
                                                    "sku": "server", "version": "latest"}},
              "osProfile": {"computerName": "vm-open", "adminUsername": "azureuser",
                            "linuxConfiguration": {"disablePasswordAuthentication": false}}}})"));
    ASSERT_FALSE(fixture.diagnostics().has_errors());
    const CheckRun r = run(fixture, {"ZT-VM-002", "ZT-VM-003", "ZT-VM-004"});
    // Trusted launch and encryption at host live in the unknown object; password sign-in is known.
    EXPECT_EQ(flagged(r), (std::vector<std::string>{"ZT-VM-004 vm-open"}));
    ASSERT_EQ(r.not_assessed.size(), 2u);
    EXPECT_EQ(r.not_assessed[0].check_id, "ZT-VM-002");
    EXPECT_EQ(r.not_assessed[1].check_id, "ZT-VM-003");
    EXPECT_EQ(r.not_assessed[1].setting, "/properties/securityProfile/encryptionAtHost");
}

// Two App Gateways, one with a WAF policy whose mode is `mode`, one with its WAF off.
std::string gateways(const std::string& mode) {
    auto gateway = [](const std::string& name, const std::string& policy) {
        return R"({"type": "Microsoft.Network/applicationGateways", "apiVersion": "2023-04-01", "name": ")" +
               name + R"(", "location": "westeurope",
            "properties": {"sku": {"name": "WAF_v2", "tier": "WAF_v2"},
              "gatewayIPConfigurations": [{"name": "ip", "properties": {"subnet": {"id":
                "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'snet-agw')]"}}}])" +
               policy + "}}";
    };
    return template_with(
        R"("mode": {"type": "string"})",
        R"({"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet",
            "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "snet-agw", "properties": {"addressPrefix": "10.0.0.0/24"}}]}},
           {"type": "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", "apiVersion": "2023-04-01",
            "name": "waf-policy", "location": "westeurope",
            "properties": {"policySettings": {"state": "Enabled", "mode": )" +
            mode + R"(}, "managedRules": {"managedRuleSets": []}}},)" +
            gateway("agw-with-policy", R"(, "firewallPolicy": {"id":
                "[resourceId('Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', 'waf-policy')]"})") +
            "," + gateway("agw-waf-off", ""));
}

TEST(NotAssessed, AWafPolicyModeFromAParameterLeavesEveryGatewayUnjudged) {
    CheckFixture known(gateways("\"Detection\""));
    ASSERT_FALSE(known.diagnostics().has_errors());
    EXPECT_EQ(flagged(run(known, {"ZT-APP-001"})),
              (std::vector<std::string>{"ZT-APP-001 agw-waf-off", "ZT-APP-001 agw-with-policy"}));
    // The policy's mode decides a finding on the gateway, not on the policy: none of the check's
    // findings stands, and the run names the policy as the reason.
    CheckFixture open(gateways("\"[parameters('mode')]\""));
    ASSERT_FALSE(open.diagnostics().has_errors());
    const CheckRun r = run(open, {"ZT-APP-001"});
    EXPECT_TRUE(r.findings.empty()) << flagged(r).front();
    ASSERT_EQ(r.not_assessed.size(), 1u);
    EXPECT_EQ(r.not_assessed[0].resource_name, "waf-policy");
    EXPECT_EQ(r.not_assessed[0].setting, "/properties/policySettings/mode");
    EXPECT_TRUE(r.not_assessed[0].anywhere);
}

// What a Resources-only export (or a template that deploys the network alone) leaves out: Defender
// plans, diagnostic settings, role assignments. Absent is not off: those checks are not assessed.
TEST(NotAssessed, WhatTheInputDoesNotHoldIsNotAssessedNotOff) {
    auto document = json::read(testing::example_export("legacy-spoke"));
    ASSERT_TRUE(document.ok());
    json::Array kept;
    for (const json::Value& resource : document->as_array()) {
        const std::string type = resource.find("type")->as_string();
        if (type != "Microsoft.Security/pricings" && type != "Microsoft.Insights/diagnosticSettings" &&
            type != "Microsoft.Authorization/roleAssignments" &&
            type != "Microsoft.Authorization/roleDefinitions")
            kept.push_back(resource);
    }
    const std::vector<std::string> checks{"ZT-MON-001", "ZT-GOV-002", "ZT-IAM-001", "ZT-IAM-002",
                                          "ZT-IAM-003"};
    // The example's resources.json alone, without the manifest beside it that says Defender plans and
    // diagnostic settings were collected: its role assignments are judged, the rest is not assessed.
    CheckFixture full = CheckFixture::example("legacy-spoke");
    const CheckRun without_manifest = run(full, checks);
    EXPECT_EQ(flagged(without_manifest),
              (std::vector<std::string>{"ZT-IAM-001 ef6d9708-1e9a-468a-af39-120a5e7de6c0",
                                        "ZT-IAM-002 ef6d9708-1e9a-468a-af39-120a5e7de6c0",
                                        "ZT-IAM-003 6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c"}));
    EXPECT_EQ(without_manifest.not_assessed.size(), 2u);
    CheckFixture network_only(json::write(json::Value(std::move(kept))));
    const CheckRun r = run(network_only, checks);
    EXPECT_TRUE(r.findings.empty()) << flagged(r).front();
    ASSERT_EQ(r.not_assessed.size(), checks.size());
    for (const NotAssessed& n : r.not_assessed) {
        EXPECT_TRUE(n.anywhere);
        EXPECT_NE(n.why.find("the input holds no Microsoft."), std::string::npos) << n.why;
    }
}

// A Virtual WAN hub that the legacy spoke's VNet is connected to, with a network virtual appliance
// in it: ztnet follows the hub's routing but not the appliance's, so the warning names it, flows
// that leave the VNet are undecidable, flows inside it are still decided, and ZT-HUB-006 (egress
// forced through the firewall) is not assessed rather than failed. Without the appliance the hub's
// routes are known and ZT-HUB-006 fails: nothing sends the VNet's Internet traffic to a firewall.
TEST(NotAssessed, AnApplianceInAVirtualWanHubIsWarnedAboutAndNoEgressVerdictIsConfident) {
    const std::string sub =
        "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-legacy-orders";
    const std::string hub =
        R"({"id": ")" + sub + R"(/providers/Microsoft.Network/virtualHubs/vhub-weu",
        "name": "vhub-weu", "type": "Microsoft.Network/virtualHubs", "location": "westeurope",
        "properties": {"addressPrefix": "10.100.0.0/23"}},
      {"id": ")" +
        sub + R"(/providers/Microsoft.Network/virtualHubs/vhub-weu/hubVirtualNetworkConnections/orders",
        "name": "orders", "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
        "properties": {"remoteVirtualNetwork": {"id": ")" +
        sub + R"(/providers/Microsoft.Network/virtualNetworks/vnet-orders"}}},)";
    const std::string appliance = R"({"id": ")" + sub +
                                  R"(/providers/Microsoft.Network/networkVirtualAppliances/nva-weu",
        "name": "nva-weu", "type": "Microsoft.Network/networkVirtualAppliances", "location": "westeurope",
        "properties": {"virtualHub": {"id": ")" +
                                  sub + R"(/providers/Microsoft.Network/virtualHubs/vhub-weu"}}},)";
    CheckFixture known(testing::edited(testing::example_export("legacy-spoke"), "[", "[" + hub));
    EXPECT_FALSE(run(known, {"ZT-HUB-006"}).findings.empty());
    EXPECT_TRUE(run(known, {"ZT-HUB-006"}).not_assessed.empty());
    CheckFixture fixture(
        testing::edited(testing::example_export("legacy-spoke"), "[", "[" + hub + appliance));
    bool warned = false;
    for (const Diagnostic& d : fixture.diagnostics().all())
        warned = warned ||
                 (d.code == "unmodelled-traffic-resource" && d.message.find("nva-weu") != std::string::npos);
    EXPECT_TRUE(warned);
    const CheckRun r = run(fixture, {"ZT-HUB-006"});
    EXPECT_TRUE(r.findings.empty()) << flagged(r).front();
    EXPECT_FALSE(r.not_assessed.empty());
    const reach::Reachability& reach = fixture.context().reach;
    const auto& endpoints = reach.endpoints().endpoints;
    std::optional<std::uint32_t> web, app, internet;
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        if (endpoints[i].name.starts_with("vm-web-1"))
            web = i;
        if (endpoints[i].name.starts_with("vm-app-1"))
            app = i;
        if (endpoints[i].name == "Internet")
            internet = i;
    }
    ASSERT_TRUE(web && app && internet);
    const reach::PairReach out = reach.between(*web, *internet);
    EXPECT_TRUE(out.allowed.empty()) << out.allowed.to_string();
    EXPECT_FALSE(out.undecidable.empty());
    EXPECT_FALSE(reach.between(*web, *app).allowed.empty()) << "inside the VNet the routes are known";
}

// A Virtual Network Manager whose security admin rules may apply to the legacy spoke: Azure applies
// them before the NSGs, and ztnet does not read them, so no flow to or from the VNet's endpoints is
// surely allowed any more (nor surely denied), and the critical Internet exposure is not claimed.
// A manager scoped to another subscription changes nothing.
std::string network_manager(const std::string& scope_subscription) {
    const std::string group = "/subscriptions/" + scope_subscription + "/resourceGroups/rg-avnm";
    return R"({"id": ")" + group + R"(/providers/Microsoft.Network/networkManagers/avnm",
        "name": "avnm", "type": "Microsoft.Network/networkManagers", "location": "westeurope",
        "properties": {"networkManagerScopes": {"subscriptions": ["/subscriptions/)" +
           scope_subscription + R"("]}, "networkManagerScopeAccesses": ["SecurityAdmin"]}},)";
}

std::optional<reach::PairReach> web_to_app(CheckFixture& fixture) {
    const reach::Reachability& reach = fixture.context().reach;
    const auto& endpoints = reach.endpoints().endpoints;
    std::optional<std::uint32_t> web, app;
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        if (endpoints[i].name.starts_with("vm-web-1"))
            web = i;
        if (endpoints[i].name.starts_with("vm-app-1"))
            app = i;
    }
    if (!web || !app)
        return std::nullopt;
    return reach.between(*web, *app);
}

TEST(NotAssessed, SecurityAdminRulesMakeEveryFlowOfTheirVnetsUndecidable) {
    CheckFixture covered(testing::edited(testing::example_export("legacy-spoke"), "[",
                                         "[" + network_manager("6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c")));
    const std::optional<reach::PairReach> inside = web_to_app(covered);
    ASSERT_TRUE(inside);
    EXPECT_TRUE(inside->allowed.empty()) << inside->allowed.to_string();
    EXPECT_FALSE(inside->undecidable.empty());
    EXPECT_TRUE(run(covered, {"ZT-SEG-001"}).findings.empty());
    EXPECT_FALSE(covered.context().estate.virtual_networks.front().admin_rules_unknown.empty());

    CheckFixture elsewhere(testing::edited(testing::example_export("legacy-spoke"), "[",
                                           "[" + network_manager("0b0b0b0b-0000-4000-8000-000000000000")));
    const std::optional<reach::PairReach> untouched = web_to_app(elsewhere);
    ASSERT_TRUE(untouched);
    EXPECT_FALSE(untouched->allowed.empty());
    EXPECT_FALSE(run(elsewhere, {"ZT-SEG-001"}).findings.empty());
}

// Two VNets without a peering, and a Virtual Network Manager that may hold a connectivity
// configuration for their subscription: a flow between them may be carried by the manager's mesh,
// so it is undecidable rather than unrouted. Without the manager it is not carried at all.
std::string two_vnets(const std::string& extra) {
    const std::string group = "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg";
    std::string out = "[" + extra;
    for (const std::string n : {"1", "2"}) {
        const std::string vnet = group + "/providers/Microsoft.Network/virtualNetworks/vnet-" + n;
        out += R"({"id": ")" + vnet + R"(", "name": "vnet-)" + n +
               R"(", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
          "properties": {"addressSpace": {"addressPrefixes": ["10.)" +
               n + R"(.0.0/16"]}, "subnets": [{"id": ")" + vnet + R"(/subnets/s", "name": "s",
          "properties": {"addressPrefix": "10.)" +
               n + R"(.1.0/24"}}]}},
        {"id": ")" +
               group + "/providers/Microsoft.Network/networkInterfaces/nic-" + n + R"(", "name": "nic-)" + n +
               R"(", "type": "Microsoft.Network/networkInterfaces", "location": "westeurope",
          "properties": {"ipConfigurations": [{"name": "ip", "properties": {"privateIPAddress": "10.)" +
               n + R"(.1.4", "privateIPAllocationMethod": "Static", "subnet": {"id": ")" + vnet +
               R"(/subnets/s"}}}]}})" + (n == "1" ? "," : "");
    }
    return out + "]";
}

std::optional<reach::PairReach> between_nics(CheckFixture& fixture) {
    const reach::Reachability& reach = fixture.context().reach;
    const auto& endpoints = reach.endpoints().endpoints;
    std::optional<std::uint32_t> one, two;
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        if (endpoints[i].name == "nic-1")
            one = i;
        if (endpoints[i].name == "nic-2")
            two = i;
    }
    if (!one || !two)
        return std::nullopt;
    return reach.between(*one, *two);
}

TEST(NotAssessed, AConnectivityConfigurationMakesFlowsBetweenItsVnetsUndecidable) {
    CheckFixture alone(two_vnets(""));
    const std::optional<reach::PairReach> unrouted = between_nics(alone);
    ASSERT_TRUE(unrouted);
    EXPECT_TRUE(unrouted->allowed.empty());
    EXPECT_TRUE(unrouted->undecidable.empty()) << unrouted->undecidable.to_string();

    std::string manager =
        R"({"id": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg/providers/Microsoft.Network/networkManagers/avnm",
        "name": "avnm", "type": "Microsoft.Network/networkManagers", "location": "westeurope",
        "properties": {"networkManagerScopes": {"subscriptions": ["/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c"]},
          "networkManagerScopeAccesses": ["Connectivity"]}},)";
    CheckFixture meshed(two_vnets(manager));
    const std::optional<reach::PairReach> maybe = between_nics(meshed);
    ASSERT_TRUE(maybe);
    EXPECT_TRUE(maybe->allowed.empty());
    EXPECT_FALSE(maybe->undecidable.empty());
    EXPECT_TRUE(meshed.context().estate.virtual_networks[0].admin_rules_unknown.empty())
        << "a manager without security admin access applies no admin rules";
}

TEST(NotAssessed, EverySettingCheckNamesWhatItReads) {
    for (const Check& c : registry()) {
        for (const SettingRead& read : c.reads) {
            EXPECT_EQ(read.pointer.substr(0, 12), "/properties/") << c.id;
            EXPECT_NE(read.kind, model::ResourceKind::Other) << c.id;
        }
    }
    for (std::string_view id :
         {"ZT-STG-001", "ZT-STG-002", "ZT-STG-003", "ZT-STG-004", "ZT-STG-006", "ZT-VM-002", "ZT-VM-003",
          "ZT-VM-004", "ZT-APP-001", "ZT-HUB-002", "ZT-LOG-002"})
        EXPECT_FALSE(find_check(id)->reads.empty()) << id;
}

} // namespace
} // namespace ztnet::checks
