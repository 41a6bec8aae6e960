// A hardening plan as code to deploy: an ARM template, a Bicep file, or Terraform (azurerm). Each
// declares every NSG of the plan with its whole rule list (deploying it replaces the custom rules
// the NSG had) and associates each new NSG with its subnet. Existing NSGs keep their name, resource
// group and location; Terraform imports them.
#pragma once

#include <string>
#include <vector>

#include "ztnet/fix/deployable.h"
#include "ztnet/harden/harden.h"
#include "ztnet/support/result.h"

namespace ztnet::report {

/// An ARM deployment template. NSGs of one resource group are top-level resources; when the plan
/// spans several resource groups, each group's are in a nested deployment into that group.
std::string harden_arm(const harden::HardenPlan& plan, const model::Estate& estate);

/// A Bicep file for one resource group (error `harden-code-scope` when the plan spans several:
/// write ARM or Terraform then).
Result<std::string> harden_bicep(const harden::HardenPlan& plan, const model::Estate& estate);

/// Terraform for the azurerm provider: a resource per NSG (with import blocks for the existing
/// ones) and an association per new NSG.
std::string harden_terraform(const harden::HardenPlan& plan, const model::Estate& estate);

/// The plan's NSGs (and each new NSG's subnet, with the association) as whole resources, for the
/// writers `ztnet fix` uses.
std::vector<fix::Deployable> harden_deployables(const harden::HardenPlan& plan, const model::Estate& estate);

/// A bash script of `az resource create` commands (fix_az_cli), new NSGs first.
std::string harden_az_cli(const harden::HardenPlan& plan, const model::Estate& estate);

} // namespace ztnet::report
