// The pull-request gate's reports of a semantic diff: a Markdown comment a reviewer reads in ten
// seconds (what is newly allowed and denied, the rule change behind each, the findings added and
// removed), and SARIF that places each newly allowed flow set and each added finding on the line of
// the new version that causes it. Formats are documented in docs/diff.md and docs/ci.md.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ztnet/checks/finding_changes.h"
#include "ztnet/json/value.h"
#include "ztnet/model/estate.h"
#include "ztnet/reach/diff.h"
#include "ztnet/support/source.h"
#include "ztnet/support/version.h"

namespace ztnet::report {

struct DiffReportInputs {
    const std::vector<reach::PairChange>& changes;
    const reach::ReachDiff& diff;
    const SourceSet& before_sources;
    const SourceSet& after_sources;
    /// The new version's estate (SARIF places a finding without a place on its subscription).
    const model::Estate& after_estate;
    /// The findings the change adds and removes; null when the checks did not run.
    const checks::FindingChanges* findings = nullptr;
    /// What the two versions are, for people: "main (3f2a1c9)", "the working tree".
    std::string before_label = "before";
    std::string after_label = "after";
    /// Markdown: rows per table (the rest are counted, and the text report lists them).
    std::size_t max_rows = 25;
    /// SARIF: artifact URIs relative to this folder; its URI written when set.
    std::string source_root = ".";
    std::string source_root_uri = {};
    std::string version{kVersion};
};

std::string diff_markdown(const DiffReportInputs& inputs);
/// The findings a change adds and removes, after diff_text ("" when none); and as JSON:
/// {"added": [...], "removed": [...]}, each {check, severity, resource, resourceName, message,
/// fingerprint, location}.
std::string finding_changes_text(const checks::FindingChanges& changes, const SourceSet& before_sources,
                                 const SourceSet& after_sources);
json::Value finding_changes_json(const checks::FindingChanges& changes, const SourceSet& before_sources,
                                 const SourceSet& after_sources);
json::Value diff_sarif(const DiffReportInputs& inputs);

/// The SARIF rule id of a newly allowed flow set.
inline constexpr std::string_view kNewlyAllowedRule = "ZT-DIFF-ALLOW";

} // namespace ztnet::report
