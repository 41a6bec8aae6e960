// A suppression: a finding the team has accepted, for a reason, until a date. Plain data, read from
// a YAML file by the loader and applied by the checks runner.
#pragma once

#include <string>

#include "ztnet/support/source.h"

namespace ztnet::model {

struct Suppression {
    std::string check_id; // "ZT-NET-001", a pattern such as "ZT-STG-*", or "*"
    /// A pattern over the resource id or name, case-insensitive; `*` matches any run of characters.
    std::string resource;
    std::string reason;
    std::string expires; // "YYYY-MM-DD": the last day it applies
    SourceLocation where;
};

} // namespace ztnet::model
