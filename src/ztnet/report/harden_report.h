// Rendering `ztnet harden`: the proof first, then what Azure requires, each NSG's new rules with
// why each is there, and what the plan leaves alone; as text for people and as JSON (docs/harden.md).
#pragma once

#include <string>

#include "ztnet/harden/harden.h"
#include "ztnet/json/value.h"

namespace ztnet::report {

std::string harden_text(const harden::HardenPlan& plan, const harden::Proof& proof,
                        const model::Estate& estate, const std::string& intent_path);
json::Value harden_json(const harden::HardenPlan& plan, const harden::Proof& proof,
                        const model::Estate& estate, const std::string& intent_path);

} // namespace ztnet::report
