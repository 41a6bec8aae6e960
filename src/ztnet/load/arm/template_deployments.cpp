// Nested deployments (Microsoft.Resources/deployments with an inline template): the inner template
// is evaluated in its own target scope (the deployment's resourceGroup / subscriptionId), with its
// expressions in the parent's scope (outer, the default) or its own (inner). Its resources are
// emitted in place of the deployment resource.
#include <memory>
#include <string>

#include "ztnet/load/arm/evaluator_ids.h"
#include "ztnet/load/arm/template_instance.h"

namespace ztnet::load::arm {
namespace {

std::string deployment_label(const Instance& deployment) {
    return deployment.name.is_string() ? "'" + deployment.name.as_string() + "'" : "(unnamed)";
}

} // namespace

void TemplateInstance::expand_deployment(Instance& deployment, std::vector<RawResource>& out) {
    const json::Value& declaration = *deployment.declaration;
    std::string label = deployment_label(deployment);
    auto where = reporter().at(declaration.offset(), deployment.pointer);
    Member properties = find_member_ci(declaration, "properties");
    if (!properties || !properties.value->is_object()) {
        reporter().error("arm-nested-template", "deployment " + label + " needs a 'properties' object",
                         where);
        return;
    }
    std::string properties_pointer = child_pointer(deployment.pointer, properties.key);
    Member nested_template = find_member_ci(*properties.value, "template");
    if (!nested_template) {
        if (Member link = find_member_ci(*properties.value, "templateLink")) {
            reporter().warning(
                "arm-linked-template",
                "deployment " + label +
                    " links its template; ztnet cannot follow links offline, so the resources it "
                    "deploys are not loaded",
                reporter().at(link.value->offset(), child_pointer(properties_pointer, link.key)));
            return;
        }
        reporter().error("arm-nested-template",
                         "deployment " + label + " has neither a 'template' nor a 'templateLink'", where);
        return;
    }
    std::string template_pointer = child_pointer(properties_pointer, nested_template.key);
    if (!nested_template.value->is_object()) {
        reporter().error("arm-nested-template", "the template of deployment " + label + " must be an object",
                         reporter().at(nested_template.value->offset(), template_pointer));
        return;
    }
    if (setup_.depth + 1 > kMaxDeploymentDepth) {
        reporter().error(
            "arm-deployment-depth",
            "nested deployments nest deeper than " + std::to_string(kMaxDeploymentDepth) + " levels", where);
        return;
    }

    bool inner = false;
    if (Member options = find_member_ci(*properties.value, "expressionEvaluationOptions")) {
        Member scope = find_member_ci(*options.value, "scope");
        if (scope && scope.value->is_string() && equals_ci(scope.value->as_string(), "inner")) {
            inner = true;
        } else if (scope && !(scope.value->is_string() && equals_ci(scope.value->as_string(), "outer"))) {
            reporter().error(
                "arm-nested-template", "expressionEvaluationOptions.scope must be 'inner' or 'outer'",
                reporter().at(scope.value->offset(),
                              child_pointer(child_pointer(properties_pointer, options.key), scope.key)));
            return;
        }
    }
    auto target = nested_target(deployment, *nested_template.value);
    if (!target)
        return;

    TemplateSetup setup;
    setup.root = nested_template.value;
    setup.pointer = template_pointer;
    setup.target_scope = *target;
    setup.depth = setup_.depth + 1;
    Member parameters = find_member_ci(*properties.value, "parameters");
    if (inner) {
        setup.expression_scope = *target;
        setup.inputs = nested_inputs(deployment, parameters, properties_pointer);
    } else {
        setup.expression_scope = setup_.expression_scope;
        setup.outer = this;
        setup.outer_frames = setup_.outer_frames;
        setup.outer_frames.insert(setup.outer_frames.end(), deployment.frames.begin(),
                                  deployment.frames.end());
        if (parameters && parameters.value->is_object() && !parameters.value->as_object().empty())
            reporter().warning(
                "arm-nested-outer-scope",
                "the parameters of deployment " + label +
                    " are ignored: with outer scope (the default) the nested template sees the "
                    "parent's parameters; set expressionEvaluationOptions.scope to 'inner' to pass them",
                reporter().at(parameters.value->offset(), child_pointer(properties_pointer, parameters.key)));
    }
    TemplateInstance& nested = run_.keep(std::make_unique<TemplateInstance>(run_, std::move(setup)));
    nested.run(out);
}

// Where the nested deployment deploys: the parent's scope, moved by the deployment's
// subscriptionId and resourceGroup. A subscription-level parent deploying without a resourceGroup
// stays at subscription level.
std::optional<ScopeInfo> TemplateInstance::nested_target(Instance& deployment,
                                                         const json::Value& nested_template) {
    const json::Value& declaration = *deployment.declaration;
    ScopeInfo target = setup_.target_scope;
    target.template_root = &nested_template;
    target.deployment_name = deployment.name.is_string() ? deployment.name.as_string() : "(unknown)";
    ExpressionContext context(*this, Site::ResourceHeader, deployment.frames, &deployment);
    TreeEvaluator evaluator(context, {});
    std::string label = deployment_label(deployment);
    bool same_group = true;

    auto evaluate_member = [&](std::string_view key, std::string& into) {
        Member member = find_member_ci(declaration, key);
        if (!member)
            return false;
        std::string pointer = child_pointer(deployment.pointer, member.key);
        json::Value value = evaluator.evaluate(*member.value, pointer);
        if (value.is_unknown()) {
            if (value.as_unknown().reason != kFailedReason)
                target.unknown_reason = "the " + std::string(key) + " of deployment " + label +
                                        " is unknown: " + value.as_unknown().reason;
        } else if (value.is_string()) {
            into = value.as_string();
        } else {
            reporter().error("arm-nested-template",
                             "the " + std::string(key) + " of a deployment must be a string",
                             reporter().at(member.value->offset(), pointer));
        }
        return true;
    };
    std::string subscription = target.subscription_id;
    if (evaluate_member("subscriptionId", subscription) && !equals_ci(subscription, target.subscription_id)) {
        same_group = false;
        target.subscription_id = subscription;
    }
    std::string group = target.resource_group;
    if (evaluate_member("resourceGroup", group)) {
        if (target.level != ScopeLevel::ResourceGroup || !equals_ci(group, target.resource_group))
            same_group = false;
        target.level = ScopeLevel::ResourceGroup;
        target.resource_group = group;
    }
    if (evaluator.failed())
        return std::nullopt;

    if (target.level == ScopeLevel::Subscription) {
        if (Member location = find_member_ci(declaration, "location"))
            target.location =
                evaluator.evaluate(*location.value, child_pointer(deployment.pointer, location.key));
    } else if (!same_group) {
        // The group may be one this run creates (a subscription-level template often does).
        target.location = json::Value::unknown("the location of resource group '" + target.resource_group +
                                               "' is only known in Azure");
        std::string group_id = resource_group_scope_id(target.subscription_id, target.resource_group);
        if (Instance* created = run_.registry().find_by_id(group_id);
            created != nullptr && created->deployed())
            if (const json::Value* created_body = body(*created))
                if (const json::Value* location = created_body->find("location"))
                    target.location = *location;
    }
    return target;
}

// The values a nested deployment passes to its inner-scope template, evaluated in the parent.
std::vector<ParameterInput> TemplateInstance::nested_inputs(Instance& deployment, const Member& parameters,
                                                            const std::string& properties_pointer) {
    std::vector<ParameterInput> inputs;
    if (!parameters)
        return inputs;
    std::string pointer = child_pointer(properties_pointer, parameters.key);
    if (!parameters.value->is_object()) {
        reporter().error("arm-nested-template", "a deployment's parameters must be an object",
                         reporter().at(parameters.value->offset(), pointer));
        return inputs;
    }
    ExpressionContext context(*this, Site::ResourceProperties, deployment.frames, &deployment);
    TreeEvaluator evaluator(context, {});
    for (const auto& [name, entry] : parameters.value->as_object()) {
        std::string entry_pointer = child_pointer(pointer, name);
        if (Member value = find_member_ci(entry, "value")) {
            std::string value_pointer = child_pointer(entry_pointer, value.key);
            inputs.push_back({name, evaluator.evaluate(*value.value, value_pointer),
                              reporter().at(value.value->offset(), value_pointer)});
        } else if (Member reference = find_member_ci(entry, "reference")) {
            auto where =
                reporter().at(reference.value->offset(), child_pointer(entry_pointer, reference.key));
            json::Value secret = key_vault_value(name, *reference.value);
            reporter().warning("arm-parameter-keyvault", secret.as_unknown().reason, where);
            inputs.push_back({name, std::move(secret), where});
        } else {
            reporter().error("arm-nested-template",
                             "parameter '" + name + "' of the deployment needs a 'value'",
                             reporter().at(entry.offset(), entry_pointer));
        }
    }
    return inputs;
}

} // namespace ztnet::load::arm
