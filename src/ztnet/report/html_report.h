// The HTML reports (audit, diff, verify): one self-contained file each (inline style, script and drawing; no
// network), documented in docs/audit.md ("HTML"). The audit's shows the summary and the principle scores, the
// estate drawn with what is wrong highlighted, the intent's verdict, every finding (filtered and expanded in
// the browser, its witness flow hop by hop), and the reachability heat map.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ztnet/checks/audit.h"
#include "ztnet/reach/reachability.h"
#include "ztnet/reach/verify.h"
#include "ztnet/report/audit_report.h"
#include "ztnet/report/pull_request.h"
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

/// The semantic diff: the headline, the new version drawn with where newly allowed flows end, the
/// flow sets newly allowed and denied with the rule change behind each and their example flows
/// traced, and the findings added and removed. `after_audit` colours the drawing; `after_reach`
/// places the flows (may be null).
std::string diff_html(const DiffReportInputs& inputs, const checks::AuditResult& after_audit,
                      const reach::Reachability* after_reach);

/// An intent's verification: the verdict, the estate drawn with where excess flows end, and the
/// flow sets with the rules that decide them and their example flows traced.
std::string verify_html(const reach::VerifyResult& verified, const reach::Reachability& reach,
                        const std::string& intent_path, const SourceSet& sources);

} // namespace ztnet::report
