// Loading benchmark: a 50 MB synthetic export, read and built into the model. The baseline, run in
// the same binary on the same bytes, is the JSON reader alone, so the ratio shows what building
// the model costs on top of parsing.
#include <benchmark/benchmark.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/loader.h"

#include "synthetic_export.h"

namespace {

const std::string& export_text() {
    static const std::string text = ztnet::bench::synthetic_export(std::size_t{50} << 20, 42);
    return text;
}

void BM_JsonReadBaseline(benchmark::State& state) {
    const std::string& text = export_text();
    for (auto _ : state) {
        auto root = ztnet::json::read(text);
        if (!root)
            state.SkipWithError(root.error().message.c_str());
        benchmark::DoNotOptimize(root);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_JsonReadBaseline)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LoadExport(benchmark::State& state) {
    ztnet::SourceSet sources;
    ztnet::FileId file = sources.add("synthetic.json", export_text());
    std::size_t resources = 0;
    for (auto _ : state) {
        ztnet::Diagnostics diagnostics;
        auto result = ztnet::load::load_sources(sources, {file}, {}, diagnostics);
        if (diagnostics.has_errors())
            state.SkipWithError("synthetic export has errors");
        resources = result.inputs.resources;
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * export_text().size()));
    state.counters["resources"] = static_cast<double>(resources);
}
BENCHMARK(BM_LoadExport)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
