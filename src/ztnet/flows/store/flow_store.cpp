#include "ztnet/flows/store/flow_store.h"

#include <charconv>

#include <fmt/format.h>

namespace ztnet::flows::store {

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

Error bad_bucket(std::string_view text, std::string_view why) {
    return fail_with("store-bucket-invalid", fmt::format("bucket '{}': {}", text, why));
}

} // namespace

Result<std::int64_t> parse_bucket(std::string_view text) {
    std::int64_t count = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (error != std::errc() || end == text.data())
        return bad_bucket(text, "expected minutes (15) or a number with a unit (15m, 1h, 1d)");
    const std::string_view unit = text.substr(static_cast<std::size_t>(end - text.data()));
    std::int64_t scale = 0;
    if (unit.empty() || unit == "m" || unit == "min")
        scale = kMinute;
    else if (unit == "h")
        scale = kHour;
    else if (unit == "d")
        scale = kDay;
    else
        return bad_bucket(text, "the unit is m, h or d");
    if (count <= 0 || count > kDay / scale)
        return bad_bucket(text, "the bucket is from one minute to one day");
    const std::int64_t bucket = count * scale;
    if (kDay % bucket != 0)
        return bad_bucket(text, "the bucket must divide a day evenly (15m, 20m, 1h, 2h, 6h...)");
    return bucket;
}

std::string bucket_text(std::int64_t bucket_ms) {
    if (bucket_ms % kDay == 0)
        return fmt::format("{}d", bucket_ms / kDay);
    if (bucket_ms % kHour == 0)
        return fmt::format("{}h", bucket_ms / kHour);
    if (bucket_ms % kMinute == 0)
        return fmt::format("{}m", bucket_ms / kMinute);
    return fmt::format("{}ms", bucket_ms);
}

Result<std::int64_t> check_meta(std::string_view name, std::string_view version, std::string_view bucket,
                                const OpenOptions& options) {
    if (version != std::to_string(kSchemaVersion))
        return fail_with(
            "store-schema-unknown",
            fmt::format("{}: the store has schema version '{}'; this ztnet reads version {} only", name,
                        version, kSchemaVersion));
    std::int64_t bucket_ms = 0;
    const auto [end, error] = std::from_chars(bucket.data(), bucket.data() + bucket.size(), bucket_ms);
    if (error != std::errc() || end != bucket.data() + bucket.size() || bucket_ms <= 0)
        return fail_with(
            "store-not-a-store",
            fmt::format("{}: the store's bucket length '{}' is not a number of milliseconds", name, bucket));
    if (options.bucket_ms && *options.bucket_ms != bucket_ms)
        return fail_with("store-bucket-mismatch",
                         fmt::format("{}: the store sums conversations over buckets of {}, not {}; use a new "
                                     "store for another bucket length",
                                     name, bucket_text(bucket_ms), bucket_text(*options.bucket_ms)));
    return bucket_ms;
}

} // namespace ztnet::flows::store
