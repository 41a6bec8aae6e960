// Fuzz target for the time parser of `flows check --since/--until`: any bytes may be rejected, none
// may crash; an accepted time is not before 1970, and printed back (without its milliseconds, which
// the parser never sets) it parses to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ztnet/flows/store/summary_report.h"

namespace {

void check(bool condition) {
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const ztnet::Result<std::int64_t> time = ztnet::flows::store::parse_utc_time(text);
    if (!time) {
        check(time.error().code == "flows-time-invalid" && !time.error().message.empty());
        return 0;
    }
    check(*time >= 0 && *time % 1000 == 0);
    std::string printed = ztnet::flows::store::iso_time(*time); // 2024-01-15T10:00:00.000Z
    check(printed.size() == 24);
    printed.erase(19, 4); // the milliseconds
    const ztnet::Result<std::int64_t> back = ztnet::flows::store::parse_utc_time(printed);
    check(back.ok() && *back == *time);
    return 0;
}
