// Spoke network configuration checks (ZT-NET-001..004, ZT-LOG-001..002): the hardened example
// passes, the legacy example's planted gaps fire, and edited exports cover the other branches.
#include <set>
#include <stdexcept>

#include <gtest/gtest.h>

#include "../support/edit_text.h"
#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;
using testing::edited;
using testing::example_export;

using ztnet::testing::edited_after;

std::multiset<std::string> flagged(const std::vector<Finding>& findings) {
    std::multiset<std::string> names;
    for (const Finding& f : findings)
        names.insert(f.discriminator.empty() ? f.resource_name : f.resource_name + "#" + f.discriminator);
    return names;
}

std::vector<Finding> run_on(const std::string& json, std::string_view check) {
    return CheckFixture(json).run(check);
}

std::vector<Finding> run_on_example(const std::string& example, std::string_view check) {
    return CheckFixture::example(example).run(check);
}

const Finding& finding_named(const std::vector<Finding>& findings, const std::string& name,
                             const std::string& discriminator = {}) {
    for (const Finding& f : findings) {
        if (f.resource_name == name && f.discriminator == discriminator)
            return f;
    }
    throw std::runtime_error("no finding on " + name + "#" + discriminator);
}

TEST(SpokeNetwork, ChecksAreRegisteredWithTheirSeverities) {
    const std::vector<std::pair<std::string_view, Severity>> expected{
        {"ZT-NET-001", Severity::High}, {"ZT-NET-002", Severity::Medium}, {"ZT-NET-003", Severity::Low},
        {"ZT-NET-004", Severity::High}, {"ZT-LOG-001", Severity::Medium}, {"ZT-LOG-002", Severity::Medium},
    };
    for (const auto& [id, severity] : expected) {
        const Check* check = find_check(id);
        ASSERT_NE(check, nullptr) << id;
        EXPECT_EQ(check->severity, severity) << id;
    }
}

TEST(SpokeNetwork, ZeroTrustSpokePassesEveryCheck) {
    CheckFixture fixture = CheckFixture::example("zero-trust-spoke");
    for (std::string_view id :
         {"ZT-NET-001", "ZT-NET-002", "ZT-NET-003", "ZT-NET-004", "ZT-LOG-001", "ZT-LOG-002"})
        EXPECT_TRUE(fixture.run(id).empty()) << id << ": " << fixture.run(id).front().message;
}

// ---- ZT-NET-001 ----

TEST(SubnetWithoutNsg, LegacyDataSubnetFires) {
    auto findings = run_on_example("legacy-spoke", "ZT-NET-001");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{"snet-data"});
    EXPECT_NE(findings[0].message.find("10.20.3.0/24"), std::string::npos);
    ASSERT_EQ(findings[0].evidence.size(), 1U);
    EXPECT_TRUE(findings[0].evidence[0].where.has_offset());
}

TEST(SubnetWithoutNsg, RemovingTheNsgOfThePrivateEndpointSubnetFires) {
    std::string json = edited_after(example_export("zero-trust-spoke"), "\"name\": \"snet-pe\"",
                                    "\"networkSecurityGroup\":", "\"removedNetworkSecurityGroup\":");
    EXPECT_EQ(flagged(run_on(json, "ZT-NET-001")), std::multiset<std::string>{"snet-pe"});
}

// ---- ZT-NET-002 ----

TEST(NicAsgMembership, LegacyNicsInNoAsgFire) {
    auto findings = run_on_example("legacy-spoke", "ZT-NET-002");
    std::multiset<std::string> expected;
    for (std::string vm : {"web-1", "web-2", "app-1", "app-2", "data-1", "data-2"})
        expected.insert("vm-" + vm + "-nic#ipconfig1");
    EXPECT_EQ(flagged(findings), expected);
    const Finding& web = finding_named(findings, "vm-web-1-nic", "ipconfig1");
    EXPECT_NE(web.message.find("no application security group"), std::string::npos);
    EXPECT_TRUE(web.evidence.at(0).where.has_offset());
}

TEST(NicAsgMembership, ANicInTwoAsgsFires) {
    const std::string asg_web =
        "{\n                \"id\": \"/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/"
        "resourceGroups/rg-zt-spoke/providers/Microsoft.Network/applicationSecurityGroups/"
        "asg-web\"\n              }";
    std::string json = edited_after(example_export("zero-trust-spoke"),
                                    "networkInterfaces/vm-web-1-nic/ipConfigurations/ipconfig1\",", asg_web,
                                    asg_web + ", " + edited(asg_web, "asg-web", "asg-app"));
    auto findings = run_on(json, "ZT-NET-002");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{"vm-web-1-nic#ipconfig1"});
    EXPECT_NE(findings[0].message.find("2 application security groups"), std::string::npos);
    EXPECT_NE(findings[0].evidence.at(0).text.find("asg-app"), std::string::npos);
}

// ---- ZT-NET-003 ----

TEST(RulesOnVmAddresses, LegacyAddressRulesFire) {
    auto findings = run_on_example("legacy-spoke", "ZT-NET-003");
    EXPECT_EQ(flagged(findings),
              (std::multiset<std::string>{"nsg-orders-web#AllowAppGwToWeb", "nsg-orders-app#AllowWebToApp",
                                          "nsg-orders-app#AllowSshFromWeb", "nsg-orders-app#AllowAppToSql"}));
    const Finding& web_to_app = finding_named(findings, "nsg-orders-app", "AllowWebToApp");
    EXPECT_NE(web_to_app.message.find("vm-app-1, vm-app-2, vm-web-1, vm-web-2"), std::string::npos);
    ASSERT_EQ(web_to_app.evidence.size(), 1U);
    EXPECT_TRUE(web_to_app.evidence[0].where.has_offset());
    EXPECT_NE(web_to_app.evidence[0].text.find("10.20.1.4"), std::string::npos);
    // The App Gateway subnet (source of AllowAppGwToWeb) holds no VM: only the destination names VMs.
    const Finding& appgw_to_web = finding_named(findings, "nsg-orders-web", "AllowAppGwToWeb");
    EXPECT_EQ(appgw_to_web.evidence.at(0).text.find("10.20.0.0/24"), std::string::npos);
}

TEST(RulesOnVmAddresses, VmsOfAnotherVnetAreNamedByAddress) {
    // An ASG's NICs are all in one VNet, and an NSG rule names only ASGs of the VNet it applies in:
    // the other spoke of a Virtual WAN hub has no ASG this NSG could name.
    CheckFixture fixture = CheckFixture::example("virtual-wan-hub");
    EXPECT_TRUE(fixture.run("ZT-NET-003").empty()) << fixture.run("ZT-NET-003").front().message;
}

TEST(RulesOnVmAddresses, ASubnetPrefixHoldingVmsFires) {
    std::string json = edited(example_export("zero-trust-spoke"), "\"sourceAddressPrefix\": \"10.0.3.0/26\"",
                              "\"sourceAddressPrefix\": \"10.1.2.0/24\"");
    auto findings = run_on(json, "ZT-NET-003");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{"nsg-web#Allow-Bastion-To-Web-Ssh-Inbound"});
    EXPECT_NE(findings[0].message.find("vm-app-1, vm-app-2"), std::string::npos);
}

TEST(RulesOnVmAddresses, APrefixWiderThanASubnetIsAZoneNotAVm) {
    std::string json = edited(example_export("zero-trust-spoke"), "\"sourceAddressPrefix\": \"10.0.3.0/26\"",
                              "\"sourceAddressPrefix\": \"10.1.0.0/16\"");
    EXPECT_TRUE(run_on(json, "ZT-NET-003").empty());
}

// ---- ZT-NET-004 ----

TEST(BaselineDenyAll, LegacyNsgsLackItBothWays) {
    auto findings = run_on_example("legacy-spoke", "ZT-NET-004");
    std::multiset<std::string> expected;
    for (std::string nsg : {"nsg-orders-appgw", "nsg-orders-web", "nsg-orders-app"}) {
        expected.insert(nsg + "#inbound");
        expected.insert(nsg + "#outbound");
    }
    EXPECT_EQ(flagged(findings), expected);
    // The evidence shows what the defaults let through: SMB from another subnet, and out to the Internet.
    const Finding& inbound = finding_named(findings, "nsg-orders-web", "inbound");
    ASSERT_EQ(inbound.evidence.size(), 2U);
    ASSERT_TRUE(inbound.evidence[1].flow.has_value());
    EXPECT_EQ(inbound.evidence[1].flow->destination.to_string(), "10.20.1.4");
    EXPECT_EQ(inbound.evidence[1].flow->destination_port, 445);
    EXPECT_NE(inbound.evidence[1].text.find("AllowVnetInBound"), std::string::npos);
    const Finding& outbound = finding_named(findings, "nsg-orders-web", "outbound");
    ASSERT_EQ(outbound.evidence.size(), 2U);
    ASSERT_TRUE(outbound.evidence[1].flow.has_value());
    EXPECT_NE(outbound.evidence[1].text.find("AllowInternetOutBound"), std::string::npos);
}

TEST(BaselineDenyAll, ADenyAllOnlyForTcpIsNotTheBaseline) {
    std::string json =
        edited_after(example_export("zero-trust-spoke"), "nsg-appgw/securityRules/DenyAllOutbound",
                     "\"protocol\": \"*\"", "\"protocol\": \"Tcp\"");
    auto findings = run_on(json, "ZT-NET-004");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{"nsg-appgw#outbound"});
    // The 4096 rule that falls short is named with its place.
    ASSERT_GE(findings[0].evidence.size(), 2U);
    EXPECT_NE(findings[0].evidence[1].text.find("DenyAllOutbound"), std::string::npos);
    EXPECT_TRUE(findings[0].evidence[1].where.has_offset());
}

TEST(BaselineDenyAll, OutboundForcedThroughTheFirewallNeedsNoDenyAll) {
    // snet-web routes 0.0.0.0/0 to the hub firewall, so nsg-web's outbound baseline is the firewall;
    // its inbound baseline is still required.
    std::string json =
        edited_after(example_export("zero-trust-spoke"), "nsg-web/securityRules/DenyAllOutbound",
                     "\"access\": \"Deny\"", "\"access\": \"Allow\"");
    EXPECT_TRUE(run_on(json, "ZT-NET-004").empty());
    json = edited_after(json, "nsg-web/securityRules/DenyAllInbound", "\"access\": \"Deny\"",
                        "\"access\": \"Allow\"");
    EXPECT_EQ(flagged(run_on(json, "ZT-NET-004")), std::multiset<std::string>{"nsg-web#inbound"});
}

// ---- ZT-LOG-001 ----

TEST(FlowLogging, LegacyDisabledLogAndUnloggedVnetFire) {
    auto findings = run_on_example("legacy-spoke", "ZT-LOG-001");
    EXPECT_EQ(flagged(findings),
              (std::multiset<std::string>{"nsg-orders-web-rg-legacy-orders-flowlog", "vnet-orders"}));
    const Finding& vnet = finding_named(findings, "vnet-orders");
    EXPECT_EQ(vnet.evidence.size(), 4U);
    EXPECT_NE(vnet.message.find("snet-data"), std::string::npos);
    EXPECT_TRUE(
        finding_named(findings, "nsg-orders-web-rg-legacy-orders-flowlog").evidence.at(0).where.has_offset());
}

TEST(FlowLogging, AnEnabledNsgFlowLogCoversOnlyItsSubnet) {
    std::string json =
        edited(example_export("legacy-spoke"), "\"enabled\": false,\n      \"flowAnalyticsConfiguration\"",
               "\"enabled\": true,\n      \"flowAnalyticsConfiguration\"");
    auto findings = run_on(json, "ZT-LOG-001");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{"vnet-orders"});
    EXPECT_NE(findings[0].message.find("snet-appgw, snet-app, snet-data"), std::string::npos);
    EXPECT_EQ(findings[0].message.find("snet-web"), std::string::npos);
}

TEST(FlowLogging, DisablingTheSpokeVnetFlowLogFires) {
    std::string json = edited_after(example_export("zero-trust-spoke"), "\"name\": \"fl-vnet-spoke\"",
                                    "\"enabled\": true,\n      \"flowAnalyticsConfiguration\"",
                                    "\"enabled\": false,\n      \"flowAnalyticsConfiguration\"");
    EXPECT_EQ(flagged(run_on(json, "ZT-LOG-001")),
              (std::multiset<std::string>{"fl-vnet-spoke", "vnet-spoke"}));
}

// ---- ZT-LOG-002 ----

const std::string kLegacyFlowLogOff = "\"enabled\": false,\n      \"flowAnalyticsConfiguration\"";
const std::string kLegacyFlowLogOn = "\"enabled\": true,\n      \"flowAnalyticsConfiguration\"";
const std::string kLegacyRetention = "\"days\": 0,\n        \"enabled\": false";

TEST(FlowLogRetention, LegacyDisabledLogIsLeftToLog001) {
    EXPECT_TRUE(run_on_example("legacy-spoke", "ZT-LOG-002").empty());
}

TEST(FlowLogRetention, AnEnabledLogWithoutRetentionFires) {
    std::string json = edited(example_export("legacy-spoke"), kLegacyFlowLogOff, kLegacyFlowLogOn);
    auto findings = run_on(json, "ZT-LOG-002");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{"nsg-orders-web-rg-legacy-orders-flowlog"});
    EXPECT_NE(findings[0].message.find("no retention policy"), std::string::npos);
    EXPECT_TRUE(findings[0].evidence.at(0).where.has_offset());
}

TEST(FlowLogRetention, ThirtyDaysIsTooShortNinetyIsEnough) {
    std::string json = edited(example_export("legacy-spoke"), kLegacyFlowLogOff, kLegacyFlowLogOn);
    auto findings =
        run_on(edited(json, kLegacyRetention, "\"days\": 30,\n        \"enabled\": true"), "ZT-LOG-002");
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_NE(findings[0].message.find("only 30 days"), std::string::npos);
    EXPECT_TRUE(
        run_on(edited(json, kLegacyRetention, "\"days\": 90,\n        \"enabled\": true"), "ZT-LOG-002")
            .empty());
}

TEST(FlowLogRetention, TrafficAnalyticsKeepsTheData) {
    // fl-vnet-hub: retention cut to 7 days, but traffic analytics sends the records to the workspace.
    std::string json = edited(example_export("zero-trust-spoke"), "\"days\": 90,", "\"days\": 7,");
    EXPECT_TRUE(run_on(json, "ZT-LOG-002").empty());
    json = edited_after(json, "\"name\": \"fl-vnet-hub\"", "\"enabled\": true,\n          \"workspaceId\"",
                        "\"enabled\": false,\n          \"workspaceId\"");
    EXPECT_EQ(flagged(run_on(json, "ZT-LOG-002")), std::multiset<std::string>{"fl-vnet-hub"});
}

} // namespace
} // namespace ztnet::checks
