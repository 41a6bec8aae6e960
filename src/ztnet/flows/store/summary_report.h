// The summary of a store as people read it (text) and as scripts read it (JSON). The JSON members
// are documented in docs/flows.md, "ztnet flows summary".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ztnet/flows/store/flow_store.h"
#include "ztnet/json/value.h"
#include "ztnet/support/result.h"

namespace ztnet::flows::store {

/// A few lines: files and bytes, records and tuples read and skipped, the breakdowns, the traffic.
std::string summary_text(const StoreSummary& summary);
/// One object: the totals, by_decision, by_direction, by_protocol and the traffic counters.
json::Value summary_json(const StoreSummary& summary);
/// "2024-01-15T10:00:00.000Z".
std::string iso_time(std::int64_t time_ms);

/// A UTC time as `--since` and `--until` take it: "2024-01-15", "2024-01-15T10:00Z" or
/// "2024-01-15T10:00:00Z" (a trailing "Z" optional), in milliseconds since 1970. Errors have the
/// code `flows-time-invalid`.
Result<std::int64_t> parse_utc_time(std::string_view text);

} // namespace ztnet::flows::store
