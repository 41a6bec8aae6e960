// TemplateInstance's life cycle, the Context of its expressions, and the JSON subtree walker with
// its copy loops (property and variable iteration).
#include "ztnet/load/arm/template_instance.h"

#include <utility>

#include "ztnet/load/arm/evaluator_ids.h"

namespace ztnet::load::arm {

// ---- TemplateInstance -----------------------------------------------------------------------------

TemplateInstance::TemplateInstance(Run& run, TemplateSetup setup) : run_(run), setup_(std::move(setup)) {}

void TemplateInstance::run(std::vector<RawResource>& out) {
    if (setup_.outer == nullptr) {
        check_inputs();
        resolve_all_parameters();
        resolve_all_variables();
    } else {
        // With outer scope ARM evaluates the nested template's expressions in the parent template:
        // parameters() and variables() there are the parent's, so the nested ones have no effect.
        for (std::string_view section : {"parameters", "variables"}) {
            Member member = find_member_ci(*setup_.root, section);
            if (member && member.value->is_object() && !member.value->as_object().empty())
                reporter().warning(
                    "arm-nested-outer-scope",
                    "the nested template's " + std::string(section) +
                        " are ignored: with outer scope (the default) its expressions see the "
                        "parent template's; set expressionEvaluationOptions.scope to 'inner' to use them",
                    reporter().at(member.value->offset(), child_pointer(setup_.pointer, member.key)));
        }
    }
    declare_resources();
    emit_resources(out);
}

TemplateInstance::CopyCount TemplateInstance::copy_count(const json::Value& copy, const std::string& pointer,
                                                         ExpressionContext& context) {
    Member count = find_member_ci(copy, "count");
    if (!count) {
        reporter().error("arm-copy-count", "a copy loop needs a count",
                         reporter().at(copy.offset(), pointer));
        return {std::nullopt, true, {}};
    }
    std::string count_pointer = child_pointer(pointer, count.key);
    // reference() and list*() can't decide a count: it is needed before any resource is deployed.
    Site site = context.site() == Site::ResourceProperties ? Site::ResourceHeader : context.site();
    ExpressionContext count_context(*this, site, context.frames());
    TreeEvaluator evaluator(count_context, {});
    json::Value value = evaluator.evaluate(*count.value, count_pointer);
    if (evaluator.failed())
        return {std::nullopt, true, {}};
    auto where = reporter().at(count.value->offset(), count_pointer);
    if (const json::Unknown* unknown = first_unknown(value)) {
        reporter().warning("arm-unknown-value",
                           "value of " + count_pointer + " is unknown: " + unknown->reason +
                               "; the copy loop's elements are left out",
                           where);
        return {std::nullopt, false, "its copy count is unknown: " + unknown->reason};
    }
    if (!value.is_integer()) {
        reporter().error("arm-copy-count",
                         "a copy count must be an integer, got " + std::string(json::to_string(value.kind())),
                         where);
        return {std::nullopt, true, {}};
    }
    std::int64_t n = value.as_integer();
    if (n < 0 || n > kMaxCopyCount) {
        reporter().error("arm-copy-count",
                         "copy count " + std::to_string(n) + " is outside ARM's limits (0 to " +
                             std::to_string(kMaxCopyCount) + ")",
                         where);
        return {std::nullopt, true, {}};
    }
    return {n, false, {}};
}

// ---- ExpressionContext ------------------------------------------------------------------------------

ExpressionContext::ExpressionContext(TemplateInstance& instance, Site site, CopyFrames frames,
                                     const Instance* resource)
    : instance_(instance), site_(site), frames_(std::move(frames)), resource_(resource) {}

EvalResult ExpressionContext::parameter(std::string_view name) {
    if (function_arguments_ == nullptr)
        return instance_.parameter(name);
    for (const auto& [key, value] : *function_arguments_)
        if (equals_ci(key, name))
            return value;
    return eval_fail("arm-parameter-undeclared",
                     "parameters('" + std::string(name) +
                         "'): the user-defined function has no parameter of that name");
}

EvalResult ExpressionContext::variable(std::string_view name) {
    if (function_arguments_ != nullptr)
        return eval_fail("arm-function-not-allowed", "variables('" + std::string(name) +
                                                         "'): user-defined functions can't use variables");
    return instance_.variable(name);
}

EvalResult ExpressionContext::copy_index(std::string_view loop) {
    if (function_arguments_ != nullptr)
        return eval_fail("arm-function-not-allowed", "user-defined functions can't use copyIndex()");
    CopyFrames all = instance_.outer_frames();
    all.insert(all.end(), frames_.begin(), frames_.end());
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        bool match = loop.empty() ? it->resource_loop : equals_ci(it->name, loop);
        if (match)
            return json::Value(it->index);
    }
    if (!loop.empty())
        return eval_fail("arm-copy-index",
                         "copyIndex('" + std::string(loop) + "'): no enclosing copy loop has that name");
    if (!all.empty())
        return eval_fail(
            "arm-copy-index",
            "copyIndex() without a loop name refers to a resource's copy loop; inside a property or "
            "variable copy loop, name it: copyIndex('" +
                all.back().name + "')");
    return eval_fail("arm-copy-index", "copyIndex() can only be used inside a copy loop");
}

EvalResult ExpressionContext::user_function(std::string_view name_space, std::string_view name,
                                            Arguments arguments) {
    if (function_arguments_ != nullptr)
        return eval_fail("arm-function-not-allowed",
                         std::string(name_space) + "." + std::string(name) +
                             "(): a user-defined function can't call another user-defined function");
    return instance_.user_function(name_space, name, arguments);
}

ReferenceLookup ExpressionContext::reference(std::string_view target) {
    return instance_.reference(target, resource_);
}

const ScopeInfo& ExpressionContext::scope() const {
    return instance_.expression_scope();
}

Budget& ExpressionContext::budget() {
    return instance_.run_state().budget();
}

// ---- TreeEvaluator ------------------------------------------------------------------------------------

json::Value TreeEvaluator::evaluate(const json::Value& node, const std::string& pointer) {
    Run& run = context_.instance().run_state();
    if (!run.budget().spend(1)) {
        failed_ = true;
        run.reporter().evaluation_error(
            eval_fail("arm-evaluation-limit",
                      "evaluation exceeded ztnet's work limit; the template expands to "
                      "far more than deployments use"),
            node, pointer);
        return json::Value::unknown(std::string(kFailedReason));
    }
    switch (node.kind()) {
    case json::Kind::String:
        return evaluate_string(node, pointer);
    case json::Kind::Array: {
        json::Array out;
        const auto& items = node.as_array();
        out.reserve(items.size());
        for (std::size_t i = 0; i < items.size(); ++i)
            out.push_back(evaluate(items[i], child_pointer(pointer, i)));
        json::Value value(std::move(out));
        value.set_offset(node.offset());
        return value;
    }
    case json::Kind::Object:
        return evaluate_object(node, pointer);
    default:
        return node;
    }
}

json::Value TreeEvaluator::evaluate_string(const json::Value& text, const std::string& pointer) {
    Run& run = context_.instance().run_state();
    auto result = run.evaluate_text(text, context_);
    if (!result) {
        run.reporter().evaluation_error(result.error(), text, pointer);
        failed_ = true;
        return json::Value::unknown(std::string(kFailedReason));
    }
    json::Value value = std::move(result).value();
    if (value.offset() == kNoOffset)
        value.set_offset(text.offset());
    if (options_.warn_unknown)
        if (const json::Unknown* unknown = first_unknown(value))
            run.reporter().unknown_value(*unknown, text.offset(), pointer);
    return value;
}

json::Value TreeEvaluator::evaluate_object(const json::Value& node, const std::string& pointer) {
    json::Object out;
    for (const auto& [key, value] : node.as_object()) {
        if (options_.property_copy && equals_ci(key, "copy") && value.is_array()) {
            expand_property_copy(value, child_pointer(pointer, key), out);
            continue;
        }
        out.set(key, evaluate(value, child_pointer(pointer, key)));
    }
    json::Value value(std::move(out));
    value.set_offset(node.offset());
    return value;
}

// "copy": [{"name": "x", "count": n, "input": …}] inside properties (or a variable) becomes the
// property "x" holding n evaluated inputs, copyIndex('x') being each one's index.
void TreeEvaluator::expand_property_copy(const json::Value& copies, const std::string& pointer,
                                         json::Object& out) {
    TemplateInstance& instance = context_.instance();
    Reporter& reporter = instance.reporter();
    const auto& entries = copies.as_array();
    for (std::size_t j = 0; j < entries.size(); ++j) {
        const json::Value& entry = entries[j];
        std::string entry_pointer = child_pointer(pointer, j);
        Member name = find_member_ci(entry, "name");
        Member input = find_member_ci(entry, "input");
        if (!name || !name.value->is_string() || is_expression(name.value->as_string()) || !input) {
            reporter.error("arm-copy-shape",
                           "a property copy entry needs a literal string 'name', a 'count' and an 'input'",
                           reporter.at(entry.offset(), entry_pointer));
            failed_ = true;
            continue;
        }
        auto [count, error, unknown] = instance.copy_count(entry, entry_pointer, context_);
        if (!count) {
            failed_ = failed_ || error;
            out.set(name.value->as_string(),
                    json::Value::unknown(error ? std::string(kFailedReason) : unknown));
            continue;
        }
        json::Array items;
        std::string input_pointer = child_pointer(entry_pointer, input.key);
        for (std::int64_t i = 0; i < *count; ++i) {
            context_.frames().push_back(CopyFrame{name.value->as_string(), i, false});
            items.push_back(evaluate(*input.value, input_pointer));
            context_.frames().pop_back();
        }
        json::Value array(std::move(items));
        array.set_offset(entry.offset());
        out.set(name.value->as_string(), std::move(array));
    }
}

} // namespace ztnet::load::arm
