// The template evaluator's entry points: recognising templates and parameters files, and
// evaluating a template with its parameters into the resources it deploys.
#include "ztnet/load/arm/template.h"

#include <memory>

#include "ztnet/load/arm/evaluator_ids.h"
#include "ztnet/load/arm/template_instance.h"

namespace ztnet::load::arm {
namespace {

bool contains_ci(std::string_view text, std::string_view part) {
    if (part.size() > text.size())
        return false;
    for (std::size_t i = 0; i + part.size() <= text.size(); ++i)
        if (equals_ci(text.substr(i, part.size()), part))
            return true;
    return false;
}

std::string schema_of(const json::Value& root) {
    const json::Value* schema = root.find_ci("$schema");
    return schema != nullptr && schema->is_string() ? schema->as_string() : std::string();
}

// The values of a parameters file ({"parameters": {"x": {"value": …} or {"reference": …}}}).
std::vector<ParameterInput> parameter_file_inputs(const TemplateOptions& options, Reporter& reporter) {
    std::vector<ParameterInput> inputs;
    if (options.parameters == nullptr)
        return inputs;
    const json::Value& file = *options.parameters;
    auto at = [&](std::uint32_t offset, std::string pointer) {
        return SourceLocation{options.parameters_file, offset, std::move(pointer)};
    };
    Member parameters = find_member_ci(file, "parameters");
    if (!parameters || !parameters.value->is_object()) {
        reporter.error("arm-parameters-file", "a parameters file needs a 'parameters' object",
                       at(file.offset(), ""));
        return inputs;
    }
    std::string pointer = child_pointer("", parameters.key);
    for (const auto& [name, entry] : parameters.value->as_object()) {
        std::string entry_pointer = child_pointer(pointer, name);
        if (Member value = find_member_ci(entry, "value")) {
            inputs.push_back(
                {name, *value.value, at(value.value->offset(), child_pointer(entry_pointer, value.key))});
        } else if (Member reference = find_member_ci(entry, "reference")) {
            auto where = at(reference.value->offset(), child_pointer(entry_pointer, reference.key));
            json::Value secret = key_vault_value(name, *reference.value);
            reporter.warning("arm-parameter-keyvault", secret.as_unknown().reason, where);
            inputs.push_back({name, std::move(secret), where});
        } else {
            reporter.error("arm-parameters-file",
                           "parameter '" + name + "' needs a 'value' or a Key Vault 'reference'",
                           at(entry.offset(), entry_pointer));
        }
    }
    return inputs;
}

} // namespace

bool is_template(const json::Value& root) {
    if (!root.is_object())
        return false;
    std::string schema = schema_of(root);
    if (!schema.empty())
        return contains_ci(schema, "DeploymentTemplate.json");
    return root.find("resources") != nullptr &&
           (root.find("contentVersion") != nullptr || root.find("parameters") != nullptr);
}

bool is_parameters_file(const json::Value& root) {
    if (!root.is_object())
        return false;
    std::string schema = schema_of(root);
    if (!schema.empty())
        return contains_ci(schema, "deploymentParameters.json");
    const json::Value* parameters = root.find("parameters");
    if (root.find("resources") != nullptr || parameters == nullptr || !parameters->is_object())
        return false;
    for (const auto& [name, entry] : parameters->as_object())
        if (!entry.is_object() || (entry.find("value") == nullptr && entry.find("reference") == nullptr))
            return false;
    return true;
}

std::vector<RawResource> evaluate_template(const json::Value& root, FileId file,
                                           const TemplateOptions& options, Diagnostics& diagnostics) {
    std::vector<RawResource> out;
    Run run(diagnostics, file, options);
    Reporter& reporter = run.reporter();
    if (!root.is_object()) {
        reporter.error("arm-template-shape", "a template must be a JSON object",
                       reporter.at(root.offset(), ""));
        return out;
    }
    std::string schema = schema_of(root);
    ScopeInfo scope;
    if (contains_ci(schema, "managementGroupDeploymentTemplate") ||
        contains_ci(schema, "tenantDeploymentTemplate")) {
        reporter.error(
            "arm-unsupported-scope",
            "management-group and tenant deployments are not supported; ztnet evaluates resource-group "
            "and subscription templates",
            reporter.at(root.offset(), ""));
        return out;
    }
    scope.level = contains_ci(schema, "subscriptionDeploymentTemplate") ? ScopeLevel::Subscription
                                                                        : ScopeLevel::ResourceGroup;
    scope.tenant_id = options.scope.tenant_id;
    scope.subscription_id = options.scope.subscription_id;
    scope.resource_group =
        scope.level == ScopeLevel::ResourceGroup ? options.scope.resource_group : std::string();
    scope.location = json::Value(options.scope.location);
    scope.deployment_name = options.scope.deployment_name;
    scope.template_root = &root;

    TemplateSetup setup;
    setup.root = &root;
    setup.expression_scope = scope;
    setup.target_scope = scope;
    setup.inputs = parameter_file_inputs(options, reporter);
    setup.overrides = options.overrides;
    run.keep(std::make_unique<TemplateInstance>(run, std::move(setup))).run(out);
    reporter.finish();
    return out;
}

} // namespace ztnet::load::arm
