// Applying suppressions (model/suppression.h; read by load/suppressions_reader.h) to findings.
#pragma once

#include <string>

#include "ztnet/model/suppression.h"

namespace ztnet::checks {

using model::Suppression;

/// Whether the suppression covers a finding of `check_id` on the resource (by id or by name).
bool suppression_matches(const Suppression& suppression, std::string_view check_id,
                         std::string_view resource_id, std::string_view resource_name);

/// Whether the suppression has expired on `today` ("YYYY-MM-DD"; ISO dates compare as text).
bool suppression_expired(const Suppression& suppression, std::string_view today);

} // namespace ztnet::checks
