// Fuzz target for the intent reader: any input must be read or rejected cleanly, within the limits.
// A rejection carries at least one error pointing inside the input; an accepted intent holds what
// the reader promises: non-empty groups unique up to letter case, every flow's groups defined and
// spelt as defined, and ports narrowed only when TCP or UDP is among the protocols.
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "ztnet/load/intent_reader.h"

namespace {

bool positions_inside(const ztnet::Diagnostics& diagnostics, std::size_t size) {
    for (const ztnet::Diagnostic& d : diagnostics.all()) {
        if (d.where.has_offset() && d.where.offset > size)
            return false;
    }
    return true;
}

std::string lower(std::string text) {
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Flows name groups exactly as the groups spell themselves.
void check_flow(const std::set<std::string>& group_names, const ztnet::model::IntentFlow& flow) {
    if (flow.from.empty() || flow.to.empty() || flow.protocols.empty() || flow.ports.empty())
        std::abort();
    for (const auto* names : {&flow.from, &flow.to}) {
        for (const std::string& name : *names) {
            if (group_names.count(name) == 0)
                std::abort();
        }
    }
    const auto tcp_udp = ztnet::net::ProtocolSet::single(6).unite(ztnet::net::ProtocolSet::single(17));
    if (!flow.ports.full() && !tcp_udp.overlaps(flow.protocols))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    ztnet::SourceSet sources;
    const ztnet::FileId file = sources.add("fuzz.ztnet.yaml", std::string(text));
    ztnet::Diagnostics diagnostics;
    // Small limits, so that the fuzzer reaches them with short inputs.
    const ztnet::load::IntentLimits limits{std::size_t{1} << 16, 16, 64};
    auto intent = ztnet::load::read_intent(sources, file, diagnostics, limits);
    if (!positions_inside(diagnostics, size))
        std::abort();
    if (!intent) {
        if (!diagnostics.has_errors())
            std::abort(); // rejected without saying why
        return 0;
    }
    if (diagnostics.has_errors())
        std::abort(); // accepted despite an error
    std::set<std::string> names;
    std::set<std::string> lower_names;
    for (const auto& group : intent->groups) {
        if (group.selectors.empty() || !lower_names.insert(lower(group.name)).second)
            std::abort(); // empty, or defined twice up to letter case
        names.insert(group.name);
    }
    if (intent->flows.size() + intent->platform_flows.size() > limits.max_items)
        std::abort();
    for (const auto& flow : intent->flows) {
        if (flow.platform)
            std::abort();
        check_flow(names, flow);
    }
    for (const auto& flow : intent->platform_flows) {
        if (!flow.platform)
            std::abort();
        check_flow(names, flow);
    }
    return 0;
}
