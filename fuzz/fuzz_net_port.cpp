// Fuzz target for the port and protocol parsers: any bytes may be rejected, none may crash; accepted
// values keep their invariants (lo <= hi, canonical sets) and round-trip through their text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/net/port.h"
#include "ztnet/net/protocol.h"

namespace {

using namespace ztnet::net;

void check(bool condition) {
    if (!condition)
        std::abort();
}

template <class T>
void check_canonical(const IntervalSet<T>& set) {
    const auto intervals = set.intervals();
    for (std::size_t i = 0; i < intervals.size(); ++i) {
        check(intervals[i].lo <= intervals[i].hi);
        if (i > 0)
            check(intervals[i - 1].hi < intervals[i].lo && intervals[i].lo - intervals[i - 1].hi > 1);
    }
}

void check_spec(std::string_view text) {
    const ztnet::Result<PortRange> range = PortRange::parse(text);
    const ztnet::Result<PortSet> set = parse_port_spec(text);
    check(range.ok() == set.ok());
    if (!range) {
        check(!range.error().message.empty() && range.error().offset <= text.size());
        return;
    }
    check(range->lo() <= range->hi());
    check(*set == range->to_set() && set->intervals().size() == 1);
    const ztnet::Result<PortRange> back = PortRange::parse(range->to_string());
    check(back.ok() && *back == *range);
    check(port_set_to_string(*set) == range->to_string());
}

// The input split at newlines stands for the entries of a plural port field.
void check_list(std::string_view text) {
    std::vector<std::string_view> entries;
    std::size_t start = 0;
    while (true) {
        const std::size_t newline = text.find('\n', start);
        entries.push_back(text.substr(start, newline == std::string_view::npos ? newline : newline - start));
        if (newline == std::string_view::npos)
            break;
        start = newline + 1;
    }
    const ztnet::Result<PortSet> set = parse_port_list(entries);
    if (!set) {
        check(!set.error().message.empty());
        return;
    }
    check(!set->empty());
    check_canonical(*set);
    const std::string printed = port_set_to_string(*set);
    const std::vector<std::string_view> one{printed};
    const ztnet::Result<PortSet> back = parse_port_list(one);
    check(back.ok() && *back == *set);
    for (std::string_view entry : entries) {
        const std::vector<std::string_view> alone{entry};
        const ztnet::Result<PortSet> part = parse_port_list(alone);
        check(part.ok() && set->contains(*part));
    }
}

void check_protocol(std::string_view text) {
    const ztnet::Result<ProtocolSet> set = parse_nsg_protocol(text);
    if (!set) {
        check(!set.error().message.empty());
        return;
    }
    check_canonical(*set);
    check(set->full() || set->size() == 1);
    const ztnet::Result<ProtocolSet> back = parse_nsg_protocol(protocol_set_to_string(*set));
    check(back.ok() && *back == *set);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_spec(text);
    check_list(text);
    check_protocol(text);
    return 0;
}
