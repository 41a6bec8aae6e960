// Internal to the paths module: the fewest links of the attack graph whose removal leaves no path
// from the start classes to the sink classes (a minimum cut, by max-flow with unit capacities).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "ztnet/paths/attack_graph.h"

namespace ztnet::paths::detail {

struct CutResult {
    /// The cut's links (from class, to class), in order.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> links;
    /// False when the cut would hold more than the limit's links: nothing is returned then.
    bool complete = true;
    /// The graph without these links reaches no sink from any start (checked by a search).
    bool verified = false;
};

/// Over every link, sure or possible (a path the input cannot rule out still needs cutting).
CutResult minimum_cut(const AttackGraph& graph, const std::vector<bool>& start, const std::vector<bool>& sink,
                      std::size_t limit = 20000);

} // namespace ztnet::paths::detail
