// A security rule as ARM writes it (a `securityRules` element): what the plan's code writers and
// `ztnet fix` put into templates.
#pragma once

#include "ztnet/json/value.h"
#include "ztnet/model/estate.h"

namespace ztnet::harden {

/// {"name", "properties": {description, priority, direction, access, protocol, sourcePortRange,
/// source and destination (one prefix, several, or application security group ids), ports}}.
json::Value arm_security_rule(const model::SecurityRule& rule, const model::Estate& estate);

} // namespace ztnet::harden
