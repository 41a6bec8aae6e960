#include "ztnet/flows/store/schema.h"

#include <cctype>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ztnet::flows::store::schema {

namespace {

std::string joined(auto columns, std::string_view separator, auto each) {
    std::string out;
    for (const std::string_view column : columns) {
        if (!out.empty())
            out += separator;
        out += each(column);
    }
    return out;
}

} // namespace

// Neither min()/max() (SQLite) nor LEAST/GREATEST (PostgreSQL) is in the other: CASE is in both.
// A sum past 2^63 - 1 would turn into a float in SQLite and fail in PostgreSQL: it saturates.
std::string conversation_upsert_from(std::string_view rows) {
    const std::string key = joined(kConversationKey, ", ", [](std::string_view c) { return std::string(c); });
    const std::string sums =
        joined(kConversationSums, ", ", [](std::string_view c) { return std::string(c); });
    const std::string updates = joined(kConversationSums, ",\n    ", [](std::string_view c) {
        return fmt::format("{0} = CASE WHEN conversations.{0} > 9223372036854775807 - excluded.{0} "
                           "THEN 9223372036854775807 ELSE conversations.{0} + excluded.{0} END",
                           c);
    });
    return fmt::format("INSERT INTO conversations ({}, {}, first_seen_ms, last_seen_ms)\n{}\n"
                       "ON CONFLICT ({}) DO UPDATE SET\n    {},\n"
                       "    first_seen_ms = CASE WHEN excluded.first_seen_ms < conversations.first_seen_ms "
                       "THEN excluded.first_seen_ms ELSE conversations.first_seen_ms END,\n"
                       "    last_seen_ms = CASE WHEN excluded.last_seen_ms > conversations.last_seen_ms "
                       "THEN excluded.last_seen_ms ELSE conversations.last_seen_ms END",
                       key, sums, rows, key, updates);
}

std::string conversation_upsert() {
    const std::size_t count = kConversationKey.size() + kConversationSums.size() + 2;
    std::string values;
    for (std::size_t i = 1; i <= count; ++i)
        values += fmt::format("{}?{}", i == 1 ? "" : ", ", i);
    return conversation_upsert_from(fmt::format("VALUES ({})", values));
}

std::string checkpoint_upsert() {
    constexpr std::array<std::string_view, 7> kColumns = {"records",       "offset_bytes", "prefix_hash",
                                                          "read_records",  "tuples",       "skipped_records",
                                                          "skipped_tuples"};
    const std::string updates =
        joined(kColumns, ", ", [](std::string_view c) { return fmt::format("{0} = excluded.{0}", c); });
    return fmt::format("INSERT INTO blobs (blob_key, {}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                       "ON CONFLICT (blob_key) DO UPDATE SET {}",
                       fmt::join(kColumns, ", "), updates);
}

std::string conversations_select() {
    auto text = [](std::string_view column) {
        return fmt::format("(SELECT text FROM texts WHERE id = c.{})", column);
    };
    return fmt::format(
        "SELECT bucket_ms, src_family, src_hi, src_lo, dst_family, dst_hi, dst_lo, dst_port, protocol, "
        "direction, decision, {}, {}, {}, {}, {}, tuples, flows_begun, packets_sent, bytes_sent, "
        "packets_received, bytes_received, first_seen_ms, last_seen_ms FROM conversations c ORDER BY {}",
        text("resource_id"), text("acl_id"), text("rule_id"), text("mac_id"), text("encryption_id"),
        fmt::join(kConversationKey, ", "));
}

std::string postgres_parameters(std::string_view sql) {
    std::string out(sql);
    for (std::size_t at = out.find('?'); at != std::string::npos; at = out.find('?', at + 1))
        if (at + 1 < out.size() && std::isdigit(static_cast<unsigned char>(out[at + 1])) != 0)
            out[at] = '$';
    return out;
}

} // namespace ztnet::flows::store::schema
