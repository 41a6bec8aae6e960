// Nested deployments: inner and outer expression scope, resource-group and subscription
// targeting, parameters passed in, linked templates and the nesting limit.
#include <gtest/gtest.h>

#include "arm_test_support.h"

namespace ztnet::load::arm {
namespace {

using testing::kRg;
using testing::kSub;
using testing::load;
using testing::parse;
using testing::rg_template;

const char* kSchema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

// A deployment resource with the given extra members and properties.
std::string deployment(const std::string& members, const std::string& properties) {
    return R"({"type": "Microsoft.Resources/deployments", "apiVersion": "2020-06-01", "name": "nested")" +
           (members.empty() ? std::string() : ", " + members) +
           R"(, "properties": {"mode": "Incremental", )" + properties + "}}";
}

TEST(TemplateDeployments, InnerScopeUsesItsOwnParametersAndTargetGroup) {
    std::string inner_template =
        R"("template": {"$schema": ")" + std::string(kSchema) + R"(", "contentVersion": "1.0.0.0",
        "parameters": {"vnetName": {"type": "string"}, "prefix": {"type": "string", "defaultValue": "10.9.0.0/16"}},
        "variables": {"v": "[concat(parameters('vnetName'), '-', resourceGroup().name)]"},
        "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-05-01", "name": "[parameters('vnetName')]",
                       "location": "[resourceGroup().location]",
                       "properties": {"addressSpace": {"addressPrefixes": ["[parameters('prefix')]"]},
                                      "tag": "[variables('v')]", "self": "[resourceId('Microsoft.Network/virtualNetworks', 'x')]",
                                      "deployment": "[deployment().name]"}}]})";
    std::string text =
        rg_template(R"({"name": {"type": "string", "defaultValue": "spoke"}})", R"({"suffix": "-vnet"})",
                    "[" +
                        deployment(R"("resourceGroup": "other-rg")",
                                   R"("expressionEvaluationOptions": {"scope": "inner"},
                                                       "parameters": {"vnetName": {"value": "[concat(parameters('name'), variables('suffix'))]"}}, )" +
                                       inner_template) +
                        "]");
    auto loaded = load(text);
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    ASSERT_EQ(loaded.resources.size(), 1u) << loaded.report();
    const RawResource& vnet = loaded.resources[0];
    std::string other = std::string(kSub) + "/resourceGroups/other-rg";
    EXPECT_EQ(*vnet.body.find("id"),
              json::Value(other + "/providers/Microsoft.Network/virtualNetworks/spoke-vnet"));
    EXPECT_EQ(*vnet.body.find("properties"), parse(R"({"addressSpace": {"addressPrefixes": ["10.9.0.0/16"]},
        "tag": "spoke-vnet-other-rg", "self": ")" + other +
                                                   R"(/providers/Microsoft.Network/virtualNetworks/x",
        "deployment": "nested"})"));
    // The location of another resource group is not known offline.
    ASSERT_TRUE(vnet.body.find("location")->is_unknown());
    EXPECT_EQ(loaded.count("arm-unknown-value"), 1u) << loaded.report();
    EXPECT_EQ(vnet.where.pointer, "/resources/0/properties/template/resources/0");
}

TEST(TemplateDeployments, OuterScopeSeesTheParentButDeploysToTheTarget) {
    std::string inner_template =
        R"("template": {"$schema": ")" + std::string(kSchema) + R"(", "contentVersion": "1.0.0.0",
        "variables": {"ignored": "inner"},
        "resources": [{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2020-05-01", "name": "[parameters('nsg')]",
                       "location": "[resourceGroup().location]",
                       "properties": {"v": "[variables('which')]", "rg": "[resourceGroup().name]",
                                      "id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'n')]",
                                      "index": "[copyIndex('deployments')]"}}]})";
    std::string text =
        rg_template(R"({"nsg": {"type": "string", "defaultValue": "nsg"}})", R"({"which": "parent"})",
                    "[" +
                        deployment(R"("resourceGroup": "[concat('target-', string(copyIndex()))]",
                                                       "copy": {"name": "deployments", "count": 2})",
                                   inner_template) +
                        "]");
    auto loaded = load(text);
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(loaded.count("arm-nested-outer-scope"), 1u)
        << loaded.report(); // the inner variables are ignored
    ASSERT_EQ(loaded.resources.size(), 2u) << loaded.report();
    for (std::size_t i = 0; i < 2; ++i) {
        const json::Value& body = loaded.resources[i].body;
        EXPECT_EQ(*body.find("id"),
                  json::Value(std::string(kSub) + "/resourceGroups/target-" + std::to_string(i) +
                              "/providers/Microsoft.Network/networkSecurityGroups/nsg"));
        // Expressions resolve in the parent: its variables, its resource group.
        EXPECT_EQ(*body.find("properties"),
                  parse(R"({"v": "parent", "rg": "ztnet-rg", "id": ")" + std::string(kRg) +
                        R"(/providers/Microsoft.Network/networkSecurityGroups/n", "index": )" +
                        std::to_string(i) + "}"));
        EXPECT_EQ(*body.find("location"), json::Value("westeurope"));
    }
}

// An inner-scope deployment into resource group "<name>-rg" of a virtual network named after the group.
std::string group_deployment(const std::string& name) {
    return R"({"type": "Microsoft.Resources/deployments", "apiVersion": "2020-06-01", "name": ")" + name +
           R"(", "resourceGroup": ")" + name + R"(-rg", "properties": {"mode": "Incremental",
           "expressionEvaluationOptions": {"scope": "inner"},
           "template": {"$schema": ")" +
           kSchema + R"(", "contentVersion": "1.0.0.0",
               "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-05-01",
                              "name": "[concat(resourceGroup().name, '-vnet')]", "location": "[resourceGroup().location]",
                              "properties": {}}]}}})";
}

TEST(TemplateDeployments, SubscriptionTemplateDeploysIntoSeveralGroups) {
    std::string inner = group_deployment("hub") + ", " + group_deployment("spoke");
    std::string text =
        R"({"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [
            {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2020-06-01", "name": "hub-rg", "location": "northeurope"},
            )" +
        inner + "]}";
    auto loaded = load(text);
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    std::string sub = kSub;
    EXPECT_EQ(
        loaded.ids(),
        (std::vector<std::string>{
            sub + "/resourceGroups/hub-rg",
            sub + "/resourceGroups/hub-rg/providers/Microsoft.Network/virtualNetworks/hub-rg-vnet",
            sub + "/resourceGroups/spoke-rg/providers/Microsoft.Network/virtualNetworks/spoke-rg-vnet"}));
    // hub-rg is created by the template, so its location is known; spoke-rg's is not.
    EXPECT_EQ(*loaded.resources[1].body.find("location"), json::Value("northeurope"));
    EXPECT_TRUE(loaded.resources[2].body.find("location")->is_unknown());
}

TEST(TemplateDeployments, LinkedTemplatesCannotBeFollowed) {
    auto loaded = load(rg_template(
        "{}", "{}", "[" + deployment("", R"("templateLink": {"uri": "https://example.com/t.json"})") + "]"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_TRUE(loaded.resources.empty());
    const Diagnostic* warning = loaded.first("arm-linked-template");
    ASSERT_NE(warning, nullptr) << loaded.report();
    EXPECT_EQ(warning->where.pointer, "/resources/0/properties/templateLink");
}

TEST(TemplateDeployments, DeploymentWithoutTemplateIsAnError) {
    auto loaded = load(rg_template("{}", "{}", "[" + deployment("", R"("parameters": {})") + "]"));
    EXPECT_EQ(loaded.count("arm-nested-template"), 1u) << loaded.report();
}

TEST(TemplateDeployments, NestingIsLimited) {
    // Eleven levels of deployments, each holding the next, the innermost a resource.
    std::string body =
        R"({"$schema": ")" + std::string(kSchema) + R"(", "contentVersion": "1.0.0.0", "resources": [
        {"type": "Test.Provider/things", "apiVersion": "1", "name": "deep"}]})";
    for (int level = 0; level < 11; ++level)
        body = R"({"$schema": ")" + std::string(kSchema) +
               R"(", "contentVersion": "1.0.0.0", "resources": [)" +
               deployment("", R"("expressionEvaluationOptions": {"scope": "inner"}, "template": )" + body) +
               "]}";
    auto loaded = load(body);
    EXPECT_EQ(loaded.count("arm-deployment-depth"), 1u) << loaded.report();
    EXPECT_TRUE(loaded.resources.empty());
}

TEST(TemplateDeployments, TenLevelsAreFine) {
    std::string body =
        R"({"$schema": ")" + std::string(kSchema) + R"(", "contentVersion": "1.0.0.0", "resources": [
        {"type": "Test.Provider/things", "apiVersion": "1", "name": "deep"}]})";
    for (int level = 0; level < 10; ++level)
        body = R"({"$schema": ")" + std::string(kSchema) +
               R"(", "contentVersion": "1.0.0.0", "resources": [)" +
               deployment("", R"("template": )" + body) + "]}";
    auto loaded = load(body);
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    ASSERT_EQ(loaded.resources.size(), 1u);
    EXPECT_EQ(*loaded.resources[0].body.find("id"),
              json::Value(std::string(kRg) + "/providers/Test.Provider/things/deep"));
}

TEST(TemplateDeployments, InnerParametersAreCheckedAndReferencesToDeploymentsAreUnknown) {
    std::string inner_template =
        R"("template": {"$schema": ")" + std::string(kSchema) + R"(", "contentVersion": "1.0.0.0",
        "parameters": {"size": {"type": "int", "maxValue": 5}},
        "resources": [], "outputs": {"o": {"type": "int", "value": "[parameters('size')]"}}})";
    std::string text = rg_template("{}", "{}",
                                   "[" +
                                       deployment("", R"("expressionEvaluationOptions": {"scope": "inner"},
                                                          "parameters": {"size": {"value": 9}, "extra": {"value": 1}}, )" +
                                                          inner_template) +
                                       R"(, {"type": "Test.Provider/things", "apiVersion": "1", "name": "t",
                                             "properties": {"o": "[reference('nested').outputs.o.value]"}}])");
    auto loaded = load(text);
    EXPECT_EQ(loaded.count("arm-parameter-range"), 1u) << loaded.report();
    EXPECT_EQ(loaded.count("arm-parameter-undeclared"), 1u) << loaded.report();
    const Diagnostic* range = loaded.first("arm-parameter-range");
    EXPECT_EQ(range->where.pointer, "/resources/0/properties/parameters/size/value");
    ASSERT_EQ(loaded.resources.size(), 1u);
    const json::Value& output = *loaded.resources[0].body.find("properties")->find("o");
    ASSERT_TRUE(output.is_unknown());
    EXPECT_NE(output.as_unknown().reason.find("outputs of nested deployment"), std::string::npos);
}

} // namespace
} // namespace ztnet::load::arm
