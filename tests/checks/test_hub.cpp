// The hub checks (ZT-HUB-*) on the two examples and on edits of them: the hardened estate passes,
// the legacy estate's planted gaps fire, and each way a check can fail is shown once.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../support/edit_text.h"
#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;
using testing::edited;
using testing::example_export;

const std::string kSubscription = "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c";

CheckFixture& zero_trust() {
    static CheckFixture fixture = CheckFixture::example("zero-trust-spoke");
    return fixture;
}

CheckFixture& legacy() {
    static CheckFixture fixture = CheckFixture::example("legacy-spoke");
    return fixture;
}

/// The zero-trust export with one edit applied.
CheckFixture zero_trust_with(const std::string& from, const std::string& to) {
    return CheckFixture(edited(example_export("zero-trust-spoke"), from, to));
}

using ztnet::testing::edited_after;

/// The names of the flagged resources, sorted (one entry per finding).
std::vector<std::string> flagged(const std::vector<Finding>& findings) {
    std::vector<std::string> names;
    for (const Finding& f : findings)
        names.push_back(f.resource_name);
    std::sort(names.begin(), names.end());
    return names;
}

bool any_evidence_contains(const Finding& finding, const std::string& text) {
    return std::any_of(finding.evidence.begin(), finding.evidence.end(),
                       [&](const Evidence& e) { return e.text.find(text) != std::string::npos; });
}

Severity severity_of(std::string_view id) {
    const Check* check = find_check(id);
    EXPECT_NE(check, nullptr) << id;
    return check ? check->severity : Severity::Critical;
}

TEST(HubChecks, RegisteredWithTheirSeverities) {
    EXPECT_EQ(severity_of("ZT-HUB-001"), Severity::Medium);
    EXPECT_EQ(severity_of("ZT-HUB-002"), Severity::Medium);
    EXPECT_EQ(severity_of("ZT-HUB-003"), Severity::Medium);
    EXPECT_EQ(severity_of("ZT-HUB-004"), Severity::Low);
    EXPECT_EQ(severity_of("ZT-HUB-005"), Severity::Medium);
    EXPECT_EQ(severity_of("ZT-HUB-006"), Severity::High);
    EXPECT_EQ(severity_of("ZT-HUB-007"), Severity::Medium);
}

TEST(HubChecks, TheHardenedExamplePassesEveryHubCheck) {
    for (std::string_view id :
         {"ZT-HUB-001", "ZT-HUB-002", "ZT-HUB-003", "ZT-HUB-004", "ZT-HUB-005", "ZT-HUB-006", "ZT-HUB-007"})
        EXPECT_EQ(flagged(zero_trust().run(id)), std::vector<std::string>{}) << id;
}

// ---- ZT-HUB-001 ---------------------------------------------------------------------------------

TEST(FirewallPremium, NoFirewallIsOneFindingOnTheSubscription) {
    std::vector<Finding> findings = legacy().run("ZT-HUB-001");
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_EQ(findings[0].check_id, "ZT-HUB-001");
    EXPECT_EQ(findings[0].resource_id, "/subscriptions/" + kSubscription);
    EXPECT_EQ(findings[0].resource_name, kSubscription);
    EXPECT_FALSE(findings[0].where.has_file());
    EXPECT_NE(findings[0].message.find("no Azure Firewall"), std::string::npos);
}

TEST(FirewallPremium, AStandardFirewallWithAStandardPolicyFails) {
    std::string text =
        edited(example_export("zero-trust-spoke"), "\"tier\": \"Premium\"", "\"tier\": \"Standard\"");
    CheckFixture fixture(edited(text, "\"tier\": \"Premium\"", "\"tier\": \"Standard\""));
    std::vector<Finding> findings = fixture.run("ZT-HUB-001");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"afw-hub"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_TRUE(findings[0].where.has_file());
    EXPECT_TRUE(any_evidence_contains(findings[0], "afwp-hub sku.tier: Standard"));
}

TEST(FirewallPremium, APremiumPolicyIsEnoughWhenTheFirewallSaysStandard) {
    CheckFixture fixture(edited_after(example_export("zero-trust-spoke"), "\"name\": \"AZFW_VNet\"",
                                      "\"tier\": \"Premium\"", "\"tier\": \"Standard\""));
    ASSERT_EQ(fixture.estate().azure_firewalls.size(), 1U);
    ASSERT_EQ(fixture.estate().azure_firewalls[0].sku_tier.value,
              model::FirewallTier::Standard); // the edit landed
    EXPECT_TRUE(fixture.run("ZT-HUB-001").empty());
}

// ---- ZT-HUB-002 / 003 / 004 -----------------------------------------------------------------------

TEST(FirewallPolicyModes, NothingToJudgeWithoutAFirewall) {
    EXPECT_TRUE(legacy().run("ZT-HUB-002").empty());
    EXPECT_TRUE(legacy().run("ZT-HUB-003").empty());
    EXPECT_TRUE(legacy().run("ZT-HUB-004").empty());
}

TEST(FirewallPolicyModes, IdpsInAlertModeFailsOnThePolicy) {
    CheckFixture fixture = zero_trust_with("\"mode\": \"Deny\"", "\"mode\": \"Alert\"");
    std::vector<Finding> findings = fixture.run("ZT-HUB-002");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"afwp-hub"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_TRUE(any_evidence_contains(findings[0], "intrusionDetection.mode: Alert"));
    EXPECT_TRUE(findings[0].evidence[0].where.has_file());
}

TEST(FirewallPolicyModes, ThreatIntelligenceInAlertModeFailsOnThePolicy) {
    CheckFixture fixture = zero_trust_with("\"threatIntelMode\": \"Deny\"", "\"threatIntelMode\": \"Alert\"");
    std::vector<Finding> findings = fixture.run("ZT-HUB-003");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"afwp-hub"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_TRUE(any_evidence_contains(findings[0], "threatIntelMode: Alert"));
}

TEST(FirewallPolicyModes, TlsInspectionMissingIsALowFindingOnThePolicy) {
    CheckFixture fixture =
        zero_trust_with("\"certificateAuthority\": {", "\"unusedCertificateAuthority\": {");
    std::vector<Finding> findings = fixture.run("ZT-HUB-004");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"afwp-hub"});
}

TEST(FirewallPolicyModes, AClassicFirewallIsJudgedOnItsOwnSettings) {
    // Detach the policy: the firewall keeps classic (empty) rule collections and no threat-intel mode.
    CheckFixture fixture = zero_trust_with("\"firewallPolicy\": {", "\"unusedFirewallPolicy\": {");
    ASSERT_EQ(fixture.estate().azure_firewalls[0].firewall_policy, model::kNone);
    for (std::string_view id : {"ZT-HUB-002", "ZT-HUB-003", "ZT-HUB-004"})
        EXPECT_EQ(flagged(fixture.run(id)), std::vector<std::string>{"afw-hub"}) << id;
    // Absent, a firewall's threat-intelligence mode is Azure's default, Alert.
    EXPECT_TRUE(any_evidence_contains(fixture.run("ZT-HUB-003").at(0), "threatIntelMode: Alert"));
}

/// The zero-trust export with afwp-hub's IDPS off and a base policy `base_mode` it inherits from.
std::string with_base_policy(const std::string& base_mode) {
    const std::string policies = "/subscriptions/" + kSubscription +
                                 "/resourceGroups/rg-zt-hub/providers/Microsoft.Network/firewallPolicies/";
    std::string base = R"({"id": ")" + policies + R"(afwp-base", "name": "afwp-base",
        "type": "Microsoft.Network/firewallPolicies", "location": "westeurope",
        "properties": {"sku": {"tier": "Premium"}, "threatIntelMode": "Deny",
                       "intrusionDetection": {"mode": ")" +
                       base_mode + R"("}}},)";
    // The child is edited before the base goes in, so that each edit lands in afwp-hub.
    std::string text =
        edited(example_export("zero-trust-spoke"), "\"intrusionDetection\": {\n        \"mode\": \"Deny\"",
               "\"intrusionDetection\": {\n        \"mode\": \"Off\"");
    text = edited(text, "\"threatIntelMode\": \"Deny\",",
                  "\"threatIntelMode\": \"Deny\", \"basePolicy\": {\"id\": \"" + policies + "afwp-base\"},");
    return edited(text, "[", "[" + base);
}

TEST(FirewallPolicyModes, ADenyModeInheritedFromTheBasePolicyCounts) {
    CheckFixture inherits_deny(with_base_policy("Deny"));
    const auto& policies = inherits_deny.estate().firewall_policies;
    ASSERT_EQ(policies.size(), 2U);
    ASSERT_TRUE(std::any_of(policies.begin(), policies.end(), [](const model::FirewallPolicy& p) {
        return p.name == "afwp-hub" && p.base_policy != model::kNone;
    })); // the edits landed
    EXPECT_TRUE(inherits_deny.run("ZT-HUB-002").empty());

    CheckFixture inherits_alert(with_base_policy("Alert"));
    std::vector<Finding> findings = inherits_alert.run("ZT-HUB-002");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"afwp-hub"});
    ASSERT_EQ(findings.size(), 1U);
    // The stricter of Off (child) and Alert (base) is reported, where the base writes it.
    EXPECT_TRUE(any_evidence_contains(findings[0],
                                      "afwp-base intrusionDetection.mode: Alert (inherited by afwp-hub)"));
}

// ---- ZT-HUB-005 ---------------------------------------------------------------------------------

TEST(DdosProtection, TheLegacyNetworkWithPublicEntryPointsFails) {
    std::vector<Finding> findings = legacy().run("ZT-HUB-005");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"vnet-orders"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_TRUE(any_evidence_contains(findings[0], "enableDdosProtection: false"));
    EXPECT_TRUE(any_evidence_contains(findings[0], "public IP pip-vm-web-1 (52.174.33.120) on vm-web-1-nic"));
    EXPECT_TRUE(
        any_evidence_contains(findings[0], "public IP pip-agw-orders (20.73.229.14) on application gateway"));
    for (const Evidence& e : findings[0].evidence)
        EXPECT_TRUE(e.where.has_file()) << e.text;
}

TEST(DdosProtection, EachUnprotectedNetworkOfTheHardenedExampleFailsOnItsOwn) {
    CheckFixture hub_off =
        zero_trust_with("\"enableDdosProtection\": true", "\"enableDdosProtection\": false");
    std::vector<Finding> findings = hub_off.run("ZT-HUB-005");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"vnet-hub"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_TRUE(any_evidence_contains(findings[0], "on Azure Firewall afw-hub"));
    EXPECT_TRUE(any_evidence_contains(findings[0], "on Bastion bas-hub"));

    CheckFixture spoke_off(edited_after(example_export("zero-trust-spoke"), "\"name\": \"vnet-spoke\"",
                                        "\"enableDdosProtection\": true", "\"enableDdosProtection\": false"));
    EXPECT_EQ(flagged(spoke_off.run("ZT-HUB-005")), std::vector<std::string>{"vnet-spoke"});
}

/// A small estate: one VNet without DDoS protection and one NIC, optionally behind a public load
/// balancer.
std::string load_balancer_estate(bool public_load_balancer) {
    const std::string rg =
        "/subscriptions/" + kSubscription + "/resourceGroups/rg-x/providers/Microsoft.Network/";
    std::string pool = rg + "loadBalancers/lb-x/backendAddressPools/pool";
    std::string text =
        R"([{"id": ")" + rg + R"(virtualNetworks/vnet-x", "name": "vnet-x",
        "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
        "properties": {"addressSpace": {"addressPrefixes": ["10.5.0.0/16"]}, "subnets": [{"name": "snet-x",
          "id": ")" +
        rg + R"(virtualNetworks/vnet-x/subnets/snet-x", "properties": {"addressPrefix": "10.5.1.0/24"}}]}},
      {"id": ")" +
        rg + R"(networkInterfaces/nic-x", "name": "nic-x", "type": "Microsoft.Network/networkInterfaces",
        "location": "westeurope", "properties": {"ipConfigurations": [{"name": "ipc",
          "id": ")" +
        rg + R"(networkInterfaces/nic-x/ipConfigurations/ipc", "properties": {
          "privateIPAddress": "10.5.1.4", "privateIPAllocationMethod": "Static",
          "subnet": {"id": ")" +
        rg + R"(virtualNetworks/vnet-x/subnets/snet-x"},
          "loadBalancerBackendAddressPools": [{"id": ")" +
        pool + R"("}]}}]}})";
    if (public_load_balancer) {
        text += R"(, {"id": ")" + rg +
                R"(loadBalancers/lb-x", "name": "lb-x", "type": "Microsoft.Network/loadBalancers",
          "location": "westeurope", "sku": {"name": "Standard"}, "properties": {
          "frontendIPConfigurations": [{"name": "fe", "id": ")" +
                rg + R"(loadBalancers/lb-x/frontendIPConfigurations/fe",
            "properties": {"publicIPAddress": {"id": ")" +
                rg + R"(publicIPAddresses/pip-lb-x"}}}],
          "backendAddressPools": [{"name": "pool", "id": ")" +
                pool + R"("}]}},
        {"id": ")" +
                rg + R"(publicIPAddresses/pip-lb-x", "name": "pip-lb-x",
          "type": "Microsoft.Network/publicIPAddresses", "location": "westeurope", "sku": {"name": "Standard"},
          "properties": {"ipAddress": "20.1.2.3", "publicIPAllocationMethod": "Static"}})";
    }
    return text + "]";
}

TEST(DdosProtection, ANetworkWithNothingPublicNeedsNoPlan) {
    CheckFixture fixture(load_balancer_estate(false));
    ASSERT_EQ(fixture.estate().virtual_networks.size(), 1U);
    ASSERT_FALSE(fixture.estate().virtual_networks[0].ddos_protection_enabled);
    EXPECT_TRUE(fixture.run("ZT-HUB-005").empty());
}

TEST(DdosProtection, APublicLoadBalancerCountsInItsBackendsNetwork) {
    CheckFixture fixture(load_balancer_estate(true));
    ASSERT_EQ(fixture.estate().load_balancers.size(), 1U);
    std::vector<Finding> findings = fixture.run("ZT-HUB-005");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"vnet-x"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_TRUE(any_evidence_contains(findings[0], "public IP pip-lb-x (20.1.2.3) on load balancer lb-x"));
}

// ---- ZT-HUB-006 ---------------------------------------------------------------------------------

const std::vector<std::string> kVmSubnets{"snet-app", "snet-data", "snet-web"};

TEST(SpokeEgress, LegacyVmSubnetsHaveNoRouteTable) {
    std::vector<Finding> findings = legacy().run("ZT-HUB-006");
    EXPECT_EQ(flagged(findings), kVmSubnets); // not snet-appgw: it holds no VM
    for (const Finding& f : findings) {
        EXPECT_TRUE(any_evidence_contains(f, "routeTable: absent")) << f.resource_name;
        EXPECT_TRUE(f.where.has_file());
    }
}

TEST(SpokeEgress, ARouteTableWithoutADefaultRouteFails) {
    CheckFixture fixture =
        zero_trust_with("\"addressPrefix\": \"0.0.0.0/0\"", "\"addressPrefix\": \"0.0.0.0/1\"");
    std::vector<Finding> findings = fixture.run("ZT-HUB-006");
    EXPECT_EQ(flagged(findings), kVmSubnets);
    ASSERT_FALSE(findings.empty());
    EXPECT_TRUE(any_evidence_contains(findings[0], "rt-spoke routes: none for 0.0.0.0/0"));
}

TEST(SpokeEgress, ADefaultRouteToAnotherApplianceFails) {
    CheckFixture fixture(edited_after(example_export("zero-trust-spoke"), "\"addressPrefix\": \"0.0.0.0/0\"",
                                      "\"nextHopIpAddress\": \"10.0.1.4\"",
                                      "\"nextHopIpAddress\": \"10.1.4.100\""));
    std::vector<Finding> findings = fixture.run("ZT-HUB-006");
    EXPECT_EQ(flagged(findings), kVmSubnets);
    ASSERT_FALSE(findings.empty());
    const Evidence& route = findings[0].evidence.at(0);
    EXPECT_EQ(route.text, "rt-spoke route default-via-firewall: 0.0.0.0/0 -> VirtualAppliance 10.1.4.100");
    EXPECT_TRUE(route.where.has_file());
}

TEST(SpokeEgress, AnyAddressInTheFirewallSubnetIsTheFirewall) {
    // The firewall's private IP is only known after deployment; its subnet holds nothing else.
    CheckFixture fixture(edited_after(example_export("zero-trust-spoke"), "\"addressPrefix\": \"0.0.0.0/0\"",
                                      "\"nextHopIpAddress\": \"10.0.1.4\"",
                                      "\"nextHopIpAddress\": \"10.0.1.5\""));
    EXPECT_TRUE(fixture.run("ZT-HUB-006").empty());
}

// ---- ZT-HUB-007 ---------------------------------------------------------------------------------

TEST(GatewayRouting, NoGatewaySubnetNothingToCheck) {
    EXPECT_TRUE(legacy().run("ZT-HUB-007").empty());
}

TEST(GatewayRouting, ARouteCoveringOnlyPartOfTheSpokeLeavesTheRestToThePeering) {
    CheckFixture fixture =
        zero_trust_with("\"addressPrefix\": \"10.1.0.0/16\"", "\"addressPrefix\": \"10.1.1.0/24\"");
    std::vector<Finding> findings = fixture.run("ZT-HUB-007");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"GatewaySubnet"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_EQ(findings[0].discriminator, "10.1.0.0/16");
    EXPECT_NE(findings[0].message.find("vnet-spoke (10.1.0.0/16) to VNetPeering"), std::string::npos);
    EXPECT_TRUE(any_evidence_contains(findings[0], "-> VNetPeering"));
}

TEST(GatewayRouting, ASpokeRouteToSomethingElseFails) {
    CheckFixture fixture =
        zero_trust_with("\"nextHopIpAddress\": \"10.0.1.4\"", "\"nextHopIpAddress\": \"10.0.3.4\"");
    std::vector<Finding> findings = fixture.run("ZT-HUB-007");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"GatewaySubnet"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_EQ(findings[0].evidence.at(0).text,
              "rt-gateway route to-spoke-via-firewall: 10.1.0.0/16 -> VirtualAppliance 10.0.3.4");
    EXPECT_TRUE(findings[0].evidence.at(0).where.has_file());
}

TEST(GatewayRouting, AMoreSpecificRouteInsideTheSpokeTakesPartOfItAround) {
    CheckFixture fixture = zero_trust_with(
        "\"routes\": [",
        R"("routes": [{"name": "web-direct", "properties": {"addressPrefix": "10.1.1.0/24", "nextHopType": "VnetLocal"}},)");
    std::vector<Finding> findings = fixture.run("ZT-HUB-007");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"GatewaySubnet"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_TRUE(any_evidence_contains(findings[0], "rt-gateway route web-direct: 10.1.1.0/24 -> VnetLocal"));
}

TEST(GatewayRouting, AGatewaySubnetWithoutRouteTableFails) {
    CheckFixture fixture = zero_trust_with("\"routeTable\": {", "\"unusedRouteTable\": {");
    ASSERT_EQ(std::count_if(fixture.estate().subnets.begin(), fixture.estate().subnets.end(),
                            [](const model::Subnet& s) { return s.route_table != model::kNone; }),
              3); // the three spoke VM subnets keep rt-spoke
    std::vector<Finding> findings = fixture.run("ZT-HUB-007");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"GatewaySubnet"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_TRUE(any_evidence_contains(findings[0], "GatewaySubnet routeTable: absent"));
}

} // namespace
} // namespace ztnet::checks
