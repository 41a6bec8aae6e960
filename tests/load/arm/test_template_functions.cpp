// The functions that need the deployment (scope objects, resource ids, copyIndex, if, reference,
// list*, lambdas …), evaluated inside a template and with no template at all.
#include <gtest/gtest.h>

#include "ztnet/load/arm/evaluator.h"

#include "arm_test_support.h"

namespace ztnet::load::arm {
namespace {

using testing::kRg;
using testing::kSub;
using testing::load;
using testing::parse;
using testing::value_of;
using testing::value_template;

json::Value eval_in_template(const std::string& expression, std::string* report = nullptr) {
    auto loaded = load(value_template("\"" + expression + "\""));
    if (report != nullptr)
        *report = loaded.report();
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << expression << "\n" << loaded.report();
    return value_of(loaded);
}

TEST(TemplateContextFunctions, ScopeObjects) {
    EXPECT_EQ(eval_in_template("[resourceGroup().id]"), json::Value(kRg));
    EXPECT_EQ(eval_in_template("[resourceGroup().name]"), json::Value("ztnet-rg"));
    EXPECT_EQ(eval_in_template("[resourceGroup().location]"), json::Value("westeurope"));
    EXPECT_EQ(eval_in_template("[resourceGroup().type]"), json::Value("Microsoft.Resources/resourceGroups"));
    EXPECT_EQ(eval_in_template("[resourceGroup().properties.provisioningState]"), json::Value("Succeeded"));
    EXPECT_EQ(eval_in_template("[subscription().id]"), json::Value(kSub));
    EXPECT_EQ(eval_in_template("[subscription().subscriptionId]"),
              json::Value("00000000-0000-0000-0000-000000000000"));
    EXPECT_EQ(eval_in_template("[subscription().tenantId]"),
              json::Value("00000000-0000-0000-0000-000000000000"));
    EXPECT_TRUE(eval_in_template("[subscription().displayName]").is_unknown());
    EXPECT_EQ(eval_in_template("[tenant().id]"),
              json::Value("/tenants/00000000-0000-0000-0000-000000000000"));
    EXPECT_EQ(eval_in_template("[deployment().name]"), json::Value("ztnet"));
    EXPECT_EQ(eval_in_template("[deployment().properties.template.contentVersion]"), json::Value("1.0.0.0"));
    EXPECT_TRUE(eval_in_template("[deployment().properties.templateLink.uri]").is_unknown());
    EXPECT_EQ(eval_in_template("[environment().name]"), json::Value("AzureCloud"));
    EXPECT_EQ(eval_in_template("[environment().suffixes.storage]"), json::Value("core.windows.net"));
    EXPECT_EQ(eval_in_template("[environment().suffixes.keyvaultDns]"), json::Value(".vault.azure.net"));
    EXPECT_EQ(eval_in_template("[environment().authentication.audiences[1]]"),
              json::Value("https://management.azure.com/"));
}

TEST(TemplateContextFunctions, ScopeFollowsTheOptions) {
    TemplateOptions options;
    options.scope.subscription_id = "11111111-2222-3333-4444-555555555555";
    options.scope.resource_group = "prod-net";
    options.scope.location = "northeurope";
    auto loaded = load(
        value_template(
            R"("[createArray(resourceGroup().id, resourceGroup().location, resourceId('Microsoft.Network/virtualNetworks', 'v'))]")"),
        options);
    EXPECT_EQ(
        value_of(loaded),
        parse(
            R"(["/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/prod-net", "northeurope",
                        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/prod-net/providers/Microsoft.Network/virtualNetworks/v"])"));
}

TEST(TemplateContextFunctions, ResourceIdForms) {
    struct Case {
        const char* expression;
        std::string expected;
    };
    const Case cases[] = {
        {"[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]",
         std::string(kRg) + "/providers/Microsoft.Network/virtualNetworks/vnet"},
        {"[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'a')]",
         std::string(kRg) + "/providers/Microsoft.Network/virtualNetworks/vnet/subnets/a"},
        {"[resourceId('other-rg', 'Microsoft.Storage/storageAccounts', 'sa')]",
         std::string(kSub) + "/resourceGroups/other-rg/providers/Microsoft.Storage/storageAccounts/sa"},
        {"[resourceId('sub-2', 'rg-2', 'Microsoft.Storage/storageAccounts', 'sa')]",
         "/subscriptions/sub-2/resourceGroups/rg-2/providers/Microsoft.Storage/storageAccounts/sa"},
        {"[resourceId('Microsoft.Storage/storageAccounts/', 'trailing')]",
         std::string(kRg) + "/providers/Microsoft.Storage/storageAccounts/trailing"},
        {"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'role-guid')]",
         std::string(kSub) + "/providers/Microsoft.Authorization/roleDefinitions/role-guid"},
        {"[subscriptionResourceId('sub-2', 'Microsoft.Resources/resourceGroups', 'rg')]",
         "/subscriptions/sub-2/providers/Microsoft.Resources/resourceGroups/rg"},
        {"[tenantResourceId('Microsoft.Authorization/policyDefinitions', 'p')]",
         "/providers/Microsoft.Authorization/policyDefinitions/p"},
        {"[extensionResourceId(resourceId('Microsoft.Network/networkSecurityGroups', 'nsg'), "
         "'Microsoft.Insights/diagnosticSettings', 'diag')]",
         std::string(kRg) + "/providers/Microsoft.Network/networkSecurityGroups/nsg/providers/"
                            "Microsoft.Insights/diagnosticSettings/diag"},
        {"[extensionResourceId(resourceGroup().id, 'Microsoft.Authorization/locks', 'lock')]",
         std::string(kRg) + "/providers/Microsoft.Authorization/locks/lock"},
        {"[managementGroupResourceId('mg1', 'Microsoft.Authorization/policyDefinitions', 'p')]",
         "/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/"
         "policyDefinitions/p"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(eval_in_template(c.expression), json::Value(c.expected)) << c.expression;
}

TEST(TemplateContextFunctions, ResourceIdErrors) {
    const char* cases[] = {
        "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]",   // one name short
        "[resourceId('Microsoft.Network/virtualNetworks', 'a', 'b')]",         // one name too many
        "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet/a')]", // two arguments with '/'
        "[resourceId('vnet')]",                                                // no type
        "[resourceId('a', 'b', 'c', 'Microsoft.Network/virtualNetworks', 'v')]",
        "[resourceId('Microsoft.Network/virtualNetworks', 1)]",
    };
    for (const char* expression : cases) {
        auto loaded = load(value_template(std::string("\"") + expression + "\""));
        EXPECT_EQ(loaded.count("arm-expression-error"), 1u) << expression << "\n" << loaded.report();
    }
}

TEST(TemplateContextFunctions, ResourceGroupIsNotAvailableAtSubscriptionLevel) {
    std::string text =
        R"({"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [{"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2020-06-01", "name": "rg1",
                       "location": "[deployment().location]", "tags": {"rg": "[resourceGroup().name]"},
                       "properties": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'v')]"}}]})";
    auto loaded = load(text);
    ASSERT_EQ(loaded.count("arm-function-not-allowed"), 1u) << loaded.report();
    EXPECT_EQ(loaded.first("arm-function-not-allowed")->where.pointer, "/resources/0/tags/rg");
    ASSERT_EQ(loaded.resources.size(), 1u);
    const json::Value& body = loaded.resources[0].body;
    EXPECT_EQ(*body.find("id"), json::Value(std::string(kSub) + "/resourceGroups/rg1"));
    EXPECT_EQ(*body.find("location"), json::Value("westeurope"));
    EXPECT_EQ(*body.find("properties")->find("id"),
              json::Value(std::string(kSub) + "/providers/Microsoft.Network/virtualNetworks/v"));
}

TEST(TemplateContextFunctions, IfEvaluatesOnlyTheBranchTaken) {
    EXPECT_EQ(eval_in_template("[if(true(), 'yes', variables('undeclared'))]"), json::Value("yes"));
    EXPECT_EQ(eval_in_template("[if(equals(1, 2), nosuch(), 'no')]"), json::Value("no"));
    EXPECT_EQ(eval_in_template("[if(false, 1, json('null'))]"), json::Value());
    json::Value unknown = eval_in_template("[if(equals(listKeys('x', '2020-01-01').k, 'a'), 1, 2)]");
    ASSERT_TRUE(unknown.is_unknown());
    EXPECT_NE(unknown.as_unknown().reason.find("listKeys() needs the deployed resource"), std::string::npos);

    auto bad = load(value_template(R"("[if('yes', 1, 2)]")"));
    EXPECT_NE(bad.first("arm-expression-error"), nullptr) << bad.report();
}

TEST(TemplateContextFunctions, AndOrDecideWhatTheKnownArgumentsDecide) {
    EXPECT_EQ(eval_in_template("[or(true, equals(listKeys('a', '1').x, 1))]"), json::Value(true));
    EXPECT_EQ(eval_in_template("[and(false, listKeys('a', '1').x)]"), json::Value(false));
    json::Value unknown = eval_in_template("[and(true, listKeys('a', '1').x)]");
    ASSERT_TRUE(unknown.is_unknown());
    EXPECT_EQ(unknown.as_unknown().reason, "listKeys() needs the deployed resource");
    EXPECT_TRUE(eval_in_template("[tenant().displayName]").is_unknown());
    EXPECT_TRUE(eval_in_template("[resourceGroup().tags]").is_unknown());
}

TEST(TemplateContextFunctions, LiteralsAsFunctionsAndBare) {
    EXPECT_EQ(eval_in_template("[createArray(true(), false(), null(), true, false, null)]"),
              parse("[true, false, null, true, false, null]"));
}

TEST(TemplateContextFunctions, RuntimeOnlyFunctionsAreUnknown) {
    struct Case {
        const char* expression;
        const char* reason;
    };
    const Case cases[] = {
        {"[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'sa'), '2021-01-01').keys[0].value]",
         "listKeys() needs the deployed resource"},
        {"[concat('key=', listSecrets('x', '2020-01-01').value)]",
         "listSecrets() needs the deployed resource"},
        {"[pickZones('Microsoft.Compute', 'virtualMachines', 'westeurope')]", "pickZones()"},
        {"[reference(resourceId('Microsoft.Network/publicIPAddresses', 'elsewhere')).ipAddress]",
         "is not deployed by this template"},
    };
    for (const auto& c : cases) {
        std::string report;
        json::Value value = eval_in_template(c.expression, &report);
        ASSERT_TRUE(value.is_unknown()) << c.expression;
        EXPECT_NE(value.as_unknown().reason.find(c.reason), std::string::npos)
            << c.expression << ": " << value.as_unknown().reason;
        EXPECT_NE(report.find("arm-unknown-value"), std::string::npos) << report;
    }
}

TEST(TemplateContextFunctions, UnknownFunctionHasItsOwnCode) {
    auto loaded = load(value_template(R"("[concat('a', frobnicate(1))]")"));
    const Diagnostic* error = loaded.first("arm-unknown-function");
    ASSERT_NE(error, nullptr) << loaded.report();
    EXPECT_NE(error->message.find("'frobnicate'"), std::string::npos);
    // The string's offset is its opening quote; "frobnicate" starts 13 bytes after the '['.
    const json::Value& text = *loaded.root.find("resources")->as_array()[0].find("properties")->find("value");
    EXPECT_EQ(error->where.offset, text.offset() + 1 + 13);
}

TEST(TemplateContextFunctions, SyntaxErrorsAreReportedAtTheirPlace) {
    auto loaded = load(value_template(R"("[concat('a' 'b')]")"));
    const Diagnostic* error = loaded.first("arm-expression-syntax");
    ASSERT_NE(error, nullptr) << loaded.report();
    const json::Value& text = *loaded.root.find("resources")->as_array()[0].find("properties")->find("value");
    EXPECT_EQ(error->where.offset, text.offset() + 1 + 12);
    EXPECT_EQ(error->where.pointer, "/resources/0/properties/value");
    EXPECT_NE(error->message.find("expected ',' or ')'"), std::string::npos);

    std::string long_expression = "\"['" + std::string(kMaxExpressionLength, 'x') + "']\"";
    auto limited = load(value_template(long_expression));
    EXPECT_NE(limited.first("arm-expression-limit"), nullptr) << limited.report();
}

TEST(TemplateContextFunctions, PropertyAccessIsCaseInsensitiveButExactFirst) {
    EXPECT_EQ(eval_in_template("[json('{\\\"Name\\\": 1, \\\"name\\\": 2}').name]"), json::Value(2));
    EXPECT_EQ(eval_in_template("[json('{\\\"Name\\\": 1}').NAME]"), json::Value(1));
    EXPECT_EQ(eval_in_template("[json('{\\\"a\\\": [10, 20]}')['A'][1]]"), json::Value(20));
    auto missing = load(value_template(R"("[json('{\"a\": 1}').b]")"));
    const Diagnostic* error = missing.first("arm-expression-error");
    ASSERT_NE(error, nullptr) << missing.report();
    EXPECT_NE(error->message.find("'b' does not exist"), std::string::npos) << error->message;
    auto range = load(value_template(R"("[createArray(1, 2)[2]]")"));
    EXPECT_NE(range.report().find("out of range"), std::string::npos) << range.report();
}

TEST(TemplateContextFunctions, Lambdas) {
    EXPECT_EQ(eval_in_template("[map(createArray(1, 2, 3), lambda('x', mul(lambdaVariables('x'), 10)))]"),
              parse("[10, 20, 30]"));
    EXPECT_EQ(eval_in_template("[map(createArray('a', 'b'), lambda('x', 'i', concat(lambdaVariables('x'), "
                               "string(lambdaVariables('i')))))]"),
              parse(R"(["a0", "b1"])"));
    EXPECT_EQ(
        eval_in_template("[filter(createArray(1, 5, 2, 8), lambda('n', greater(lambdaVariables('n'), 2)))]"),
        parse("[5, 8]"));
    EXPECT_EQ(eval_in_template("[reduce(createArray(1, 2, 3), 10, lambda('acc', 'n', "
                               "add(lambdaVariables('acc'), lambdaVariables('n'))))]"),
              json::Value(16));
    EXPECT_EQ(eval_in_template("[sort(createArray(3, 1, 2, 1), lambda('a', 'b', less(lambdaVariables('a'), "
                               "lambdaVariables('b'))))]"),
              parse("[1, 1, 2, 3]"));
    EXPECT_EQ(eval_in_template("[toObject(createArray('a', 'b'), lambda('k', lambdaVariables('k')), "
                               "lambda('k', toUpper(lambdaVariables('k'))))]"),
              parse(R"({"a": "A", "b": "B"})"));
    EXPECT_EQ(
        eval_in_template(
            "[groupBy(createArray('ab', 'ac', 'b'), lambda('s', substring(lambdaVariables('s'), 0, 1)))]"),
        parse(R"({"a": ["ab", "ac"], "b": ["b"]})"));
    EXPECT_EQ(
        eval_in_template("[mapValues(json('{\\\"a\\\": 1}'), lambda('v', add(lambdaVariables('v'), 1)))]"),
        parse(R"({"a": 2})"));
    auto stray = load(value_template(R"("[lambdaVariables('x')]")"));
    EXPECT_NE(stray.first("arm-expression-error"), nullptr) << stray.report();
}

TEST(EvaluatorWithoutTemplate, EvaluatesAndRefusesTemplateLookups) {
    EmptyContext context;
    auto value = evaluate_string("[concat(resourceGroup().name, '-', string(add(1, 2)))]", context);
    ASSERT_TRUE(value.ok()) << value.error().message;
    EXPECT_EQ(value.value(), json::Value("ztnet-rg-3"));

    auto literal = evaluate_string("[[x]", context);
    ASSERT_TRUE(literal.ok());
    EXPECT_EQ(literal.value(), json::Value("[x]"));

    auto parameter = evaluate_string("[parameters('p')]", context);
    ASSERT_FALSE(parameter.ok());
    EXPECT_EQ(parameter.error().offset, 1u);

    auto copy = evaluate_string("[copyIndex()]", context);
    ASSERT_FALSE(copy.ok());
    EXPECT_EQ(copy.error().code, "arm-copy-index");

    auto syntax = evaluate_string("[concat(]", context);
    ASSERT_FALSE(syntax.ok());
    EXPECT_EQ(syntax.error().code, "arm-expression-syntax");
    EXPECT_EQ(syntax.error().offset, 8u);
}

TEST(EvaluatorWithoutTemplate, WorkIsBounded) {
    EmptyContext context(ScopeInfo{}, Budget(10'000));
    auto value = evaluate_string("[range(0, 5000)]", context);
    if (value.ok()) {
        auto more = evaluate_string("[concat(range(0, 5000), range(0, 5000))]", context);
        ASSERT_FALSE(more.ok());
        EXPECT_EQ(more.error().code, "arm-evaluation-limit");
    } else {
        EXPECT_EQ(value.error().code, "arm-evaluation-limit");
    }
}

} // namespace
} // namespace ztnet::load::arm
