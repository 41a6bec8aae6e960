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
/// whose id is known after apply only gets the id Azure will give it, from its type, name and
/// resource group; `subscription` is the subscription of those ids when no known id in the document
/// names one. Associations (a subnet's or NIC's NSG) are written into the resource they change,
/// found through the plan's references when their ids are not known yet. Types ztnet does not
/// translate are said in one warning (`terraform-unsupported-type`), with how many of each.
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
