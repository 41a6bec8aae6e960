// A hardening plan as code to deploy, through the writers `ztnet fix` uses (report/fix_code.h): the
// plan's resources (harden_deployables) as an ARM template, a Bicep file, Terraform or az commands.
// Each declares every NSG of the plan with its whole rule list (deploying it replaces the custom
// rules the NSG had) and associates each new NSG with its subnet. Existing NSGs keep their name,
// resource group and location; Terraform imports them.
#pragma once

#include <string>
#include <vector>

#include "ztnet/fix/deployable.h"
#include "ztnet/harden/harden.h"
#include "ztnet/support/result.h"

namespace ztnet::report {

/// An ARM deployment template. NSGs of one resource group are top-level resources; when the plan
/// spans several resource groups, each group's are in a nested deployment into that group. Error
/// `harden-code-membership` when the plan adds application security groups (their members join by
/// a change to each NIC, which ARM writes whole: use Terraform or az).
///
/// `estate`, for every writer here: apply_plan()'s, so that the plan's new groups resolve.
Result<std::string> harden_arm(const harden::HardenPlan& plan, const model::Estate& estate);

/// A Bicep file for one resource group (error `fix-code-scope` when the plan spans several: write
/// ARM or Terraform then; `harden-code-membership` as for ARM).
Result<std::string> harden_bicep(const harden::HardenPlan& plan, const model::Estate& estate);

/// Terraform (azurerm): a resource per NSG (with import blocks for the existing ones), an
/// association per new NSG, and each new application security group with an association per member.
std::string harden_terraform(const harden::HardenPlan& plan, const model::Estate& estate);

/// The plan's NSGs (and each new NSG's subnet, with the association) as whole resources, for the
/// writers `ztnet fix` uses.
std::vector<fix::Deployable> harden_deployables(const harden::HardenPlan& plan, const model::Estate& estate);

/// A bash script of `az resource create` commands (fix_az_cli), new groups and NSGs first, then
/// `az network nic ip-config update --asgs` for each member of a new group.
std::string harden_az_cli(const harden::HardenPlan& plan, const model::Estate& estate);

} // namespace ztnet::report
