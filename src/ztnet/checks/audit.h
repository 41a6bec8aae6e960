// The audit: the checks, a score per principle, and the reachability highlights a reader wants
// first: what the Internet can reach, and which paths cross between groups of the estate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ztnet/checks/runner.h"
#include "ztnet/reach/matrix.h"

namespace ztnet::checks {

struct AuditOptions {
    std::vector<model::Suppression> suppressions;
    std::string today; // YYYY-MM-DD, for suppression expiry
    /// Only these checks (all when empty).
    std::vector<std::string> checks;
    /// Whether to compute the reachability highlights (audit) or not (check).
    bool highlights = true;
};

struct AuditResult {
    CheckRun run;
    std::vector<PrincipleScore> scores;
    /// Reachability between subnets, App Gateways, load balancers, Bastion hosts and the Internet:
    /// the cells from the Internet, and the cells between two different inside groups.
    std::optional<reach::ReachMatrix> matrix;
    std::vector<std::size_t> internet_cells; // indices into matrix->cells
    std::vector<std::size_t> lateral_cells;
};

AuditResult run_audit(CheckContext& context, const AuditOptions& options);

/// Whether any unsuppressed finding is at or above `threshold`.
bool fails_at(const CheckRun& run, Severity threshold);

} // namespace ztnet::checks
