#include "ztnet/flows/store/summary_report.h"

#include <chrono>

#include <fmt/format.h>

#include "ztnet/net/protocol.h"
#include "ztnet/support/ascii.h"

namespace ztnet::flows::store {

namespace {

json::Value number(std::uint64_t value) {
    return static_cast<std::int64_t>(value > kMaxStored ? kMaxStored : value);
}

json::Value optional_time(const std::optional<std::int64_t>& time_ms) {
    return time_ms ? json::Value(iso_time(*time_ms)) : json::Value();
}

} // namespace

std::string iso_time(std::int64_t time_ms) {
    using namespace std::chrono;
    const sys_time<milliseconds> time{milliseconds(time_ms)};
    const sys_days day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss<milliseconds> clock{time - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                       clock.hours().count(), clock.minutes().count(), clock.seconds().count(),
                       clock.subseconds().count());
}

json::Value summary_json(const StoreSummary& s) {
    json::Object out;
    out.set("schema_version", s.schema_version);
    out.set("bucket", bucket_text(s.bucket_ms));
    out.set("files", number(s.files));
    out.set("file_bytes", number(s.bytes));
    out.set("records", number(s.records));
    out.set("tuples", number(s.tuples));
    out.set("skipped_records", number(s.skipped_records));
    out.set("skipped_tuples", number(s.skipped_tuples));
    out.set("conversations", number(s.conversations));
    out.set("flows_begun", number(s.flows_begun));
    out.set("packets", number(saturating_add(s.counters.packets_sent, s.counters.packets_received)));
    out.set("bytes", number(saturating_add(s.counters.bytes_sent, s.counters.bytes_received)));
    out.set("packets_sent", number(s.counters.packets_sent));
    out.set("bytes_sent", number(s.counters.bytes_sent));
    out.set("packets_received", number(s.counters.packets_received));
    out.set("bytes_received", number(s.counters.bytes_received));
    out.set("first_seen", optional_time(s.first_seen_ms));
    out.set("last_seen", optional_time(s.last_seen_ms));
    json::Object decision;
    decision.set("allowed", number(s.allowed));
    decision.set("denied", number(s.denied));
    out.set("by_decision", std::move(decision));
    json::Object direction;
    direction.set("inbound", number(s.inbound));
    direction.set("outbound", number(s.outbound));
    out.set("by_direction", std::move(direction));
    json::Object protocols;
    for (const auto& [protocol, tuples] : s.by_protocol)
        protocols.set(net::protocol_to_string(protocol), number(tuples));
    out.set("by_protocol", std::move(protocols));
    out.set("kept_tuples", number(s.kept_tuples));
    return out;
}

std::string summary_text(const StoreSummary& s) {
    std::string protocols;
    for (const auto& [protocol, tuples] : s.by_protocol)
        protocols +=
            fmt::format("{}{} {}", protocols.empty() ? "" : ", ", net::protocol_to_string(protocol), tuples);
    std::string out = fmt::format("store schema {}, conversations summed per {}\n", s.schema_version,
                                  bucket_text(s.bucket_ms));
    out += fmt::format("files:     {} ({} bytes)\n", s.files, s.bytes);
    out += fmt::format("records:   {} read, {} skipped\n", s.records, s.skipped_records);
    out += fmt::format("tuples:    {} read, {} skipped; {} conversations, {} flows begun\n", s.tuples,
                       s.skipped_tuples, s.conversations, s.flows_begun);
    out += fmt::format("decision:  {} allowed, {} denied\n", s.allowed, s.denied);
    out += fmt::format("direction: {} inbound, {} outbound\n", s.inbound, s.outbound);
    out += fmt::format("protocol:  {}\n", protocols.empty() ? "-" : protocols);
    out += fmt::format("traffic:   {} packets, {} bytes sent; {} packets, {} bytes received\n",
                       s.counters.packets_sent, s.counters.bytes_sent, s.counters.packets_received,
                       s.counters.bytes_received);
    if (s.first_seen_ms && s.last_seen_ms)
        out += fmt::format("seen:      {} to {}\n", iso_time(*s.first_seen_ms), iso_time(*s.last_seen_ms));
    if (s.kept_tuples > 0)
        out += fmt::format("kept:      {} tuples as read\n", s.kept_tuples);
    return out;
}

namespace {

// Reads `width` digits at `at`; -1 when they are not all digits.
std::int64_t digits(std::string_view text, std::size_t at, std::size_t width) {
    if (at + width > text.size())
        return -1;
    std::int64_t value = 0;
    for (std::size_t i = at; i < at + width; ++i) {
        if (!ascii::is_digit(text[i]))
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

} // namespace

Result<std::int64_t> parse_utc_time(std::string_view text) {
    auto bad = [&] {
        return Error{fmt::format("'{}' is not a UTC time: expected 2024-01-15, 2024-01-15T10:00Z or "
                                 "2024-01-15T10:00:00Z",
                                 text),
                     Error::kNoOffset, "flows-time-invalid"};
    };
    if (!text.empty() && (text.back() == 'Z' || text.back() == 'z'))
        text.remove_suffix(1);
    const std::int64_t year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
    if (text.size() < 10 || text[4] != '-' || text[7] != '-' || year < 1970 || month < 1 || month > 12 ||
        day < 1 || day > 31)
        return bad();
    // The same calendar iso_time prints with: std::chrono's, which knows month lengths and leap years.
    const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(year)),
                                           std::chrono::month(static_cast<unsigned>(month)),
                                           std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok())
        return bad();
    std::int64_t hour = 0, minute = 0, second = 0;
    if (text.size() > 10) {
        if ((text[10] != 'T' && text[10] != 't') || (text.size() != 16 && text.size() != 19) ||
            text[13] != ':')
            return bad();
        hour = digits(text, 11, 2);
        minute = digits(text, 14, 2);
        if (text.size() == 19) {
            if (text[16] != ':')
                return bad();
            second = digits(text, 17, 2);
        }
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
            return bad();
    }
    const std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
    return ((days * 24 + hour) * 60 + minute) * 60000 + second * 1000;
}

} // namespace ztnet::flows::store
