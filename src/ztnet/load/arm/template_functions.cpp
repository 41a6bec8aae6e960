// User-defined functions: "functions": [{"namespace": "ns", "members": {"f": {"parameters": […],
// "output": {"type": …, "value": …}}}}], called as ns.f(…). ARM keeps their bodies self-contained:
// only their own parameters, no variables, no other user-defined functions, no reference().
#include <string>

#include "ztnet/load/arm/evaluator_ids.h"
#include "ztnet/load/arm/template_instance.h"

namespace ztnet::load::arm {
namespace {

struct FunctionDeclaration {
    const json::Value* declaration = nullptr;
    std::string pointer;
};

FunctionDeclaration find_function(const json::Value& root, const std::string& root_pointer,
                                  std::string_view name_space, std::string_view name) {
    Member functions = find_member_ci(root, "functions");
    if (!functions || !functions.value->is_array())
        return {};
    const auto& groups = functions.value->as_array();
    for (std::size_t i = 0; i < groups.size(); ++i) {
        Member group_name = find_member_ci(groups[i], "namespace");
        Member members = find_member_ci(groups[i], "members");
        if (!group_name || !group_name.value->is_string() ||
            !equals_ci(group_name.value->as_string(), name_space) || !members)
            continue;
        Member function = find_member_ci(*members.value, name);
        if (!function)
            continue;
        std::string pointer =
            child_pointer(child_pointer(child_pointer(root_pointer, functions.key), i), members.key);
        return {function.value, child_pointer(pointer, function.key)};
    }
    return {};
}

} // namespace

EvalResult TemplateInstance::user_function(std::string_view name_space, std::string_view name,
                                           Arguments arguments) {
    if (setup_.outer != nullptr)
        return setup_.outer->user_function(name_space, name, arguments);
    std::string full_name = std::string(name_space) + "." + std::string(name);
    auto [declaration, pointer] = find_function(*setup_.root, setup_.pointer, name_space, name);
    if (declaration == nullptr)
        return eval_fail("arm-unknown-function", "unknown user-defined function " + full_name + "()");

    FunctionArguments bound;
    Member parameters = find_member_ci(*declaration, "parameters");
    if (parameters && parameters.value->is_array()) {
        for (const auto& parameter : parameters.value->as_array()) {
            Member parameter_name = find_member_ci(parameter, "name");
            if (parameter_name && parameter_name.value->is_string())
                bound.emplace_back(parameter_name.value->as_string(), json::Value());
        }
    }
    if (bound.size() != arguments.size())
        return eval_fail("arm-expression-error", full_name + "() expects " + std::to_string(bound.size()) +
                                                     " argument(s), got " + std::to_string(arguments.size()));
    for (std::size_t i = 0; i < bound.size(); ++i)
        bound[i].second = arguments[i];

    Member output = find_member_ci(*declaration, "output");
    Member value = output ? find_member_ci(*output.value, "value") : Member{};
    if (!value)
        return eval_fail("arm-expression-error", full_name + "() has no output value");

    ExpressionContext context(*this, Site::Variable, {});
    context.set_function_arguments(&bound);
    TreeEvaluator evaluator(context, {});
    json::Value result =
        evaluator.evaluate(*value.value, child_pointer(child_pointer(pointer, output.key), value.key));
    if (evaluator.failed()) {
        EvalError error = eval_fail("arm-expression-error", full_name + "() failed");
        error.reported = true;
        return error;
    }
    return result;
}

} // namespace ztnet::load::arm
