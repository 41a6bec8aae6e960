// Template parameters (defaults, parameters files, overrides, validation), variables (lazy, cyclic,
// copy) and user-defined functions.
#include <gtest/gtest.h>

#include "arm_test_support.h"

namespace ztnet::load::arm {
namespace {

using testing::load;
using testing::parse;
using testing::rg_template;
using testing::value_of;
using testing::value_template;

TEST(TemplateParameters, DefaultsMayUseOtherParametersAndFunctions) {
    auto loaded =
        load(value_template(R"("[concat(parameters('prefix'), '-', parameters('location'))]")",
                            R"({"location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
                                          "prefix": {"type": "string", "defaultValue": "[toUpper(parameters('base'))]"},
                                          "base": {"type": "string", "defaultValue": "app"}})"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(value_of(loaded), json::Value("APP-westeurope"));
}

TEST(TemplateParameters, ParametersFileOverridesDefaultsAndParamOverridesTheFile) {
    std::string text = value_template(
        R"("[createArray(parameters('a'), parameters('b'), parameters('c'), parameters('d'))]")",
        R"({"a": {"type": "string", "defaultValue": "default-a"},
                                          "b": {"type": "int", "defaultValue": 1},
                                          "c": {"type": "bool"},
                                          "d": {"type": "array", "defaultValue": []}})");
    TemplateOptions options;
    options.overrides = {{"b", "42"}, {"d", "[1, \"x\"]"}};
    auto loaded = load(
        text, options,
        R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                                         "contentVersion": "1.0.0.0",
                                         "parameters": {"a": {"value": "from-file"}, "b": {"value": 7}, "c": {"value": true}}})");
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(value_of(loaded), parse(R"(["from-file", 42, true, [1, "x"]])"));
}

TEST(TemplateParameters, StringOverridesAreTakenAsWritten) {
    TemplateOptions options;
    options.overrides = {{"name", "[not an expression]"}, {"NAME", "last wins"}};
    auto loaded =
        load(value_template(R"("[parameters('name')]")", R"({"name": {"type": "securestring"}})"), options);
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(value_of(loaded), json::Value("last wins"));
}

TEST(TemplateParameters, OverrideThatIsNotJsonIsAnError) {
    TemplateOptions options;
    options.overrides = {{"count", "three"}};
    auto loaded =
        load(value_template(R"("[parameters('count')]")", R"({"count": {"type": "int"}})"), options);
    ASSERT_EQ(loaded.count("arm-parameter-override"), 1u) << loaded.report();
    EXPECT_NE(loaded.first("arm-parameter-override")->message.find("--param count=three"), std::string::npos);
}

TEST(TemplateParameters, MissingParameterIsUnknownWithAWarningNamingWhatDependsOnIt) {
    auto loaded =
        load(value_template(R"("[parameters('adminUser')]")", R"({"adminUser": {"type": "string"}})"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    const Diagnostic* missing = loaded.first("arm-parameter-missing");
    ASSERT_NE(missing, nullptr) << loaded.report();
    EXPECT_EQ(missing->severity, Severity::Warning);
    EXPECT_NE(missing->message.find("'adminUser'"), std::string::npos);
    EXPECT_EQ(missing->where.pointer, "/parameters/adminUser");
    EXPECT_EQ(missing->where.file, 0u);
    // The places it decides are its notes, not warnings of their own.
    ASSERT_FALSE(missing->notes.empty());
    EXPECT_NE(missing->notes[0].find("/resources/0/properties/value"), std::string::npos)
        << missing->notes[0];
    EXPECT_EQ(loaded.count("arm-unknown-value"), 0u) << loaded.report();
    json::Value value = value_of(loaded);
    ASSERT_TRUE(value.is_unknown());
    EXPECT_EQ(value.as_unknown().reason, "parameter 'adminUser' has no value");
}

TEST(TemplateParameters, StrictMakesWhatArmRefusesAnError) {
    TemplateOptions options;
    options.strict = true;
    auto missing = load(
        value_template(R"("[parameters('adminUser')]")", R"({"adminUser": {"type": "string"}})"), options);
    const Diagnostic* error = missing.first("arm-parameter-missing");
    ASSERT_NE(error, nullptr) << missing.report();
    EXPECT_EQ(error->severity, Severity::Error);

    std::string parameters = R"({"sku": {"type": "string", "allowedValues": ["Standard_LRS"]}})";
    auto lenient = load(value_template(R"("[parameters('sku')]")", parameters), {},
                        R"({"parameters": {"sku": {"value": "Basic"}}})");
    const Diagnostic* warning = lenient.first("arm-parameter-not-allowed");
    ASSERT_NE(warning, nullptr) << lenient.report();
    EXPECT_EQ(warning->severity, Severity::Warning);
    EXPECT_NE(warning->message.find("ARM would reject this deployment"), std::string::npos);
    auto strict = load(value_template(R"("[parameters('sku')]")", parameters), options,
                       R"({"parameters": {"sku": {"value": "Basic"}}})");
    EXPECT_EQ(strict.first("arm-parameter-not-allowed")->severity, Severity::Error) << strict.report();
}

TEST(TemplateParameters, ValuesOfAnotherTypeAreCoercedWhereArmsMeaningIsClear) {
    const std::string expression =
        R"("[concat(string(add(parameters('port'), 1)), parameters('name'), string(parameters('on')))]")";
    const std::string parameters =
        R"({"port": {"type": "int"}, "name": {"type": "string"}, "on": {"type": "bool"},
                                       "list": {"type": "array", "defaultValue": []}})";
    auto known =
        load(value_template(expression, parameters), {},
             R"({"parameters": {"port": {"value": "22"}, "name": {"value": 7}, "on": {"value": "true"}}})");
    EXPECT_FALSE(known.diagnostics.has_errors()) << known.report();
    EXPECT_EQ(known.count("arm-parameter-type"), 3u) << known.report();
    EXPECT_EQ(value_of(known), json::Value("237True"));
    // "x" is no array: ARM's meaning is not clear, so the value is unknown.
    auto unclear = load(value_template(R"("[parameters('list')]")", parameters), {},
                        R"({"parameters": {"list": {"value": "x"}}})");
    EXPECT_FALSE(unclear.diagnostics.has_errors()) << unclear.report();
    EXPECT_TRUE(value_of(unclear).is_unknown());
}

TEST(TemplateParameters, AllowedValuesCompareStringsIgnoringCase) {
    std::string parameters = R"({"sku": {"type": "string", "allowedValues": ["Standard_LRS", "Premium_LRS"]},
                                 "ports": {"type": "array", "allowedValues": [22, 80, 443], "defaultValue": [80, 443]}})";
    auto ok = load(value_template(R"("[parameters('sku')]")", parameters), {},
                   R"({"parameters": {"sku": {"value": "standard_lrs"}}})");
    EXPECT_FALSE(ok.diagnostics.has_errors()) << ok.report();

    auto bad = load(value_template(R"("[parameters('sku')]")", parameters), {},
                    R"({"parameters": {"sku": {"value": "Basic"}, "ports": {"value": [80, 8080]}}})");
    ASSERT_EQ(bad.count("arm-parameter-not-allowed"), 2u) << bad.report();
    const Diagnostic* sku = bad.first("arm-parameter-not-allowed");
    EXPECT_NE(sku->message.find("\"Basic\""), std::string::npos) << sku->message;
    EXPECT_EQ(sku->where.file, 1u); // the parameters file
    EXPECT_EQ(sku->where.pointer, "/parameters/sku/value");
    EXPECT_NE(bad.report().find("8080"), std::string::npos);
}

TEST(TemplateParameters, DefaultValueMustBeAllowedToo) {
    auto loaded = load(
        value_template(R"("[parameters('v')]")",
                       R"({"v": {"type": "string", "defaultValue": "c", "allowedValues": ["a", "b"]}})"));
    const Diagnostic* error = loaded.first("arm-parameter-not-allowed");
    ASSERT_NE(error, nullptr) << loaded.report();
    EXPECT_EQ(error->where.pointer, "/parameters/v/defaultValue");
}

TEST(TemplateParameters, RangesAndLengthsAreChecked) {
    struct Case {
        const char* declaration;
        const char* value;
        bool valid;
    };
    const Case cases[] = {
        {R"({"type": "int", "minValue": 1, "maxValue": 10})", "1", true},
        {R"({"type": "int", "minValue": 1, "maxValue": 10})", "10", true},
        {R"({"type": "int", "minValue": 1, "maxValue": 10})", "0", false},
        {R"({"type": "int", "minValue": 1, "maxValue": 10})", "11", false},
        {R"({"type": "string", "minLength": 3, "maxLength": 5})", "\"abc\"", true},
        {R"({"type": "string", "minLength": 3, "maxLength": 5})", "\"ab\"", false},
        {R"({"type": "string", "minLength": 3, "maxLength": 5})", "\"abcdef\"", false},
        {R"({"type": "string", "maxLength": 2})", "\"\u00e9\u00e9\"", true}, // two characters, four bytes
        {R"({"type": "array", "minLength": 1})", "[]", false},
        {R"({"type": "array", "maxLength": 2})", "[1, 2]", true},
    };
    for (const auto& c : cases) {
        std::string parameters = std::string(R"({"p": )") + c.declaration + "}";
        std::string file = std::string(R"({"parameters": {"p": {"value": )") + c.value + "}}}";
        auto loaded = load(value_template(R"("[parameters('p')]")", parameters), {}, file);
        EXPECT_EQ(loaded.count("arm-parameter-range") == 0, c.valid)
            << c.declaration << " " << c.value << "\n"
            << loaded.report();
    }
}

TEST(TemplateParameters, TypeMismatchIsAnError) {
    auto loaded = load(value_template(R"("[parameters('n')]")", R"({"n": {"type": "int"}})"), {},
                       R"({"parameters": {"n": {"value": "5"}}})");
    const Diagnostic* error = loaded.first("arm-parameter-type");
    ASSERT_NE(error, nullptr) << loaded.report();
    EXPECT_NE(error->message.find("declared int"), std::string::npos) << error->message;
}

TEST(TemplateParameters, UnknownDeclaredTypeIsAnError) {
    auto loaded = load(value_template(R"("x")", R"({"p": {"type": "number", "defaultValue": 1}})"));
    ASSERT_NE(loaded.first("arm-parameter-type"), nullptr) << loaded.report();
    EXPECT_EQ(loaded.first("arm-parameter-type")->where.pointer, "/parameters/p/type");
}

TEST(TemplateParameters, UserDefinedTypesAndNullableParameters) {
    std::string text =
        R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "languageVersion": "2.0", "contentVersion": "1.0.0.0",
        "definitions": {"prefix": {"type": "string", "minLength": 9}},
        "parameters": {"p": {"$ref": "#/definitions/prefix"}, "opt": {"type": "string", "nullable": true}},
        "resources": {"t": {"type": "Test.Provider/things", "apiVersion": "1", "name": "t",
                            "properties": {"value": "[createArray(parameters('p'), parameters('opt'))]"}}}})";
    auto loaded = load(text, {}, R"({"parameters": {"p": {"value": "10.0.0.0/8"}}})");
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(value_of(loaded), parse(R"(["10.0.0.0/8", null])"));

    auto mistyped = load(text, {}, R"({"parameters": {"p": {"value": 8}}})");
    EXPECT_EQ(mistyped.count("arm-parameter-type"), 1u) << mistyped.report();
}

TEST(TemplateParameters, ValuesForUndeclaredParametersAreErrors) {
    TemplateOptions options;
    options.overrides = {{"nope", "1"}};
    auto loaded = load(value_template(R"("x")"), options, R"({"parameters": {"extra": {"value": 1}}})");
    EXPECT_EQ(loaded.count("arm-parameter-undeclared"), 2u) << loaded.report();
}

TEST(TemplateParameters, KeyVaultReferenceIsUnknownWithAWarning) {
    auto loaded = load(
        value_template(R"("[parameters('password')]")", R"({"password": {"type": "securestring"}})"), {},
        R"({"parameters": {"password": {"reference": {"keyVault": {"id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.KeyVault/vaults/kv"},
                                                                     "secretName": "vmPassword"}}}})");
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    ASSERT_EQ(loaded.count("arm-parameter-keyvault"), 1u) << loaded.report();
    json::Value value = value_of(loaded);
    ASSERT_TRUE(value.is_unknown());
    EXPECT_NE(value.as_unknown().reason.find("vmPassword"), std::string::npos);
    // The resource property that uses it is reported as unknown, once.
    ASSERT_EQ(loaded.count("arm-unknown-value"), 1u) << loaded.report();
    EXPECT_EQ(loaded.first("arm-unknown-value")->where.pointer, "/resources/0/properties/value");
}

TEST(TemplateParameters, DefaultsThatDependOnThemselvesAreACycle) {
    auto loaded = load(value_template(R"("[parameters('a')]")",
                                      R"({"a": {"type": "string", "defaultValue": "[parameters('b')]"},
                                          "b": {"type": "string", "defaultValue": "[parameters('a')]"}})"));
    const Diagnostic* cycle = loaded.first("arm-parameter-cycle");
    ASSERT_NE(cycle, nullptr) << loaded.report();
    EXPECT_NE(cycle->message.find("a → b → a"), std::string::npos) << cycle->message;
}

TEST(TemplateParameters, DefaultsCannotUseVariablesOrReference) {
    auto loaded =
        load(value_template(R"("x")", R"({"a": {"type": "string", "defaultValue": "[variables('v')]"},
                                                    "b": {"type": "object", "defaultValue": "[reference('r')]"}})",
                            R"({"v": "1"})"));
    EXPECT_EQ(loaded.count("arm-function-not-allowed"), 2u) << loaded.report();
}

TEST(TemplateParameters, UtcNowOnlyInDefaults) {
    auto in_default = load(value_template(R"("[concat(parameters('stamp'), parameters('id'))]")",
                                          R"({"stamp": {"type": "string", "defaultValue": "[utcNow('u')]"},
                                              "id": {"type": "string", "defaultValue": "[newGuid()]"}})"));
    EXPECT_FALSE(in_default.diagnostics.has_errors()) << in_default.report();
    ASSERT_TRUE(value_of(in_default).is_unknown());
    EXPECT_EQ(value_of(in_default).as_unknown().reason, "utcNow() is the time of the deployment");

    auto in_property = load(value_template(R"("[utcNow()]")"));
    ASSERT_NE(in_property.first("arm-function-not-allowed"), nullptr) << in_property.report();
    EXPECT_NE(in_property.first("arm-function-not-allowed")->message.find("utcNow()"), std::string::npos);
}

TEST(TemplateVariables, NestedObjectsAndArraysAreEvaluated) {
    auto loaded = load(value_template(R"("[variables('config')]")",
                                      R"({"env": {"type": "string", "defaultValue": "prod"}})",
                                      R"({"name": "[concat('vnet-', parameters('env'))]",
                                          "config": {"name": "[variables('name')]", "prefixes": ["10.0.0.0/16", "[concat('10.1.0.0/', '16')]"],
                                                     "escaped": "[[not evaluated]", "nested": {"flag": "[equals(parameters('env'), 'prod')]"}}})"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(value_of(loaded), parse(R"({"name": "vnet-prod", "prefixes": ["10.0.0.0/16", "10.1.0.0/16"],
                                          "escaped": "[not evaluated]", "nested": {"flag": true}})"));
}

TEST(TemplateVariables, NamesAreCaseInsensitive) {
    auto loaded = load(value_template(R"("[VARIABLES('MyVar')]")", "{}", R"({"myvar": "ok"})"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(value_of(loaded), json::Value("ok"));
}

TEST(TemplateVariables, CycleIsReportedOnce) {
    auto loaded = load(value_template(R"("[variables('a')]")", "{}",
                                      R"({"a": "[variables('b')]", "b": "[concat(variables('a'), 'x')]"})"));
    ASSERT_EQ(loaded.count("arm-variable-cycle"), 1u) << loaded.report();
    EXPECT_NE(loaded.first("arm-variable-cycle")->message.find("a → b → a"), std::string::npos);
    EXPECT_EQ(loaded.diagnostics.error_count(), 1u) << loaded.report();
}

TEST(TemplateVariables, UndeclaredVariableIsAnError) {
    auto loaded = load(value_template(R"("[variables('missing')]")"));
    const Diagnostic* error = loaded.first("arm-variable-undeclared");
    ASSERT_NE(error, nullptr) << loaded.report();
    EXPECT_EQ(error->where.pointer, "/resources/0/properties/value");
}

TEST(TemplateVariables, TopLevelCopyDeclaresArrayVariables) {
    auto loaded =
        load(value_template(R"("[variables('disks')]")", R"({"n": {"type": "int", "defaultValue": 3}})",
                            R"({"copy": [{"name": "disks", "count": "[parameters('n')]",
                                                    "input": {"lun": "[copyIndex('disks')]", "name": "[concat('disk', copyIndex('disks', 1))]"}},
                                                   {"name": "empty", "count": 0, "input": "x"}]})"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(
        value_of(loaded),
        parse(R"([{"lun": 0, "name": "disk1"}, {"lun": 1, "name": "disk2"}, {"lun": 2, "name": "disk3"}])"));
}

TEST(TemplateVariables, PropertyCopyInsideAVariableObject) {
    auto loaded = load(value_template(
        R"("[variables('nsgNames')]")", "{}",
        R"({"nsgNames": {"copy": [{"name": "front", "count": 2, "input": "[concat('fe', copyIndex('front'))]"},
                                                                {"name": "back", "count": 1, "input": "[concat('be', copyIndex('back'))]"}],
                                                       "other": 1}})"));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(value_of(loaded), parse(R"({"front": ["fe0", "fe1"], "back": ["be0"], "other": 1})"));
}

TEST(TemplateVariables, CopyIndexWithoutNameInAVariableLoopIsAnError) {
    auto loaded = load(value_template(R"("[variables('v')]")", "{}",
                                      R"({"copy": [{"name": "v", "count": 1, "input": "[copyIndex()]"}]})"));
    const Diagnostic* error = loaded.first("arm-copy-index");
    ASSERT_NE(error, nullptr) << loaded.report();
    EXPECT_NE(error->message.find("copyIndex('v')"), std::string::npos) << error->message;
}

TEST(TemplateVariables, ReferenceIsNotAllowedInVariables) {
    auto loaded = load(value_template(R"("[variables('v')]")", "{}", R"({"v": "[reference('x').a]"})"));
    const Diagnostic* error = loaded.first("arm-function-not-allowed");
    ASSERT_NE(error, nullptr) << loaded.report();
    EXPECT_EQ(error->where.pointer, "/variables/v");
}

TEST(TemplateVariables, UnusedVariablesAreStillChecked) {
    auto loaded = load(value_template(R"("x")", "{}", R"({"unused": "[nosuchfunction()]"})"));
    const Diagnostic* error = loaded.first("arm-unknown-function");
    ASSERT_NE(error, nullptr) << loaded.report();
    EXPECT_EQ(error->where.pointer, "/variables/unused");
}

// A chain of variables, each built from the next: variables('v0') → … → variables('vN').
std::string variable_chain(int length) {
    std::string variables = "{";
    for (int i = 0; i < length; ++i)
        variables += "\"v" + std::to_string(i) + "\": \"[concat(variables('v" + std::to_string(i + 1) +
                     "'), 'x')]\", ";
    variables += "\"v" + std::to_string(length) + "\": \"end\"}";
    return variables;
}

TEST(TemplateVariables, LongChainsEvaluate) {
    auto loaded = load(value_template(R"("[length(variables('v0'))]")", "{}", variable_chain(100)));
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    EXPECT_EQ(value_of(loaded), json::Value(103));
}

TEST(TemplateVariables, ChainsTooDeepFailCleanly) {
    auto loaded = load(value_template(R"("[variables('v0')]")", "{}", variable_chain(3000)));
    const Diagnostic* limit = loaded.first("arm-evaluation-limit");
    ASSERT_NE(limit, nullptr) << loaded.report().substr(0, 2000);
    EXPECT_NE(limit->message.find("nests too deeply"), std::string::npos) << limit->message;
}

TEST(TemplateFunctions, UserDefinedFunctionsAreEvaluated) {
    std::string text =
        R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "functions": [{"namespace": "contoso", "members": {
            "uniqueName": {"parameters": [{"name": "prefix", "type": "string"}, {"name": "n", "type": "int"}],
                           "output": {"type": "string", "value": "[concat(parameters('prefix'), '-', string(parameters('n')))]"}},
            "bad": {"parameters": [], "output": {"type": "string", "value": "[variables('v')]"}}}}],
        "variables": {"v": "x"},
        "resources": [{"type": "Test.Provider/things", "apiVersion": "2020-01-01", "name": "[contoso.uniqueName('web', 3)]",
                       "properties": {"value": "[contoso.UNIQUENAME('db', 1)]"}}]})";
    auto loaded = load(text);
    EXPECT_FALSE(loaded.diagnostics.has_errors()) << loaded.report();
    ASSERT_EQ(loaded.resources.size(), 1u);
    EXPECT_EQ(*loaded.resources[0].body.find("name"), json::Value("web-3"));
    EXPECT_EQ(value_of(loaded), json::Value("db-1"));

    auto misuse = load(value_template(R"("[contoso.missing()]")"));
    EXPECT_NE(misuse.first("arm-unknown-function"), nullptr) << misuse.report();
}

TEST(TemplateFunctions, UserDefinedFunctionsCannotUseVariables) {
    std::string text =
        R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "functions": [{"namespace": "ns", "members": {"bad": {"output": {"type": "string", "value": "[variables('v')]"}}}}],
        "variables": {"v": "x"},
        "resources": [{"type": "Test.Provider/things", "apiVersion": "2020-01-01", "name": "t", "properties": {"value": "[ns.bad()]"}}]})";
    auto loaded = load(text);
    const Diagnostic* error = loaded.first("arm-function-not-allowed");
    ASSERT_NE(error, nullptr) << loaded.report();
    EXPECT_EQ(error->where.pointer, "/functions/0/members/bad/output/value");
}

} // namespace
} // namespace ztnet::load::arm
