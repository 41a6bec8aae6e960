// Template resources: copy loops, property copy, conditions, child resources, extension resources,
// existing resources, reference(), ids at resource-group and subscription level, and the limits.
#include <gtest/gtest.h>

#include "arm_test_support.h"

namespace ztnet::load::arm {
namespace {

using testing::kRg;
using testing::kSub;
using testing::load;
using testing::parse;
using testing::rg_template;

std::string id(const std::string& path) {
    return std::string(kRg) + "/providers/" + path;
}

TEST(TemplateResources, BodyKeepsWhatAzureReturnsAndDropsTheRest) {
    auto loaded = load(rg_template("{}", "{}", R"([{
        "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2020-05-01", "name": "nsg1",
        "location": "[resourceGroup().location]", "tags": {"env": "test"}, "comments": "dropped",
        "dependsOn": ["x"], "metadata": {"m": 1}, "condition": true,
        "properties": {"securityRules": [{"name": "r1", "properties": {"priority": 100, "access": "Allow"}}]}}])"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    ASSERT_EQ(loaded.resources.size(), 1u);
    EXPECT_EQ(loaded.resources[0].body, parse(R"({
        "id": ")" + id("Microsoft.Network/networkSecurityGroups/nsg1") +
                                              R"(",
        "type": "Microsoft.Network/networkSecurityGroups", "name": "nsg1", "apiVersion": "2020-05-01",
        "location": "westeurope", "tags": {"env": "test"},
        "properties": {"securityRules": [{"name": "r1", "properties": {"priority": 100, "access": "Allow"}}]}})"));
    EXPECT_EQ(loaded.resources[0].where.pointer, "/resources/0");
    EXPECT_EQ(loaded.resources[0].where.file, 0u);
    EXPECT_EQ(loaded.resources[0].where.offset, loaded.root.find("resources")->as_array()[0].offset());
}

TEST(TemplateResources, CopyLoopsExpandWithCopyIndex) {
    auto loaded = load(rg_template(R"({"count": {"type": "int", "defaultValue": 3}})", "{}", R"([{
        "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2020-05-01",
        "name": "[concat('pip', copyIndex(1))]",
        "copy": {"name": "pips", "count": "[parameters('count')]", "mode": "Serial", "batchSize": 1},
        "properties": {"index": "[copyIndex()]", "named": "[copyIndex('pips', 10)]"}}])"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    ASSERT_EQ(loaded.resources.size(), 3u);
    for (std::int64_t i = 0; i < 3; ++i) {
        const json::Value& body = loaded.resources[static_cast<std::size_t>(i)].body;
        EXPECT_EQ(*body.find("name"), json::Value("pip" + std::to_string(i + 1)));
        EXPECT_EQ(*body.find("properties"), parse(R"({"index": )" + std::to_string(i) + R"(, "named": )" +
                                                  std::to_string(i + 10) + "}"));
        EXPECT_EQ(loaded.resources[static_cast<std::size_t>(i)].where.pointer, "/resources/0");
    }
}

TEST(TemplateResources, CopyCountLimits) {
    struct Case {
        const char* count;
        const char* code;
        std::size_t resources;
    };
    const Case cases[] = {
        {"0", nullptr, 0},
        {"800", nullptr, 800},
        {"801", "arm-copy-count", 0},
        {"-1", "arm-copy-count", 0},
        {"\"3\"", "arm-copy-count", 0},
        {"\"[length(range(0, 4))]\"", nullptr, 4},
    };
    for (const auto& c : cases) {
        std::string resources =
            std::string(
                R"([{"type": "Test.Provider/things", "apiVersion": "1", "name": "[string(copyIndex())]",
                                                 "copy": {"name": "l", "count": )") +
            c.count + "}}]";
        auto loaded = load(rg_template("{}", "{}", resources));
        EXPECT_EQ(loaded.resources.size(), c.resources) << c.count << "\n" << loaded.report();
        if (c.code != nullptr)
            EXPECT_EQ(loaded.count(c.code), 1u) << c.count << "\n" << loaded.report();
        else
            EXPECT_FALSE(loaded.diagnostics.has_errors()) << c.count << "\n" << loaded.report();
    }
}

TEST(TemplateResources, UnknownCopyCountLeavesTheLoopOutWithAWarning) {
    auto loaded = load(
        rg_template(R"({"n": {"type": "int"}})", "{}", R"([{"type": "Test.Provider/things", "apiVersion": "1",
        "name": "[string(copyIndex())]", "copy": {"name": "l", "count": "[parameters('n')]"}}])"),
        {}, R"({"parameters": {"n": {"reference": {"keyVault": {"id": "kv"}, "secretName": "s"}}}})");
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_TRUE(loaded.resources.empty());
    const Diagnostic* warning = loaded.first("arm-unknown-value");
    ASSERT_NE(warning, nullptr) << loaded.report();
    EXPECT_EQ(warning->where.pointer, "/resources/0/copy/count");
}

TEST(TemplateResources, PropertyCopyWithAnUnknownCountIsUnknownWithItsReason) {
    // The common way to take an NSG's rules from a parameter: the rules are unknown, and why.
    auto loaded = load(rg_template(R"({"rules": {"type": "array"}})", "{}", R"([{
        "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "nsg",
        "properties": {"copy": [{"name": "securityRules", "count": "[length(parameters('rules'))]",
                                 "input": {"name": "[parameters('rules')[copyIndex('securityRules')].name]"}}]}}])"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    ASSERT_EQ(loaded.resources.size(), 1u);
    const json::Value* rules = loaded.resources[0].body.find("properties")->find("securityRules");
    ASSERT_NE(rules, nullptr);
    ASSERT_TRUE(rules->is_unknown());
    EXPECT_EQ(rules->as_unknown().reason, "its copy count is unknown: parameter 'rules' has no value");
}

TEST(TemplateResources, ResourceLimitPerTemplate) {
    auto loaded = load(rg_template("{}", "{}", R"([
        {"type": "Test.Provider/a", "apiVersion": "1", "name": "[string(copyIndex())]", "copy": {"name": "a", "count": 800}},
        {"type": "Test.Provider/b", "apiVersion": "1", "name": "one-too-many"}])"));
    EXPECT_EQ(loaded.resources.size(), 800u);
    EXPECT_EQ(loaded.count("arm-resource-limit"), 1u) << loaded.report();
}

TEST(TemplateResources, PropertyCopyBuildsArrays) {
    auto loaded = load(rg_template(
        R"({"subnets": {"type": "array", "defaultValue": [{"n": "a", "p": "10.0.0.0/24"}, {"n": "b", "p": "10.0.1.0/24"}]}})",
        "{}", R"([{
        "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-05-01", "name": "vnet",
        "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "copy": [{"name": "subnets", "count": "[length(parameters('subnets'))]",
                      "input": {"name": "[parameters('subnets')[copyIndex('subnets')].n]",
                                "properties": {"addressPrefix": "[parameters('subnets')[copyIndex('subnets')].p]"}}}]}}])"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    ASSERT_EQ(loaded.resources.size(), 1u);
    EXPECT_EQ(*loaded.resources[0].body.find("properties"), parse(R"({
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"name": "a", "properties": {"addressPrefix": "10.0.0.0/24"}},
                    {"name": "b", "properties": {"addressPrefix": "10.0.1.0/24"}}]})"));
}

TEST(TemplateResources, PropertyCopyInsideAResourceLoopSeesBothIndexes) {
    auto loaded = load(rg_template("{}", "{}", R"([{
        "type": "Test.Provider/things", "apiVersion": "1", "name": "[concat('t', copyIndex())]",
        "copy": {"name": "outer", "count": 2},
        "properties": {"deep": {"copy": [{"name": "items", "count": 2,
            "input": "[concat(string(copyIndex()), '.', string(copyIndex('items')), '.', string(copyIndex('outer')))]"}]}}}])"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    ASSERT_EQ(loaded.resources.size(), 2u);
    EXPECT_EQ(*loaded.resources[1].body.find("properties"),
              parse(R"({"deep": {"items": ["1.0.1", "1.1.1"]}})"));
}

TEST(TemplateResources, Conditions) {
    auto loaded = load(
        rg_template(R"({"deploy": {"type": "bool", "defaultValue": false},
                                       "secret": {"type": "securestring"}})",
                    "{}", R"([
        {"type": "Test.Provider/things", "apiVersion": "1", "name": "yes", "condition": "[not(parameters('deploy'))]"},
        {"type": "Test.Provider/things", "apiVersion": "1", "name": "no", "condition": "[parameters('deploy')]"},
        {"type": "Test.Provider/things", "apiVersion": "1", "name": "maybe", "condition": "[equals(parameters('secret'), 'x')]"},
        {"type": "Test.Provider/things", "apiVersion": "1", "name": "bad", "condition": "yes"}])"),
        {}, R"({"parameters": {"secret": {"reference": {"keyVault": {"id": "kv"}, "secretName": "s"}}}})");
    EXPECT_EQ(loaded.ids(),
              (std::vector<std::string>{id("Test.Provider/things/yes"), id("Test.Provider/things/maybe"),
                                        id("Test.Provider/things/bad")}));
    const Diagnostic* uncertain = loaded.first("arm-condition-unknown");
    ASSERT_NE(uncertain, nullptr) << loaded.report();
    EXPECT_EQ(uncertain->severity, Severity::Warning);
    EXPECT_EQ(uncertain->where.pointer, "/resources/2/condition");
    EXPECT_NE(uncertain->message.find("things/maybe"), std::string::npos) << uncertain->message;
    EXPECT_EQ(loaded.count("arm-resource-condition"), 1u) << loaded.report();
}

TEST(TemplateResources, InlineAndTopLevelChildren) {
    auto loaded = load(rg_template("{}", "{}", R"([
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-05-01", "name": "vnet",
         "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}},
         "resources": [
            {"type": "subnets", "apiVersion": "2020-05-01", "name": "inline", "dependsOn": ["vnet"],
             "properties": {"addressPrefix": "10.0.1.0/24"}},
            {"type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "apiVersion": "2020-05-01",
             "name": "vnet/peer", "properties": {}}]},
        {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2020-05-01", "name": "vnet/top",
         "properties": {"addressPrefix": "10.0.2.0/24"}},
        {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2020-05-01", "name": "nsg",
         "resources": [{"type": "securityRules", "apiVersion": "2020-05-01", "name": "[concat('rule', '1')]",
                        "resources": [{"type": "Test.Extra/deeper", "apiVersion": "1", "name": "x"}]}]}])"));
    EXPECT_EQ(loaded.count("arm-resource-name"), 0u) << loaded.report();
    EXPECT_EQ(loaded.ids(), (std::vector<std::string>{
                                id("Microsoft.Network/virtualNetworks/vnet"),
                                id("Microsoft.Network/virtualNetworks/vnet/subnets/inline"),
                                id("Microsoft.Network/virtualNetworks/vnet/virtualNetworkPeerings/peer"),
                                id("Microsoft.Network/virtualNetworks/vnet/subnets/top"),
                                id("Microsoft.Network/networkSecurityGroups/nsg"),
                                id("Microsoft.Network/networkSecurityGroups/nsg/securityRules/rule1"),
                                id("Test.Extra/deeper/x")}))
        << loaded.report();
    const json::Value* inline_subnet =
        loaded.resource(id("Microsoft.Network/virtualNetworks/vnet/subnets/inline"));
    ASSERT_NE(inline_subnet, nullptr);
    EXPECT_EQ(*inline_subnet->find("type"), json::Value("Microsoft.Network/virtualNetworks/subnets"));
    EXPECT_EQ(*inline_subnet->find("name"), json::Value("vnet/inline"));
    EXPECT_EQ(loaded.resources[1].where.pointer, "/resources/0/resources/0");
}

TEST(TemplateResources, NameSegmentsMustMatchTheType) {
    auto loaded = load(rg_template("{}", "{}", R"([{"type": "Microsoft.Network/virtualNetworks/subnets",
        "apiVersion": "2020-05-01", "name": "just-the-subnet"}])"));
    const Diagnostic* error = loaded.first("arm-resource-name");
    ASSERT_NE(error, nullptr) << loaded.report();
    EXPECT_NE(error->message.find("needs 2"), std::string::npos) << error->message;
}

TEST(TemplateResources, ChildWithItsOwnCopyLoopIsAnError) {
    auto loaded = load(rg_template(
        "{}", "{}", R"([{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "1", "name": "v",
        "resources": [{"type": "subnets", "apiVersion": "1", "name": "[string(copyIndex())]", "copy": {"name": "s", "count": 2}}]}])"));
    ASSERT_EQ(loaded.count("arm-copy-child"), 1u) << loaded.report();
    EXPECT_EQ(loaded.first("arm-copy-child")->where.pointer, "/resources/0/resources/0/copy");
}

TEST(TemplateResources, ExtensionResourcesWithScope) {
    auto loaded = load(rg_template("{}", "{}", R"([
        {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2020-05-01", "name": "nsg"},
        {"type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "2021-05-01-preview", "name": "diag",
         "scope": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg')]", "properties": {"logs": []}},
        {"type": "Microsoft.Authorization/locks", "apiVersion": "2016-09-01", "name": "lock",
         "scope": "Microsoft.Network/networkSecurityGroups/nsg", "properties": {"level": "CanNotDelete"}},
        {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2020-04-01-preview", "name": "ra1",
         "properties": {"roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'r')]"}},
        {"type": "Microsoft.Network/networkSecurityGroups/providers/diagnosticSettings", "apiVersion": "2017-05-01-preview",
         "name": "nsg/Microsoft.Insights/old-style", "properties": {}}])"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    std::string nsg = id("Microsoft.Network/networkSecurityGroups/nsg");
    EXPECT_EQ(loaded.ids(),
              (std::vector<std::string>{nsg, nsg + "/providers/Microsoft.Insights/diagnosticSettings/diag",
                                        nsg + "/providers/Microsoft.Authorization/locks/lock",
                                        id("Microsoft.Authorization/roleAssignments/ra1"),
                                        nsg + "/providers/Microsoft.Insights/diagnosticSettings/old-style"}));
    const json::Value& old_style = loaded.resources[4].body;
    EXPECT_EQ(*old_style.find("type"), json::Value("Microsoft.Insights/diagnosticSettings"));
    EXPECT_EQ(*old_style.find("name"), json::Value("old-style"));
}

TEST(TemplateResources, ExistingResourcesAreNotDeployedButCanBeNamed) {
    std::string text =
        R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "languageVersion": "2.0", "contentVersion": "1.0.0.0",
        "resources": {
            "vnet": {"existing": true, "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-05-01", "name": "hub"},
            "nsg": {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2020-05-01", "name": "nsg",
                    "properties": {"vnetPrefix": "[reference('vnet').addressSpace]", "known": "[reference('nsg2').flag]"}},
            "nsg2": {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2020-05-01", "name": "nsg2",
                     "properties": {"flag": true}}}})";
    auto loaded = load(text);
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(loaded.ids(), (std::vector<std::string>{id("Microsoft.Network/networkSecurityGroups/nsg"),
                                                      id("Microsoft.Network/networkSecurityGroups/nsg2")}));
    const json::Value& properties = *loaded.resources[0].body.find("properties");
    ASSERT_TRUE(properties.find("vnetPrefix")->is_unknown());
    EXPECT_NE(properties.find("vnetPrefix")->as_unknown().reason.find("existing resource"),
              std::string::npos);
    EXPECT_EQ(*properties.find("known"), json::Value(true));
    EXPECT_EQ(loaded.resources[0].where.pointer, "/resources/nsg");
}

TEST(TemplateResources, ScopeBySymbolicName) {
    std::string text =
        R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "languageVersion": "2.0", "contentVersion": "1.0.0.0",
        "resources": {
            "nsg": {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2020-05-01", "name": "nsg1"},
            "lock": {"type": "Microsoft.Authorization/locks", "apiVersion": "2016-09-01", "name": "l", "scope": "nsg",
                     "properties": {"level": "ReadOnly"}},
            "bad": {"type": "Microsoft.Authorization/locks", "apiVersion": "2016-09-01", "name": "b", "scope": "nowhere"}}})";
    auto loaded = load(text);
    ASSERT_EQ(loaded.count("arm-resource-scope"), 1u) << loaded.report();
    EXPECT_EQ(loaded.first("arm-resource-scope")->where.pointer, "/resources/bad");
    EXPECT_NE(loaded.resource(id("Microsoft.Network/networkSecurityGroups/nsg1") +
                              "/providers/Microsoft.Authorization/locks/l"),
              nullptr)
        << loaded.report();
}

TEST(TemplateResources, ReferenceResolvesDeclaredProperties) {
    auto loaded = load(rg_template("{}", "{}", R"([
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-05-01", "name": "vnet",
         "properties": {"addressSpace": {"addressPrefixes": ["[concat('10.0.0.0/', '16')]"]},
                        "subnets": [{"name": "web", "properties": {"addressPrefix": "10.0.1.0/24"}}]}},
        {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2020-05-01", "name": "pip",
         "properties": {"publicIPAllocationMethod": "Static", "dnsSettings": {"domainNameLabel": "app"}}},
        {"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2020-06-01", "name": "vm",
         "identity": {"type": "SystemAssigned"}, "properties": {}},
        {"type": "Test.Provider/consumer", "apiVersion": "1", "name": "c", "properties": {
            "byId": "[reference(resourceId('Microsoft.Network/virtualNetworks', 'vnet')).addressSpace]",
            "byName": "[reference('vnet', '2020-05-01').addressSpace.addressPrefixes[0]]",
            "byRelative": "[reference('Microsoft.Network/virtualNetworks/vnet').subnets[0].properties.addressPrefix]",
            "inlineSubnet": "[reference(resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'web')).addressPrefix]",
            "ipAddress": "[reference('pip').ipAddress]",
            "fqdn": "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'pip')).dnsSettings.fqdn]",
            "method": "[reference('pip').publicIPAllocationMethod]",
            "principal": "[reference(resourceId('Microsoft.Compute/virtualMachines', 'vm'), '2020-06-01', 'Full').identity.principalId]",
            "identityType": "[reference(resourceId('Microsoft.Compute/virtualMachines', 'vm'), '2020-06-01', 'Full').identity.type]",
            "whole": "[reference('vnet')]"}}])"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    ASSERT_EQ(loaded.resources.size(), 4u);
    const json::Value& p = *loaded.resources[3].body.find("properties");
    EXPECT_EQ(*p.find("byId"), parse(R"({"addressPrefixes": ["10.0.0.0/16"]})"));
    EXPECT_EQ(*p.find("byName"), json::Value("10.0.0.0/16"));
    EXPECT_EQ(*p.find("byRelative"), json::Value("10.0.1.0/24"));
    EXPECT_EQ(*p.find("inlineSubnet"), json::Value("10.0.1.0/24"));
    EXPECT_EQ(*p.find("method"), json::Value("Static"));
    EXPECT_EQ(*p.find("identityType"), json::Value("SystemAssigned"));
    for (const char* unknown : {"ipAddress", "fqdn", "principal", "whole"})
        EXPECT_TRUE(p.find(unknown)->is_unknown()) << unknown;
    EXPECT_NE(p.find("ipAddress")->as_unknown().reason.find("'ipAddress' of resource"), std::string::npos)
        << p.find("ipAddress")->as_unknown().reason;
    // One warning for each unknown value, at its place.
    EXPECT_EQ(loaded.count("arm-unknown-value"), 4u) << loaded.report();
}

TEST(TemplateResources, ReferenceToItselfIsTheStateBeforeDeployment) {
    auto loaded = load(
        rg_template("{}", "{}", R"([{"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "1",
        "name": "vnet/s", "properties": {"addressPrefix": "[reference(resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 's')).addressPrefix]"}}])"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    const json::Value& prefix = *loaded.resources[0].body.find("properties")->find("addressPrefix");
    ASSERT_TRUE(prefix.is_unknown());
    EXPECT_NE(prefix.as_unknown().reason.find("before this deployment"), std::string::npos);
}

TEST(TemplateResources, ReferenceIsOnlyAllowedInProperties) {
    auto loaded = load(rg_template("{}", "{}", R"([{"type": "Test.Provider/things", "apiVersion": "1",
        "name": "[reference('x').name]", "location": "[reference('x').location]"}])"));
    EXPECT_EQ(loaded.count("arm-function-not-allowed"), 2u) << loaded.report();
}

TEST(TemplateResources, UnknownValuesWarnOncePerPlace) {
    auto loaded = load(rg_template("{}", "{}", R"([{"type": "Test.Provider/things", "apiVersion": "1",
        "name": "[concat('t', copyIndex())]", "copy": {"name": "l", "count": 5},
        "properties": {"key": "[listKeys('sa', '2021-01-01').keys[0].value]"}}])"));
    EXPECT_EQ(loaded.resources.size(), 5u);
    ASSERT_EQ(loaded.count("arm-unknown-value"), 1u) << loaded.report();
    const Diagnostic* warning = loaded.first("arm-unknown-value");
    EXPECT_EQ(warning->message,
              "value of /resources/0/properties/key is unknown: listKeys() needs the deployed resource");
}

TEST(TemplateResources, DuplicateResourcesAreErrors) {
    auto loaded = load(rg_template("{}", "{}", R"([
        {"type": "Test.Provider/things", "apiVersion": "1", "name": "same"},
        {"type": "Test.Provider/things", "apiVersion": "1", "name": "SAME"},
        {"type": "Test.Provider/things", "apiVersion": "1", "name": "other", "condition": false},
        {"type": "Test.Provider/things", "apiVersion": "1", "name": "other"}])"));
    EXPECT_EQ(loaded.count("arm-duplicate-resource"), 1u) << loaded.report();
    EXPECT_EQ(loaded.first("arm-duplicate-resource")->where.pointer, "/resources/1");
}

TEST(TemplateResources, TypeMustBeLiteral) {
    auto loaded =
        load(rg_template(R"({"t": {"type": "string", "defaultValue": "Microsoft.Storage/storageAccounts"}})",
                         "{}", R"([{"type": "[parameters('t')]", "apiVersion": "1", "name": "sa"}])"));
    EXPECT_EQ(loaded.count("arm-resource-type"), 1u) << loaded.report();
    EXPECT_TRUE(loaded.resources.empty());
}

TEST(TemplateResources, SubscriptionLevelIds) {
    std::string text =
        R"({"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [
            {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2020-06-01", "name": "net-rg", "location": "westeurope"},
            {"type": "Microsoft.Authorization/roleDefinitions", "apiVersion": "2018-01-01-preview", "name": "role-guid",
             "properties": {"roleName": "Network operator"}},
            {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2020-04-01-preview", "name": "ra-guid",
             "properties": {"roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'role-guid')]"}}]})";
    auto loaded = load(text);
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    std::string sub = kSub;
    EXPECT_EQ(loaded.ids(),
              (std::vector<std::string>{sub + "/resourceGroups/net-rg",
                                        sub + "/providers/Microsoft.Authorization/roleDefinitions/role-guid",
                                        sub + "/providers/Microsoft.Authorization/roleAssignments/ra-guid"}));
}

TEST(TemplateResources, ManagementGroupTemplatesAreNotSupported) {
    auto loaded = load(
        R"({"$schema": "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#",
                           "contentVersion": "1.0.0.0", "resources": []})");
    EXPECT_EQ(loaded.count("arm-unsupported-scope"), 1u) << loaded.report();
}

TEST(TemplateRecognition, TemplatesAndParametersFiles) {
    EXPECT_TRUE(is_template(testing::parse(
        R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []})")));
    EXPECT_TRUE(is_template(testing::parse(
        R"({"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"})")));
    EXPECT_TRUE(is_template(testing::parse(R"({"contentVersion": "1.0.0.0", "resources": []})")));
    EXPECT_FALSE(is_template(testing::parse(R"({"resources": []})")));
    EXPECT_FALSE(is_template(testing::parse(R"([{"id": "/subscriptions/x"}])")));
    EXPECT_FALSE(is_template(testing::parse(
        R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}})")));

    EXPECT_TRUE(is_parameters_file(testing::parse(
        R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}})")));
    EXPECT_TRUE(
        is_parameters_file(testing::parse(R"({"parameters": {"a": {"value": 1}, "b": {"reference": {}}}})")));
    EXPECT_FALSE(
        is_parameters_file(testing::parse(R"({"parameters": {"a": {"type": "string"}}, "resources": []})")));
    EXPECT_FALSE(is_parameters_file(testing::parse(R"({"parameters": {"a": 1}})")));
}

} // namespace
} // namespace ztnet::load::arm

namespace ztnet::load::arm {
namespace {

using testing::load;
using testing::rg_template;

TEST(TemplateResources, AResourceNamedByAnUnknownValueKeepsAPlaceholderId) {
    auto loaded = load(rg_template(R"({"nsgName": {"type": "string"}})", "{}", R"([{
        "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2020-05-01",
        "name": "[parameters('nsgName')]", "properties": {"securityRules": []}}])"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    ASSERT_EQ(loaded.resources.size(), 1u);
    const json::Value* id = loaded.resources[0].body.find("id");
    ASSERT_NE(id, nullptr);
    ASSERT_TRUE(id->is_string());
    EXPECT_NE(id->as_string().find("/networkSecurityGroups/{unknown name at resources.0}"), std::string::npos)
        << id->as_string();
    EXPECT_TRUE(loaded.resources[0].body.find("name")->is_unknown());
    // The missing parameter's one warning names the name among what it decides.
    const Diagnostic* missing = loaded.first("arm-parameter-missing");
    ASSERT_NE(missing, nullptr);
    ASSERT_FALSE(missing->notes.empty());
    EXPECT_NE(missing->notes[0].find("/resources/0/name"), std::string::npos) << missing->notes[0];
}

TEST(TemplateResources, ARepeatedDeclarationWarnsThatArmWouldRejectIt) {
    const std::string resources = R"([
        {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2020-05-01", "name": "nsg"},
        {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2020-05-01", "name": "NSG"}])";
    auto loaded = load(rg_template("{}", "{}", resources));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    const Diagnostic* duplicate = loaded.first("arm-duplicate-resource");
    ASSERT_NE(duplicate, nullptr) << loaded.report();
    EXPECT_NE(duplicate->message.find("ARM would reject this deployment"), std::string::npos);
    EXPECT_EQ(loaded.resources.size(), 1u);
    TemplateOptions strict;
    strict.strict = true;
    EXPECT_TRUE(load(rg_template("{}", "{}", resources), strict).diagnostics.has_errors());
}

TEST(TemplateResources, ACopyLoopMayBeNamedByAnExpression) {
    auto loaded = load(rg_template(R"({"prefix": {"type": "string", "defaultValue": "hosts"}})", "{}", R"([{
        "type": "Microsoft.Compute/hostGroups", "apiVersion": "2020-06-01",
        "name": "[concat('hg', copyIndex())]",
        "copy": {"name": "[parameters('prefix')]", "count": 2}}])"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(loaded.resources.size(), 2u);
}

TEST(TemplateResources, UnicodeWhiteSpaceSeparatesTokens) {
    // A non-breaking space (U+00A0) pasted after a comma, as a real template has it.
    auto loaded = load(testing::value_template("\"[concat('a',\xC2\xA0'b')]\""));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(testing::value_of(loaded), json::Value("ab"));
    // An error names the whole character, never half of it.
    auto broken = load(testing::value_template("\"[concat('a' \xE2\x82\xAC 'b')]\""));
    const Diagnostic* error = broken.first("arm-expression-syntax");
    ASSERT_NE(error, nullptr) << broken.report();
    EXPECT_NE(error->message.find("'\xE2\x82\xAC'"), std::string::npos) << error->message;
}

} // namespace
} // namespace ztnet::load::arm
