// Template parameters: where each value comes from (parameters file or nested deployment, --param
// override, default value), and the checks ARM makes on it (type, allowed values, ranges).
#include <optional>
#include <string>

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

std::string show(const json::Value& value) {
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
        out += show(allowed[i]);
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
            reporter().error("arm-parameter-undeclared",
                             "a value is given for parameter '" + input.name +
                                 "', which the template does not declare",
                             input.where);
    for (const auto& [name, text] : setup_.overrides)
        if (!is_declared(name))
            reporter().error("arm-parameter-undeclared",
                             "--param " + name + ": the template declares no parameter '" + name + "'",
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
    bool valid = value.has_value() && validate_parameter(key, declaration, *value, where);
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
        reporter().error(
            "arm-parameter-missing",
            "parameter '" + key +
                "' has no value: the template gives no default; set it in the parameters file or with "
                "--param " +
                key + "=…",
            reporter().at(declaration.offset(), pointer));
        return std::nullopt;
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

bool TemplateInstance::validate_parameter(const std::string& key, const json::Value& declaration,
                                          const json::Value& value, const SourceLocation& where) {
    if (value.is_unknown() || (value.is_null() && is_nullable(declaration)))
        return true;
    Member type = declared_type(*setup_.root, declaration);
    ParameterType parameter_type = *parse_type(*type.value);
    if (!matches_type(parameter_type, value)) {
        reporter().error("arm-parameter-type",
                         "parameter '" + key + "' is declared " + type.value->as_string() +
                             " but its value is " + std::string(json::to_string(value.kind())) + " " +
                             show(value),
                         where);
        return false;
    }
    bool valid = true;
    Member allowed = find_member_ci(declaration, "allowedValues");
    if (allowed && allowed.value->is_array()) {
        const auto& list = allowed.value->as_array();
        // For an array parameter the allowed values restrict its elements.
        auto check = [&](const json::Value& item) {
            if (item.contains_unknown() || is_allowed(item, list))
                return;
            reporter().error("arm-parameter-not-allowed",
                             "parameter '" + key + "' has the value " + show(item) +
                                 ", which is not one of its allowed values: " + allowed_list(list),
                             where);
            valid = false;
        };
        if (parameter_type == ParameterType::Array)
            for (const auto& item : value.as_array())
                check(item);
        else
            check(value);
    }
    auto range_error = [&](std::string message) {
        reporter().error("arm-parameter-range", "parameter '" + key + "' " + std::move(message), where);
        valid = false;
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
    return valid;
}

} // namespace ztnet::load::arm
