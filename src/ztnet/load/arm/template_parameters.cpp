// Template parameters: where each value comes from (parameters file or nested deployment, --param
// override, default value), and the checks ARM makes on it (type, allowed values, ranges).
#include <charconv>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/arm/evaluator_ids.h"
#include "ztnet/load/arm/functions.h"
#include "ztnet/load/arm/template_instance.h"

namespace ztnet::load::arm {
namespace {

enum class ParameterType { String, SecureString, Int, Bool, Object, SecureObject, Array };

std::optional<ParameterType> parse_type(const json::Value& type) {
    if (!type.is_string())
        return std::nullopt;
    const std::string& name = type.as_string();
    struct Entry {
        std::string_view name;
        ParameterType type;
    };
    static constexpr Entry kTypes[] = {
        {"string", ParameterType::String}, {"securestring", ParameterType::SecureString},
        {"int", ParameterType::Int},       {"bool", ParameterType::Bool},
        {"object", ParameterType::Object}, {"secureobject", ParameterType::SecureObject},
        {"array", ParameterType::Array},
    };
    for (const auto& entry : kTypes)
        if (equals_ci(name, entry.name))
            return entry.type;
    return std::nullopt;
}

bool is_string_type(ParameterType type) {
    return type == ParameterType::String || type == ParameterType::SecureString;
}

bool matches_type(ParameterType type, const json::Value& value) {
    switch (type) {
    case ParameterType::String:
    case ParameterType::SecureString:
        return value.is_string();
    case ParameterType::Int:
        return value.is_integer();
    case ParameterType::Bool:
        return value.is_bool();
    case ParameterType::Object:
    case ParameterType::SecureObject:
        return value.is_object();
    case ParameterType::Array:
        return value.is_array();
    }
    return false;
}

// ARM counts string lengths in UTF-16 code units, as .NET does.
std::int64_t utf16_length(const std::string& text) {
    std::int64_t length = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) == 0x80)
            continue; // continuation byte
        length += c >= 0xF0 ? 2 : 1;
    }
    return length;
}

// The value of the declared type that a value of another type stands for, when there is exactly one:
// a decimal integer written as a string, an integer where a string is declared, "true" or "false" for
// a bool. Nothing otherwise.
std::optional<json::Value> coerce(ParameterType type, const json::Value& value) {
    switch (type) {
    case ParameterType::String:
    case ParameterType::SecureString:
        if (value.is_integer())
            return json::Value(std::to_string(value.as_integer()));
        return std::nullopt;
    case ParameterType::Int:
        if (value.is_string()) {
            const std::string& text = value.as_string();
            std::int64_t n = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
            if (!text.empty() && ec == std::errc() && end == text.data() + text.size())
                return json::Value(n);
        }
        return std::nullopt;
    case ParameterType::Bool:
        if (value.is_string()) {
            if (equals_ci(value.as_string(), "true"))
                return json::Value(true);
            if (equals_ci(value.as_string(), "false"))
                return json::Value(false);
        }
        return std::nullopt;
    case ParameterType::Object:
    case ParameterType::SecureObject:
    case ParameterType::Array:
        return std::nullopt;
    }
    return std::nullopt;
}

std::string value_text(const json::Value& value) {
    return json::write(value, json::WriteOptions{0});
}

// Allowed values compare strings ignoring case (as ARM does), anything else by template equality.
bool is_allowed(const json::Value& value, const json::Array& allowed) {
    for (const auto& candidate : allowed) {
        if (value.is_string() && candidate.is_string()) {
            if (equals_ci(value.as_string(), candidate.as_string()))
                return true;
        } else if (template_equals(value, candidate)) {
            return true;
        }
    }
    return false;
}

std::string allowed_list(const json::Array& allowed) {
    std::string out;
    for (std::size_t i = 0; i < allowed.size(); ++i) {
        if (i == 8) {
            out += ", …";
            break;
        }
        if (i > 0)
            out += ", ";
        out += value_text(allowed[i]);
    }
    return out;
}

// An integer constraint (minValue, maxLength…) of a declaration, if it declares one.
std::optional<std::int64_t> constraint(const json::Value& declaration, std::string_view key) {
    Member member = find_member_ci(declaration, key);
    if (!member || !member.value->is_integer())
        return std::nullopt;
    return member.value->as_integer();
}

// The "type" of a parameter declaration, following a languageVersion 2.0 "$ref" to
// "#/definitions/<name>" (user-defined types) when there is no type of its own.
Member declared_type(const json::Value& root, const json::Value& declaration) {
    const json::Value* current = &declaration;
    for (int hops = 0; hops < 10; ++hops) {
        if (Member type = find_member_ci(*current, "type"))
            return type;
        Member ref = find_member_ci(*current, "$ref");
        constexpr std::string_view kPrefix = "#/definitions/";
        if (!ref || !ref.value->is_string() || !ref.value->as_string().starts_with(kPrefix))
            return {};
        Member definitions = find_member_ci(root, "definitions");
        Member target =
            definitions ? find_member_ci(*definitions.value, ref.value->as_string().substr(kPrefix.size()))
                        : Member{};
        if (!target)
            return {};
        current = target.value;
    }
    return {};
}

bool is_nullable(const json::Value& declaration) {
    Member nullable = find_member_ci(declaration, "nullable");
    return nullable && nullable.value->is_bool() && nullable.value->as_bool();
}

} // namespace

void TemplateInstance::check_inputs() {
    Member declared = find_member_ci(*setup_.root, "parameters");
    auto is_declared = [&](std::string_view name) {
        return declared && declared.value->is_object() &&
               declared.value->as_object().find_ci(name) != nullptr;
    };
    for (const auto& input : setup_.inputs)
        if (!is_declared(input.name))
            reporter().rejected_by_arm("arm-parameter-undeclared",
                                       "a value is given for parameter '" + input.name +
                                           "', which the template does not declare",
                                       input.where);
    for (const auto& [name, text] : setup_.overrides)
        if (!is_declared(name))
            reporter().rejected_by_arm(
                "arm-parameter-undeclared",
                fmt::format("--param {}: the template declares no parameter '{}'", name, name),
                SourceLocation{});
}

void TemplateInstance::resolve_all_parameters() {
    Member declared = find_member_ci(*setup_.root, "parameters");
    if (!declared)
        return;
    if (!declared.value->is_object()) {
        reporter().error(
            "arm-template-shape", "'parameters' must be an object",
            reporter().at(declared.value->offset(), child_pointer(setup_.pointer, declared.key)));
        return;
    }
    for (const auto& [key, declaration] : declared.value->as_object())
        (void)resolve_parameter(key, declaration);
}

EvalResult TemplateInstance::parameter(std::string_view name) {
    if (setup_.outer != nullptr)
        return setup_.outer->parameter(name);
    Member declared = find_member_ci(*setup_.root, "parameters");
    Member declaration = declared ? find_member_ci(*declared.value, name) : Member{};
    if (!declaration)
        return eval_fail("arm-parameter-undeclared",
                         "parameters('" + std::string(name) +
                             "'): the template declares no parameter of that name");
    return resolve_parameter(declaration.key, *declaration.value);
}

EvalResult TemplateInstance::resolve_parameter(const std::string& key, const json::Value& declaration) {
    std::string lower = lower_ascii(key);
    if (auto earlier = settled(parameters_, lower, key, "parameter"))
        return std::move(*earlier);
    parameters_[lower] = Lazy{};
    resolving_.push_back(key);
    SourceLocation where;
    std::optional<json::Value> value = parameter_value(key, declaration, where);
    resolving_.pop_back();
    bool valid = value.has_value();
    if (valid)
        value = checked_parameter(key, declaration, std::move(*value), where);
    // Looked up again: resolving other parameters may have rehashed the map.
    Lazy& state = parameters_[lower];
    state.state = valid ? Lazy::State::Done : Lazy::State::Failed;
    if (!valid) {
        EvalError error = eval_fail("arm-parameter-failed", "parameter '" + key + "' has no valid value");
        error.reported = true;
        return error;
    }
    state.value = std::move(*value);
    return state.value;
}

std::optional<json::Value> TemplateInstance::parameter_value(const std::string& key,
                                                             const json::Value& declaration,
                                                             SourceLocation& where) {
    std::string pointer = child_pointer(child_pointer(setup_.pointer, "parameters"), key);
    Member type = declared_type(*setup_.root, declaration);
    if (!declaration.is_object() || !type || !parse_type(*type.value)) {
        reporter().error("arm-parameter-type",
                         "parameter '" + key +
                             "' needs a type: string, securestring, int, bool, object, secureObject or array",
                         reporter().at(type ? type.value->offset() : declaration.offset(),
                                       type ? child_pointer(pointer, type.key) : pointer));
        return std::nullopt;
    }
    ParameterType parameter_type = *parse_type(*type.value);

    // --param overrides the parameters file, which overrides the default.
    for (auto it = setup_.overrides.rbegin(); it != setup_.overrides.rend(); ++it) {
        if (!equals_ci(it->first, key))
            continue;
        where = SourceLocation{kNoFile, kNoOffset, pointer};
        if (is_string_type(parameter_type))
            return json::Value(it->second);
        auto parsed = json::read(it->second);
        if (!parsed) {
            reporter().error("arm-parameter-override",
                             "--param " + key + "=" + it->second + ": the parameter is " +
                                 type.value->as_string() +
                                 ", so its value is read as JSON: " + parsed.error().message,
                             SourceLocation{});
            return std::nullopt;
        }
        return std::move(*parsed);
    }
    for (const auto& input : setup_.inputs) {
        if (equals_ci(input.name, key)) {
            where = input.where;
            return input.value;
        }
    }
    Member default_value = find_member_ci(declaration, "defaultValue");
    if (!default_value && is_nullable(declaration)) {
        where = reporter().at(declaration.offset(), pointer);
        return json::Value(); // languageVersion 2.0: an optional parameter left out is null
    }
    if (!default_value) {
        // What a repository scan sees: a template without its parameters file. The value is unknown,
        // and so is everything computed from it; the warning names the places that depend on it.
        where = reporter().at(declaration.offset(), pointer);
        std::string reason = "parameter '" + key + "' has no value";
        reporter().missing_parameter(reason, key, where);
        return json::Value::unknown(std::move(reason));
    }
    std::string default_pointer = child_pointer(pointer, default_value.key);
    where = reporter().at(default_value.value->offset(), default_pointer);
    ExpressionContext context(*this, Site::ParameterDefault, {});
    TreeEvaluator evaluator(context, {});
    json::Value value = evaluator.evaluate(*default_value.value, default_pointer);
    if (evaluator.failed())
        return std::nullopt;
    return value;
}

json::Value TemplateInstance::checked_parameter(const std::string& key, const json::Value& declaration,
                                                json::Value value, const SourceLocation& where) {
    if (value.is_unknown() || (value.is_null() && is_nullable(declaration)))
        return value;
    Member type = declared_type(*setup_.root, declaration);
    ParameterType parameter_type = *parse_type(*type.value);
    // A secure parameter's value never reaches a message, whatever is wrong with it.
    const bool secure =
        parameter_type == ParameterType::SecureString || parameter_type == ParameterType::SecureObject;
    auto show = [secure](const json::Value& v) {
        return secure ? std::string("(a secure value, not shown)") : value_text(v);
    };
    if (!matches_type(parameter_type, value)) {
        std::optional<json::Value> converted = coerce(parameter_type, value);
        std::string message = "parameter '" + key + "' is declared " + type.value->as_string() +
                              " but its value is " + std::string(json::to_string(value.kind())) + " " +
                              show(value);
        reporter().rejected_by_arm(
            "arm-parameter-type",
            message + (converted ? ", read as " + show(*converted) : ", so it is taken as unknown"), where);
        if (!converted)
            return json::Value::unknown("parameter '" + key + "' has a value of the wrong type");
        value = std::move(*converted);
    }
    Member allowed = find_member_ci(declaration, "allowedValues");
    if (allowed && allowed.value->is_array()) {
        const auto& list = allowed.value->as_array();
        // For an array parameter the allowed values restrict its elements.
        auto check = [&](const json::Value& item) {
            if (item.contains_unknown() || is_allowed(item, list))
                return;
            reporter().rejected_by_arm("arm-parameter-not-allowed",
                                       "parameter '" + key + "' has the value " + show(item) +
                                           ", which is not one of its allowed values: " + allowed_list(list),
                                       where);
        };
        if (parameter_type == ParameterType::Array)
            for (const auto& item : value.as_array())
                check(item);
        else
            check(value);
    }
    auto range_error = [&](std::string message) {
        reporter().rejected_by_arm("arm-parameter-range", "parameter '" + key + "' " + std::move(message),
                                   where);
    };
    if (parameter_type == ParameterType::Int) {
        std::int64_t n = value.as_integer();
        if (auto min = constraint(declaration, "minValue"); min && n < *min)
            range_error("is " + std::to_string(n) + ", below its minValue " + std::to_string(*min));
        if (auto max = constraint(declaration, "maxValue"); max && n > *max)
            range_error("is " + std::to_string(n) + ", above its maxValue " + std::to_string(*max));
    }
    if (value.is_string() || value.is_array()) {
        std::int64_t length = value.is_string() ? utf16_length(value.as_string())
                                                : static_cast<std::int64_t>(value.as_array().size());
        std::string what = value.is_string() ? " characters" : " elements";
        if (auto min = constraint(declaration, "minLength"); min && length < *min)
            range_error("has " + std::to_string(length) + what + ", fewer than its minLength " +
                        std::to_string(*min));
        if (auto max = constraint(declaration, "maxLength"); max && length > *max)
            range_error("has " + std::to_string(length) + what + ", more than its maxLength " +
                        std::to_string(*max));
    }
    return value;
}

} // namespace ztnet::load::arm
