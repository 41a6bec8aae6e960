// The guidance's VM hardening and encryption in transit: disks encrypted at host or in the guest
// (ZT-VM-003), no credentials in custom data (ZT-VM-005), automatic guest patching (ZT-VM-006), the
// App Gateway's TLS policy (ZT-APP-003) and WAF rule set (ZT-APP-004), virtual network encryption
// (ZT-NET-007) and VPN crypto (ZT-HUB-008). The hardened example passes each; small templates,
// shaped as real ones, flip each both ways.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;
using testing::edited;
using Names = std::vector<std::string>;

Names flagged(CheckFixture& fixture, std::string_view id) {
    return testing::flagged_names(fixture, id);
}

std::string template_of(const std::string& resources, const std::string& parameters = "{}") {
    return R"({
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": )" +
           parameters + R"(,
  "resources": [)" +
           resources + "]}";
}

const std::string kNetwork = R"(
    {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet-app",
     "location": "westeurope",
     "properties": {"addressSpace": {"addressPrefixes": ["10.9.0.0/16"]},
                    "subnets": [{"name": "snet-app", "properties": {"addressPrefix": "10.9.1.0/24"}}]}},
    {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2024-05-01", "name": "nic-app",
     "location": "westeurope",
     "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {
        "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-app', 'snet-app')]"},
        "privateIPAllocationMethod": "Static", "privateIPAddress": "10.9.1.4"}}]}})";

// A Linux VM on nic-app with `extra` in its properties and `os` in its osProfile.
std::string linux_vm(const std::string& extra, const std::string& os = "") {
    return R"(
    {"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm-app",
     "location": "westeurope",
     "properties": {
        "hardwareProfile": {"vmSize": "Standard_D2s_v5"},
        "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts",
                                              "sku": "server", "version": "latest"},
                           "osDisk": {"createOption": "FromImage", "osType": "Linux"}},
        "osProfile": {"computerName": "vm-app", "adminUsername": "azureuser",
                      "linuxConfiguration": {"disablePasswordAuthentication": true,
                                             "patchSettings": {"patchMode": "AutomaticByPlatform"}})" +
           os + R"(},
        "networkProfile": {"networkInterfaces": [{"id": "[resourceId('Microsoft.Network/networkInterfaces', 'nic-app')]"}]},
        "securityProfile": {"encryptionAtHost": true})" +
           extra + R"(}})";
}

TEST(HardeningAndEncryption, RegisteredWithTheirSeverities) {
    const std::vector<std::pair<std::string_view, Severity>> expected{
        {"ZT-VM-003", Severity::Medium},  {"ZT-VM-005", Severity::High},    {"ZT-VM-006", Severity::Medium},
        {"ZT-APP-003", Severity::Medium}, {"ZT-APP-004", Severity::Medium}, {"ZT-NET-007", Severity::Low},
        {"ZT-HUB-008", Severity::Medium}};
    for (const auto& [id, severity] : expected) {
        const Check* check = find_check(id);
        ASSERT_NE(check, nullptr) << id;
        EXPECT_EQ(check->severity, severity) << id;
    }
}

TEST(HardeningAndEncryption, TheHardenedExamplePassesEach) {
    CheckFixture fixture = CheckFixture::example("zero-trust-spoke");
    for (std::string_view id :
         {"ZT-VM-003", "ZT-VM-005", "ZT-VM-006", "ZT-APP-003", "ZT-APP-004", "ZT-NET-007", "ZT-HUB-008"})
        EXPECT_EQ(flagged(fixture, id), Names{}) << id;
}

TEST(DiskEncryption, AtHostInTheGuestOrConfidentialPasses) {
    CheckFixture at_host(template_of(kNetwork + "," + linux_vm("")));
    EXPECT_EQ(flagged(at_host, "ZT-VM-003"), Names{});
    const std::string unencrypted_vm =
        edited(linux_vm(""), R"("encryptionAtHost": true)", R"("encryptionAtHost": false)");
    const std::string none = template_of(kNetwork + "," + unencrypted_vm);
    CheckFixture without(none);
    EXPECT_EQ(flagged(without, "ZT-VM-003"), Names{"vm-app"});
    // Azure Disk Encryption as the VM's extension child.
    CheckFixture ade(template_of(kNetwork + "," + unencrypted_vm + R"(,
    {"type": "Microsoft.Compute/virtualMachines/extensions", "apiVersion": "2024-07-01",
     "name": "vm-app/AzureDiskEncryptionForLinux", "location": "westeurope",
     "properties": {"publisher": "Microsoft.Azure.Security", "type": "AzureDiskEncryptionForLinux",
                    "typeHandlerVersion": "1.4", "settings": {"EncryptionOperation": "EnableEncryption"}}})"));
    EXPECT_EQ(flagged(ade, "ZT-VM-003"), Names{});
    // A disk encryption set alone covers the managed disks at rest, not the temporary disk: still
    // a finding, and the evidence says why.
    CheckFixture cmk(edited(
        none, R"("osType": "Linux")",
        R"("osType": "Linux", "managedDisk": {"diskEncryptionSet": {"id": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des"}})"));
    const std::vector<Finding> findings = cmk.run("ZT-VM-003");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].evidence[0].text.find("managed disks at rest only"), std::string::npos)
        << findings[0].evidence[0].text;
}

TEST(CustomDataCredentials, APasswordInTheScriptIsFoundAndNotShown) {
    // base64 of "#!/bin/bash\nexport DB_PASSWORD=Hunter2Hunter2\n", as base64() in a template gives it.
    CheckFixture with_secret(template_of(
        kNetwork + "," +
        linux_vm("", R"(, "customData": "[base64('#!/bin/bash\nexport DB_PASSWORD=Hunter2Hunter2\n')]")")));
    const std::vector<Finding> findings = with_secret.run("ZT-VM-005");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].resource_name, "vm-app");
    EXPECT_NE(findings[0].evidence[0].text.find("a credential assignment (DB_PASSWORD)"), std::string::npos)
        << findings[0].evidence[0].text;
    EXPECT_EQ(findings[0].evidence[0].text.find("Hunter2"), std::string::npos) << "the value is never shown";
    // A script that reads the secret from Key Vault at boot.
    CheckFixture clean(template_of(
        kNetwork + "," +
        linux_vm(
            "",
            R"(, "customData": "[base64('#!/bin/bash\nDB_PASSWORD=$(az keyvault secret show --query value -o tsv)\n')]")")));
    EXPECT_EQ(flagged(clean, "ZT-VM-005"), Names{});
    // Custom data from a parameter without a value: not judged.
    CheckFixture unknown(
        template_of(kNetwork + "," + linux_vm("", R"(, "customData": "[parameters('init')]")"),
                    R"({"init": {"type": "securestring"}})"));
    const CheckRun run = run_checks(unknown.context(), {}, "2026-12-07", {"ZT-VM-005"});
    EXPECT_TRUE(run.findings.empty());
    ASSERT_EQ(run.not_assessed.size(), 1u);
    EXPECT_EQ(run.not_assessed[0].resource_name, "vm-app");
}

TEST(GuestPatching, ImageDefaultAndManualFailAutomaticPasses) {
    const std::string patched = template_of(kNetwork + "," + linux_vm(""));
    CheckFixture automatic(patched);
    EXPECT_EQ(flagged(automatic, "ZT-VM-006"), Names{});
    CheckFixture image_default(edited(patched, R"(,
                                             "patchSettings": {"patchMode": "AutomaticByPlatform"})",
                                      ""));
    EXPECT_EQ(flagged(image_default, "ZT-VM-006"), Names{"vm-app"});
    const std::vector<Finding> findings = image_default.run("ZT-VM-006");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].evidence[0].text.find("absent (ImageDefault)"), std::string::npos)
        << findings[0].evidence[0].text;
}

std::string app_gateway(const std::string& api_version, const std::string& extra) {
    return R"(
    {"type": "Microsoft.Network/applicationGateways", "apiVersion": ")" +
           api_version + R"(", "name": "agw-app", "location": "westeurope",
     "properties": {
        "sku": {"name": "WAF_v2", "tier": "WAF_v2", "capacity": 2},
        "gatewayIPConfigurations": [{"name": "gw", "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-app', 'snet-app')]"}}}],
        "frontendPorts": [{"name": "https", "properties": {"port": 443}}],
        "webApplicationFirewallConfiguration": {"enabled": true, "firewallMode": "Prevention",
                                                "ruleSetType": "OWASP", "ruleSetVersion": "3.2"})" +
           extra + R"(}})";
}

TEST(AppGatewayTlsPolicy, TheDefaultFollowsTheApiVersionAndOldPoliciesFail) {
    CheckFixture old_default(template_of(kNetwork + "," + app_gateway("2022-09-01", "")));
    EXPECT_EQ(flagged(old_default, "ZT-APP-003"), Names{"agw-app"});
    const std::vector<Finding> findings = old_default.run("ZT-APP-003");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].message.find("accepts TLS 1.0"), std::string::npos) << findings[0].message;
    CheckFixture new_default(template_of(kNetwork + "," + app_gateway("2024-05-01", "")));
    EXPECT_EQ(flagged(new_default, "ZT-APP-003"), Names{});
    CheckFixture custom(template_of(
        kNetwork + "," +
        app_gateway("2024-05-01",
                    R"(, "sslPolicy": {"policyType": "CustomV2", "minProtocolVersion": "TLSv1_1"})")));
    EXPECT_EQ(flagged(custom, "ZT-APP-003"), Names{"agw-app"});
    CheckFixture strict(template_of(
        kNetwork + "," +
        app_gateway(
            "2022-09-01",
            R"(, "sslPolicy": {"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101S"})")));
    EXPECT_EQ(flagged(strict, "ZT-APP-003"), Names{});
    // The older form: the protocols it disables.
    CheckFixture disabled(template_of(
        kNetwork + "," +
        app_gateway("2022-09-01", R"(, "sslPolicy": {"disabledSslProtocols": ["TLSv1_0", "TLSv1_1"]})")));
    EXPECT_EQ(flagged(disabled, "ZT-APP-003"), Names{});
}

TEST(WafRuleSet, OutdatedOrMissingCoreRuleSetsFail) {
    CheckFixture current(template_of(kNetwork + "," + app_gateway("2024-05-01", "")));
    EXPECT_EQ(flagged(current, "ZT-APP-004"), Names{});
    CheckFixture outdated(edited(template_of(kNetwork + "," + app_gateway("2024-05-01", "")),
                                 R"("ruleSetVersion": "3.2")", R"("ruleSetVersion": "3.0")"));
    EXPECT_EQ(flagged(outdated, "ZT-APP-004"), Names{"agw-app"});
    const std::string policy = R"(
    {"type": "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", "apiVersion": "2024-05-01",
     "name": "waf-app", "location": "westeurope",
     "properties": {"policySettings": {"state": "Enabled", "mode": "Prevention"},
                    "managedRules": {"managedRuleSets": [{"ruleSetType": "Microsoft_BotManagerRuleSet", "ruleSetVersion": "1.0"}]}}})";
    CheckFixture bots_only(template_of(policy));
    EXPECT_EQ(flagged(bots_only, "ZT-APP-004"), Names{"waf-app"});
    CheckFixture with_drs(edited(
        template_of(policy), R"([{"ruleSetType": "Microsoft_BotManagerRuleSet")",
        R"([{"ruleSetType": "Microsoft_DefaultRuleSet", "ruleSetVersion": "2.1"}, {"ruleSetType": "Microsoft_BotManagerRuleSet")"));
    EXPECT_EQ(flagged(with_drs, "ZT-APP-004"), Names{});
}

// Front Door WAF policies: enabledState and mode decide ZT-APP-001, their managed rule sets
// ZT-APP-004, as for an App Gateway's.
TEST(FrontDoorWaf, ItsStateModeAndRuleSetAreJudged) {
    const std::string policy = template_of(R"(
    {"type": "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies", "apiVersion": "2024-02-01",
     "name": "wafpfrontdoor", "location": "Global", "sku": {"name": "Premium_AzureFrontDoor"},
     "properties": {"policySettings": {"enabledState": "Enabled", "mode": "Prevention"},
                    "managedRules": {"managedRuleSets": [{"ruleSetType": "Microsoft_DefaultRuleSet",
                                                          "ruleSetVersion": "2.1", "ruleSetAction": "Block"}]}}})");
    CheckFixture blocking(policy);
    ASSERT_EQ(blocking.estate().waf_policies.size(), 1u);
    EXPECT_EQ(flagged(blocking, "ZT-APP-001"), Names{});
    EXPECT_EQ(flagged(blocking, "ZT-APP-004"), Names{});
    CheckFixture detecting(edited(policy, R"("mode": "Prevention")", R"("mode": "Detection")"));
    EXPECT_EQ(flagged(detecting, "ZT-APP-001"), Names{"wafpfrontdoor"});
    CheckFixture disabled(edited(policy, R"("enabledState": "Enabled")", R"("enabledState": "Disabled")"));
    EXPECT_EQ(flagged(disabled, "ZT-APP-001"), Names{"wafpfrontdoor"});
    CheckFixture classic(edited(
        edited(policy, R"("ruleSetType": "Microsoft_DefaultRuleSet")", R"("ruleSetType": "DefaultRuleSet")"),
        R"("ruleSetVersion": "2.1")", R"("ruleSetVersion": "1.0")"));
    EXPECT_EQ(flagged(classic, "ZT-APP-004"), Names{"wafpfrontdoor"});
}

TEST(VnetEncryption, NetworksWithVmsNeedIt) {
    const std::string plain = template_of(kNetwork + "," + linux_vm(""));
    CheckFixture without(plain);
    EXPECT_EQ(flagged(without, "ZT-NET-007"), Names{"vnet-app"});
    CheckFixture with(edited(
        plain, R"("addressSpace": {"addressPrefixes": ["10.9.0.0/16"]},)",
        R"("addressSpace": {"addressPrefixes": ["10.9.0.0/16"]}, "encryption": {"enabled": true, "enforcement": "AllowUnencrypted"},)"));
    EXPECT_EQ(flagged(with, "ZT-NET-007"), Names{});
    // A network without VMs is not judged.
    CheckFixture empty(template_of(kNetwork));
    EXPECT_EQ(flagged(empty, "ZT-NET-007"), Names{});
}

TEST(VpnCrypto, IkeV1AndWeakAlgorithmsFail) {
    const std::string hybrid = R"(
    {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet-hub",
     "location": "westeurope",
     "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                    "subnets": [{"name": "GatewaySubnet", "properties": {"addressPrefix": "10.0.255.0/27"}}]}},
    {"type": "Microsoft.Network/virtualNetworkGateways", "apiVersion": "2024-05-01", "name": "vgw-hub",
     "location": "westeurope",
     "properties": {"gatewayType": "Vpn", "vpnType": "RouteBased", "enableBgp": false,
                    "ipConfigurations": [{"name": "gw", "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'GatewaySubnet')]"}}}]}},
    {"type": "Microsoft.Network/localNetworkGateways", "apiVersion": "2024-05-01", "name": "lgw-office",
     "location": "westeurope",
     "properties": {"gatewayIpAddress": "198.51.100.7", "localNetworkAddressSpace": {"addressPrefixes": ["192.168.10.0/24"]}}},
    {"type": "Microsoft.Network/connections", "apiVersion": "2024-05-01", "name": "cn-office",
     "location": "westeurope",
     "properties": {"connectionType": "IPsec", "connectionProtocol": "IKEv2",
                    "virtualNetworkGateway1": {"id": "[resourceId('Microsoft.Network/virtualNetworkGateways', 'vgw-hub')]"},
                    "localNetworkGateway2": {"id": "[resourceId('Microsoft.Network/localNetworkGateways', 'lgw-office')]"},
                    "ipsecPolicies": [{"saLifeTimeSeconds": 27000, "saDataSizeKilobytes": 102400000,
                                       "ipsecEncryption": "GCMAES256", "ipsecIntegrity": "GCMAES256",
                                       "ikeEncryption": "AES256", "ikeIntegrity": "SHA384",
                                       "dhGroup": "DHGroup24", "pfsGroup": "PFS24"}]}})";
    CheckFixture strong(template_of(hybrid));
    EXPECT_EQ(flagged(strong, "ZT-HUB-008"), Names{});
    CheckFixture weak(
        edited(edited(template_of(hybrid), R"("ikeEncryption": "AES256")", R"("ikeEncryption": "DES3")"),
               R"("dhGroup": "DHGroup24")", R"("dhGroup": "DHGroup2")"));
    const std::vector<Finding> findings = weak.run("ZT-HUB-008");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].resource_name, "vgw-hub");
    EXPECT_NE(findings[0].message.find("IKE encryption DES3, DH group DHGroup2"), std::string::npos)
        << findings[0].message;
    CheckFixture ikev1(
        edited(template_of(hybrid), R"("connectionProtocol": "IKEv2")", R"("connectionProtocol": "IKEv1")"));
    EXPECT_EQ(flagged(ikev1, "ZT-HUB-008"), Names{"vgw-hub"});
}

} // namespace
} // namespace ztnet::checks
