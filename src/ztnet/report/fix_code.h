// The resources a fix changes in an export, as code to deploy: an ARM template, a Bicep file,
// Terraform (the azapi provider, which writes any resource type's body as Azure takes it) or `az`
// commands. Each resource is written whole, as a PUT replaces it; a resource that refers to a new
// one depends on it.
#pragma once

#include <string>
#include <vector>

#include "ztnet/fix/deployable.h"
#include "ztnet/support/result.h"

namespace ztnet::report {

/// An ARM deployment template; when the resources span several resource groups, each group's are
/// in a nested deployment into that group.
std::string fix_arm(const std::vector<fix::Deployable>& resources);
/// A Bicep file for one resource group (error `fix-code-scope` when they span several).
Result<std::string> fix_bicep(const std::vector<fix::Deployable>& resources);
/// Terraform: azapi_resource for a new resource, azapi_update_resource for a changed one.
std::string fix_terraform(const std::vector<fix::Deployable>& resources);
/// A bash script of `az resource create --is-full-object` commands, new resources first.
std::string fix_az_cli(const std::vector<fix::Deployable>& resources);

} // namespace ztnet::report
