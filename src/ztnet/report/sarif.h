// What the SARIF 2.1.0 reports share (the audit's and flows check's): levels and code scanning's
// security severity from a severity, artifact URIs relative to the source root, physical locations,
// and the log around one run.
#pragma once

#include <string>
#include <string_view>

#include "ztnet/checks/check.h"
#include "ztnet/json/value.h"
#include "ztnet/support/source.h"

namespace ztnet::report::sarif {

/// error (critical, high), warning (medium) or note (low).
std::string_view level(checks::Severity severity);

/// The CVSS-like number GitHub code scanning ranks security results by.
std::string_view security_severity(checks::Severity severity);

/// `path` relative to `root` as a URI reference (percent-encoded); `path` itself when it is not
/// below `root`.
std::string relative_uri(std::string_view path, const std::string& root);

/// A reportingDescriptor for a check: title, rationale, help with the fix and the guidance step,
/// level, and the principles and security severity as properties.
json::Value rule(const checks::Check& check);

/// A physicalLocation: the file (relative to `root`, uriBaseId %SRCROOT%), line and column.
json::Value physical_location(const SourceLocation& where, const SourceSet& sources, const std::string& root);

/// What the log says besides its rules and results.
struct RunInputs {
    std::string version;
    /// Written as originalUriBaseIds' %SRCROOT% when set.
    std::string source_root_uri;
    /// toolExecutionNotifications (each an object with level and message), empty for none.
    json::Array notifications;
};

/// The whole log: $schema, version and one run of ztnet with `rules` and `results`.
json::Value log(json::Array rules, json::Array results, RunInputs inputs);

} // namespace ztnet::report::sarif
