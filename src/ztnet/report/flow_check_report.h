// Rendering `flows check`: observed traffic held against the estate, as text for people and as
// JSON (docs/flows.md, "flows check").
#pragma once

#include <string>

#include "ztnet/json/value.h"
#include "ztnet/observed/flow_check.h"
#include "ztnet/support/source.h"

namespace ztnet::report {

std::string flow_check_text(const observed::FlowCheckResult& result, const SourceSet& sources);
json::Value flow_check_json(const observed::FlowCheckResult& result, const SourceSet& sources);

/// Whether the result holds anything a reviewer must act on: drift, traffic the intent forbids or
/// intended traffic denied, or the Internet reaching a management port.
bool flow_check_has_findings(const observed::FlowCheckResult& result);

} // namespace ztnet::report
