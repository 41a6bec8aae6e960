// Rendering one traced path (explain, and the example flows of verify and diff): text with a
// line per hop, or JSON (documented in docs/explain.md); and a rule's place in the input.
#pragma once

#include <string>

#include "ztnet/json/value.h"
#include "ztnet/route/path.h"
#include "ztnet/support/source.h"

namespace ztnet::report {

/// "file:line:col" of a place in the inputs, or "" when unknown.
std::string location_text(const SourceLocation& where, const SourceSet& sources);
/// {"file", "line", "column", "pointer"}, or null when unknown.
json::Value location_json(const SourceLocation& where, const SourceSet& sources);

/// The flow, both ends, one line per hop (with the deciding rule's place) and the verdict.
std::string path_text(const route::PathResult& path, const SourceSet& sources);
/// The same as JSON.
json::Value path_json(const route::PathResult& path, const SourceSet& sources);
/// One hop as JSON: the shape every report that shows hops uses (kind, step, verdict, resource,
/// rule, priority, detail, location).
json::Value hop_json(const route::Hop& hop, const SourceSet& sources);

} // namespace ztnet::report
