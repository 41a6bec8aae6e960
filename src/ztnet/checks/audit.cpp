#include "ztnet/checks/audit.h"

#include <algorithm>

#include "ztnet/support/parallel.h"

namespace ztnet::checks {

AuditResult run_audit(CheckContext& context, const AuditOptions& options) {
    AuditResult out;
    // The highlights only read the pairs: once every pair is computed, they are found while the
    // checks run.
    std::optional<Result<reach::ReachMatrix>> matrix;
    const bool alongside = options.highlights && context.reach.has_class_table();
    parallel_for(alongside ? 2 : 1, 2, 1, [&](std::size_t task, unsigned) {
        if (task == 0)
            out.run = run_checks(context, options.suppressions, options.today, options.checks);
        else
            matrix = reach::reach_matrix(context.reach, reach::Grouping::Subnet);
    });
    out.scores = principle_scores(out.run);
    if (!options.highlights)
        return out;
    if (!matrix)
        matrix = reach::reach_matrix(context.reach, reach::Grouping::Subnet);
    if (!*matrix)
        return out;
    out.matrix = std::move(**matrix);
    for (std::size_t i = 0; i < out.matrix->cells.size(); ++i) {
        const reach::MatrixCell& cell = out.matrix->cells[i];
        const reach::MatrixGroup& from = out.matrix->groups[cell.from];
        const reach::MatrixGroup& to = out.matrix->groups[cell.to];
        if (cell.allowed.empty() || to.kind == "internet")
            continue;
        if (from.kind == "internet")
            out.internet_cells.push_back(i);
        else if (cell.from != cell.to)
            out.lateral_cells.push_back(i);
    }
    return out;
}

bool fails_at(const CheckRun& run, Severity threshold) {
    return std::any_of(run.findings.begin(), run.findings.end(), [&](const Finding& f) {
        return !f.suppressed_by && find_check(f.check_id)->severity >= threshold;
    });
}

} // namespace ztnet::checks
