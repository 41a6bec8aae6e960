// The Azure Virtual Desktop checks on a host pool and its session host
// (tests/data/avd/host-pool.json, shaped as Azure returns it): the hardened pool passes both; one
// edit flips each, and a session host registered by its DSC extension counts as one.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/checks/runner.h"

#include "../support/edit_text.h"
#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;
using testing::read_text;
using ztnet::testing::edited_after;
using Names = std::vector<std::string>;

std::string host_pool() {
    return read_text(std::string(ZTNET_SOURCE_DIR) + "/tests/data/avd/host-pool.json");
}

// An inbound rule on the session hosts' NSG, ahead of its DenyAll.
std::string with_host_rule(const std::string& protocol, const std::string& port, const std::string& source) {
    return edited_after(
        host_pool(), "\"nsg-avd-hosts\"", "\"securityRules\": [",
        R"("securityRules": [{"name": "Allow-In", "properties": {"protocol": ")" + protocol +
            R"(", "sourcePortRange": "*", "destinationPortRange": ")" + port +
            R"(", "sourceAddressPrefix": ")" + source +
            R"(", "destinationAddressPrefix": "*", "access": "Allow", "priority": 100, "direction": "Inbound"}}, )");
}

Names flagged(CheckFixture& fixture, std::string_view id) {
    return testing::flagged_names(fixture, id);
}

TEST(VirtualDesktop, TheHardenedPoolAndItsSessionHostPass) {
    CheckFixture fixture(host_pool());
    EXPECT_FALSE(fixture.diagnostics().has_errors());
    ASSERT_EQ(fixture.estate().host_pools.size(), 1u);
    const model::HostPool& pool = fixture.estate().host_pools[0];
    EXPECT_EQ(pool.public_network_access, "EnabledForClientsOnly");
    EXPECT_EQ(pool.shortpath_managed, "Enabled");
    for (const model::VirtualMachine& vm : fixture.estate().virtual_machines)
        EXPECT_EQ(!vm.host_pool.empty(), vm.name == "vm-avd-1") << vm.name;
    EXPECT_EQ(flagged(fixture, "ZT-AVD-001"), Names{});
    EXPECT_EQ(flagged(fixture, "ZT-AVD-002"), Names{});
}

TEST(VirtualDesktop, RdpFromAnotherSubnetReachesASessionHost) {
    CheckFixture fixture(with_host_rule("Tcp", "3389", "VirtualNetwork"));
    const std::vector<Finding> findings = fixture.run("ZT-AVD-001");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].resource_name, "vm-avd-1");
    // The operators' VM is named; Bastion, which may administer the host, is not.
    EXPECT_NE(findings[0].message.find("vm-ops-1"), std::string::npos) << findings[0].message;
    EXPECT_EQ(findings[0].message.find("bas-avd"), std::string::npos) << findings[0].message;
    ASSERT_FALSE(findings[0].evidence.empty());
    EXPECT_TRUE(findings[0].evidence[0].flow.has_value());
    // The VM that is not a session host is not this check's.
    CheckFixture ops(edited_after(
        host_pool(), "\"nsg-avd-ops\"", "\"securityRules\": []",
        R"("securityRules": [{"name": "Allow-Rdp", "properties": {"protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "3389", "sourceAddressPrefix": "VirtualNetwork", "destinationAddressPrefix": "*", "access": "Allow", "priority": 100, "direction": "Inbound"}}])"));
    EXPECT_EQ(flagged(ops, "ZT-AVD-001"), Names{});
}

TEST(VirtualDesktop, RdpFromBastionAloneIsAllowed) {
    CheckFixture fixture(with_host_rule("Tcp", "3389", "10.30.3.0/26"));
    EXPECT_EQ(flagged(fixture, "ZT-AVD-001"), Names{});
}

TEST(VirtualDesktop, ShortpathFromTheInternetReachesASessionHostWithAPublicIp) {
    std::string json = with_host_rule("Udp", "3390", "Internet");
    json =
        edited_after(json, "\"vm-avd-1-nic\"", "\"privateIPAllocationMethod\": \"Static\", ",
                     "\"privateIPAllocationMethod\": \"Static\", \"publicIPAddress\": {\"id\": "
                     "\"/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-avd/providers/"
                     "Microsoft.Network/publicIPAddresses/pip-vm-avd-1\"}, ");
    json.insert(
        json.rfind(']'),
        R"(, {"id": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-avd/providers/Microsoft.Network/publicIPAddresses/pip-vm-avd-1",
      "name": "pip-vm-avd-1", "type": "Microsoft.Network/publicIPAddresses", "location": "westeurope",
      "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static", "ipAddress": "20.1.2.4"}})");
    CheckFixture fixture(json);
    const std::vector<Finding> findings = fixture.run("ZT-AVD-001");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].message.find("RDP Shortpath"), std::string::npos) << findings[0].message;
    EXPECT_NE(findings[0].message.find("Internet"), std::string::npos) << findings[0].message;
}

TEST(VirtualDesktop, APoolWhoseSessionHostsUseThePublicEndpointsIsFlagged) {
    for (const char* access : {"Enabled", "EnabledForSessionHostsOnly"}) {
        CheckFixture fixture(edited_after(host_pool(), "\"hp-avd\"", "\"EnabledForClientsOnly\"",
                                          std::string("\"") + access + "\""));
        EXPECT_EQ(flagged(fixture, "ZT-AVD-002"), Names{"hp-avd"}) << access;
    }
    // Absent is Azure's default, Enabled.
    CheckFixture absent(
        edited_after(host_pool(), "\"hp-avd\"", "\"publicNetworkAccess\"", "\"publicAccessWas\""));
    EXPECT_EQ(flagged(absent, "ZT-AVD-002"), Names{"hp-avd"});
}

TEST(VirtualDesktop, ShortpathAroundPrivateLinkIsFlagged) {
    std::string json = edited_after(host_pool(), "\"hp-avd\"", "\"EnabledForClientsOnly\"", "\"Disabled\"");
    CheckFixture private_only(json);
    EXPECT_EQ(flagged(private_only, "ZT-AVD-002"), Names{});
    CheckFixture bypass(edited_after(json, "\"hp-avd\"", "\"allowRdpShortPathWithPrivateLink\": \"Disabled\"",
                                     "\"allowRdpShortPathWithPrivateLink\": \"Enabled\""));
    const std::vector<Finding> findings = bypass.run("ZT-AVD-002");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].message.find("RDP Shortpath go around it"), std::string::npos)
        << findings[0].message;
}

TEST(VirtualDesktop, ASessionHostRegisteredByItsDscExtensionCounts) {
    // No sessionHosts child (a template): the DSC extension names the pool.
    std::string json = edited_after(host_pool(), "\"hp-avd/vm-avd-1.corp.contoso.com\"",
                                    "\"Microsoft.DesktopVirtualization/hostPools/sessionHosts\"",
                                    "\"Microsoft.DesktopVirtualization/hostPools/sessionHostsWere\"");
    json.insert(
        json.rfind(']'),
        R"(, {"id": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-avd/providers/Microsoft.Compute/virtualMachines/vm-avd-1/extensions/Microsoft.PowerShell.DSC",
      "name": "Microsoft.PowerShell.DSC", "type": "Microsoft.Compute/virtualMachines/extensions", "location": "westeurope",
      "properties": {"publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.73",
        "settings": {"modulesUrl": "https://wvdportalstorageblob.blob.core.windows.net/galleryartifacts/Configuration.zip",
          "configurationFunction": "Configuration.ps1\\AddSessionHost",
          "properties": {"hostPoolName": "hp-avd", "aadJoin": true}}}})");
    CheckFixture fixture(json);
    const model::VirtualMachine* host = nullptr;
    for (const model::VirtualMachine& vm : fixture.estate().virtual_machines)
        if (vm.name == "vm-avd-1")
            host = &vm;
    ASSERT_NE(host, nullptr);
    EXPECT_NE(host->host_pool.find("/hostPools/hp-avd"), std::string::npos) << host->host_pool;
}

// The pool with its session host given a way out (default outbound access) and the service tags
// it needs in the tags file.
std::string with_egress(const std::string& json) {
    return edited_after(json, "\"snet-hosts\"", "\"defaultOutboundAccess\": false",
                        "\"defaultOutboundAccess\": true");
}
const std::string kTags = "tests/data/avd/service-tags.json";

TEST(VirtualDesktop, SessionHostsThatReachTheServicePass) {
    CheckFixture fixture(with_egress(host_pool()), kTags);
    EXPECT_EQ(flagged(fixture, "ZT-AVD-003"), Names{});
}

// The pool with egress, and an outbound rule on the session hosts' NSG that denies HTTPS to
// `destination`.
std::string with_https_denied_to(const std::string& destination) {
    return edited_after(
        with_egress(host_pool()), "\"nsg-avd-hosts\"", "\"securityRules\": [",
        R"("securityRules": [{"name": "Deny-Https-Out", "properties": {"protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "443", "sourceAddressPrefix": "*", "destinationAddressPrefix": ")" +
            destination + R"(", "access": "Deny", "priority": 100, "direction": "Outbound"}}, )");
}

TEST(VirtualDesktop, SessionHostsThatCannotReachTheServiceAreFlagged) {
    CheckFixture fixture(with_https_denied_to("Internet"), kTags);
    const std::vector<Finding> findings = fixture.run("ZT-AVD-003");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].resource_name, "vm-avd-1");
    EXPECT_NE(findings[0].message.find("WindowsVirtualDesktop, AzureMonitor, AzureFrontDoor.Frontend"),
              std::string::npos)
        << findings[0].message;
    // Only the service's own tag denied: only it is named.
    CheckFixture one(with_https_denied_to("WindowsVirtualDesktop"), kTags);
    const std::vector<Finding> only = one.run("ZT-AVD-003");
    ASSERT_EQ(only.size(), 1u);
    EXPECT_NE(only[0].message.find("reach WindowsVirtualDesktop on"), std::string::npos) << only[0].message;
}

TEST(VirtualDesktop, WithoutTheServiceTagsTheEgressCheckIsNotAssessed) {
    // The bundled sample lacks the tags: not assessed where there are session hosts, and silent
    // (nothing to judge) where there are none.
    CheckFixture sample(with_egress(host_pool()));
    const CheckRun run = run_checks(sample.context(), {}, "2026-12-06", {"ZT-AVD-003"});
    ASSERT_EQ(run.not_assessed.size(), 1u);
    EXPECT_NE(run.not_assessed[0].why.find("WindowsVirtualDesktop"), std::string::npos)
        << run.not_assessed[0].why;
    CheckFixture none(edited_after(host_pool(), "\"hp-avd/vm-avd-1.corp.contoso.com\"",
                                   "\"Microsoft.DesktopVirtualization/hostPools/sessionHosts\"",
                                   "\"Microsoft.DesktopVirtualization/hostPools/sessionHostsWere\""));
    EXPECT_TRUE(run_checks(none.context(), {}, "2026-12-06", {"ZT-AVD-003"}).not_assessed.empty());
}

} // namespace
} // namespace ztnet::checks
