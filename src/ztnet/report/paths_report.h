// Rendering the attack-path analysis (docs/paths.md): text, JSON, SARIF 2.1.0 (a result per attack
// path from the Internet, under check ZT-SEG-009) and one self-contained HTML page.
#pragma once

#include <string>

#include "ztnet/json/value.h"
#include "ztnet/paths/paths.h"
#include "ztnet/support/source.h"

namespace ztnet::report {

struct PathsReportInputs {
    const paths::PathsResult& result;
    const reach::Reachability& reach;
    const SourceSet& sources;
    /// The widest blast radii listed one by one in text and HTML (JSON lists them all).
    std::size_t radii_shown = 15;
};

std::string paths_text(const PathsReportInputs& in);
json::Value paths_json(const PathsReportInputs& in);
std::string paths_html(const PathsReportInputs& in);

struct PathsSarifInputs {
    std::string version;
    std::string source_root; // paths relative to this
    std::string source_root_uri;
};
json::Value paths_sarif(const PathsReportInputs& in, const PathsSarifInputs& sarif);

/// The blast radius per tier as JSON (what `paths` and the audit report).
json::Value tier_summaries_json(const std::vector<paths::TierSummary>& tiers);

/// "Internet -> vm-web-1 -> vm-data-1": the endpoints of a path.
std::string path_line(const paths::AttackPath& path, const reach::Reachability& reach);

} // namespace ztnet::report
