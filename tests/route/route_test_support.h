// What the route tests share: an estate loaded from export text, one flow traced between two named
// endpoints, and every pair of endpoints computed by the fast path and by path tracing.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/load/loader.h"
#include "ztnet/reach/reachability.h"
#include "ztnet/route/path.h"

namespace ztnet::route::testing {

struct LoadedText {
    SourceSet sources;
    Diagnostics diagnostics;
    model::Estate estate;
    policy::ServiceTags tags; // empty: the built-in tags only
};

inline std::unique_ptr<LoadedText> load_text(const std::string& json) {
    auto out = std::make_unique<LoadedText>();
    FileId file = out->sources.add("estate.json", json);
    out->estate = load::load_sources(out->sources, {file}, {}, out->diagnostics).estate;
    return out;
}

/// One flow (`protocol` to `port`, from an ephemeral port) between two endpoints named as `explain`
/// takes them; a failure of the test when either name does not resolve.
inline PathResult trace_between(LoadedText& loaded, const std::string& from, const std::string& to,
                                std::uint8_t protocol = 6, std::uint16_t port = 443) {
    policy::PolicyEngine engine(loaded.estate, loaded.tags, loaded.diagnostics);
    auto a = resolve_endpoint(loaded.estate, loaded.tags, from);
    auto b = resolve_endpoint(loaded.estate, loaded.tags, to);
    EXPECT_TRUE(a) << (a ? "" : a.error().message);
    EXPECT_TRUE(b) << (b ? "" : b.error().message);
    if (!a || !b)
        return {};
    PathQuery query;
    query.flow.protocol = protocol;
    query.flow.source_port = 50000;
    query.flow.destination_port = port;
    return trace_path(engine, *a, *b, query, loaded.diagnostics);
}

/// Every pair of endpoints: the fast path's answer is path tracing's.
inline void expect_fast_path_agrees(LoadedText& loaded) {
    policy::PolicyEngine engine(loaded.estate, loaded.tags, loaded.diagnostics);
    reach::Reachability fast(engine, loaded.diagnostics);
    reach::ReferenceReach reference(engine);
    const auto& endpoints = fast.endpoints().endpoints;
    for (std::uint32_t a = 0; a < endpoints.size(); ++a)
        for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
            const reach::PairReach got = fast.between(a, b);
            const reach::PairReach want = reference.between(endpoints[a], endpoints[b]);
            EXPECT_EQ(got, want) << endpoints[a].name << " -> " << endpoints[b].name << ": fast allows "
                                 << got.allowed.to_string() << " (undecidable " << got.undecidable.to_string()
                                 << "), path tracing " << want.allowed.to_string() << " (undecidable "
                                 << want.undecidable.to_string() << ")";
        }
}

} // namespace ztnet::route::testing
