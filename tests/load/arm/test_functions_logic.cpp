// Logical and comparison functions. The "documented" tests are the worked examples of Microsoft's
// "Logical functions" and "Comparison functions" references for ARM templates.
#include "test_functions_helpers.h"

namespace ztnet::load::arm {
namespace {

using testing::Case;
using testing::ErrorCase;
using testing::run_cases;
using testing::run_error_cases;

TEST(ArmLogicFunctions, DocumentedExamples) {
    run_cases({
        // andornot.json: and(bool('true'), bool('false')) and friends.
        {"bool", R"(["true"])", "true"},
        {"bool", R"(["false"])", "false"},
        {"bool", "[1]", "true"},
        {"bool", "[0]", "false"},
        {"and", "[true, false]", "false"},
        {"or", "[true, false]", "true"},
        {"not", "[true]", "false"},
        // not-equals.json
        {"equals", "[1, 2]", "false"},
        {"not", "[false]", "true"},
        {"true", "[]", "true"},
        {"false", "[]", "false"},
    });
}

TEST(ArmComparisonFunctions, DocumentedExamples) {
    run_cases({
        // equals.json: all the default values compare equal.
        {"equals", "[1, 1]", "true"},
        {"equals", R"(["a", "a"])", "true"},
        {"equals", R"([["a", "b"], ["a", "b"]])", "true"},
        {"equals", R"([{"a": "b"}, {"a": "b"}])", "true"},
        // greater.json, greaterorequals.json, less.json, lessorequals.json: (1, 2) and ('A', 'a').
        {"greater", "[1, 2]", "false"},
        {"greater", R"(["A", "a"])", "true"},
        {"greaterOrEquals", "[1, 2]", "false"},
        {"greaterOrEquals", R"(["A", "a"])", "true"},
        {"less", "[1, 2]", "true"},
        {"less", R"(["A", "a"])", "false"},
        {"lessOrEquals", "[1, 2]", "true"},
        {"lessOrEquals", R"(["A", "a"])", "false"},
    });
}

TEST(ArmLogicFunctions, NormalUse) {
    run_cases({
        {"and", "[true, true, true]", "true"},
        {"and", "[true, true, false]", "false"},
        {"or", "[false, false, false]", "false"},
        {"or", "[false, false, true]", "true"},
        {"bool", R"(["TRUE"])", "true"},
        {"bool", R"(["False"])", "false"},
        {"bool", "[true]", "true"},
        {"bool", "[-3]", "true"},
        {"equals", R"(["a", "A"])", "false"},
        {"equals", R"(["1", 1])", "false"},
        {"equals", "[1, 1.0]", "true"},
        {"equals", "[null, null]", "true"},
        {"equals", R"([{"a": 1, "b": 2}, {"b": 2, "a": 1}])", "true"},
        {"equals", R"([{"a": 1}, {"A": 1}])", "false"},
        {"equals", "[[1, [2]], [1, [2]]]", "true"},
        {"equals", "[[1, 2], [2, 1]]", "false"},
        {"equals", "[[], {}]", "false"},
        {"less", R"(["a", "b"])", "true"},
        {"less", R"(["B", "a"])", "false"},
        {"less", R"(["abc", "abcd"])", "true"},
        {"less", R"(["9", "a"])", "true"},
        {"lessOrEquals", R"(["abc", "abc"])", "true"},
        {"greater", "[-9223372036854775808, 9223372036854775807]", "false"},
        {"greater", "[2.5, 2]", "true"},
        {"greaterOrEquals", "[3, 3]", "true"},
    });
}

TEST(ArmLogicFunctions, TemplateEquals) {
    EXPECT_TRUE(template_equals(json::Value(std::int64_t{3}), json::Value(3.0)));
    EXPECT_FALSE(template_equals(json::Value(3.5), json::Value(std::int64_t{3})));
    EXPECT_FALSE(template_equals(json::Value("a"), json::Value("A")));
    // An unknown is equal to nothing, not even another unknown.
    EXPECT_FALSE(template_equals(json::Value::unknown("x"), json::Value::unknown("x")));
}

TEST(ArmLogicFunctions, Errors) {
    run_error_cases({
        {"and", "[true]", "and() expects (bool, bool, ...), got (bool)"},
        {"and", "[true, 1]", "and() expects (bool, bool, ...), got (bool, int)"},
        {"or", R"([false, "true"])", "or() expects"},
        {"not", "[1]", "not() expects (bool), got (int)"},
        {"not", "[]", "not() expects (bool), got ()"},
        {"bool", R"(["yes"])", "bool(): cannot convert the string 'yes' to a boolean"},
        {"bool", "[[]]", "bool() expects (string or int), got (array)"},
        {"true", "[1]", "true() expects (), got (int)"},
        {"equals", "[1]", "equals() expects (any, any), got (int)"},
        {"less", R"([1, "a"])", "less() expects (int, int) or (string, string), got (int, string)"},
        {"greater", "[[1], [2]]", "greater() expects"},
        {"lessOrEquals", "[true, false]", "lessOrEquals() expects"},
        {"greaterOrEquals", "[null, 1]", "greaterOrEquals() expects"},
    });
}

TEST(ArmLogicFunctions, UnknownArguments) {
    run_cases({
        {"and", R"(["$unknown", true])", "unknown"},
        {"and", R"(["$unknown", false])", "false"}, // a known false decides and()
        {"or", R"(["$unknown", true])", "true"},    // a known true decides or()
        {"or", R"(["$unknown", false])", "unknown"},
        {"not", R"(["$unknown"])", "unknown"},
        {"bool", R"(["$unknown"])", "unknown"},
        {"equals", R"(["$unknown", "a"])", "unknown"},
        {"equals", R"([["$unknown", 1], ["x", 2]])", "false"}, // the known parts differ
        {"equals", R"([["$unknown", 1], ["x", 1]])", "unknown"},
        {"equals", R"([["$unknown"], ["x", 1]])", "false"}, // lengths differ
        {"less", R"(["$unknown", 1])", "unknown"},
    });
    // The known argument's kind is still checked.
    EXPECT_FALSE(testing::call("and", R"(["$unknown", 1])").ok());
    EXPECT_FALSE(testing::call("less", R"(["$unknown", [1]])").ok());
}

} // namespace
} // namespace ztnet::load::arm
