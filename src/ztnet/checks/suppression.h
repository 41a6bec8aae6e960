// Applying suppressions (model/suppression.h; read by load/suppressions_reader.h) to findings.
#pragma once

#include <string>

#include "ztnet/model/suppression.h"

namespace ztnet::checks {

using model::Suppression;

/// Whether the suppression covers a finding of `check_id` on the resource (by id or by name).
/// Glob match with `*` only, ASCII case-insensitive: how suppressions and --checks name check ids
/// ("ZT-STG-*", "zt-net-001") and resources.
bool glob_matches(std::string_view pattern, std::string_view text);

bool suppression_matches(const Suppression& suppression, std::string_view check_id,
                         std::string_view resource_id, std::string_view resource_name);

/// Whether the suppression has expired on `today` ("YYYY-MM-DD"; ISO dates compare as text).
bool suppression_expired(const Suppression& suppression, std::string_view today);

} // namespace ztnet::checks
