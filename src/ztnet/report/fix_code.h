// Resources as code to deploy, what `ztnet fix` (an export's changed resources) and `ztnet harden`
// (the plan's NSGs) write: an ARM template, a Bicep file, Terraform (azurerm for the network's own
// types, azapi for any other type's body as Azure takes it) or `az` commands. Each resource is
// written whole, as a PUT replaces it; a resource that refers to a new one depends on it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ztnet/fix/deployable.h"
#include "ztnet/support/result.h"

namespace ztnet::report {

/// An ARM deployment template; when the resources span several resource groups, each group's are
/// in a nested deployment into that group.
std::string fix_arm(const std::vector<fix::Deployable>& resources);
/// A Bicep file for one resource group (error `fix-code-scope` when they span several).
Result<std::string> fix_bicep(const std::vector<fix::Deployable>& resources);
/// A NIC joining an application security group: azurerm writes it as an association of its own.
struct TerraformMembership {
    std::string nic_id;
    std::string group_id;
};

/// Terraform: the network's own types (NSGs, application security groups, route tables, and a
/// subnet's new NSG or route table as an association) with azurerm, an existing one imported; any
/// other type's body with azapi (azapi_resource when new, azapi_update_resource when changed).
/// `memberships`: NICs joining groups, each an association.
std::string fix_terraform(const std::vector<fix::Deployable>& resources,
                          const std::vector<TerraformMembership>& memberships = {});
/// A bash script of `az resource create --is-full-object` commands, new resources first.
std::string fix_az_cli(const std::vector<fix::Deployable>& resources);

/// `text` as one word of a bash command line: single-quoted, a quote in it written '\''.
std::string shell_quote(std::string_view text);

} // namespace ztnet::report
