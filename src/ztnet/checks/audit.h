// The audit: the checks, a score per principle, and the reachability highlights a reader wants
// first: what the Internet can reach, and which paths cross between groups of the estate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ztnet/analysis/analysis.h"
#include "ztnet/checks/runner.h"
#include "ztnet/paths/paths.h"
#include "ztnet/reach/matrix.h"

namespace ztnet::checks {

struct AuditOptions {
    std::vector<model::Suppression> suppressions;
    std::string today; // YYYY-MM-DD, for suppression expiry
    /// Only these checks (all when empty).
    std::vector<std::string> checks;
    /// Whether to compute the reachability highlights and the blast radius (audit) or not (check).
    bool highlights = true;
    /// What an attacker is assumed to use (ZT-SEG-009 and the blast radius).
    model::AttackPolicy attack_policy = model::AttackPolicy::defaults();
};

/// Something the input cannot tell, and what it leaves undecided: no check passes because of it,
/// and none finds anything from it alone.
struct Undecided {
    std::string resource_id;
    std::string resource_name;
    SourceLocation where;
    std::string reason; // "its subnet is not in the input: reachability to and from it is undecidable"
};

/// The undecided parts of an estate: resources it refers to but does not hold, and network interfaces
/// whose address cannot be known offline (and so take no part in reachability).
std::vector<Undecided> undecided(const model::Estate& estate);

struct AuditResult {
    CheckRun run;
    std::vector<Undecided> undecided;
    std::vector<PrincipleScore> scores;
    /// Reachability between subnets, App Gateways, load balancers, Bastion hosts and the Internet:
    /// the cells from the Internet, to the Internet, and between two different inside groups, each
    /// with what is surely allowed and what is undecidable.
    std::optional<reach::ReachMatrix> matrix;
    std::vector<std::size_t> internet_cells; // indices into matrix->cells
    std::vector<std::size_t> egress_cells;   // from an inside group to the Internet: exfiltration
    std::vector<std::size_t> lateral_cells;
    /// The blast radius of every workload and its sum per tier (paths and the cut left out), with
    /// the highlights of a finished analysis.
    std::optional<paths::PathsResult> breach;
};

AuditResult run_audit(const CheckContext& context, const AuditOptions& options);

/// What the checks read, from a finished analysis (which must hold reachability and the rule
/// analysis: Analysis::run with the default options).
CheckContext context_of(const analysis::Analysis& analysis);
/// The audit of a finished analysis, on its threads; an error value when the analysis lacks the
/// reachability or the rule analysis the checks read.
Result<AuditResult> run_audit(const analysis::Analysis& analysis, const AuditOptions& options);

/// Whether any unsuppressed finding is at or above `threshold`.
bool fails_at(const CheckRun& run, Severity threshold);

} // namespace ztnet::checks
