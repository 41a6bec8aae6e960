// The expression evaluator: literals, property and index access, the functions that need the
// deployment, and the lambda functions. Everything else is a pure function (functions.h).
#include "ztnet/load/arm/evaluator.h"

#include <algorithm>
#include <span>
#include <vector>

#include "ztnet/load/arm/evaluator_ids.h"
#include "ztnet/load/arm/evaluator_scope.h"

namespace ztnet::load::arm {
namespace {

constexpr const char* kCodeError = "arm-expression-error";
constexpr const char* kCodeNotAllowed = "arm-function-not-allowed";

std::string kind_name(const json::Value& value) {
    return std::string(json::to_string(value.kind()));
}

bool is_lambda(const Node& node) {
    return node.kind == NodeKind::Call && node.name_space.empty() && equals_ci(node.text, "lambda");
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && equals_ci(text.substr(0, prefix.size()), prefix);
}

// A member by exact name first, then ignoring case: ARM property names are case-insensitive, but an
// exact match wins when an object holds both spellings.
const json::Value* find_member(const json::Object& object, std::string_view key) {
    if (const auto* exact = object.find(key))
        return exact;
    return object.find_ci(key);
}

std::string member_list(const json::Object& object) {
    std::string out;
    std::size_t shown = 0;
    for (const auto& [key, value] : object) {
        if (shown == 10) {
            out += ", …";
            break;
        }
        if (shown++ > 0)
            out += ", ";
        out += key;
    }
    return out.empty() ? "none" : out;
}

bool runtime_functions_allowed(Site site) {
    return site == Site::Anywhere || site == Site::ResourceProperties;
}

class Evaluator {
  public:
    explicit Evaluator(Context& context) : context_(context) {}

    EvalResult eval(const Node& node) {
        if (!context_.budget().enter())
            return eval_fail("arm-evaluation-limit",
                             "evaluation nests too deeply (more than " + std::to_string(Budget::kMaxDepth) +
                                 " levels, or 6 MiB of stack, through expressions, variables and parameters)",
                             node.offset);
        EvalResult result = eval_node(node);
        context_.budget().leave();
        return result;
    }

  private:
    using Handler = EvalResult (Evaluator::*)(const Node&);
    struct Special {
        std::string_view name;
        Handler handler;
    };
    struct Binding {
        std::string name;
        json::Value value;
    };

    Context& context_;
    std::vector<Binding> bindings_; // lambda parameters in scope, innermost last

    static std::span<const Special> specials();

    EvalResult eval_node(const Node& node) {
        if (!context_.budget().spend(1))
            return limit_error(node);
        switch (node.kind) {
        case NodeKind::String:
            return json::Value(node.text);
        case NodeKind::Integer:
            return json::Value(node.integer);
        case NodeKind::Boolean:
            return json::Value(node.boolean);
        case NodeKind::Null:
            return json::Value();
        case NodeKind::Call:
            return call(node);
        case NodeKind::Property:
        case NodeKind::Index:
            return access(node);
        }
        return eval_fail(kCodeError, "unexpected expression node", node.offset);
    }

    EvalError limit_error(const Node& node) const {
        return eval_fail(
            "arm-evaluation-limit",
            "evaluation exceeded ztnet's work limit; the template computes values far larger than "
            "deployments use",
            node.offset);
    }

    // Charges the size of a value just produced; fails when the budget runs out.
    EvalResult charge(json::Value value, const Node& node) {
        if (!context_.budget().spend(value_weight(value)))
            return limit_error(node);
        return value;
    }

    std::optional<EvalError> check_arity(const Node& node, std::size_t min, std::size_t max) const {
        std::size_t count = node.children.size();
        if (count >= min && count <= max)
            return std::nullopt;
        std::string expected =
            min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max);
        return eval_fail(kCodeError,
                         node.text + "() expects " + expected + " argument(s), got " + std::to_string(count),
                         node.offset);
    }

    std::optional<EvalError> eval_arguments(const Node& node, std::vector<json::Value>& out) {
        out.reserve(node.children.size());
        for (const auto& child : node.children) {
            auto value = eval(child);
            if (!value)
                return std::move(value.error());
            out.push_back(std::move(value).value());
        }
        return std::nullopt;
    }

    // Errors from the context come without a place: they belong to the call that asked.
    EvalResult at_call(EvalResult result, const Node& node) {
        if (!result && !result.error().reported)
            result.error().offset = node.offset;
        return result;
    }

    // ---- Calls ---------------------------------------------------------------------------------

    EvalResult call(const Node& node) {
        if (!node.name_space.empty())
            return user_function(node);
        for (const auto& special : specials())
            if (equals_ci(node.text, special.name))
                return (this->*special.handler)(node);
        if (starts_with_ci(node.text, "list"))
            return list_function(node);
        return pure_function(node);
    }

    EvalResult pure_function(const Node& node) {
        PureFunction function = find_pure_function(node.text);
        if (function == nullptr)
            return eval_fail("arm-unknown-function", "unknown function '" + node.text + "'", node.offset);
        std::vector<json::Value> arguments;
        if (auto error = eval_arguments(node, arguments))
            return std::move(*error);
        auto result = function(Arguments(arguments));
        const json::Unknown* unknown_argument = nullptr;
        for (const auto& argument : arguments)
            if ((unknown_argument = first_unknown(argument)) != nullptr)
                break;
        if (!result) {
            // A failure may come from a value we could not know; then the honest answer is Unknown.
            if (unknown_argument != nullptr)
                return json::Value(*unknown_argument);
            return eval_fail(kCodeError, result.error().message, node.offset);
        }
        json::Value value = std::move(result).value();
        // Keep the root cause ("listKeys() needs the deployed resource") rather than "concat() of an unknown
        // value".
        if (value.is_unknown() && unknown_argument != nullptr)
            value = json::Value(*unknown_argument);
        return charge(std::move(value), node);
    }

    EvalResult user_function(const Node& node) {
        std::vector<json::Value> arguments;
        if (auto error = eval_arguments(node, arguments))
            return std::move(*error);
        auto result = context_.user_function(node.name_space, node.text, Arguments(arguments));
        if (!result)
            return at_call(std::move(result), node);
        return charge(std::move(result).value(), node);
    }

    EvalResult literal_function(const Node& node) {
        if (auto error = check_arity(node, 0, 0))
            return std::move(*error);
        if (equals_ci(node.text, "null"))
            return json::Value();
        return json::Value(equals_ci(node.text, "true"));
    }

    // if(condition, a, b): only the branch taken is evaluated, as ARM does.
    EvalResult if_function(const Node& node) {
        if (auto error = check_arity(node, 3, 3))
            return std::move(*error);
        auto condition = eval(node.children[0]);
        if (!condition)
            return condition;
        if (condition.value().is_unknown())
            return condition;
        if (!condition.value().is_bool())
            return eval_fail(kCodeError,
                             "if() expects a boolean condition, got " + kind_name(condition.value()),
                             node.children[0].offset);
        return eval(node.children[condition.value().as_bool() ? 1 : 2]);
    }

    // The string argument of parameters() and variables().
    EvalResult name_argument(const Node& node) {
        if (auto error = check_arity(node, 1, 1))
            return std::move(*error);
        auto name = eval(node.children[0]);
        if (name && !name.value().is_string() && !name.value().is_unknown())
            return eval_fail(kCodeError,
                             node.text + "() expects a string name, got " + kind_name(name.value()),
                             node.children[0].offset);
        return name;
    }

    // parameters('x') and variables('x'): the value the context holds under the name.
    template <class Lookup>
    EvalResult named_value(const Node& node, Lookup lookup) {
        auto name = name_argument(node);
        if (!name || name.value().is_unknown())
            return name;
        auto value = at_call(lookup(name.value().as_string()), node);
        if (!value)
            return value;
        return charge(std::move(value).value(), node);
    }

    EvalResult parameters_function(const Node& node) {
        return named_value(node, [&](const std::string& name) { return context_.parameter(name); });
    }

    EvalResult variables_function(const Node& node) {
        if (context_.site() == Site::ParameterDefault)
            return eval_fail(kCodeNotAllowed, "variables() can't be used in a parameter's default value",
                             node.offset);
        return named_value(node, [&](const std::string& name) { return context_.variable(name); });
    }

    // copyIndex(), copyIndex(offset), copyIndex('loop'), copyIndex('loop', offset).
    EvalResult copy_index_function(const Node& node) {
        if (auto error = check_arity(node, 0, 2))
            return std::move(*error);
        std::vector<json::Value> arguments;
        if (auto error = eval_arguments(node, arguments))
            return std::move(*error);
        std::string loop;
        std::int64_t offset = 0;
        for (std::size_t i = 0; i < arguments.size(); ++i) {
            const auto& argument = arguments[i];
            if (argument.is_unknown())
                return argument;
            if (i == 0 && argument.is_string() && arguments.size() <= 2) {
                loop = argument.as_string();
            } else if (argument.is_integer() && (i == arguments.size() - 1)) {
                offset = argument.as_integer();
            } else {
                return eval_fail(kCodeError,
                                 "copyIndex() expects ([loopName], [offset]), got a " + kind_name(argument) +
                                     " as argument " + std::to_string(i + 1),
                                 node.children[i].offset);
            }
        }
        auto index = at_call(context_.copy_index(loop), node);
        if (!index || !index.value().is_integer())
            return index;
        std::int64_t sum = 0;
        if (__builtin_add_overflow(index.value().as_integer(), offset, &sum))
            return eval_fail(kCodeError, "copyIndex() offset overflows", node.offset);
        return json::Value(sum);
    }

    EvalResult resource_id_functions(const Node& node) {
        std::vector<json::Value> arguments;
        if (auto error = eval_arguments(node, arguments))
            return std::move(*error);
        Arguments args(arguments);
        const ScopeInfo& scope = context_.scope();
        Result<json::Value> result = json::Value();
        if (equals_ci(node.text, "resourceId"))
            result = resource_id_function(args, scope);
        else if (equals_ci(node.text, "subscriptionResourceId"))
            result = subscription_resource_id_function(args, scope);
        else if (equals_ci(node.text, "tenantResourceId"))
            result = tenant_resource_id_function(args);
        else if (equals_ci(node.text, "extensionResourceId"))
            result = extension_resource_id_function(args);
        else
            result = management_group_resource_id_function(args);
        if (!result)
            return eval_fail(kCodeError, result.error().message, node.offset);
        return std::move(result).value();
    }

    EvalResult scope_functions(const Node& node) {
        if (auto error = check_arity(node, 0, 0))
            return std::move(*error);
        const ScopeInfo& scope = context_.scope();
        if (equals_ci(node.text, "environment"))
            return charge(environment_object(), node);
        if (equals_ci(node.text, "managementGroup"))
            return eval_fail(kCodeNotAllowed,
                             "managementGroup() can only be used in management-group deployments",
                             node.offset);
        if (equals_ci(node.text, "resourceGroup") && scope.level != ScopeLevel::ResourceGroup)
            return eval_fail(kCodeNotAllowed,
                             "resourceGroup() can't be used in a subscription-level deployment; a nested "
                             "deployment with inner scope that targets a resource group can use it",
                             node.offset);
        if (equals_ci(node.text, "tenant"))
            return tenant_object(scope);
        if (!scope.unknown_reason.empty())
            return json::Value::unknown(scope.unknown_reason);
        if (equals_ci(node.text, "resourceGroup"))
            return resource_group_object(scope);
        if (equals_ci(node.text, "subscription"))
            return subscription_object(scope);
        return charge(deployment_object(scope), node);
    }

    std::optional<EvalError> check_runtime_site(const Node& node) const {
        if (runtime_functions_allowed(context_.site()))
            return std::nullopt;
        return eval_fail(kCodeNotAllowed,
                         node.text +
                             "() can only be used in the properties of a resource (and in outputs): it "
                             "reads the state of deployed resources",
                         node.offset);
    }

    EvalResult list_function(const Node& node) {
        if (auto error = check_runtime_site(node))
            return std::move(*error);
        std::vector<json::Value> arguments;
        if (auto error = eval_arguments(node, arguments))
            return std::move(*error);
        return json::Value::unknown(node.text + "() needs the deployed resource");
    }

    EvalResult platform_functions(const Node& node) {
        std::vector<json::Value> arguments;
        if (auto error = eval_arguments(node, arguments))
            return std::move(*error);
        if (equals_ci(node.text, "pickZones"))
            return json::Value::unknown(
                "pickZones() depends on the availability zones Azure offers in the region");
        if (equals_ci(node.text, "references"))
            return json::Value::unknown("references() reads the state of deployed resources");
        if (equals_ci(node.text, "deployer"))
            return json::Value::unknown("deployer() is the identity that runs the deployment");
        return json::Value::unknown("providers() reads the resource providers registered in Azure");
    }

    // utcNow() and newGuid() differ at every deployment; ARM allows them only in parameter defaults.
    EvalResult deployment_time_functions(const Node& node) {
        Site site = context_.site();
        if (site != Site::ParameterDefault && site != Site::Anywhere)
            return eval_fail(kCodeNotAllowed,
                             node.text + "() can only be used in a parameter's default value", node.offset);
        if (auto error = check_arity(node, 0, equals_ci(node.text, "utcNow") ? 1 : 0))
            return std::move(*error);
        std::vector<json::Value> arguments;
        if (auto error = eval_arguments(node, arguments))
            return std::move(*error);
        if (equals_ci(node.text, "utcNow"))
            return json::Value::unknown("utcNow() is the time of the deployment");
        return json::Value::unknown("newGuid() is a new GUID at every deployment");
    }

    // ---- reference() ---------------------------------------------------------------------------

    struct ReferenceTarget {
        const json::Value* root = nullptr; // properties (or the whole body with 'Full')
        std::string label;
    };

    // Evaluates reference(target, [apiVersion], ['Full']) into the declaration it names. Returns the
    // value to give back instead (an error or an Unknown) when there is none.
    std::optional<EvalResult> resolve_reference(const Node& node, ReferenceTarget& target) {
        if (auto error = check_runtime_site(node))
            return EvalResult(std::move(*error));
        if (auto error = check_arity(node, 1, 3))
            return EvalResult(std::move(*error));
        std::vector<json::Value> arguments;
        if (auto error = eval_arguments(node, arguments))
            return EvalResult(std::move(*error));
        for (const auto& argument : arguments)
            if (argument.is_unknown())
                return EvalResult(argument);
        for (std::size_t i = 0; i < arguments.size(); ++i)
            if (!arguments[i].is_string())
                return EvalResult(eval_fail(
                    kCodeError, "reference() expects string arguments, got " + kind_name(arguments[i]),
                    node.children[i].offset));
        bool full = false;
        if (arguments.size() == 3) {
            if (!equals_ci(arguments[2].as_string(), "Full"))
                return EvalResult(eval_fail(kCodeError,
                                            "reference() takes 'Full' as its third argument, got '" +
                                                arguments[2].as_string() + "'",
                                            node.children[2].offset));
            full = true;
        }
        ReferenceLookup lookup = context_.reference(arguments[0].as_string());
        if (lookup.error) {
            EvalError error = std::move(*lookup.error);
            if (!error.reported)
                error.offset = node.offset;
            return EvalResult(std::move(error));
        }
        if (lookup.declared == nullptr)
            return EvalResult(json::Value::unknown(lookup.unknown_reason));
        static const json::Value kNoProperties{json::Object()};
        const json::Value* properties = lookup.declared->find("properties");
        target.root = full ? lookup.declared : (properties != nullptr ? properties : &kNoProperties);
        target.label = std::move(lookup.label);
        return std::nullopt;
    }

    EvalResult reference_function(const Node& node) {
        ReferenceTarget target;
        if (auto early = resolve_reference(node, target))
            return std::move(*early);
        return json::Value::unknown("the whole runtime state of " + target.label +
                                    " is only known after deployment (ztnet resolves reference() only for "
                                    "properties the template declares)");
    }

    // reference(x).a.b[0]: walks the resource's evaluated declaration. A member the declaration does
    // not hold is not an error: the deployed resource has more (read-only) state, unknown offline.
    EvalResult reference_access(const Node& base, const std::vector<const Node*>& steps) {
        ReferenceTarget target;
        if (auto early = resolve_reference(base, target))
            return std::move(*early);
        const json::Value* current = target.root;
        std::string path;
        for (const Node* step : steps) {
            if (current->is_unknown())
                return *current;
            json::Value key;
            if (step->kind == NodeKind::Property) {
                key = json::Value(step->text);
            } else {
                auto index = eval(step->children[1]);
                if (!index || index.value().is_unknown())
                    return index;
                key = std::move(index).value();
            }
            path += key.is_string() ? (path.empty() ? "" : ".") + key.as_string()
                                    : "[" + std::to_string(key.is_integer() ? key.as_integer() : 0) + "]";
            const json::Value* next = nullptr;
            if (current->is_object() && key.is_string()) {
                next = find_member(current->as_object(), key.as_string());
            } else if (current->is_array() && key.is_integer()) {
                std::int64_t i = key.as_integer();
                if (i >= 0 && static_cast<std::uint64_t>(i) < current->as_array().size())
                    next = &current->as_array()[static_cast<std::size_t>(i)];
            } else {
                return eval_fail(kCodeError,
                                 "cannot access " + kind_name(key) + " '" + path + "' of a " +
                                     kind_name(*current) + " in the declaration of " + target.label,
                                 step->offset);
            }
            if (next == nullptr)
                return json::Value::unknown("'" + path + "' of " + target.label +
                                            " is only known after deployment");
            current = next;
        }
        return charge(*current, base);
    }

    // ---- Property and index access ---------------------------------------------------------------

    EvalResult access(const Node& node) {
        std::vector<const Node*> steps;
        const Node* base = &node;
        while (base->kind == NodeKind::Property || base->kind == NodeKind::Index) {
            steps.push_back(base);
            base = &base->children[0];
        }
        std::reverse(steps.begin(), steps.end());
        if (base->kind == NodeKind::Call && base->name_space.empty() && equals_ci(base->text, "reference"))
            return reference_access(*base, steps);
        auto value = eval(*base);
        if (!value)
            return value;
        json::Value current = std::move(value).value();
        for (const Node* step : steps) {
            if (current.is_unknown())
                return current;
            auto next = step->kind == NodeKind::Property ? property(current, *step) : index(current, *step);
            if (!next)
                return next;
            current = std::move(next).value();
        }
        return current;
    }

    EvalResult property(json::Value& object, const Node& step) {
        if (!object.is_object())
            return eval_fail(kCodeError, "cannot read property '" + step.text + "' of a " + kind_name(object),
                             step.offset);
        json::Value* member = object.as_object().find(step.text);
        if (member == nullptr)
            member = object.as_object().find_ci(step.text);
        if (member == nullptr)
            return eval_fail(kCodeError,
                             "property '" + step.text +
                                 "' does not exist; the object has: " + member_list(object.as_object()),
                             step.offset);
        return std::move(*member);
    }

    EvalResult index(json::Value& object, const Node& step) {
        auto key = eval(step.children[1]);
        if (!key || key.value().is_unknown())
            return key;
        const json::Value& k = key.value();
        if (object.is_array() && k.is_integer()) {
            auto& array = object.as_array();
            std::int64_t i = k.as_integer();
            if (i < 0 || static_cast<std::uint64_t>(i) >= array.size())
                return eval_fail(kCodeError,
                                 "index " + std::to_string(i) + " is out of range: the array has " +
                                     std::to_string(array.size()) + " element(s)",
                                 step.offset);
            return std::move(array[static_cast<std::size_t>(i)]);
        }
        if (object.is_object() && k.is_string()) {
            json::Value* member = object.as_object().find(k.as_string());
            if (member == nullptr)
                member = object.as_object().find_ci(k.as_string());
            if (member == nullptr)
                return eval_fail(kCodeError,
                                 "property '" + k.as_string() +
                                     "' does not exist; the object has: " + member_list(object.as_object()),
                                 step.offset);
            return std::move(*member);
        }
        return eval_fail(kCodeError, "cannot index a " + kind_name(object) + " with a " + kind_name(k),
                         step.offset);
    }

    // ---- Lambdas ---------------------------------------------------------------------------------

    // A lambda's parameter names: every argument but the last (the body) must be a string literal.
    std::optional<EvalError> lambda_parameters(const Node& lambda, std::vector<std::string>& names) const {
        if (lambda.children.empty())
            return eval_fail(kCodeError, "lambda() needs a body", lambda.offset);
        for (std::size_t i = 0; i + 1 < lambda.children.size(); ++i) {
            const Node& parameter = lambda.children[i];
            if (parameter.kind != NodeKind::String)
                return eval_fail(kCodeError, "lambda() parameter names must be string literals",
                                 parameter.offset);
            names.push_back(parameter.text);
        }
        return std::nullopt;
    }

    // Calls a lambda with the given values (a lambda may declare fewer parameters than offered, as
    // map(items, lambda('x')) ignores the index).
    EvalResult invoke(const Node& lambda, std::vector<json::Value> values) {
        std::vector<std::string> names;
        if (auto error = lambda_parameters(lambda, names))
            return std::move(*error);
        if (names.size() > values.size())
            return eval_fail(kCodeError,
                             "this lambda takes " + std::to_string(names.size()) + " parameter(s); at most " +
                                 std::to_string(values.size()) + " can be passed here",
                             lambda.offset);
        std::size_t mark = bindings_.size();
        for (std::size_t i = 0; i < names.size(); ++i)
            bindings_.push_back({names[i], std::move(values[i])});
        auto result = eval(lambda.children.back());
        bindings_.resize(mark);
        return result;
    }

    EvalResult lambda_variables_function(const Node& node) {
        auto name = name_argument(node);
        if (!name || name.value().is_unknown())
            return name;
        for (auto it = bindings_.rbegin(); it != bindings_.rend(); ++it)
            if (it->name == name.value().as_string())
                return charge(it->value, node);
        return eval_fail(kCodeError,
                         "lambdaVariables('" + name.value().as_string() +
                             "') names no parameter of an enclosing lambda",
                         node.offset);
    }

    EvalResult bare_lambda(const Node& node) {
        return eval_fail(kCodeError,
                         "lambda() can only be an argument of filter(), map(), reduce(), sort(), toObject(), "
                         "groupBy() or mapValues()",
                         node.offset);
    }

    // Evaluates the non-lambda arguments of a lambda function and checks the lambda positions.
    std::optional<EvalResult> lambda_arguments(const Node& node, std::size_t min, std::size_t max,
                                               std::vector<std::size_t> lambda_positions,
                                               std::vector<json::Value>& values) {
        if (auto error = check_arity(node, min, max))
            return EvalResult(std::move(*error));
        values.resize(node.children.size());
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            bool wants_lambda =
                std::find(lambda_positions.begin(), lambda_positions.end(), i) != lambda_positions.end();
            if (wants_lambda != is_lambda(node.children[i]))
                return EvalResult(eval_fail(kCodeError,
                                            node.text + "() expects " + (wants_lambda ? "a" : "no") +
                                                " lambda as argument " + std::to_string(i + 1),
                                            node.children[i].offset));
            if (wants_lambda)
                continue;
            auto value = eval(node.children[i]);
            if (!value)
                return value;
            values[i] = std::move(value).value();
        }
        return std::nullopt;
    }

    std::optional<EvalResult> expect_array(const Node& node, const json::Value& value,
                                           std::size_t position) const {
        if (value.is_unknown())
            return EvalResult(value);
        if (!value.is_array())
            return EvalResult(eval_fail(kCodeError,
                                        node.text + "() expects an array, got " + kind_name(value),
                                        node.children[position].offset));
        return std::nullopt;
    }

    // A lambda result that must be a boolean (filter, sort).
    EvalResult boolean_result(EvalResult result, const Node& lambda, std::string_view function) {
        if (!result || result.value().is_unknown() || result.value().is_bool())
            return result;
        return eval_fail(kCodeError,
                         std::string(function) + "() expects its lambda to return a boolean, got " +
                             kind_name(result.value()),
                         lambda.offset);
    }

    EvalResult filter_function(const Node& node) {
        std::vector<json::Value> values;
        if (auto early = lambda_arguments(node, 2, 2, {1}, values))
            return std::move(*early);
        if (auto early = expect_array(node, values[0], 0))
            return std::move(*early);
        json::Array out;
        const auto& items = values[0].as_array();
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto keep = boolean_result(
                invoke(node.children[1], {items[i], json::Value(static_cast<std::int64_t>(i))}),
                node.children[1], "filter");
            if (!keep || keep.value().is_unknown())
                return keep;
            if (keep.value().as_bool())
                out.push_back(items[i]);
        }
        return charge(json::Value(std::move(out)), node);
    }

    EvalResult map_function(const Node& node) {
        std::vector<json::Value> values;
        if (auto early = lambda_arguments(node, 2, 2, {1}, values))
            return std::move(*early);
        if (auto early = expect_array(node, values[0], 0))
            return std::move(*early);
        json::Array out;
        const auto& items = values[0].as_array();
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto mapped = invoke(node.children[1], {items[i], json::Value(static_cast<std::int64_t>(i))});
            if (!mapped)
                return mapped;
            out.push_back(std::move(mapped).value());
        }
        return charge(json::Value(std::move(out)), node);
    }

    EvalResult reduce_function(const Node& node) {
        std::vector<json::Value> values;
        if (auto early = lambda_arguments(node, 3, 3, {2}, values))
            return std::move(*early);
        if (auto early = expect_array(node, values[0], 0))
            return std::move(*early);
        json::Value accumulator = std::move(values[1]);
        const auto& items = values[0].as_array();
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto next = invoke(node.children[2],
                               {std::move(accumulator), items[i], json::Value(static_cast<std::int64_t>(i))});
            if (!next)
                return next;
            accumulator = std::move(next).value();
            if (!context_.budget().spend(value_weight(accumulator)))
                return limit_error(node);
        }
        return accumulator;
    }

    // sort(items, lambda('a', 'b', …)): the lambda says whether a comes before b. A merge sort keeps
    // equal items in order and stays well-defined whatever the lambda answers.
    EvalResult sort_function(const Node& node) {
        std::vector<json::Value> values;
        if (auto early = lambda_arguments(node, 2, 2, {1}, values))
            return std::move(*early);
        if (auto early = expect_array(node, values[0], 0))
            return std::move(*early);
        json::Array items = std::move(values[0].as_array());
        json::Array buffer(items.size());
        for (std::size_t width = 1; width < items.size(); width *= 2) {
            for (std::size_t left = 0; left < items.size(); left += 2 * width) {
                std::size_t middle = std::min(left + width, items.size());
                std::size_t right_end = std::min(left + 2 * width, items.size());
                std::size_t i = left, j = middle, k = left;
                while (i < middle && j < right_end) {
                    auto before = boolean_result(invoke(node.children[1], {items[j], items[i]}),
                                                 node.children[1], "sort");
                    if (!before || before.value().is_unknown())
                        return before;
                    buffer[k++] = before.value().as_bool() ? std::move(items[j++]) : std::move(items[i++]);
                }
                while (i < middle)
                    buffer[k++] = std::move(items[i++]);
                while (j < right_end)
                    buffer[k++] = std::move(items[j++]);
            }
            std::swap(items, buffer);
        }
        return charge(json::Value(std::move(items)), node);
    }

    EvalResult key_of(const Node& lambda, const json::Value& item, std::string_view function) {
        auto key = invoke(lambda, {item});
        if (!key || key.value().is_unknown() || key.value().is_string())
            return key;
        return eval_fail(kCodeError,
                         std::string(function) + "() expects string keys, got " + kind_name(key.value()),
                         lambda.offset);
    }

    EvalResult to_object_function(const Node& node) {
        std::vector<json::Value> values;
        std::vector<std::size_t> lambdas{1};
        if (node.children.size() == 3)
            lambdas.push_back(2);
        if (auto early = lambda_arguments(node, 2, 3, lambdas, values))
            return std::move(*early);
        if (auto early = expect_array(node, values[0], 0))
            return std::move(*early);
        json::Object out;
        for (const auto& item : values[0].as_array()) {
            auto key = key_of(node.children[1], item, "toObject");
            if (!key || key.value().is_unknown())
                return key;
            json::Value value = item;
            if (node.children.size() == 3) {
                auto mapped = invoke(node.children[2], {item});
                if (!mapped)
                    return mapped;
                value = std::move(mapped).value();
            }
            out.set(key.value().as_string(), std::move(value));
        }
        return charge(json::Value(std::move(out)), node);
    }

    EvalResult group_by_function(const Node& node) {
        std::vector<json::Value> values;
        if (auto early = lambda_arguments(node, 2, 2, {1}, values))
            return std::move(*early);
        if (auto early = expect_array(node, values[0], 0))
            return std::move(*early);
        json::Object out;
        for (const auto& item : values[0].as_array()) {
            auto key = key_of(node.children[1], item, "groupBy");
            if (!key || key.value().is_unknown())
                return key;
            json::Value* group = out.find(key.value().as_string());
            if (group == nullptr) {
                out.set(key.value().as_string(), json::Value(json::Array()));
                group = out.find(key.value().as_string());
            }
            group->as_array().push_back(item);
        }
        return charge(json::Value(std::move(out)), node);
    }

    EvalResult map_values_function(const Node& node) {
        std::vector<json::Value> values;
        if (auto early = lambda_arguments(node, 2, 2, {1}, values))
            return std::move(*early);
        const json::Value& input = values[0];
        if (input.is_unknown())
            return input;
        if (!input.is_object())
            return eval_fail(kCodeError, "mapValues() expects an object, got " + kind_name(input),
                             node.children[0].offset);
        json::Object out;
        for (const auto& [key, value] : input.as_object()) {
            auto mapped = invoke(node.children[1], {value});
            if (!mapped)
                return mapped;
            out.set(key, std::move(mapped).value());
        }
        return charge(json::Value(std::move(out)), node);
    }
};

std::span<const Evaluator::Special> Evaluator::specials() {
    static const Special kSpecials[] = {
        {"if", &Evaluator::if_function},
        {"parameters", &Evaluator::parameters_function},
        {"variables", &Evaluator::variables_function},
        {"copyIndex", &Evaluator::copy_index_function},
        {"resourceId", &Evaluator::resource_id_functions},
        {"subscriptionResourceId", &Evaluator::resource_id_functions},
        {"tenantResourceId", &Evaluator::resource_id_functions},
        {"extensionResourceId", &Evaluator::resource_id_functions},
        {"managementGroupResourceId", &Evaluator::resource_id_functions},
        {"resourceGroup", &Evaluator::scope_functions},
        {"subscription", &Evaluator::scope_functions},
        {"tenant", &Evaluator::scope_functions},
        {"managementGroup", &Evaluator::scope_functions},
        {"deployment", &Evaluator::scope_functions},
        {"environment", &Evaluator::scope_functions},
        {"reference", &Evaluator::reference_function},
        {"references", &Evaluator::platform_functions},
        {"pickZones", &Evaluator::platform_functions},
        {"deployer", &Evaluator::platform_functions},
        {"providers", &Evaluator::platform_functions},
        {"utcNow", &Evaluator::deployment_time_functions},
        {"newGuid", &Evaluator::deployment_time_functions},
        {"true", &Evaluator::literal_function},
        {"false", &Evaluator::literal_function},
        {"null", &Evaluator::literal_function},
        {"lambda", &Evaluator::bare_lambda},
        {"lambdaVariables", &Evaluator::lambda_variables_function},
        {"filter", &Evaluator::filter_function},
        {"map", &Evaluator::map_function},
        {"reduce", &Evaluator::reduce_function},
        {"sort", &Evaluator::sort_function},
        {"toObject", &Evaluator::to_object_function},
        {"groupBy", &Evaluator::group_by_function},
        {"mapValues", &Evaluator::map_values_function},
    };
    return kSpecials;
}

EvalError no_template(const std::string& what) {
    return eval_fail("arm-no-template", what + " needs a template, and this expression has none");
}

} // namespace

EvalError eval_fail(std::string code, std::string message, std::uint32_t offset) {
    return EvalError{std::move(code), std::move(message), offset, false};
}

EvalResult EmptyContext::parameter(std::string_view name) {
    return no_template("parameters('" + std::string(name) + "')");
}

EvalResult EmptyContext::variable(std::string_view name) {
    return no_template("variables('" + std::string(name) + "')");
}

EvalResult EmptyContext::copy_index(std::string_view) {
    return eval_fail("arm-copy-index", "copyIndex() can only be used inside a copy loop");
}

EvalResult EmptyContext::user_function(std::string_view name_space, std::string_view name, Arguments) {
    return no_template("the user-defined function " + std::string(name_space) + "." + std::string(name) +
                       "()");
}

ReferenceLookup EmptyContext::reference(std::string_view target) {
    ReferenceLookup lookup;
    lookup.label = "resource '" + std::string(target) + "'";
    lookup.unknown_reason = "the state of " + lookup.label + " is only known in Azure";
    return lookup;
}

EvalResult evaluate(const Node& expression, Context& context) {
    return Evaluator(context).eval(expression);
}

EvalResult evaluate_string(std::string_view text, Context& context) {
    if (!is_expression(text))
        return json::Value(literal_value(text));
    if (auto limit = check_expression_limits(text))
        return eval_fail("arm-expression-limit", limit->message, static_cast<std::uint32_t>(limit->offset));
    auto parsed = parse_expression(text);
    if (!parsed)
        return eval_fail("arm-expression-syntax", parsed.error().message,
                         static_cast<std::uint32_t>(parsed.error().offset));
    return evaluate(*parsed, context);
}

std::uint64_t value_weight(const json::Value& value) {
    switch (value.kind()) {
    case json::Kind::String:
        return 1 + value.as_string().size();
    case json::Kind::Array: {
        std::uint64_t weight = 1;
        for (const auto& item : value.as_array())
            weight += value_weight(item);
        return weight;
    }
    case json::Kind::Object: {
        std::uint64_t weight = 1;
        for (const auto& [key, item] : value.as_object())
            weight += key.size() + value_weight(item);
        return weight;
    }
    default:
        return 1;
    }
}

const json::Unknown* first_unknown(const json::Value& value) {
    switch (value.kind()) {
    case json::Kind::Unknown:
        return &value.as_unknown();
    case json::Kind::Array:
        for (const auto& item : value.as_array())
            if (const auto* found = first_unknown(item))
                return found;
        return nullptr;
    case json::Kind::Object:
        for (const auto& [key, item] : value.as_object())
            if (const auto* found = first_unknown(item))
                return found;
        return nullptr;
    default:
        return nullptr;
    }
}

} // namespace ztnet::load::arm
