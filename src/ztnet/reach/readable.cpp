#include "ztnet/reach/readable.h"

#include <algorithm>
#include <initializer_list>

namespace ztnet::reach {
namespace {

bool holds(const Intervals& intervals, net::u128 value) {
    return std::any_of(intervals.begin(), intervals.end(),
                       [value](const auto& iv) { return iv.first <= value && value <= iv.second; });
}

std::uint16_t first_held(const Intervals& intervals, std::initializer_list<std::uint16_t> preferred) {
    for (std::uint16_t port : preferred)
        if (holds(intervals, port))
            return port;
    return intervals.empty() ? 0 : static_cast<std::uint16_t>(intervals.front().first);
}

} // namespace

net::u128 readable_address(const Intervals& intervals, bool v4) {
    if (intervals.empty())
        return 0;
    constexpr net::u128 kDocumentation = 0xCB00710AU; // 203.0.113.10
    constexpr net::u128 kWide = net::u128{1} << 16;
    if (v4) {
        for (const auto& [lo, hi] : intervals)
            if (lo <= kDocumentation && kDocumentation <= hi && hi - lo >= kWide)
                return kDocumentation;
    }
    const auto& [lo, hi] = intervals.front();
    if (hi - lo >= 7)
        return lo + 4;
    if (hi > lo)
        return lo + 1;
    return lo;
}

std::uint16_t readable_source_port(const Intervals& intervals) {
    return first_held(intervals, {49152, 1024});
}

std::uint16_t readable_destination_port(const Intervals& intervals) {
    return first_held(intervals, {22, 3389, 443, 80, 1433, 445});
}

} // namespace ztnet::reach
