// The most common exposure on Azure, as a quickstart template writes it: a VM with a public IP and
// a dynamic private IP behind an NSG that allows RDP or SSH from anywhere. Loaded without its
// parameters file (the admin password has no value), it must give the critical ZT-SEG-001 finding
// with its path; the same rules in an NSG with no VM behind it give ZT-NET-005; a rule that an
// earlier Deny shadows gives neither. A rule the input cannot tell (a parameter without a value)
// makes what it may decide undecidable: never a finding, never a pass.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ztnet/checks/audit.h"

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
    "allowedSourceCidr": {"type": "string"},
    "extraSource": {"type": "string"},
    "ruleAccess": {"type": "string"},
    "managementPort": {"type": "string"},
    "ruleList": {"type": "array"},
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

// ---- rules the input cannot tell ----

// What the Internet may send the textbook VM: surely, and only in some reading of the unknowns.
reach::PairReach internet_to_vm(CheckFixture& fixture) {
    const reach::Reachability& reach = fixture.context().reach;
    const auto& endpoints = reach.endpoints().endpoints;
    std::uint32_t internet = 0;
    std::uint32_t vm = 0;
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        if (endpoints[i].kind == reach::ReachEndpoint::Kind::Internet)
            internet = i;
        else if (endpoints[i].kind == reach::ReachEndpoint::Kind::Nic)
            vm = i;
    }
    return reach.between(internet, vm);
}

reach::ServiceSet tcp(std::uint16_t port) {
    return reach::ServiceSet::of(net::ProtocolSet::single(6), net::PortSet::all(),
                                 net::PortSet::single(port));
}

// The entries checks::undecided() gives for the NSG, joined.
std::string undecided_text(const CheckFixture& fixture) {
    std::string out;
    for (const Undecided& u : undecided(fixture.estate()))
        if (u.resource_name == "nsg-textbook")
            out += u.reason + "\n";
    return out;
}

TEST(UnknownRules, ASourceFromAParameterWithoutValueIsUndecidableNotAFinding) {
    CheckFixture fixture(textbook_template(
        "[" + security_rule("RDP", 300, "Allow", "[parameters('allowedSourceCidr')]", "\"3389\"") + "]"));
    ASSERT_FALSE(fixture.diagnostics().has_errors());
    const model::SecurityRule& rule = fixture.estate().network_security_groups.at(0).rules.at(0);
    ASSERT_EQ(rule.unknowns.size(), 1u);
    EXPECT_EQ(rule.unknowns[0].field, model::RuleField::Source);
    EXPECT_NE(rule.unknowns[0].reason.find("allowedSourceCidr"), std::string::npos)
        << rule.unknowns[0].reason;

    const reach::PairReach r = internet_to_vm(fixture);
    EXPECT_FALSE(r.allowed.overlaps(tcp(3389))) << r.allowed.to_string();
    EXPECT_EQ(r.undecidable, tcp(3389)) << "exactly what the rule may let in: " << r.undecidable.to_string();
    EXPECT_TRUE(fixture.run("ZT-SEG-001").empty()) << "an unknown alone is no finding";
    EXPECT_TRUE(fixture.run("ZT-NET-005").empty());
    const std::string listed = undecided_text(fixture);
    EXPECT_NE(listed.find("rule RDP (Inbound 300): source: parameter 'allowedSourceCidr' has no value"),
              std::string::npos)
        << listed;
}

TEST(UnknownRules, AKnownEntryBesideAnUnknownOneStillExposes) {
    std::string rule = security_rule("RDP", 300, "Allow", "x", "\"3389\"");
    rule.replace(rule.find("\"sourceAddressPrefix\": \"x\""),
                 std::string("\"sourceAddressPrefix\": \"x\"").size(),
                 "\"sourceAddressPrefixes\": [\"*\", \"[parameters('extraSource')]\"]");
    CheckFixture fixture(textbook_template("[" + rule + "]"));
    ASSERT_FALSE(fixture.diagnostics().has_errors());
    EXPECT_TRUE(internet_to_vm(fixture).allowed.contains(tcp(3389)));
    EXPECT_EQ(fixture.run("ZT-SEG-001").size(), 1u)
        << "'*' is known: the exposure holds whatever else is added";
    Result network_only = run(textbook_template("[" + rule + "]", false));
    EXPECT_EQ(network_only.by_rule.size(), 1u);
}

TEST(UnknownRules, AnUnknownDenyAboveAnAllowMakesOnlyItsOwnPortsUndecidable) {
    std::string rules =
        "[" + security_rule("MaybeDeny", 200, "Deny", "[parameters('allowedSourceCidr')]", "\"3389\"") + "," +
        security_rule("AllowMgmt", 300, "Allow", "*", "\"22-3389\"") + "]";
    CheckFixture fixture(textbook_template(rules));
    const reach::PairReach r = internet_to_vm(fixture);
    EXPECT_EQ(r.undecidable, tcp(3389)) << r.undecidable.to_string();
    EXPECT_TRUE(r.allowed.contains(tcp(22)));
    std::vector<Finding> path = fixture.run("ZT-SEG-001");
    ASSERT_EQ(path.size(), 1u);
    EXPECT_NE(path[0].message.find("SSH"), std::string::npos) << path[0].message;
    EXPECT_EQ(path[0].message.find("RDP"), std::string::npos) << path[0].message;
    // Without a VM: the rule is reported for SSH, which the unknown Deny cannot take away.
    Result network_only = run(textbook_template(rules, false));
    ASSERT_EQ(network_only.by_rule.size(), 1u);
    EXPECT_NE(network_only.by_rule[0].message.find("SSH"), std::string::npos);
    EXPECT_EQ(network_only.by_rule[0].message.find("RDP"), std::string::npos);
}

TEST(UnknownRules, UnknownAccessAndUnknownPortsAreUndecidable) {
    CheckFixture access(textbook_template(
        "[" + security_rule("Mgmt", 300, "[parameters('ruleAccess')]", "*", "\"3389\"") + "]"));
    EXPECT_EQ(internet_to_vm(access).undecidable, tcp(3389));
    EXPECT_TRUE(access.run("ZT-SEG-001").empty());
    CheckFixture ports(textbook_template(
        "[" + security_rule("Mgmt", 300, "Allow", "*", "\"[parameters('managementPort')]\"") + "]"));
    const reach::PairReach r = internet_to_vm(ports);
    EXPECT_TRUE(r.allowed.empty()) << r.allowed.to_string();
    EXPECT_EQ(r.undecidable,
              reach::ServiceSet::of(net::ProtocolSet::single(6), net::PortSet::all(), net::PortSet::all()));
    EXPECT_TRUE(ports.run("ZT-SEG-001").empty());
    EXPECT_TRUE(ports.run("ZT-NET-005").empty());
}

TEST(UnknownRules, PriorityDirectionAndProtocolFromParametersAreRecordedAndUndecidable) {
    std::string rule = security_rule("Mgmt", 300, "Allow", "*", "\"3389\"");
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"\"priority\": 300", "\"priority\": \"[parameters('managementPort')]\""},
             {"\"direction\": \"Inbound\"", "\"direction\": \"[parameters('ruleAccess')]\""},
             {"\"protocol\": \"Tcp\"", "\"protocol\": \"[parameters('extraSource')]\""}})
        rule.replace(rule.find(from), from.size(), to);
    CheckFixture fixture(textbook_template("[" + rule + "]"));
    ASSERT_FALSE(fixture.diagnostics().has_errors());
    const model::SecurityRule& loaded = fixture.estate().network_security_groups.at(0).rules.at(0);
    EXPECT_TRUE(loaded.is_unknown(model::RuleField::Priority));
    EXPECT_TRUE(loaded.is_unknown(model::RuleField::InboundOrOutbound));
    EXPECT_TRUE(loaded.is_unknown(model::RuleField::Protocol));
    const reach::PairReach r = internet_to_vm(fixture);
    EXPECT_TRUE(r.allowed.empty()) << r.allowed.to_string();
    EXPECT_TRUE(r.undecidable.contains(tcp(3389)));
    EXPECT_FALSE(r.undecidable.contains(tcp(22))) << "the known port still bounds the rule";
    EXPECT_TRUE(fixture.run("ZT-SEG-001").empty());
}

TEST(UnknownRules, AnUnknownRuleListLeavesEveryInboundFlowUndecidable) {
    CheckFixture fixture(textbook_template("\"[parameters('ruleList')]\""));
    ASSERT_FALSE(fixture.diagnostics().has_errors());
    EXPECT_FALSE(fixture.estate().network_security_groups.at(0).rules_unknown.empty());
    const reach::PairReach r = internet_to_vm(fixture);
    EXPECT_TRUE(r.allowed.empty()) << r.allowed.to_string();
    EXPECT_TRUE(r.undecidable.contains(tcp(3389)));
    // The rules may hold the baseline DenyAll: its absence is not a finding.
    EXPECT_TRUE(fixture.run("ZT-NET-004").empty());
    EXPECT_TRUE(fixture.run("ZT-SEG-001").empty());
    EXPECT_NE(undecided_text(fixture).find("its security rules: parameter 'ruleList' has no value"),
              std::string::npos)
        << undecided_text(fixture);
}

TEST(UnknownRules, AnAsgOutsideTheInputIsAnUnknownSide) {
    std::string rule = security_rule("FromJumpHosts", 300, "Allow", "x", "\"3389\"");
    rule.replace(
        rule.find("\"sourceAddressPrefix\": \"x\""), std::string("\"sourceAddressPrefix\": \"x\"").size(),
        "\"sourceApplicationSecurityGroups\": [{\"id\": "
        "\"/subscriptions/00000000-0000-0000-0000-000000000001/"
        "resourceGroups/rg-shared/providers/Microsoft.Network/applicationSecurityGroups/asg-jump\"}]");
    CheckFixture fixture(textbook_template("[" + rule + "]"));
    ASSERT_FALSE(fixture.diagnostics().has_errors());
    const model::SecurityRule& loaded = fixture.estate().network_security_groups.at(0).rules.at(0);
    ASSERT_TRUE(loaded.is_unknown(model::RuleField::Source));
    EXPECT_NE(loaded.unknowns_text().find("asg-jump is outside the input"), std::string::npos);
    EXPECT_EQ(internet_to_vm(fixture).undecidable, tcp(3389));
}

} // namespace
} // namespace ztnet::checks::testing
