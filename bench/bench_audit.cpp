// The audit on the enterprise estate (10,000 NICs, 500 NSGs, 50,000 rules, 300 ASGs; generated and
// loaded once outside timing): everything `ztnet audit` computes after loading, namely policy
// compilation, reachability, rule analysis, every check and the reachability highlights. Counters
// give each phase's share of the same run, and a second benchmark times each check alone.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "ztnet/checks/audit.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/reach/matrix.h"

#include "testkit/sample_tags.h"
#include "testkit/synthetic_estate.h"

namespace {

using namespace ztnet;

struct Loaded {
    policy::ServiceTags tags = testkit::sample_service_tags();
    model::Estate estate;
    Loaded() {
        SourceSet sources;
        Diagnostics diagnostics;
        estate = testkit::load_export_text(testkit::generate_estate(testkit::enterprise()).to_json(),
                                           "synthetic.json", sources, diagnostics)
                     .estate;
    }
};

const Loaded& enterprise() {
    static const Loaded loaded;
    return loaded;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The whole audit after loading, as `ztnet audit` runs it: the analysis facade, then the checks
// and the highlights. The counters say how long each phase took (compile: policies; pairs:
// endpoints, classes and every pair; rules: rule analysis; checks: the checks and the highlights).
void BM_Audit(benchmark::State& state) {
    const Loaded& in = enterprise();
    std::size_t findings = 0;
    analysis::Analysis::Timings phases;
    double checks_s = 0;
    for (auto _ : state) {
        Diagnostics diagnostics;
        auto analysed = analysis::Analysis::run(in.estate, in.tags, {}, diagnostics);
        if (!analysed) {
            state.SkipWithError(analysed.error().message.c_str());
            break;
        }
        phases = (*analysed)->timings();
        auto start = std::chrono::steady_clock::now();
        checks::AuditOptions options;
        options.today = "2026-11-25";
        auto result = checks::run_audit(**analysed, options);
        checks_s = seconds_since(start);
        findings = result ? result->run.findings.size() : 0;
        benchmark::DoNotOptimize(findings);
        state.PauseTiming();
        analysed->reset(); // freeing the tables is outside timing
        state.ResumeTiming();
    }
    state.counters["nics"] = static_cast<double>(in.estate.network_interfaces.size());
    state.counters["findings"] = static_cast<double>(findings);
    state.counters["compile_s"] = phases.policy;
    state.counters["pairs_s"] = phases.reachability;
    state.counters["rules_s"] = phases.rules;
    state.counters["checks_s"] = checks_s;
}
BENCHMARK(BM_Audit)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// Each check alone, after the shared phases (outside timing): a counter per check, in seconds, for
// the ones that take more than 10 ms.
void BM_AuditEachCheck(benchmark::State& state) {
    const Loaded& in = enterprise();
    Diagnostics diagnostics;
    auto analysed = analysis::Analysis::run(in.estate, in.tags, {}, diagnostics);
    if (!analysed) {
        state.SkipWithError(analysed.error().message.c_str());
        return;
    }
    const analysis::Analysis& done = **analysed;
    ThreadPool::Scope scope(done.pool());
    const checks::CheckContext context = checks::context_of(done);
    for (auto _ : state) {
        for (const checks::Check& check : checks::registry()) {
            auto start = std::chrono::steady_clock::now();
            benchmark::DoNotOptimize(check.run(context));
            double took = seconds_since(start);
            if (took > 0.01)
                state.counters[std::string(check.id)] = took;
        }
        auto start = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(reach::reach_matrix(*done.reachability(), reach::Grouping::Subnet));
        state.counters["highlights"] = seconds_since(start);
    }
}
BENCHMARK(BM_AuditEachCheck)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

} // namespace

BENCHMARK_MAIN();
