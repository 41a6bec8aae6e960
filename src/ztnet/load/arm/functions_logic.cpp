// Logical functions (and, or, not, bool, true, false) and comparison functions (equals, less,
// lessOrEquals, greater, greaterOrEquals), with ARM's documented argument types.
#include <string>

#include "ztnet/load/arm/functions_common.h"

namespace ztnet::load::arm::detail {

namespace {

// and()/or() in three values: a known false (true) decides and() (or()) whatever the unknowns are.
Result<json::Value> logical_fold(std::string_view name, Arguments arguments, bool deciding) {
    if (auto error = check_signature(name, "(bool, bool, ...)", arguments, 2, SIZE_MAX, {}, kBool))
        return *error;
    bool unknown = false;
    for (const json::Value& argument : arguments) {
        if (argument.is_unknown())
            unknown = true;
        else if (argument.as_bool() == deciding)
            return value_result(deciding);
    }
    if (unknown)
        return unknown_result(name);
    return value_result(!deciding);
}

Result<json::Value> fn_and(Arguments arguments) {
    return logical_fold("and", arguments, false);
}
Result<json::Value> fn_or(Arguments arguments) {
    return logical_fold("or", arguments, true);
}

Result<json::Value> fn_not(Arguments arguments) {
    if (auto error = check_signature("not", "(bool)", arguments, 1, 1, {kBool}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("not");
    return value_result(!arguments[0].as_bool());
}

// bool(): a boolean, "true"/"false" in any case, or an integer (zero is false).
Result<json::Value> fn_bool(Arguments arguments) {
    if (auto error = check_signature("bool", "(string or int)", arguments, 1, 1, {kBool | kString | kInt}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("bool");
    const json::Value& value = arguments[0];
    if (value.is_bool())
        return value_result(value.as_bool());
    if (value.is_integer())
        return value_result(value.as_integer() != 0);
    const std::u16string folded = to_lower_invariant(to_utf16(value.as_string()));
    if (folded == u"true")
        return value_result(true);
    if (folded == u"false")
        return value_result(false);
    return function_error("bool", "cannot convert the string '" + value.as_string() + "' to a boolean");
}

Result<json::Value> fn_true(Arguments arguments) {
    if (auto error = check_signature("true", "()", arguments, 0, 0, {}))
        return *error;
    return value_result(true);
}

Result<json::Value> fn_false(Arguments arguments) {
    if (auto error = check_signature("false", "()", arguments, 0, 0, {}))
        return *error;
    return value_result(false);
}

Result<json::Value> fn_equals(Arguments arguments) {
    if (auto error = check_signature("equals", "(any, any)", arguments, 2, 2, {kAny, kAny}))
        return *error;
    switch (equals3(arguments[0], arguments[1])) {
    case Tri::True:
        return value_result(true);
    case Tri::False:
        return value_result(false);
    case Tri::Unknown:
        break;
    }
    return unknown_result("equals");
}

enum class Relation { Less, LessOrEquals, Greater, GreaterOrEquals };

// Compares two numbers exactly: integers as integers, anything involving a double as doubles.
int compare_numbers(const json::Value& a, const json::Value& b) {
    if (a.is_integer() && b.is_integer()) {
        if (a.as_integer() == b.as_integer())
            return 0;
        return a.as_integer() < b.as_integer() ? -1 : 1;
    }
    const double x = a.as_double();
    const double y = b.as_double();
    if (x == y)
        return 0;
    return x < y ? -1 : 1;
}

Result<json::Value> compare(std::string_view name, Arguments arguments, Relation relation) {
    constexpr std::string_view kExpected = "(int, int) or (string, string)";
    if (auto error = check_signature(name, kExpected, arguments, 2, 2,
                                     {kInt | kFloat | kString, kInt | kFloat | kString}))
        return *error;
    const json::Value& a = arguments[0];
    const json::Value& b = arguments[1];
    if (!a.is_unknown() && !b.is_unknown() && a.is_string() != b.is_string())
        return signature_error(name, kExpected, arguments);
    if (any_unknown(arguments))
        return unknown_result(name);
    const int order = a.is_string() ? compare_strings(a.as_string(), b.as_string()) : compare_numbers(a, b);
    switch (relation) {
    case Relation::Less:
        return value_result(order < 0);
    case Relation::LessOrEquals:
        return value_result(order <= 0);
    case Relation::Greater:
        return value_result(order > 0);
    case Relation::GreaterOrEquals:
        return value_result(order >= 0);
    }
    return value_result(false);
}

Result<json::Value> fn_less(Arguments arguments) {
    return compare("less", arguments, Relation::Less);
}
Result<json::Value> fn_less_or_equals(Arguments arguments) {
    return compare("lessOrEquals", arguments, Relation::LessOrEquals);
}
Result<json::Value> fn_greater(Arguments arguments) {
    return compare("greater", arguments, Relation::Greater);
}
Result<json::Value> fn_greater_or_equals(Arguments arguments) {
    return compare("greaterOrEquals", arguments, Relation::GreaterOrEquals);
}

constexpr FunctionEntry kLogicFunctions[] = {
    {"and", fn_and},
    {"or", fn_or},
    {"not", fn_not},
    {"bool", fn_bool},
    {"true", fn_true},
    {"false", fn_false},
    {"equals", fn_equals},
    {"less", fn_less},
    {"lessOrEquals", fn_less_or_equals},
    {"greater", fn_greater},
    {"greaterOrEquals", fn_greater_or_equals},
};

} // namespace

std::span<const FunctionEntry> logic_functions() {
    return kLogicFunctions;
}

} // namespace ztnet::load::arm::detail
