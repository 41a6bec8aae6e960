// The ARM template evaluator: a deploymentTemplate document (resource-group or subscription scope)
// becomes the flat list of resources it would deploy, with every expression evaluated.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/load/raw_resource.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::load::arm {

/// Where the template is deployed: what resourceGroup(), subscription() and deployment() return.
struct DeploymentScope {
    std::string tenant_id = "00000000-0000-0000-0000-000000000000";
    std::string subscription_id = "00000000-0000-0000-0000-000000000000";
    std::string resource_group = "ztnet-rg"; // ignored by subscription-scope templates
    std::string location = "westeurope";
    std::string deployment_name = "ztnet";
};

struct TemplateOptions {
    DeploymentScope scope;
    /// Root of a deploymentParameters document ({"parameters": {"x": {"value": …}}}), or nullptr.
    const json::Value* parameters = nullptr;
    FileId parameters_file = kNoFile;
    /// --param name=value overrides, applied after the parameters file. The text is taken as JSON
    /// when the parameter's declared type is not string (int, bool, array, object).
    std::vector<std::pair<std::string, std::string>> overrides;
    /// --strict: what ARM would refuse at deployment time (a parameter without a value or outside
    /// its constraints, a value for an undeclared parameter) is an error instead of a warning.
    bool strict = false;
};

/// True when `root` is an ARM template (a "$schema" naming deploymentTemplate, or "resources"
/// beside "contentVersion"/"parameters").
bool is_template(const json::Value& root);

/// True when `root` is an ARM parameters file ("$schema" naming deploymentParameters, or a
/// "parameters" object whose members all hold "value" or "reference").
bool is_parameters_file(const json::Value& root);

/// Evaluates the template read from `file`. Resources whose condition is false are omitted;
/// copy loops are expanded; child resources (inline or top level) get their full type, name and id;
/// nested deployments with inline templates are expanded in their own scope (resourceGroup /
/// subscriptionId properties, inner or outer expression evaluation). Every problem goes to
/// `diagnostics` with its place; a value that cannot be known offline is left Unknown with a
/// warning that says where and why.
std::vector<RawResource> evaluate_template(const json::Value& root, FileId file,
                                           const TemplateOptions& options, Diagnostics& diagnostics);

} // namespace ztnet::load::arm
