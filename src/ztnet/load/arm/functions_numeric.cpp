// Numeric functions: int, float, add, sub, mul, div, mod, min, max, range. ARM integers are 64-bit;
// overflow and division by zero are errors, never undefined behaviour.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <system_error>

#include "ztnet/load/arm/functions_common.h"

namespace ztnet::load::arm::detail {

namespace {

constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();

// White space trimmed as .NET does (Unicode white space, not only ASCII).
std::string trim_white_space(std::string_view text) {
    const std::u16string wide = to_utf16(text);
    std::size_t begin = 0;
    std::size_t end = wide.size();
    while (begin < end && is_white_space(wide[begin]))
        ++begin;
    while (end > begin && is_white_space(wide[end - 1]))
        --end;
    return to_utf8(std::u16string_view(wide).substr(begin, end - begin));
}

// As .NET's Int64.Parse with NumberStyles.Integer: surrounding white space and a leading sign.
std::optional<std::int64_t> parse_integer(std::string_view input) {
    const std::string trimmed = trim_white_space(input);
    std::string_view text = trimmed;
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    if (text.empty() || (text.front() == '-' && text.size() == 1))
        return std::nullopt;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

Result<json::Value> fn_int(Arguments arguments) {
    if (auto error = check_signature("int", "(string or int)", arguments, 1, 1, {kString | kInt | kFloat}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("int");
    const json::Value& value = arguments[0];
    if (value.is_integer())
        return value_result(value.as_integer());
    if (value.is_string()) {
        if (auto parsed = parse_integer(value.as_string()))
            return value_result(*parsed);
        return function_error("int", "the string '" + value.as_string() + "' is not a 64-bit integer");
    }
    const double d = value.as_double();
    if (std::isfinite(d) && d == std::trunc(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        return value_result(static_cast<std::int64_t>(d));
    return function_error("int", "the number " + format_double(d) + " is not a 64-bit integer");
}

Result<json::Value> fn_float(Arguments arguments) {
    if (auto error = check_signature("float", "(string or int)", arguments, 1, 1, {kString | kInt | kFloat}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("float");
    const json::Value& value = arguments[0];
    if (value.is_number())
        return value_result(value.as_double());
    const std::string trimmed = trim_white_space(value.as_string());
    std::string_view text = trimmed;
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    double parsed = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(parsed))
        return function_error("float", "the string '" + value.as_string() + "' is not a number");
    return value_result(parsed);
}

enum class Operation { Add, Sub, Mul, Div, Mod };

Result<json::Value> arithmetic(std::string_view name, Arguments arguments, Operation operation) {
    if (auto error = check_signature(name, "(int, int)", arguments, 2, 2, {kInt, kInt}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result(name);
    const std::int64_t a = arguments[0].as_integer();
    const std::int64_t b = arguments[1].as_integer();
    std::int64_t result = 0;
    bool overflow = false;
    switch (operation) {
    case Operation::Add:
        overflow = __builtin_add_overflow(a, b, &result);
        break;
    case Operation::Sub:
        overflow = __builtin_sub_overflow(a, b, &result);
        break;
    case Operation::Mul:
        overflow = __builtin_mul_overflow(a, b, &result);
        break;
    case Operation::Div:
        if (b == 0)
            return function_error(name, "division by zero");
        if (a == kInt64Min && b == -1)
            overflow = true;
        else
            result = a / b; // truncates toward zero, as C# does
        break;
    case Operation::Mod:
        if (b == 0)
            return function_error(name, "division by zero");
        result = (b == -1) ? 0 : a % b; // the sign follows the dividend, as C# does
        break;
    }
    if (overflow)
        return function_error(name, "the result overflows a 64-bit integer");
    return value_result(result);
}

Result<json::Value> fn_add(Arguments arguments) {
    return arithmetic("add", arguments, Operation::Add);
}
Result<json::Value> fn_sub(Arguments arguments) {
    return arithmetic("sub", arguments, Operation::Sub);
}
Result<json::Value> fn_mul(Arguments arguments) {
    return arithmetic("mul", arguments, Operation::Mul);
}
Result<json::Value> fn_div(Arguments arguments) {
    return arithmetic("div", arguments, Operation::Div);
}
Result<json::Value> fn_mod(Arguments arguments) {
    return arithmetic("mod", arguments, Operation::Mod);
}

// min()/max(): one array of integers, or integers as separate arguments.
Result<json::Value> extreme(std::string_view name, Arguments arguments, bool want_max) {
    constexpr std::string_view kExpected = "(array of int) or (int, ...)";
    if (arguments.empty())
        return signature_error(name, kExpected, arguments);
    Arguments values = arguments;
    if (arguments.size() == 1 && arguments[0].is_array())
        values = arguments[0].as_array();
    else if (auto error = check_signature(name, kExpected, arguments, 1, SIZE_MAX, {}, kInt))
        return *error;
    if (values.empty())
        return function_error(name, "the array is empty");
    for (const json::Value& value : values) {
        if (!value.is_integer() && !value.is_unknown())
            return function_error(name, "expects integers, got " + std::string(kind_name(value)));
    }
    if (any_unknown(values))
        return unknown_result(name);
    std::int64_t best = values[0].as_integer();
    for (const json::Value& value : values) {
        const std::int64_t v = value.as_integer();
        if (want_max ? v > best : v < best)
            best = v;
    }
    return value_result(best);
}

Result<json::Value> fn_min(Arguments arguments) {
    return extreme("min", arguments, false);
}
Result<json::Value> fn_max(Arguments arguments) {
    return extreme("max", arguments, true);
}

// range(startIndex, count): count at most 10000, startIndex + count at most 2147483647 (documented).
Result<json::Value> fn_range(Arguments arguments) {
    if (auto error = check_signature("range", "(int, int)", arguments, 2, 2, {kInt, kInt}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("range");
    const std::int64_t start = arguments[0].as_integer();
    const std::int64_t count = arguments[1].as_integer();
    if (count < 0 || count > 10000)
        return function_error("range", "the count must be between 0 and 10000, got " + std::to_string(count));
    if (start < std::numeric_limits<std::int32_t>::min() ||
        start > std::int64_t{std::numeric_limits<std::int32_t>::max()} - count)
        return function_error("range", "startIndex and startIndex + count must lie within 32-bit integers");
    json::Array out;
    out.reserve(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i)
        out.emplace_back(start + i);
    return value_result(std::move(out));
}

constexpr FunctionEntry kNumericFunctions[] = {
    {"int", fn_int}, {"float", fn_float}, {"add", fn_add}, {"sub", fn_sub}, {"mul", fn_mul},
    {"div", fn_div}, {"mod", fn_mod},     {"min", fn_min}, {"max", fn_max}, {"range", fn_range},
};

} // namespace

std::span<const FunctionEntry> numeric_functions() {
    return kNumericFunctions;
}

} // namespace ztnet::load::arm::detail
