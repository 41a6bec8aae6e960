// Fuzz target for the flow tuple scanner. The first byte picks the format, the rest is the tuple.
// Any bytes may be rejected, none may crash; a rejection names a field of the format; an accepted
// tuple, written back as text, reads again to the same values, and its addresses are the ones
// net::Address::parse reads from its fields (abort() otherwise).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ztnet/flows/tuple_parser.h"

namespace {

using namespace ztnet::flows;

void check(bool condition) {
    if (!condition)
        std::abort();
}

// The state as a tuple writes it: B, C, E or D (FlowState's order after None), nothing for None.
std::string letter(FlowState state) {
    return state == FlowState::None ? "" : std::string(1, "-BCED"[static_cast<int>(state)]);
}

std::string counters(const FlowTuple& t) {
    if (!t.has_counters)
        return ",,,,";
    return "," + std::to_string(t.counters.packets_sent) + "," + std::to_string(t.counters.bytes_sent) + "," +
           std::to_string(t.counters.packets_received) + "," + std::to_string(t.counters.bytes_received);
}

// The tuple as Azure would write it (canonical addresses, no leading zeros).
std::string written(const FlowTuple& t, Format format) {
    const bool vnet = format == Format::Vnet;
    std::string out = std::to_string(vnet ? t.time_ms : t.time_ms / 1000) + "," + t.source.to_string() + "," +
                      t.destination.to_string() + "," + std::to_string(t.source_port) + "," +
                      std::to_string(t.destination_port) + ",";
    const std::string direction = t.direction == ztnet::net::Direction::Inbound ? "I" : "O";
    if (vnet)
        return out + std::to_string(t.protocol) + "," + direction + "," + letter(t.state) + "," +
               std::string(t.encryption_text) + counters(t);
    out += std::string(t.protocol == 6 ? "T" : "U") + "," + direction + "," +
           (t.decision == Decision::Allow ? "A" : "D");
    return format == Format::NsgV1 ? out : out + "," + letter(t.state) + counters(t);
}

std::string_view field(std::string_view text, std::size_t index) {
    for (; index > 0; --index)
        text.remove_prefix(text.find(',') + 1);
    return text.substr(0, text.find(','));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const Format format = static_cast<Format>(data[0] % 3);
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    FlowTuple tuple;
    const TupleProblem problem = parse_tuple(text, format, tuple);
    if (problem) {
        check(problem.field < (format == Format::NsgV1 ? 8 : 13));
        check(!describe(problem.error).empty());
        return 0;
    }
    check(tuple.time_ms >= 0 && tuple.time_ms <= kMaxTimeMs);
    check(format != Format::Vnet || (tuple.state == FlowState::Deny) == (tuple.decision == Decision::Deny));
    check((format == Format::NsgV1) == (tuple.state == FlowState::None));
    const auto source = ztnet::net::Address::parse(field(text, 1));
    const auto destination = ztnet::net::Address::parse(field(text, 2));
    check(source.ok() && *source == tuple.source && destination.ok() && *destination == tuple.destination);
    const std::string again = written(tuple, format);
    FlowTuple reread;
    check(!parse_tuple(again, format, reread));
    check(reread.time_ms == tuple.time_ms && reread.source == tuple.source &&
          reread.destination == tuple.destination && reread.source_port == tuple.source_port &&
          reread.destination_port == tuple.destination_port && reread.protocol == tuple.protocol &&
          reread.direction == tuple.direction && reread.decision == tuple.decision &&
          reread.state == tuple.state && reread.encryption == tuple.encryption &&
          reread.has_counters == tuple.has_counters && reread.counters == tuple.counters);
    return 0;
}
