// Rendering `flows check`: observed traffic held against the estate, as text for people, as JSON
// (docs/flows.md, "flows check"), and as SARIF 2.1.0 for code scanning, each kind of finding a rule
// of its own (ZT-FLOW-...).
#pragma once

#include <string>

#include "ztnet/checks/check.h"
#include "ztnet/json/value.h"
#include "ztnet/model/estate.h"
#include "ztnet/observed/flow_check.h"
#include "ztnet/support/source.h"
#include "ztnet/support/version.h"

namespace ztnet::report {

std::string flow_check_text(const observed::FlowCheckResult& result, const SourceSet& sources);
json::Value flow_check_json(const observed::FlowCheckResult& result, const SourceSet& sources);
/// One self-contained page (as the audit's, docs/audit.md "HTML"): the counts, then a table per
/// kind of finding; `store` names the flow store.
std::string flow_check_html(const observed::FlowCheckResult& result, const SourceSet& sources,
                            const std::string& store);

/// What the SARIF report places results in besides the result.
struct FlowCheckSarifInputs {
    const model::Estate& estate;
    const SourceSet& sources;
    std::string version{kVersion};
    /// Artifact URIs are relative to this folder (uriBaseId %SRCROOT%); `source_root_uri` is
    /// written as its absolute URI when set.
    std::string source_root = ".";
    std::string source_root_uri = {};
    /// At most this many results, the most severe first; a notification says what was left out.
    std::size_t max_results = 5000;
};

json::Value flow_check_sarif(const observed::FlowCheckResult& result, const FlowCheckSarifInputs& inputs);

/// The rules of the SARIF report: one per kind of finding, with its severity, principles, why it
/// matters and what to do (docs/flows.md lists them).
const std::vector<checks::Check>& flow_check_rules();

/// Whether the result holds anything a reviewer must act on: drift, traffic the intent forbids or
/// intended traffic denied, or the Internet reaching a management port.
bool flow_check_has_findings(const observed::FlowCheckResult& result);

} // namespace ztnet::report
