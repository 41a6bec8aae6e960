// Fixes that set one or two properties of the resource a finding is on: PaaS services' public
// access, TLS floors, HTTPS, local authentication, Key Vault recovery and permission model, AKS
// local accounts; VM guest patching; the App Gateway's TLS policy; virtual network encryption.
// What a property cannot answer alone (a server parameter child, a private cluster) is manual.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ztnet/checks/check.h"
#include "ztnet/json/value.h"
#include "ztnet/model/estate.h"
#include "ztnet/support/result.h"

namespace ztnet::fix {

struct SettingFix {
    /// "set minimal TLS 1.2 on" (the resource names follow).
    std::string what;
    /// JSON pointers into the resource body, and the values they get.
    std::vector<std::pair<std::string, json::Value>> values;
    /// What the change does to clients, for people; empty when nothing.
    std::string note;
};

/// The setting change that answers `finding`; nullopt when its check has no such fix. A fix that
/// would need a decision or a child resource is an error string: the reason it is manual.
std::optional<Result<SettingFix>> setting_fix(const model::Estate& estate, const checks::Finding& finding);

} // namespace ztnet::fix
