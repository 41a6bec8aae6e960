// Example flows people read easily: a host address rather than a network's first one (0.0.0.0,
// 10.0.1.0), an ephemeral client port rather than 0, a service's well-known port rather than the
// lowest of a range. Every choice stays inside the set it is drawn from.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "ztnet/net/uint128.h"

namespace ztnet::reach {

/// Intervals [lo, hi] of values, ascending.
using Intervals = std::vector<std::pair<net::u128, net::u128>>;

/// An address of `intervals` (one family): 203.0.113.10 (documentation space, an Internet address)
/// when a wide interval holds it and `v4`, else the first interval's first host (its fifth address,
/// as Azure reserves four, when it has eight or more; its second when it has two or more).
net::u128 readable_address(const Intervals& intervals, bool v4);

/// A source port of `intervals`: 49152 (the first ephemeral port) or 1024 when held, else the lowest.
std::uint16_t readable_source_port(const Intervals& intervals);

/// A destination port of `intervals`: a management or common service port when held (22, 3389,
/// 443, 80, 1433, 445), else the lowest.
std::uint16_t readable_destination_port(const Intervals& intervals);

} // namespace ztnet::reach
