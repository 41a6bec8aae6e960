// The witness flow of a finding traced hop by hop: what the HTML report shows when a reader opens a
// finding that rests on traffic (the Internet reaching a VM's SSH port), with the deciding rule of
// each hop and where it is written, as `ztnet explain` gives it.
#pragma once

#include <optional>
#include <vector>

#include "ztnet/analysis/analysis.h"
#include "ztnet/checks/check.h"
#include "ztnet/route/path.h"

namespace ztnet::checks {

/// Per finding, in order: the first flow of its evidence traced through the analysis; nullopt for
/// a finding without a flow, one whose ends ztnet cannot resolve to endpoints, or past `limit`
/// traced findings (the most severe come first, so the cap keeps those).
std::vector<std::optional<route::PathResult>>
witness_paths(const analysis::Analysis& analysis, const std::vector<Finding>& findings, std::size_t limit);

} // namespace ztnet::checks
