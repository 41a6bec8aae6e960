// Reading a suppressions file (YAML, documented in docs/audit.md):
//
//   suppressions:
//     - check: ZT-NET-003
//       resource: "*/networkSecurityGroups/nsg-orders-web"
//       reason: "legacy rules, replaced in the Q1 migration"
//       expires: 2027-03-31
//
// Every field is required; a problem is a diagnostic with the file's line and column.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ztnet/model/suppression.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/source.h"

namespace ztnet::load {

struct SuppressionLimits {
    std::size_t max_bytes = std::size_t{1} << 20;
    int max_depth = 16;
    std::size_t max_items = 10000;
};

/// nullopt when the file has any error (each reported to `diagnostics`).
std::optional<std::vector<model::Suppression>> read_suppressions(const SourceSet& sources, FileId file,
                                                                 Diagnostics& diagnostics,
                                                                 const SuppressionLimits& limits = {});
std::optional<std::vector<model::Suppression>> read_suppressions_file(const std::string& path,
                                                                      SourceSet& sources,
                                                                      Diagnostics& diagnostics,
                                                                      const SuppressionLimits& limits = {});

} // namespace ztnet::load
