// Attack paths on the enterprise estate (10,000 NICs, 500 NSGs, 50,000 rules, 300 ASGs; generated,
// loaded and analysed once outside timing): the lateral-movement graph, every workload's blast
// radius and the paths from the Internet to the data tier with their minimum cut, as `ztnet paths`
// computes them. The baseline, timed in the same run, is the analysis they read (policy, routes and
// every pair of endpoint classes): the counters give each phase as a share of it.
#include <chrono>
#include <memory>

#include <benchmark/benchmark.h>

#include "ztnet/analysis/analysis.h"
#include "ztnet/paths/paths.h"

#include "testkit/sample_tags.h"
#include "testkit/synthetic_estate.h"

namespace {

using namespace ztnet;

struct Analysed {
    policy::ServiceTags tags = testkit::sample_service_tags();
    model::Estate estate;
    SourceSet sources;
    Diagnostics diagnostics;
    std::unique_ptr<analysis::Analysis> analysis;
    double analysis_seconds = 0;
    Analysed() {
        estate = testkit::load_export_text(testkit::generate_estate(testkit::enterprise()).to_json(),
                                           "synthetic.json", sources, diagnostics)
                     .estate;
        const auto start = std::chrono::steady_clock::now();
        auto analysed = analysis::Analysis::run(estate, tags, {}, diagnostics);
        analysis_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (analysed)
            analysis = std::move(*analysed);
    }
};

const Analysed& enterprise() {
    static const Analysed analysed;
    return analysed;
}

// The crown jewels are the defaults: the data tier of each spoke (snet-sN-data) and the private
// endpoints. From the Internet, and from the VMs of one web subnet (snet-s1-web).
void BM_Paths(benchmark::State& state) {
    const Analysed& in = enterprise();
    if (!in.analysis) {
        state.SkipWithError("the analysis failed");
        return;
    }
    paths::PathOptions options;
    if (state.range(0) == 1)
        options.from = {"snet-s1-web"};
    paths::PathsResult last;
    for (auto _ : state) {
        auto result = paths::attack_paths(*in.analysis, options);
        if (!result) {
            state.SkipWithError(result.error().message.c_str());
            return;
        }
        last = std::move(*result);
    }
    const double baseline = in.analysis_seconds;
    state.counters["analysis_s"] = baseline;
    state.counters["graph_x"] = last.stats.graph_seconds / baseline;
    state.counters["radii_x"] = last.stats.radius_seconds / baseline;
    state.counters["paths_cut_x"] = last.stats.paths_seconds / baseline;
    state.counters["endpoints"] = static_cast<double>(last.stats.endpoints);
    state.counters["classes"] = static_cast<double>(last.stats.classes);
    state.counters["links"] = static_cast<double>(last.stats.graph.links);
    state.counters["workloads"] = static_cast<double>(last.radii.size());
    state.counters["jewels"] = static_cast<double>(last.jewels.size());
    state.counters["paths"] = static_cast<double>(last.paths_found);
    state.counters["cut"] = static_cast<double>(last.cut.size());
    state.counters["cut_rules"] = static_cast<double>(last.rules.size());
    state.counters["starts"] = static_cast<double>(last.start_endpoints.size());
}
BENCHMARK(BM_Paths)
    ->ArgName("from_subnet")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

} // namespace

BENCHMARK_MAIN();
