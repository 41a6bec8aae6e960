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
/// the numbered parameters ?N as $N: postgres_parameters).
std::string conversation_upsert();
/// The same upsert of the rows `rows` gives (a VALUES list or a SELECT of the 24 columns in binding
/// order), each added to the row already there. The rows must have distinct keys.
std::string conversation_upsert_from(std::string_view rows);

/// The checkpoint of the blob ?1: records, offset_bytes, prefix_hash, read_records, tuples,
/// skipped_records, skipped_tuples.
inline constexpr std::string_view kCheckpointSelect =
    "SELECT records, offset_bytes, prefix_hash, read_records, tuples, skipped_records, skipped_tuples "
    "FROM blobs WHERE blob_key = ?1";
/// The checkpoint of a blob, inserted or replaced: ?1 the key, ?2 to ?8 as kCheckpointSelect reads.
std::string checkpoint_upsert();

/// What a summary reads, one statement at a time (in one read transaction): the blobs' totals,
/// the conversations' totals, the tuples per decision, direction and protocol, the kept tuples.
inline constexpr std::string_view kSummaryBlobs =
    "SELECT count(*), sum(offset_bytes), sum(read_records), sum(tuples), sum(skipped_records), "
    "sum(skipped_tuples) FROM blobs";
inline constexpr std::string_view kSummaryConversations =
    "SELECT count(*), sum(flows_begun), sum(packets_sent), sum(bytes_sent), sum(packets_received), "
    "sum(bytes_received), min(first_seen_ms), max(last_seen_ms) FROM conversations";
inline constexpr std::string_view kSummaryGroups =
    "SELECT decision, direction, protocol, sum(tuples) FROM conversations "
    "GROUP BY decision, direction, protocol ORDER BY protocol";
inline constexpr std::string_view kSummaryKeptTuples = "SELECT count(*) FROM tuples";

/// Every conversation with its texts, ordered by its key: the 11 key columns up to decision, the
/// texts of resource, acl, rule, mac and encryption, the 6 sums, first and last seen.
std::string conversations_select();

/// `sql` with its numbered parameters ?N spelt $N, as PostgreSQL wants them. The statements here
/// hold no '?' in a literal, so every '?' followed by digits is a parameter.
std::string postgres_parameters(std::string_view sql);

} // namespace ztnet::flows::store::schema
