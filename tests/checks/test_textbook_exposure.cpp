// The most common exposure on Azure, as a quickstart template writes it: a VM with a public IP and
// a dynamic private IP behind an NSG that allows RDP or SSH from anywhere. Loaded without its
// parameters file (the admin password has no value), it must give the critical ZT-SEG-001 finding
// with its path; the same rules in an NSG with no VM behind it give ZT-NET-005; a rule that an
// earlier Deny shadows gives neither.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "check_fixture.h"

namespace ztnet::checks::testing {
namespace {

std::string security_rule(const std::string& name, int priority, const std::string& access,
                          const std::string& source, const std::string& ports) {
    return fmt::format(
        R"({{"name": "{}", "properties": {{"priority": {}, "direction": "Inbound", "access": "{}",
        "protocol": "Tcp", "sourceAddressPrefix": "{}", "sourcePortRange": "*",
        "destinationAddressPrefix": "*", "destinationPortRange": {}}}}})",
        name, priority, access, source, ports);
}

// The textbook template. `rules` is the NSG's securityRules array; `extra` more resources (a child
// securityRules resource); without `vm` the template deploys the network alone.
std::string textbook_template(const std::string& rules, bool vm = true, const std::string& extra = "") {
    std::string machine = R"(,
    {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2021-02-01", "name": "pip-textbook",
     "location": "[parameters('location')]", "sku": {"name": "Basic"},
     "properties": {"publicIPAllocationMethod": "Dynamic"}},
    {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2021-02-01", "name": "nic-textbook",
     "location": "[parameters('location')]",
     "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {
        "privateIPAllocationMethod": "Dynamic",
        "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-textbook')]"},
        "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-textbook', 'default')]"}}}]}},
    {"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2021-03-01", "name": "[parameters('vmName')]",
     "location": "[parameters('location')]",
     "properties": {"hardwareProfile": {"vmSize": "Standard_B2s"},
        "osProfile": {"computerName": "[parameters('vmName')]", "adminUsername": "azureuser",
                      "adminPassword": "[parameters('adminPassword')]"},
        "storageProfile": {"imageReference": {"publisher": "MicrosoftWindowsServer", "offer": "WindowsServer",
                                              "sku": "2019-Datacenter", "version": "latest"}},
        "networkProfile": {"networkInterfaces": [
            {"id": "[resourceId('Microsoft.Network/networkInterfaces', 'nic-textbook')]"}]}}})";
    return R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "adminPassword": {"type": "securestring"},
    "vmName": {"type": "string", "defaultValue": "vm-textbook"},
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2021-02-01", "name": "nsg-textbook",
     "location": "[parameters('location')]", "properties": {"securityRules": )" +
           rules + R"(}},
    {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2021-02-01", "name": "vnet-textbook",
     "location": "[parameters('location')]",
     "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
       "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/24",
         "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-textbook')]"}}}]}})" +
           (vm ? machine : std::string()) + extra + "]}";
}

struct Result {
    std::vector<Finding> path;    // ZT-SEG-001
    std::vector<Finding> by_rule; // ZT-NET-005
};

Result run(const std::string& text) {
    CheckFixture fixture(text);
    EXPECT_FALSE(fixture.diagnostics().has_errors());
    return {fixture.run("ZT-SEG-001"), fixture.run("ZT-NET-005")};
}

TEST(TextbookExposure, RdpFromAnywhereToADynamicAddressIsCriticalWithItsPath) {
    CheckFixture fixture(textbook_template("[" + security_rule("RDP", 300, "Allow", "*", "\"3389\"") + "]"));
    ASSERT_FALSE(fixture.diagnostics().has_errors());
    bool missing_password = false;
    for (const Diagnostic& d : fixture.diagnostics().all())
        missing_password = missing_password || (d.code == "arm-parameter-missing" &&
                                                d.message.find("adminPassword") != std::string::npos);
    EXPECT_TRUE(missing_password);
    // The NIC's address is the subnet's first free one, standing in for whichever Azure picks.
    const model::IpConfiguration& config = fixture.estate().network_interfaces.at(0).ip_configurations.at(0);
    ASSERT_TRUE(config.private_ip.has_value());
    EXPECT_EQ(config.private_ip->to_string(), "10.0.0.4");
    EXPECT_TRUE(config.address_stand_in);

    std::vector<Finding> findings = fixture.run("ZT-SEG-001");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].resource_name, "vm-textbook");
    EXPECT_NE(findings[0].message.find("RDP"), std::string::npos) << findings[0].message;
    bool rule_in_path = false;
    for (const Evidence& e : findings[0].evidence)
        rule_in_path = rule_in_path || e.text.find("RDP (300)") != std::string::npos;
    EXPECT_TRUE(rule_in_path) << "the evidence names the rule that lets the flow in";
    EXPECT_TRUE(fixture.run("ZT-NET-005").empty()) << "the proven path is reported once, by ZT-SEG-001";
}

TEST(TextbookExposure, EverySpellingOfTheInternetIsFound) {
    struct Case {
        std::string source, ports, expected;
    };
    const std::vector<Case> cases = {
        {"Internet", "\"22\"", "SSH"},
        {"0.0.0.0/0", "\"3389\"", "RDP"},
        {"*", "\"20-30\"", "SSH"},
        {"*", "22", "SSH"}, // a port written as a number, as ARM accepts
        {"203.0.113.0/24", "\"3389\"", "RDP"},
    };
    for (const Case& c : cases) {
        Result with_vm =
            run(textbook_template("[" + security_rule("Mgmt", 300, "Allow", c.source, c.ports) + "]"));
        ASSERT_EQ(with_vm.path.size(), 1u) << c.source << " " << c.ports;
        EXPECT_NE(with_vm.path[0].message.find(c.expected), std::string::npos) << with_vm.path[0].message;
        Result network_only =
            run(textbook_template("[" + security_rule("Mgmt", 300, "Allow", c.source, c.ports) + "]", false));
        ASSERT_EQ(network_only.by_rule.size(), 1u) << c.source << " " << c.ports;
        EXPECT_EQ(network_only.by_rule[0].resource_name, "nsg-textbook");
        EXPECT_NE(network_only.by_rule[0].message.find(c.expected), std::string::npos)
            << network_only.by_rule[0].message;
    }
}

TEST(TextbookExposure, AChildSecurityRuleResourceCountsToo) {
    std::string child = R"(,
    {"type": "Microsoft.Network/networkSecurityGroups/securityRules", "apiVersion": "2021-02-01",
     "name": "nsg-textbook/AllowRdp",
     "dependsOn": ["[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-textbook')]"],
     "properties": {"priority": 310, "direction": "Inbound", "access": "Allow", "protocol": "*",
       "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
       "destinationPortRange": "3389"}})";
    Result network_only = run(textbook_template("[]", false, child));
    ASSERT_EQ(network_only.by_rule.size(), 1u);
    EXPECT_NE(network_only.by_rule[0].message.find("AllowRdp"), std::string::npos);
    Result with_vm = run(textbook_template("[]", true, child));
    EXPECT_EQ(with_vm.path.size(), 1u);
    EXPECT_TRUE(with_vm.by_rule.empty());
}

TEST(TextbookExposure, ARuleShadowedByAnEarlierDenyIsNoFinding) {
    std::string rules = "[" + security_rule("DenyRdp", 200, "Deny", "Internet", "\"3389\"") + "," +
                        security_rule("AllowRdp", 300, "Allow", "*", "\"3389\"") + "]";
    Result with_vm = run(textbook_template(rules));
    EXPECT_TRUE(with_vm.path.empty());
    EXPECT_TRUE(with_vm.by_rule.empty());
    Result network_only = run(textbook_template(rules, false));
    EXPECT_TRUE(network_only.by_rule.empty());
    // Half shadowed: the Deny covers RDP only, so SSH still gets in through the same Allow.
    std::string partly = "[" + security_rule("DenyRdp", 200, "Deny", "Internet", "\"3389\"") + "," +
                         security_rule("AllowMgmt", 300, "Allow", "*", "\"22-3389\"") + "]";
    Result half = run(textbook_template(partly, false));
    ASSERT_EQ(half.by_rule.size(), 1u);
    EXPECT_NE(half.by_rule[0].message.find("SSH"), std::string::npos) << half.by_rule[0].message;
    EXPECT_EQ(half.by_rule[0].message.find("RDP"), std::string::npos) << half.by_rule[0].message;
}

TEST(TextbookExposure, PlatformTagsAndPrivateSourcesAreNotTheInternet) {
    std::string rules = "[" + security_rule("Probe", 200, "Allow", "AzureLoadBalancer", "\"*\"") + "," +
                        security_rule("Hub", 300, "Allow", "10.100.0.0/24", "\"22\"") + "]";
    Result network_only = run(textbook_template(rules, false));
    EXPECT_TRUE(network_only.by_rule.empty());
}

} // namespace
} // namespace ztnet::checks::testing
