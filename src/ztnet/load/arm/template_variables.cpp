// Template variables: evaluated once, on first use (with cycle detection), including the
// variable-level "copy" array that declares array variables.
#include <string>

#include "ztnet/load/arm/evaluator_ids.h"
#include "ztnet/load/arm/template_instance.h"

namespace ztnet::load::arm {
namespace {

// The top-level "copy" array of the variables section, if any.
const json::Value* variable_copies(const json::Value& variables, std::string& key) {
    Member copies = find_member_ci(variables, "copy");
    if (!copies || !copies.value->is_array())
        return nullptr;
    key = copies.key;
    return copies.value;
}

} // namespace

void TemplateInstance::resolve_all_variables() {
    Member variables = find_member_ci(*setup_.root, "variables");
    if (!variables)
        return;
    std::string pointer = child_pointer(setup_.pointer, variables.key);
    if (!variables.value->is_object()) {
        reporter().error("arm-template-shape", "'variables' must be an object",
                         reporter().at(variables.value->offset(), pointer));
        return;
    }
    // ARM evaluates every variable, used or not; doing the same reports every error.
    for (const auto& [key, value] : variables.value->as_object()) {
        if (equals_ci(key, "copy") && value.is_array()) {
            for (const auto& entry : value.as_array()) {
                Member name = find_member_ci(entry, "name");
                if (name && name.value->is_string())
                    (void)variable(name.value->as_string());
                else
                    reporter().error("arm-copy-shape", "a variable copy entry needs a string 'name'",
                                     reporter().at(entry.offset(), child_pointer(pointer, key)));
            }
            continue;
        }
        (void)resolve_variable(key, value, child_pointer(pointer, key), false);
    }
}

EvalResult TemplateInstance::variable(std::string_view name) {
    if (setup_.outer != nullptr)
        return setup_.outer->variable(name);
    Member variables = find_member_ci(*setup_.root, "variables");
    if (variables && variables.value->is_object()) {
        std::string pointer = child_pointer(setup_.pointer, variables.key);
        for (const auto& [key, value] : variables.value->as_object())
            if (!(equals_ci(key, "copy") && value.is_array()) && equals_ci(key, name))
                return resolve_variable(key, value, child_pointer(pointer, key), false);
        std::string copies_key;
        if (const json::Value* copies = variable_copies(*variables.value, copies_key)) {
            const auto& entries = copies->as_array();
            for (std::size_t i = 0; i < entries.size(); ++i) {
                Member entry_name = find_member_ci(entries[i], "name");
                if (entry_name && entry_name.value->is_string() &&
                    equals_ci(entry_name.value->as_string(), name))
                    return resolve_variable(entry_name.value->as_string(), entries[i],
                                            child_pointer(child_pointer(pointer, copies_key), i), true);
            }
        }
    }
    return eval_fail("arm-variable-undeclared", "variables('" + std::string(name) +
                                                    "'): the template declares no variable of that name");
}

std::optional<EvalResult> TemplateInstance::settled(const std::unordered_map<std::string, Lazy>& table,
                                                    const std::string& lower, const std::string& key,
                                                    std::string_view what) const {
    auto found = table.find(lower);
    if (found == table.end())
        return std::nullopt;
    const std::string name = std::string(what) + " '" + key + "'";
    switch (found->second.state) {
    case Lazy::State::Done:
        return EvalResult(found->second.value);
    case Lazy::State::Failed: {
        EvalError error = eval_fail("arm-" + std::string(what) + "-failed", name + " has no valid value");
        error.reported = true; // already reported where it failed
        return EvalResult(std::move(error));
    }
    case Lazy::State::Resolving: {
        std::string chain;
        for (const auto& step : resolving_)
            chain += step + " → ";
        return EvalResult(
            eval_fail("arm-" + std::string(what) + "-cycle", name + " depends on itself: " + chain + key));
    }
    }
    return std::nullopt;
}

// `value` is the variable's declaration, or (`copy_entry`) its entry in the variables' "copy" array.
EvalResult TemplateInstance::resolve_variable(const std::string& key, const json::Value& value,
                                              const std::string& pointer, bool copy_entry) {
    std::string lower = lower_ascii(key);
    if (auto earlier = settled(variables_, lower, key, "variable"))
        return std::move(*earlier);
    variables_[lower] = Lazy{};
    resolving_.push_back(key);
    EvalResult result =
        copy_entry ? resolve_variable_copy(value, pointer) : evaluate_variable(key, value, pointer);
    resolving_.pop_back();
    Lazy& state = variables_[lower];
    state.state = result ? Lazy::State::Done : Lazy::State::Failed;
    if (result)
        state.value = result.value();
    return result;
}

EvalResult TemplateInstance::evaluate_variable(const std::string& key, const json::Value& value,
                                               const std::string& pointer) {
    ExpressionContext context(*this, Site::Variable, {});
    TreeEvaluator evaluator(context, {.warn_unknown = false, .property_copy = true});
    json::Value evaluated = evaluator.evaluate(value, pointer);
    if (evaluator.failed()) {
        EvalError error = eval_fail("arm-variable-failed", "variable '" + key + "' failed to evaluate");
        error.reported = true;
        return error;
    }
    return evaluated;
}

// {"name": "x", "count": n, "input": …} in the variables' "copy" array: the variable x is the array
// of n evaluated inputs.
EvalResult TemplateInstance::resolve_variable_copy(const json::Value& copy, const std::string& pointer) {
    Member name = find_member_ci(copy, "name");
    Member input = find_member_ci(copy, "input");
    EvalError failed = eval_fail("arm-variable-failed", "the copy variable failed to evaluate");
    failed.reported = true;
    if (!input) {
        reporter().error("arm-copy-shape", "a variable copy entry needs an 'input'",
                         reporter().at(copy.offset(), pointer));
        return failed;
    }
    ExpressionContext context(*this, Site::Variable, {});
    auto [count, error, unknown] = copy_count(copy, pointer, context);
    if (!count)
        return error ? EvalResult(failed)
                     : EvalResult(json::Value::unknown("the copy count of variable '" +
                                                       name.value->as_string() + "': " + unknown));
    TreeEvaluator evaluator(context, {.warn_unknown = false, .property_copy = true});
    json::Array items;
    std::string input_pointer = child_pointer(pointer, input.key);
    for (std::int64_t i = 0; i < *count; ++i) {
        context.frames().push_back(CopyFrame{name.value->as_string(), i, false});
        items.push_back(evaluator.evaluate(*input.value, input_pointer));
        context.frames().pop_back();
    }
    if (evaluator.failed())
        return failed;
    return json::Value(std::move(items));
}

} // namespace ztnet::load::arm
