#include "ztnet/load/arm/template_run.h"

#include <algorithm>
#include <utility>

#include "ztnet/load/arm/evaluator_ids.h"
#include "ztnet/load/arm/template_instance.h"

namespace ztnet::load::arm {

void Reporter::add(Severity severity, std::string code, std::string message, SourceLocation where) {
    std::string key = code + '\n' + message + '\n' + where.pointer + '\n' + std::to_string(where.file);
    if (!seen_.insert(std::move(key)).second)
        return;
    diagnostics_.add(Diagnostic{severity, std::move(code), std::move(message), std::move(where), {}});
}

void Reporter::error(std::string code, std::string message, SourceLocation where) {
    add(Severity::Error, std::move(code), std::move(message), std::move(where));
}

void Reporter::warning(std::string code, std::string message, SourceLocation where) {
    add(Severity::Warning, std::move(code), std::move(message), std::move(where));
}

void Reporter::unknown_value(const json::Unknown& unknown, std::uint32_t offset, const std::string& pointer) {
    if (unknown.reason == kFailedReason)
        return;
    if (auto it = missing_by_reason_.find(unknown.reason); it != missing_by_reason_.end()) {
        std::vector<std::string>& dependents = missing_[it->second].dependents;
        std::string place = pointer.empty() ? std::string("/") : pointer;
        if (std::find(dependents.begin(), dependents.end(), place) == dependents.end())
            dependents.push_back(std::move(place));
        return;
    }
    warning("arm-unknown-value",
            "value of " + (pointer.empty() ? std::string("/") : pointer) + " is unknown: " + unknown.reason,
            at(offset, pointer));
}

void Reporter::evaluation_error(const EvalError& error, const json::Value& text, const std::string& pointer) {
    if (error.reported)
        return;
    // The string's offset is its opening quote; the expression starts one byte later.
    std::uint32_t offset = text.offset() == kNoOffset ? kNoOffset : text.offset() + 1 + error.offset;
    // A work limit hit once makes everything after it fail the same way: say it once.
    std::string where_pointer = error.code == "arm-evaluation-limit" ? std::string() : pointer;
    this->error(error.code, error.message, at(offset, where_pointer));
}

void Reporter::rejected_by_arm(std::string code, std::string message, SourceLocation where) {
    if (strict_)
        error(std::move(code), std::move(message) + " (--strict)", std::move(where));
    else
        warning(std::move(code), std::move(message) + "; ARM would reject this deployment", std::move(where));
}

void Reporter::missing_parameter(const std::string& reason, const std::string& name, SourceLocation where) {
    if (missing_by_reason_.emplace(reason, missing_.size()).second)
        missing_.push_back({name, std::move(where), {}});
}

void Reporter::finish() {
    constexpr std::size_t kPlacesShown = 6;
    for (MissingParameter& parameter : missing_) {
        std::string message = "parameter '" + parameter.name +
                              "' has no value (no default value, and no parameters file or --param sets "
                              "it): " +
                              (parameter.dependents.empty() ? "nothing the template deploys depends on it"
                                                            : "what depends on it is unknown");
        Diagnostic d{strict_ ? Severity::Error : Severity::Warning,
                     "arm-parameter-missing",
                     std::move(message),
                     parameter.where,
                     {}};
        for (std::size_t i = 0; i < parameter.dependents.size() && i < kPlacesShown; ++i)
            d.notes.push_back("it decides " + parameter.dependents[i]);
        if (parameter.dependents.size() > kPlacesShown)
            d.notes.push_back("and " + std::to_string(parameter.dependents.size() - kPlacesShown) +
                              " more places");
        if (strict_)
            d.notes.push_back("--strict: ARM refuses a deployment that leaves a parameter without a value");
        diagnostics_.add(std::move(d));
    }
    missing_.clear();
    missing_by_reason_.clear();
}

Instance& Registry::add(Instance instance) {
    instances_.push_back(std::move(instance));
    Instance& added = instances_.back();
    if (added.id.is_string())
        by_id_.emplace(lower_ascii(added.id.as_string()), &added);
    return added;
}

Instance* Registry::find_by_id(std::string_view id) {
    auto [first, last] = by_id_.equal_range(lower_ascii(id));
    Instance* found = nullptr;
    for (auto it = first; it != last; ++it) {
        if (it->second->deployed())
            return it->second;
        found = it->second;
    }
    return found;
}

EvalResult Run::evaluate_text(const json::Value& text, Context& context) {
    const std::string& source = text.as_string();
    if (!is_expression(source))
        return json::Value(literal_value(source));
    auto found = parsed_.find(&text);
    if (found == parsed_.end()) {
        std::variant<Node, EvalError> entry;
        if (auto limit = check_expression_limits(source)) {
            entry =
                eval_fail("arm-expression-limit", limit->message, static_cast<std::uint32_t>(limit->offset));
        } else if (auto parsed = parse_expression(source)) {
            entry = std::move(*parsed);
        } else {
            entry = eval_fail("arm-expression-syntax", parsed.error().message,
                              static_cast<std::uint32_t>(parsed.error().offset));
        }
        found = parsed_.emplace(&text, std::move(entry)).first;
    }
    if (const auto* error = std::get_if<EvalError>(&found->second))
        return *error;
    return evaluate(std::get<Node>(found->second), context);
}

TemplateInstance& Run::keep(std::unique_ptr<TemplateInstance> instance) {
    instances_.push_back(std::move(instance));
    return *instances_.back();
}

json::Value key_vault_value(const std::string& parameter, const json::Value& reference) {
    std::string secret;
    if (Member name = find_member_ci(reference, "secretName"); name && name.value->is_string())
        secret = " '" + name.value->as_string() + "'";
    return json::Value::unknown("parameter '" + parameter + "' is the Key Vault secret" + secret +
                                ", read only at deployment");
}

std::string child_pointer(const std::string& pointer, std::string_view key) {
    return pointer + "/" + json::pointer_token(key);
}

std::string child_pointer(const std::string& pointer, std::size_t index) {
    return pointer + "/" + std::to_string(index);
}

Member find_member_ci(const json::Value& object, std::string_view key) {
    if (!object.is_object())
        return {};
    for (const auto& [name, value] : object.as_object())
        if (name == key)
            return {&value, name};
    for (const auto& [name, value] : object.as_object())
        if (equals_ci(name, key))
            return {&value, name};
    return {};
}

} // namespace ztnet::load::arm
