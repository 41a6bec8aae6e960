// The HTML reports: one self-contained file each (inline style, script and drawing; no network),
// documented in docs/audit.md ("HTML"). The audit's shows the summary and the principle scores,
// the estate drawn with what is wrong highlighted, the intent's verdict, every finding (filtered
// and expanded in the browser, its witness flow hop by hop), and the reachability heat map.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ztnet/checks/audit.h"
#include "ztnet/reach/reachability.h"
#include "ztnet/report/audit_report.h"
#include "ztnet/route/path.h"

namespace ztnet::report {

struct AuditHtmlInputs {
    /// The analysis's reachability (the drawing highlights what the Internet reaches); may be null.
    const reach::Reachability* reach = nullptr;
    /// Per finding of the run, in order, its witness flow traced (checks::witness_paths); may be
    /// null or shorter than the findings.
    const std::vector<std::optional<route::PathResult>>* traces = nullptr;
    /// The heat map shows at most this many groups each way (those with the most cells).
    std::size_t max_matrix_groups = 150;
    /// Above this many subnets the drawing shows VNets collapsed.
    std::size_t max_expanded_subnets = 60;
};

std::string audit_html(const checks::AuditResult& result, const AuditInputs& inputs,
                       const AuditHtmlInputs& html);

} // namespace ztnet::report
