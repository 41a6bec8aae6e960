// The audit on the enterprise estate (10,000 NICs, 500 NSGs, 50,000 rules, 300 ASGs; generated and
// loaded once outside timing): everything `ztnet audit` computes after loading, namely policy
// compilation, reachability, rule analysis, every check and the reachability highlights. The
// phases are also timed alone, so that the whole can be read against its parts in the same run.
#include <fstream>
#include <sstream>
#include <string>

#include <benchmark/benchmark.h>

#include "ztnet/checks/audit.h"
#include "ztnet/policy/service_tags.h"

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

// Policy compilation and reachability only: the part every traffic check shares.
void BM_AuditReachabilityPhase(benchmark::State& state) {
    const Loaded& in = enterprise();
    for (auto _ : state) {
        Diagnostics diagnostics;
        policy::PolicyEngine engine(in.estate, in.tags, diagnostics);
        engine.compile_all();
        reach::Reachability reach(engine, diagnostics);
        reach.compute_all();
        benchmark::DoNotOptimize(reach.stats().class_pairs_computed);
    }
}
BENCHMARK(BM_AuditReachabilityPhase)->Unit(benchmark::kMillisecond)->Iterations(1);

// The whole audit after loading.
void BM_Audit(benchmark::State& state) {
    const Loaded& in = enterprise();
    std::size_t findings = 0;
    for (auto _ : state) {
        Diagnostics diagnostics;
        policy::PolicyEngine engine(in.estate, in.tags, diagnostics);
        engine.compile_all();
        reach::Reachability reach(engine, diagnostics);
        std::vector<reach::NsgRuleAnalysis> rules = reach::analyse_all_rules(engine);
        checks::CheckContext context{in.estate, engine, reach, rules};
        checks::AuditOptions options;
        options.today = "2026-11-25";
        checks::AuditResult result = checks::run_audit(context, options);
        findings = result.run.findings.size();
        benchmark::DoNotOptimize(findings);
    }
    state.counters["nics"] = static_cast<double>(in.estate.network_interfaces.size());
    state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_Audit)->Unit(benchmark::kMillisecond)->Iterations(1);

} // namespace

BENCHMARK_MAIN();
