// Numeric functions. The "documented" tests are the worked examples of Microsoft's "Numeric
// functions for ARM templates" reference (and range() from the array functions page).
#include "test_functions_helpers.h"

namespace ztnet::load::arm {
namespace {

using testing::Case;
using testing::ErrorCase;
using testing::run_cases;
using testing::run_error_cases;

TEST(ArmNumericFunctions, DocumentedExamples) {
    run_cases({
        {"add", "[5, 3]", "8"},
        {"sub", "[7, 3]", "4"},
        {"mul", "[5, 3]", "15"},
        {"div", "[8, 3]", "2"},
        {"mod", "[7, 3]", "1"},
        {"int", R"(["4"])", "4"},
        {"float", R"(["3.0"])", "3.0"},
        {"float", "[3]", "3.0"},
        {"max", "[[0, 3, 2, 5, 4]]", "5"},
        {"max", "[0, 3, 2, 5, 4]", "5"},
        {"min", "[[0, 3, 2, 5, 4]]", "0"},
        {"min", "[0, 3, 2, 5, 4]", "0"},
        {"range", "[5, 3]", "[5,6,7]"},
    });
}

TEST(ArmNumericFunctions, NormalUse) {
    run_cases({
        {"add", "[-5, 3]", "-2"},
        {"sub", "[-9223372036854775807, 1]", "-9223372036854775808"},
        {"mul", "[-4, 3]", "-12"},
        {"div", "[-7, 2]", "-3"}, // truncates toward zero
        {"div", "[7, -2]", "-3"},
        {"mod", "[-7, 3]", "-1"}, // the sign follows the dividend
        {"mod", "[7, -3]", "1"},
        {"mod", "[-9223372036854775808, -1]", "0"},
        {"int", R"(["  -42 "])", "-42"},
        {"int", R"(["\u00a07\u3000"])", "7"},
        {"int", R"(["+7"])", "7"},
        {"int", "[12]", "12"},
        {"int", "[12.0]", "12"},
        {"int", R"(["9223372036854775807"])", "9223372036854775807"},
        {"float", R"(["-2.5"])", "-2.5"},
        {"min", "[[7]]", "7"},
        {"max", "[-1, -9223372036854775808]", "-1"},
        {"range", "[0, 0]", "[]"},
        {"range", "[-2, 3]", "[-2,-1,0]"},
        {"range", "[2147483646, 1]", "[2147483646]"},
    });
    const Result<json::Value> big = testing::call("range", "[0, 10000]");
    ASSERT_TRUE(big.ok());
    EXPECT_EQ(big->as_array().size(), 10000u);
}

TEST(ArmNumericFunctions, Errors) {
    run_error_cases({
        {"add", "[1]", "add() expects (int, int), got (int)"},
        {"add", R"([1, "2"])", "add() expects (int, int), got (int, string)"},
        {"add", "[9223372036854775807, 1]", "add(): the result overflows a 64-bit integer"},
        {"sub", "[-9223372036854775808, 1]", "overflows"},
        {"mul", "[4611686018427387904, 2]", "overflows"},
        {"mul", "[1.5, 2]", "mul() expects (int, int), got (float, int)"},
        {"div", "[1, 0]", "div(): division by zero"},
        {"div", "[-9223372036854775808, -1]", "overflows"},
        {"mod", "[1, 0]", "mod(): division by zero"},
        {"int", R"(["4.5"])", "int(): the string '4.5' is not a 64-bit integer"},
        {"int", R"(["9223372036854775808"])", "is not a 64-bit integer"},
        {"int", R"([""])", "is not a 64-bit integer"},
        {"int", R"(["5\u00c5"])", "int(): the string '5\u00c5' is not a 64-bit integer"},
        {"int", "[4.5]", "int(): the number 4.5 is not a 64-bit integer"},
        {"int", "[true]", "int() expects (string or int), got (bool)"},
        {"float", R"(["abc"])", "float(): the string 'abc' is not a number"},
        {"float", "[[]]", "float() expects (string or int), got (array)"},
        {"min", "[]", "min() expects (array of int) or (int, ...), got ()"},
        {"min", "[[]]", "min(): the array is empty"},
        {"max", R"([["1"]])", "max(): expects integers, got string"},
        {"max", "[1, [2]]", "max() expects"},
        {"range", "[0, -1]", "range(): the count must be between 0 and 10000, got -1"},
        {"range", "[0, 10001]", "the count must be between 0 and 10000"},
        {"range", "[2147483647, 1]", "must lie within 32-bit integers"},
        {"range", "[-2147483649, 1]", "must lie within 32-bit integers"},
        {"range", "[9223372036854775807, 52]", "must lie within 32-bit integers"},
    });
}

TEST(ArmNumericFunctions, UnknownArguments) {
    run_cases({
        {"add", R"(["$unknown", 1])", "unknown"},
        {"div", R"([1, "$unknown"])", "unknown"},
        {"int", R"(["$unknown"])", "unknown"},
        {"min", R"([[1, "$unknown"]])", "unknown"},
        {"max", R"(["$unknown"])", "unknown"},
        {"range", R"([0, "$unknown"])", "unknown"},
    });
    EXPECT_FALSE(testing::call("add", R"(["$unknown", "1"])").ok());
}

} // namespace
} // namespace ztnet::load::arm
