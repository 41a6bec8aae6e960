// Fuzz target for the attack policy reader: any input is read or rejected cleanly. A rejection
// carries an error inside the input; an accepted policy has named services with ports that are not
// every port, and a hop limit from 1 to 16.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ztnet/load/attack_policy_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ztnet::SourceSet sources;
    ztnet::Diagnostics diagnostics;
    ztnet::FileId file = sources.add("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
    auto result = ztnet::load::read_attack_policy(sources, file, diagnostics);
    for (const ztnet::Diagnostic& d : diagnostics.all()) {
        if (d.where.has_offset() && d.where.offset > size)
            std::abort();
    }
    if (!result) {
        if (!diagnostics.has_errors())
            std::abort();
        return 0;
    }
    if (result->internet_hops < 1 || result->internet_hops > 16)
        std::abort();
    for (const auto* list : {&result->management, &result->exploitable}) {
        for (const ztnet::model::AttackService& s : *list) {
            if (s.name.empty() || s.ports.empty() || s.ports.full() || s.protocols.empty())
                std::abort();
        }
    }
    return 0;
}
