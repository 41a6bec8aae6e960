// Rendering the rule analysis (docs/rules.md): per NSG, the shadowed, redundant, conflicting and
// source-port-restricted rules, each with its place in the input and a demonstrating flow.
#pragma once

#include <string>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/rule_analysis.h"
#include "ztnet/support/source.h"

namespace ztnet::report {

std::string rules_text(const std::vector<reach::NsgRuleAnalysis>& analyses,
                       const policy::PolicyEngine& engine, const SourceSet& sources);
json::Value rules_json(const std::vector<reach::NsgRuleAnalysis>& analyses,
                       const policy::PolicyEngine& engine, const SourceSet& sources);

} // namespace ztnet::report
