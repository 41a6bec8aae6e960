// The virtual machine checks (ZT-VM-*) and the App Gateway checks (ZT-APP-*): the hardened example
// passes, the legacy example's planted gaps fire, and edits show each remaining way to fail or pass.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;
using testing::edited;
using testing::example_export;

CheckFixture& zero_trust() {
    static CheckFixture fixture = CheckFixture::example("zero-trust-spoke");
    return fixture;
}

CheckFixture& legacy() {
    static CheckFixture fixture = CheckFixture::example("legacy-spoke");
    return fixture;
}

std::vector<std::string> flagged(const std::vector<Finding>& findings) {
    std::vector<std::string> names;
    for (const Finding& f : findings)
        names.push_back(f.resource_name);
    std::sort(names.begin(), names.end());
    return names;
}

const std::vector<std::string> kNone{};
const std::vector<std::string> kAllVms{"vm-app-1",  "vm-app-2", "vm-data-1",
                                       "vm-data-2", "vm-web-1", "vm-web-2"};

TEST(VirtualMachineChecks, RegisteredWithTheirSeverities) {
    const std::vector<std::pair<std::string_view, Severity>> expected{
        {"ZT-VM-001", Severity::High},   {"ZT-VM-002", Severity::Medium}, {"ZT-VM-003", Severity::Medium},
        {"ZT-VM-004", Severity::Medium}, {"ZT-APP-001", Severity::High},  {"ZT-APP-002", Severity::Medium}};
    for (const auto& [id, severity] : expected) {
        const Check* check = find_check(id);
        ASSERT_NE(check, nullptr) << id;
        EXPECT_EQ(check->severity, severity) << id;
    }
}

TEST(VirtualMachineChecks, TheHardenedExamplePassesEveryCheck) {
    for (std::string_view id :
         {"ZT-VM-001", "ZT-VM-002", "ZT-VM-003", "ZT-VM-004", "ZT-APP-001", "ZT-APP-002"})
        EXPECT_EQ(flagged(zero_trust().run(id)), kNone) << id;
}

// ---- ZT-VM-001 ----------------------------------------------------------------------------------

TEST(NoPublicIp, TheLegacyWebVmWithItsOwnAddressFails) {
    std::vector<Finding> findings = legacy().run("ZT-VM-001");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"vm-web-1"}); // GAP 2
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_EQ(findings[0].discriminator, "pip-vm-web-1");
    EXPECT_NE(findings[0].message.find("pip-vm-web-1 (52.174.33.120)"), std::string::npos);
    ASSERT_EQ(findings[0].evidence.size(), 1U);
    EXPECT_EQ(findings[0].evidence[0].text,
              "vm-web-1-nic ipconfig1 publicIPAddress: pip-vm-web-1 (52.174.33.120)");
    EXPECT_TRUE(findings[0].evidence[0].where.has_file());
}

// ---- ZT-VM-002 / 003 ----------------------------------------------------------------------------

TEST(TrustedLaunch, EveryLegacyVmFails) {
    std::vector<Finding> findings = legacy().run("ZT-VM-002"); // GAP 13
    EXPECT_EQ(flagged(findings), kAllVms);
    ASSERT_FALSE(findings.empty());
    EXPECT_NE(findings[0].evidence.at(0).text.find("securityType: absent (Standard)"), std::string::npos);
}

TEST(TrustedLaunch, SecureBootOffFailsEvenWithTrustedLaunch) {
    CheckFixture fixture(edited(example_export("zero-trust-spoke"), "\"secureBootEnabled\": true",
                                "\"secureBootEnabled\": false"));
    std::vector<Finding> findings = fixture.run("ZT-VM-002");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"vm-web-1"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_NE(findings[0].evidence.at(0).text.find("secureBootEnabled: false"), std::string::npos);
}

TEST(EncryptionAtHost, EveryLegacyVmFailsAndOneHardenedVmWithoutIt) {
    EXPECT_EQ(flagged(legacy().run("ZT-VM-003")), kAllVms); // GAP 13
    CheckFixture fixture(edited(example_export("zero-trust-spoke"), "\"encryptionAtHost\": true",
                                "\"encryptionAtHost\": false"));
    EXPECT_EQ(flagged(fixture.run("ZT-VM-003")), std::vector<std::string>{"vm-web-1"});
}

// ---- ZT-VM-004 ----------------------------------------------------------------------------------

TEST(SshKeysOnly, TheLegacyVmsAlreadyUseKeysOnly) {
    // The legacy example's gaps are elsewhere: every VM sets disablePasswordAuthentication.
    EXPECT_EQ(flagged(legacy().run("ZT-VM-004")), kNone);
}

TEST(SshKeysOnly, PasswordLoginsOnALinuxVmFail) {
    CheckFixture fixture(edited(example_export("legacy-spoke"), "\"disablePasswordAuthentication\": true",
                                "\"disablePasswordAuthentication\": false"));
    std::vector<Finding> findings = fixture.run("ZT-VM-004");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"vm-web-1"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_TRUE(findings[0].evidence.at(0).where.has_file());
}

TEST(SshKeysOnly, AWindowsVmIsNotJudged) {
    std::string text =
        edited(example_export("legacy-spoke"), "\"osType\": \"Linux\"", "\"osType\": \"Windows\"");
    CheckFixture fixture(
        edited(text, "\"disablePasswordAuthentication\": true", "\"disablePasswordAuthentication\": false"));
    ASSERT_EQ(fixture.estate().virtual_machines.at(0).os_type,
              model::OsType::Windows); // the edits landed on one VM
    ASSERT_FALSE(fixture.estate().virtual_machines.at(0).disable_password_authentication.value);
    EXPECT_EQ(flagged(fixture.run("ZT-VM-004")), kNone);
}

// ---- ZT-APP-001 ---------------------------------------------------------------------------------

TEST(WafPrevention, TheLegacyPolicyInDetectionModeFails) {
    std::vector<Finding> findings = legacy().run("ZT-APP-001"); // GAP 8
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"agw-orders"});
    ASSERT_EQ(findings.size(), 1U);
    ASSERT_EQ(findings[0].evidence.size(), 1U);
    EXPECT_EQ(findings[0].evidence[0].text, "wafp-agw-orders policySettings.state: Enabled, mode: Detection");
    EXPECT_TRUE(findings[0].evidence[0].where.has_file());
}

TEST(WafPrevention, ADisabledPolicyFailsEvenInPrevention) {
    CheckFixture fixture(edited(example_export("zero-trust-spoke"),
                                "\"state\": \"Enabled\",\n        \"mode\": \"Prevention\"",
                                "\"state\": \"Disabled\",\n        \"mode\": \"Prevention\""));
    EXPECT_EQ(flagged(fixture.run("ZT-APP-001")), std::vector<std::string>{"agw-spoke"});
}

/// The legacy export with agw-orders' WAF policy detached and an inline configuration instead.
std::string with_inline_waf(const std::string& configuration) {
    return edited(example_export("legacy-spoke"), "\"firewallPolicy\": {",
                  "\"webApplicationFirewallConfiguration\": " + configuration +
                      ", \"unusedFirewallPolicy\": {");
}

TEST(WafPrevention, AnInlineConfigurationIsJudgedWhenThereIsNoPolicy) {
    CheckFixture prevention(with_inline_waf(R"({"enabled": true, "firewallMode": "Prevention"})"));
    ASSERT_EQ(prevention.estate().application_gateways.at(0).waf_policy, model::kNone);
    EXPECT_EQ(flagged(prevention.run("ZT-APP-001")), kNone);

    CheckFixture disabled(with_inline_waf(R"({"enabled": false, "firewallMode": "Prevention"})"));
    std::vector<Finding> findings = disabled.run("ZT-APP-001");
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"agw-orders"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_NE(findings[0].message.find("not enabled"), std::string::npos);
}

// ---- ZT-APP-002 ---------------------------------------------------------------------------------

TEST(HttpsListeners, ThePlainHttpPortOfTheLegacyGatewayFails) {
    std::vector<Finding> findings = legacy().run("ZT-APP-002"); // GAP 8
    EXPECT_EQ(flagged(findings), std::vector<std::string>{"agw-orders"});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_EQ(findings[0].discriminator, "80");
    EXPECT_TRUE(findings[0].evidence.at(0).where.has_file());
}

TEST(HttpsListeners, Port80AddedToTheHardenedGatewayFails) {
    // The first port after "frontendPorts" is the gateway's listener port.
    std::string text = example_export("zero-trust-spoke");
    std::size_t ports = text.find("\"frontendPorts\"");
    ASSERT_NE(ports, std::string::npos);
    CheckFixture fixture(text.substr(0, ports) + edited(text.substr(ports), "\"port\": 443", "\"port\": 80"));
    ASSERT_EQ(fixture.estate().application_gateways.at(0).frontend_ports, std::vector<int>{80});
    EXPECT_EQ(flagged(fixture.run("ZT-APP-002")), std::vector<std::string>{"agw-spoke"});
}

} // namespace
} // namespace ztnet::checks
