// The audit as the estate grows: the enterprise estate (10,000 NICs, 500 NSGs, 50,000 rules, 300
// ASGs, 50 spokes) scaled by its NIC count, every other count in proportion. One size per process:
// the peak memory counter is the process's (run each size with its own --benchmark_filter, as
// docs/benchmarks.md shows). Generation and loading are outside timing; the counters give the
// analysis phases, the checks, the pair table's shape and the peak resident memory.
#include <chrono>
#include <cstdint>
#include <string>
#include <sys/resource.h>
#include <unordered_set>

#include <benchmark/benchmark.h>

#include "ztnet/analysis/analysis.h"
#include "ztnet/checks/audit.h"

#include "testkit/sample_tags.h"
#include "testkit/synthetic_estate.h"

namespace {

using namespace ztnet;

testkit::EstateParameters scaled_enterprise(std::int64_t nics) {
    testkit::EstateParameters p = testkit::enterprise();
    const double factor = static_cast<double>(nics) / static_cast<double>(p.nics);
    auto scale = [factor](auto value) {
        return static_cast<decltype(value)>(static_cast<double>(value) * factor);
    };
    p.spokes = scale(p.spokes);
    p.nics = static_cast<decltype(p.nics)>(nics);
    p.nsgs = scale(p.nsgs);
    p.rules_total = scale(p.rules_total);
    p.asgs = scale(p.asgs);
    p.load_balancers = scale(p.load_balancers);
    p.public_prefixes = scale(p.public_prefixes);
    return p;
}

// The export of 50,000 NICs is over 300 MiB, past the loader's default limit for one file.
load::LoadOptions large_files() {
    load::LoadOptions options;
    options.max_file_bytes = std::size_t{1} << 30;
    return options;
}

double peak_gb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / (1024.0 * 1024.0); // ru_maxrss is in KiB
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// How many rows of the pair table differ: what a table of distinct rows would hold.
std::size_t distinct_rows(const reach::ClassTable& table) {
    std::unordered_set<std::uint64_t> seen;
    for (std::uint32_t r = 0; r < table.classes(); ++r) {
        std::uint64_t hash = 1469598103934665603ULL;
        for (std::uint32_t c = 0; c < table.classes(); ++c)
            hash = (hash ^ table.row(r)[c]) * 1099511628211ULL;
        seen.insert(hash);
    }
    return seen.size();
}

// state.range(0): NICs.
void BM_AuditAtScale(benchmark::State& state) {
    const policy::ServiceTags tags = testkit::sample_service_tags();
    model::Estate estate;
    {
        SourceSet sources;
        Diagnostics diagnostics;
        estate =
            testkit::load_export_text(testkit::generate_estate(scaled_enterprise(state.range(0))).to_json(),
                                      "synthetic.json", sources, diagnostics, large_files())
                .estate;
        if (diagnostics.has_errors()) {
            state.SkipWithError(
                ("the generated estate does not load: " + diagnostics.all().front().message).c_str());
            return;
        }
    }
    const double loaded_gb = peak_gb();
    for (auto _ : state) {
        Diagnostics diagnostics;
        auto analysed = analysis::Analysis::run(estate, tags, {}, diagnostics);
        if (!analysed) {
            state.SkipWithError(analysed.error().message.c_str());
            break;
        }
        const auto start = std::chrono::steady_clock::now();
        checks::AuditOptions options;
        options.today = "2026-12-01";
        auto audited = checks::run_audit(**analysed, options);
        const double checks_s = seconds_since(start);
        if (!audited) {
            state.SkipWithError(audited.error().message.c_str());
            break;
        }
        state.PauseTiming();
        const analysis::Analysis::Timings phases = (*analysed)->timings();
        const reach::Reachability::Stats stats = (*analysed)->reachability()->stats();
        state.counters["endpoints"] = static_cast<double>(stats.endpoints);
        state.counters["classes"] = static_cast<double>(stats.classes);
        state.counters["table_GB"] = static_cast<double>((*analysed)->reachability()->table().bytes()) / 1e9;
        state.counters["distinct_rows"] =
            static_cast<double>(distinct_rows((*analysed)->reachability()->table()));
        state.counters["findings"] = static_cast<double>(audited->run.findings.size());
        state.counters["pairs_s"] = phases.reachability;
        state.counters["rules_s"] = phases.rules;
        state.counters["checks_s"] = checks_s;
        state.ResumeTiming();
    }
    state.counters["nics"] = static_cast<double>(state.range(0));
    state.counters["loaded_GB"] = loaded_gb;
    state.counters["peak_GB"] = peak_gb();
}
BENCHMARK(BM_AuditAtScale)
    ->ArgName("nics")
    ->Arg(10000)
    ->Arg(20000)
    ->Arg(30000)
    ->Arg(50000)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

} // namespace

BENCHMARK_MAIN();
