// The store's tables, shared by its backends: the names and the order of the columns that the
// portable statements (INSERT ... ON CONFLICT ... DO UPDATE) bind. Each backend spells the types.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace ztnet::flows::store::schema {

/// The columns of a conversation's key, in binding order.
inline constexpr std::array<std::string_view, 16> kConversationKey = {
    "bucket_ms", "src_family", "src_hi",   "src_lo",  "dst_family", "dst_hi",      "dst_lo", "dst_port",
    "protocol",  "direction",  "decision", "rule_id", "acl_id",     "resource_id", "mac_id", "encryption_id"};

/// The columns summed over a conversation's tuples, in binding order after the key.
inline constexpr std::array<std::string_view, 6> kConversationSums = {
    "tuples", "flows_begun", "packets_sent", "bytes_sent", "packets_received", "bytes_received"};

/// INSERT of one conversation that adds to the row already there (sums saturating at 2^63 - 1,
/// first and last seen widened), in SQL that SQLite and PostgreSQL both run (PostgreSQL spells
/// the numbered parameters ?N as $N).
std::string conversation_upsert();

} // namespace ztnet::flows::store::schema
