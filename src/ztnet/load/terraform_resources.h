// Terraform's azurerm resources as the resources Azure holds: each instance of a plan or a state
// (load/terraform) written as the ARM body an export would show for it, so that the estate builder
// builds the same model from a plan as from a template or an export.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ztnet/load/raw_resource.h"
#include "ztnet/load/terraform/plan_document.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::load {

/// The azurerm instances of `doc` (its planned values for a plan) as ARM resources. An instance
/// whose id is known after apply only gets the id Azure will give it, from its type, names and
/// resource group (or parent, or scope). The subscription of those ids is that of a known id in the
/// document, else the one the azurerm provider is configured with, else `subscription`. What one
/// instance changes in another (associations; a load balancer's pools, probes and rules; a storage
/// account's network rules) is written into the resource it changes, found through the plan's
/// references when its id is not known yet. Types ztnet does not translate are said in one warning
/// (`terraform-unsupported-type`), with how many of each.
std::vector<RawResource> terraform_resources(const terraform::PlanDocument& doc,
                                             const std::string& subscription, Diagnostics& diagnostics);

/// An NSG rule's fields: azurerm's name and ARM's, and whether it is a list (azurerm writes an empty
/// list beside the singular field it uses). What reading a plan and writing Terraform share.
struct RuleField {
    std::string_view azurerm;
    std::string_view arm;
    bool list = false;
};
const std::vector<RuleField>& azurerm_rule_fields();

} // namespace ztnet::load
