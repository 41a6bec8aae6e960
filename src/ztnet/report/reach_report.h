// Rendering reachability results: the matrix (text, JSON, CSV), intent verification (text, JSON)
// and the semantic diff (text, JSON). Formats are documented in docs/reach.md, docs/verify.md and
// docs/diff.md.
#pragma once

#include <string>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/reach/diff.h"
#include "ztnet/reach/matrix.h"
#include "ztnet/reach/verify.h"
#include "ztnet/support/source.h"

namespace ztnet::report {

/// " (and 3 similar pairs)" after a pair that speaks for others alike; "" for none.
std::string pairs_note(std::size_t similar);

std::string matrix_text(const reach::ReachMatrix& matrix, const reach::Reachability& reach);
json::Value matrix_json(const reach::ReachMatrix& matrix, const reach::Reachability& reach);
std::string matrix_csv(const reach::ReachMatrix& matrix);

/// The services of a set as JSON: {"text": "Tcp 443", "boxes": [{"protocols", "sourcePorts",
/// "destinationPorts"}]}.
json::Value services_json(const reach::ServiceSet& services);

std::string verify_text(const reach::VerifyResult& result, const reach::Reachability& reach,
                        const std::string& intent_path, const SourceSet& sources);
json::Value verify_json(const reach::VerifyResult& result, const reach::Reachability& reach,
                        const std::string& intent_path, const SourceSet& sources);

std::string diff_text(const std::vector<reach::PairChange>& changes, const reach::ReachDiff& diff,
                      const SourceSet& before_sources, const SourceSet& after_sources);
json::Value diff_json(const std::vector<reach::PairChange>& changes, const reach::ReachDiff& diff,
                      const SourceSet& before_sources, const SourceSet& after_sources);

} // namespace ztnet::report
