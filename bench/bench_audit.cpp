// The audit on the enterprise estate (10,000 NICs, 500 NSGs, 50,000 rules, 300 ASGs; generated and
// loaded once outside timing): everything `ztnet audit` computes after loading, namely policy
// compilation, reachability, rule analysis, every check and the reachability highlights. Counters
// give each phase's share of the same run, a second benchmark times each check alone, and a third
// each report writer.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "ztnet/checks/audit.h"
#include "ztnet/checks/witness_paths.h"
#include "ztnet/json/reader.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/reach/matrix.h"
#include "ztnet/report/audit_report.h"
#include "ztnet/report/html_report.h"

#include "testkit/sample_tags.h"
#include "testkit/synthetic_estate.h"

namespace {

using namespace ztnet;

struct Loaded {
    policy::ServiceTags tags = testkit::sample_service_tags();
    model::Estate estate;
    SourceSet sources; // the reports name places in it
    Loaded() {
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

// The analysis of the enterprise estate (for the benchmarks that time what follows it); null, the
// benchmark marked skipped, when it fails. `diagnostics` must outlive it.
std::unique_ptr<analysis::Analysis> analysed_or_skip(benchmark::State& state, const Loaded& in,
                                                     Diagnostics& diagnostics) {
    auto analysed = analysis::Analysis::run(in.estate, in.tags, {}, diagnostics);
    if (!analysed) {
        state.SkipWithError(analysed.error().message.c_str());
        return nullptr;
    }
    return std::move(*analysed);
}

// Each check alone, after the shared phases (outside timing): a counter per check, in seconds, for
// the ones that take more than 10 ms.
void BM_AuditEachCheck(benchmark::State& state) {
    const Loaded& in = enterprise();
    Diagnostics diagnostics;
    const std::unique_ptr<analysis::Analysis> analysed = analysed_or_skip(state, in, diagnostics);
    if (!analysed)
        return;
    const analysis::Analysis& done = *analysed;
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

// The audit's reports of the same result, each writer timed in the same run (the findings are
// computed once, outside timing): JSON is the baseline; HTML includes tracing the witness flows
// (as `ztnet audit --format html` does). Counters: seconds per writer, each as a ratio of JSON's,
// and the bytes each writes.
void BM_AuditReports(benchmark::State& state) {
    const Loaded& in = enterprise();
    Diagnostics diagnostics;
    const std::unique_ptr<analysis::Analysis> analysed = analysed_or_skip(state, in, diagnostics);
    if (!analysed)
        return;
    const analysis::Analysis& done = *analysed;
    checks::AuditOptions options;
    options.today = "2026-11-25";
    auto audited = checks::run_audit(done, options);
    if (!audited) {
        state.SkipWithError(audited.error().message.c_str());
        return;
    }
    const report::AuditInputs inputs{in.estate, in.sources, {}, nullptr};
    const auto timed = [&](const std::string& name, auto&& write) {
        auto start = std::chrono::steady_clock::now();
        const std::string out = write();
        state.counters[name + "_s"] = seconds_since(start);
        state.counters[name + "_MB"] = static_cast<double>(out.size()) / 1e6;
    };
    for (auto _ : state) {
        timed("json", [&] { return json::write(report::audit_json(*audited, inputs)); });
        timed("text", [&] { return report::audit_text(*audited, inputs); });
        timed("sarif", [&] { return json::write(report::audit_sarif(*audited, inputs)); });
        timed("html", [&] {
            ThreadPool::Scope scope(done.pool());
            const auto traces = checks::witness_paths(done, audited->run.findings, 20000);
            return report::audit_html(*audited, inputs, {.reach = done.reachability(), .traces = &traces});
        });
    }
    for (const char* name : {"text", "sarif", "html"})
        state.counters[std::string(name) + "_vs_json"] =
            state.counters[std::string(name) + "_s"] / state.counters["json_s"];
    state.counters["findings"] = static_cast<double>(audited->run.findings.size());
}
BENCHMARK(BM_AuditReports)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

} // namespace

BENCHMARK_MAIN();
