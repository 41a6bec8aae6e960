// Rendering `ztnet fix`: each fix with its proof (the findings it removes, what the re-audit found
// new), the findings left for people and why, and the patched inputs as a unified diff; as text
// and as JSON (docs/fix.md).
#pragma once

#include <string>

#include "ztnet/checks/runner.h"
#include "ztnet/fix/fix.h"
#include "ztnet/json/value.h"

namespace ztnet::report {

/// `before`: the audit the fixes answer (it names the findings behind the fingerprints).
std::string fix_text(const fix::FixRun& run, const checks::CheckRun& before);
json::Value fix_json(const fix::FixRun& run, const checks::CheckRun& before);
/// Every patched input of the proved fixes together, as one unified diff (for `git apply`).
std::string fix_diff(const fix::FixRun& run);

} // namespace ztnet::report
