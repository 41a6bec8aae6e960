// Rendering `ztnet harden`: the proof first, then what Azure requires, each NSG's new rules with
// why each is there, and what the plan leaves alone; with --flows, the observed traffic each rule
// would carry and what the plan would cut; as text for people and as JSON (docs/harden.md).
#pragma once

#include <string>

#include "ztnet/harden/harden.h"
#include "ztnet/harden/observed_use.h"
#include "ztnet/json/value.h"

namespace ztnet::report {

/// `observed` (harden --flows): what each rule would carry of the store's traffic, and what the plan
/// would cut.
std::string harden_text(const harden::HardenPlan& plan, const harden::Proof& proof,
                        const model::Estate& estate, const std::string& intent_path,
                        const harden::ObservedUse* observed = nullptr);
/// One self-contained page (as the audit's, docs/audit.md "HTML"): the proof, then each NSG's
/// rules with why each is there, what Azure requires and what the plan leaves alone.
std::string harden_html(const harden::HardenPlan& plan, const harden::Proof& proof,
                        const model::Estate& estate, const std::string& intent_path,
                        const harden::ObservedUse* observed = nullptr);
json::Value harden_json(const harden::HardenPlan& plan, const harden::Proof& proof,
                        const model::Estate& estate, const std::string& intent_path,
                        const harden::ObservedUse* observed = nullptr);

} // namespace ztnet::report
