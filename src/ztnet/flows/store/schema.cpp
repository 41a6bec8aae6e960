#include "ztnet/flows/store/schema.h"

#include <fmt/format.h>

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
std::string conversation_upsert() {
    const std::string key = joined(kConversationKey, ", ", [](std::string_view c) { return std::string(c); });
    const std::string sums =
        joined(kConversationSums, ", ", [](std::string_view c) { return std::string(c); });
    const std::size_t count = kConversationKey.size() + kConversationSums.size() + 2;
    std::string values;
    for (std::size_t i = 1; i <= count; ++i)
        values += fmt::format("{}?{}", i == 1 ? "" : ", ", i);
    const std::string updates = joined(kConversationSums, ",\n    ", [](std::string_view c) {
        return fmt::format("{0} = CASE WHEN conversations.{0} > 9223372036854775807 - excluded.{0} "
                           "THEN 9223372036854775807 ELSE conversations.{0} + excluded.{0} END",
                           c);
    });
    return fmt::format("INSERT INTO conversations ({}, {}, first_seen_ms, last_seen_ms)\nVALUES ({})\n"
                       "ON CONFLICT ({}) DO UPDATE SET\n    {},\n"
                       "    first_seen_ms = CASE WHEN excluded.first_seen_ms < conversations.first_seen_ms "
                       "THEN excluded.first_seen_ms ELSE conversations.first_seen_ms END,\n"
                       "    last_seen_ms = CASE WHEN excluded.last_seen_ms > conversations.last_seen_ms "
                       "THEN excluded.last_seen_ms ELSE conversations.last_seen_ms END",
                       key, sums, values, key, updates);
}

} // namespace ztnet::flows::store::schema
