// The date functions, against the examples of ARM's documentation and by hand.
#include "test_functions_helpers.h"

namespace ztnet::load::arm::testing {
namespace {

TEST(ArmDateFunctions, DocumentedExamples) {
    run_cases({
        {"dateTimeAdd", R"(["2020-04-07 14:53:14Z", "P3Y"])", R"("4/7/2023 2:53:14 PM")"},
        {"dateTimeAdd", R"(["2020-04-07 14:53:14Z", "-PT9H"])", R"("4/7/2020 5:53:14 AM")"},
        {"dateTimeFromEpoch", "[1683040573]", R"("2023-05-02T15:16:13Z")"},
        {"dateTimeToEpoch", R"(["2023-05-02T15:16:13Z"])", "1683040573"},
    });
}

TEST(ArmDateFunctions, CalendarArithmeticAndFormats) {
    run_cases({
        // Months keep the day, or end at the month's last day, as .NET's AddMonths.
        {"dateTimeAdd", R"(["2020-01-31T00:00:00Z", "P1M", "yyyy-MM-dd"])", R"("2020-02-29")"},
        {"dateTimeAdd", R"(["2021-01-31T00:00:00Z", "P1M", "yyyy-MM-dd"])", R"("2021-02-28")"},
        {"dateTimeAdd", R"(["2020-04-07T14:53:14Z", "PT1H30M", "yyyy-MM-ddTHH:mm:ssZ"])",
         R"("2020-04-07T16:23:14Z")"},
        {"dateTimeAdd", R"(["2020-12-31T23:00:00Z", "P1DT2H", "u"])", R"("2021-01-02 01:00:00Z")"},
        {"dateTimeAdd", R"(["2020-04-07T14:53:14Z", "P2W", "'day' d"])", R"("day 21")"},
        // An offset is turned into UTC.
        {"dateTimeToEpoch", R"(["2023-02-15T14:00:00+02:00"])", "1676462400"},
        {"dateTimeToEpoch", R"(["1970-01-01T00:00:00Z"])", "0"},
        {"dateTimeFromEpoch", "[0]", R"("1970-01-01T00:00:00Z")"},
        // Unknown in, unknown out; a culture-specific format is not modelled, so unknown too.
        {"dateTimeAdd", R"(["$unknown", "P1D"])", "unknown"},
        {"dateTimeAdd", R"(["2020-04-07T14:53:14Z", "P1D", "D"])", "unknown"},
    });
    run_error_cases({
        {"dateTimeAdd", R"(["not a date", "P1D"])", "ISO 8601 date"},
        {"dateTimeAdd", R"(["2020-04-07T14:53:14Z", "1 day"])", "ISO 8601 duration"},
        {"dateTimeAdd", R"(["2020-02-30T00:00:00Z", "P1D"])", "ISO 8601 date"},
        {"dateTimeFromEpoch", "[-1]", "outside"},
        {"dateTimeToEpoch", "[5]", "expects"},
    });
}

} // namespace
} // namespace ztnet::load::arm::testing
