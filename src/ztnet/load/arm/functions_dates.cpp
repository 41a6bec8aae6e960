// Date functions: dateTimeAdd(), dateTimeFromEpoch() and dateTimeToEpoch(). ARM computes them in UTC
// with .NET's DateTime; the formats follow .NET's invariant culture. utcNow() lives in the evaluator,
// since it is the time of the deployment (Unknown offline); these are pure.
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "ztnet/load/arm/functions_common.h"

namespace ztnet::load::arm::detail {
namespace {

// Seconds since 1970-01-01T00:00:00Z, on the proleptic Gregorian calendar. The calendar arithmetic
// is the usual days-from-civil conversion (era of 400 years, March-based years).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
    std::int64_t year;
    unsigned month, day, hour, minute, second;
    std::uint32_t ticks = 0; // the fraction of the second, in 100 ns units as .NET keeps it
};

Civil civil_from_seconds(std::int64_t seconds, std::uint32_t ticks = 0) {
    std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    std::int64_t rest = seconds - days * 86400;
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
    return {y,
            m,
            d,
            static_cast<unsigned>(rest / 3600),
            static_cast<unsigned>(rest % 3600 / 60),
            static_cast<unsigned>(rest % 60),
            ticks};
}

bool is_leap(std::int64_t year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned days_in_month(std::int64_t year, unsigned month) {
    static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Reads `count` digits at `pos`.
std::optional<unsigned> digits(std::string_view text, std::size_t& pos, std::size_t count) {
    if (pos + count > text.size())
        return std::nullopt;
    unsigned value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        char c = text[pos + i];
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    pos += count;
    return value;
}

struct Instant {
    std::int64_t seconds = 0; // since the epoch, UTC
    std::uint32_t ticks = 0;
};

// An ISO 8601 date and time as ARM accepts it: "2020-04-07T14:53:14Z", a space for the 'T', an
// optional fraction, and "Z", an offset ("+02:00") or nothing (taken as UTC).
std::optional<Instant> parse_date_time(std::string_view text) {
    std::size_t pos = 0;
    auto year = digits(text, pos, 4);
    if (!year || pos >= text.size() || text[pos++] != '-')
        return std::nullopt;
    auto month = digits(text, pos, 2);
    if (!month || *month < 1 || *month > 12 || pos >= text.size() || text[pos++] != '-')
        return std::nullopt;
    auto day = digits(text, pos, 2);
    if (!day || *day < 1 || *day > days_in_month(*year, *month))
        return std::nullopt;
    unsigned hour = 0, minute = 0, second = 0;
    std::uint32_t ticks = 0;
    if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
        ++pos;
        auto h = digits(text, pos, 2);
        if (!h || pos >= text.size() || text[pos++] != ':')
            return std::nullopt;
        auto m = digits(text, pos, 2);
        if (!m)
            return std::nullopt;
        hour = *h;
        minute = *m;
        if (pos < text.size() && text[pos] == ':') {
            ++pos;
            auto s = digits(text, pos, 2);
            if (!s)
                return std::nullopt;
            second = *s;
        }
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            std::uint32_t scale = 1'000'000;
            std::size_t start = pos;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
                ticks += static_cast<std::uint32_t>(text[pos] - '0') * scale;
                scale /= 10;
                ++pos;
            }
            if (pos == start)
                return std::nullopt;
        }
        if (hour > 23 || minute > 59 || second > 59)
            return std::nullopt;
    }
    std::int64_t offset = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        int sign = text[pos++] == '-' ? -1 : 1;
        auto oh = digits(text, pos, 2);
        if (!oh || pos >= text.size() || text[pos++] != ':')
            return std::nullopt;
        auto om = digits(text, pos, 2);
        if (!om)
            return std::nullopt;
        offset = sign * (static_cast<std::int64_t>(*oh) * 3600 + static_cast<std::int64_t>(*om) * 60);
    }
    if (pos != text.size())
        return std::nullopt;
    std::int64_t seconds = days_from_civil(*year, *month, *day) * 86400 + std::int64_t{hour} * 3600 +
                           std::int64_t{minute} * 60 + second;
    return Instant{seconds - offset, ticks};
}

// An ISO 8601 duration ("P3Y6M4DT12H30M5S", "PT1H", "-P1D", "P2W").
struct Duration {
    int sign = 1;
    std::int64_t years = 0, months = 0, seconds = 0;
};

std::optional<Duration> parse_duration(std::string_view text) {
    Duration out;
    std::size_t pos = 0;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+'))
        out.sign = text[pos++] == '-' ? -1 : 1;
    if (pos >= text.size() || (text[pos] != 'P' && text[pos] != 'p'))
        return std::nullopt;
    ++pos;
    bool time = false;
    bool any = false;
    while (pos < text.size()) {
        if (text[pos] == 'T' || text[pos] == 't') {
            if (time)
                return std::nullopt;
            time = true;
            ++pos;
            continue;
        }
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), n);
        if (ec != std::errc() || n < 0 || end == text.data() + text.size())
            return std::nullopt;
        pos = static_cast<std::size_t>(end - text.data());
        char unit = static_cast<char>(text[pos++] & ~0x20); // upper case
        if (n > 100'000'000)
            return std::nullopt;
        if (!time && unit == 'Y')
            out.years += n;
        else if (!time && unit == 'M')
            out.months += n;
        else if (!time && unit == 'W')
            out.seconds += n * 7 * 86400;
        else if (!time && unit == 'D')
            out.seconds += n * 86400;
        else if (time && unit == 'H')
            out.seconds += n * 3600;
        else if (time && unit == 'M')
            out.seconds += n * 60;
        else if (time && unit == 'S')
            out.seconds += n;
        else
            return std::nullopt;
        any = true;
    }
    if (!any)
        return std::nullopt;
    return out;
}

// .NET's DateTime.AddYears/AddMonths: the day is kept, or clamped to the end of the month.
Instant add(const Instant& at, const Duration& duration) {
    Civil c = civil_from_seconds(at.seconds, at.ticks);
    std::int64_t months =
        c.year * 12 + (c.month - 1) + duration.sign * (duration.years * 12 + duration.months);
    std::int64_t year = months >= 0 ? months / 12 : (months - 11) / 12;
    auto month = static_cast<unsigned>(months - year * 12 + 1);
    unsigned day = std::min(c.day, days_in_month(year, month));
    std::int64_t seconds = days_from_civil(year, month, day) * 86400 + std::int64_t{c.hour} * 3600 +
                           std::int64_t{c.minute} * 60 + c.second;
    return Instant{seconds + duration.sign * duration.seconds, at.ticks};
}

// A .NET custom date format with the specifiers templates use (yyyy, yy, MM, M, dd, d, HH, H, hh, h,
// mm, m, ss, s, f…, tt, K, quoted literals and backslash escapes), or the standard formats o, u, s
// and the default (M/d/yyyy h:mm:ss tt). Nothing for a format outside that set.
std::optional<std::string> format_date_time(const Instant& at, std::string_view format) {
    if (format.empty())
        format = "M/d/yyyy h:mm:ss tt";
    else if (format == "o" || format == "O")
        format = "yyyy-MM-ddTHH:mm:ss.fffffffK";
    else if (format == "u")
        format = "yyyy-MM-dd HH:mm:ss'Z'";
    else if (format == "s")
        format = "yyyy-MM-ddTHH:mm:ss";
    else if (format.size() == 1)
        return std::nullopt; // another standard format: culture-specific, not modelled
    Civil c = civil_from_seconds(at.seconds, at.ticks);
    std::string out;
    std::size_t i = 0;
    while (i < format.size()) {
        char ch = format[i];
        std::size_t run = 1;
        while (i + run < format.size() && format[i + run] == ch)
            ++run;
        auto number = [&](std::int64_t value, std::size_t width) {
            out += fmt::format("{:0{}}", value, width);
        };
        switch (ch) {
        case 'y':
            if (run == 2)
                number(c.year % 100, 2);
            else
                number(c.year, std::max<std::size_t>(run, 1));
            break;
        case 'M':
            if (run > 2)
                return std::nullopt; // month names
            number(c.month, run);
            break;
        case 'd':
            if (run > 2)
                return std::nullopt; // day names
            number(c.day, run);
            break;
        case 'H':
            number(c.hour, std::min<std::size_t>(run, 2));
            break;
        case 'h':
            number(c.hour % 12 == 0 ? 12 : c.hour % 12, std::min<std::size_t>(run, 2));
            break;
        case 'm':
            number(c.minute, std::min<std::size_t>(run, 2));
            break;
        case 's':
            number(c.second, std::min<std::size_t>(run, 2));
            break;
        case 'f':
            if (run > 7)
                return std::nullopt;
            out += fmt::format("{:07}", c.ticks).substr(0, run);
            break;
        case 't':
            out += run == 1 ? (c.hour < 12 ? "A" : "P") : (c.hour < 12 ? "AM" : "PM");
            break;
        case 'K':
            out += 'Z';
            break;
        case '\'':
        case '"': {
            std::size_t close = format.find(ch, i + 1);
            if (close == std::string_view::npos)
                return std::nullopt;
            out += format.substr(i + 1, close - i - 1);
            i = close + 1;
            continue;
        }
        case '\\':
            if (i + 1 >= format.size())
                return std::nullopt;
            out += format[i + 1];
            i += 2;
            continue;
        case 'g':
        case 'z':
        case 'F':
            return std::nullopt;
        default:
            out.append(run, ch);
            break;
        }
        i += run;
    }
    return out;
}

Result<json::Value> fn_date_time_add(Arguments arguments) {
    if (auto error = check_signature("dateTimeAdd", "(string, string[, string])", arguments, 2, 3,
                                     {kString, kString, kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("dateTimeAdd");
    auto base = parse_date_time(arguments[0].as_string());
    if (!base)
        return function_error("dateTimeAdd",
                              "'" + arguments[0].as_string() + "' is not an ISO 8601 date and time");
    auto duration = parse_duration(arguments[1].as_string());
    if (!duration)
        return function_error("dateTimeAdd",
                              "'" + arguments[1].as_string() + "' is not an ISO 8601 duration");
    std::string format = arguments.size() > 2 ? arguments[2].as_string() : std::string();
    auto text = format_date_time(add(*base, *duration), format);
    if (!text)
        return value_result(json::Value::unknown("dateTimeAdd() with the format '" + format +
                                                 "' depends on .NET culture data that ztnet does not model"));
    return value_result(json::Value(std::move(*text)));
}

Result<json::Value> fn_date_time_from_epoch(Arguments arguments) {
    if (auto error = check_signature("dateTimeFromEpoch", "(int)", arguments, 1, 1, {kInt}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("dateTimeFromEpoch");
    std::int64_t seconds = arguments[0].as_integer();
    if (seconds < 0 || seconds > 253402300799) // .NET's DateTime ends with the year 9999
        return function_error("dateTimeFromEpoch", "the epoch time is outside the years 1970 to 9999");
    return value_result(json::Value(*format_date_time({seconds, 0}, "yyyy-MM-ddTHH:mm:ss'Z'")));
}

Result<json::Value> fn_date_time_to_epoch(Arguments arguments) {
    if (auto error = check_signature("dateTimeToEpoch", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("dateTimeToEpoch");
    auto at = parse_date_time(arguments[0].as_string());
    if (!at)
        return function_error("dateTimeToEpoch",
                              "'" + arguments[0].as_string() + "' is not an ISO 8601 date and time");
    return value_result(json::Value(at->seconds));
}

constexpr FunctionEntry kDateFunctions[] = {
    {"dateTimeAdd", fn_date_time_add},
    {"dateTimeFromEpoch", fn_date_time_from_epoch},
    {"dateTimeToEpoch", fn_date_time_to_epoch},
};

} // namespace

std::span<const FunctionEntry> date_functions() {
    return kDateFunctions;
}

} // namespace ztnet::load::arm::detail
