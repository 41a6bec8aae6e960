// Shared by the test_functions_*.cpp files: call ARM functions by name with arguments written as a
// JSON array, where the string "$unknown" stands for an Unknown value (anywhere in the tree).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/json/reader.h"
#include "ztnet/json/value.h"
#include "ztnet/load/arm/functions.h"
#include "ztnet/load/arm/functions_common.h"

namespace ztnet::load::arm::testing {

inline json::Value with_unknowns(json::Value value) {
    if (value.is_string() && value.as_string() == "$unknown")
        return json::Value::unknown("test");
    if (value.is_array()) {
        for (json::Value& element : value.as_array())
            element = with_unknowns(std::move(element));
    } else if (value.is_object()) {
        for (auto& member : value.as_object())
            member.second = with_unknowns(std::move(member.second));
    }
    return value;
}

/// Parses JSON text (the test's own data, so failure is a test bug).
inline json::Value parse(std::string_view text) {
    Result<json::Value> parsed = json::read(text);
    EXPECT_TRUE(parsed.ok()) << "bad test JSON: " << text << ": "
                             << (parsed.ok() ? "" : parsed.error().message);
    return parsed.ok() ? with_unknowns(std::move(parsed).value()) : json::Value();
}

/// Calls `name` with the elements of the JSON array `arguments`.
inline Result<json::Value> call(std::string_view name, std::string_view arguments) {
    PureFunction function = find_pure_function(name);
    EXPECT_NE(function, nullptr) << name << " is not registered";
    if (function == nullptr)
        return fail("not registered");
    json::Value args = parse(arguments);
    std::vector<json::Value> list = args.is_array() ? args.as_array() : std::vector<json::Value>{};
    return function(list);
}

/// The compact JSON of a result, or "error: message", or "unknown" — one string that a table can hold.
inline std::string outcome(const Result<json::Value>& result) {
    if (!result.ok())
        return "error: " + result.error().message;
    if (result->contains_unknown())
        return result->is_unknown() ? "unknown" : "contains unknown: " + detail::compact_json(*result);
    return detail::compact_json(*result);
}

/// A table row: function, arguments as a JSON array, expected outcome (compact JSON of the result).
struct Case {
    std::string_view function;
    std::string_view arguments;
    std::string_view expected;
};

inline void run_cases(std::initializer_list<Case> cases) {
    for (const Case& c : cases) {
        EXPECT_EQ(outcome(call(c.function, c.arguments)), c.expected) << c.function << c.arguments;
    }
}

/// A table row that must fail with a message containing `message`.
struct ErrorCase {
    std::string_view function;
    std::string_view arguments;
    std::string_view message;
};

inline void run_error_cases(std::initializer_list<ErrorCase> cases) {
    for (const ErrorCase& c : cases) {
        const Result<json::Value> result = call(c.function, c.arguments);
        ASSERT_FALSE(result.ok()) << c.function << c.arguments << " gave " << outcome(result);
        EXPECT_NE(result.error().message.find(c.message), std::string::npos)
            << c.function << c.arguments << ": " << result.error().message;
    }
}

} // namespace ztnet::load::arm::testing
