// Flow log reading throughput on one core: FlowLogReader over synthetic VNet flow log records held in
// memory (a {"records": [...]} document of a spoke's NICs, minute after minute, generated from a fixed
// seed by synthetic_flow_logs.h), against a bare simdjson
// On Demand walk over the same bytes that touches every tuple string and does nothing else. Both are
// checked against the generator's tuple count (and the reader against its byte sum) before timing.
// BM_FlowIngest puts the same bytes through the whole ingest into a fresh SQLite store in a temporary
// file (conversations summed per hour, one checkpoint), so that its cost reads against the reader's.
// BM_FlowIngestPostgres does the same into a PostgreSQL store, in a fresh schema of the database that
// ZTNET_TEST_POSTGRES names (a libpq connection string); without it, it is not registered.
//
//   ./build/release/bench/ztnet_bench_flows [--benchmark_filter=...]    (ZTNET_FLOWS_MB: size, 256)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <libpq-fe.h>
#include <optional>
#include <random>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include "ztnet/flows/flow_log_reader.h"
#include "ztnet/flows/store/flow_ingest.h"
#include "ztnet/flows/store/sqlite_flow_store.h"
#include "ztnet/flows/store/store_location.h"
#include "ztnet/flows/tuple_parser.h"

#include "synthetic_flow_logs.h"

namespace {

using namespace ztnet::flows;

struct Generated {
    std::string text; // padded with PaddedText::pad
    std::optional<PaddedText> padded;
    std::size_t size = 0;
    std::uint64_t tuples = 0;
    std::uint64_t bytes_sent = 0;
};

const Generated& log_text() {
    static const Generated generated = [] {
        const char* mb = std::getenv("ZTNET_FLOWS_MB");
        const std::size_t size = static_cast<std::size_t>(mb != nullptr ? std::atoi(mb) : 256) << 20;
        ztnet::bench::SyntheticFlowLogs logs(ztnet::bench::FlowLogShape{}, 42);
        Generated g;
        g.text = logs.document(size);
        g.size = g.text.size();
        g.tuples = logs.totals().tuples;
        g.bytes_sent = logs.totals().bytes_sent;
        g.padded = PaddedText::pad(g.text);
        return g;
    }();
    return generated;
}

class Counting final : public FlowVisitor {
  public:
    void on_tuples(std::span<const FlowTuple> tuples) override {
        for (const FlowTuple& t : tuples)
            bytes_sent += t.counters.bytes_sent;
        count += tuples.size();
    }
    std::uint64_t count = 0;
    std::uint64_t bytes_sent = 0;
};

ReadCounts read_all(FlowLogReader& reader, Counting& visitor) {
    return reader.read(*log_text().padded, "bench.json", visitor);
}

enum class Touch { RawToken, Unescaped };

// The baseline: simdjson's On Demand walk to every tuple string, reading each one's bytes (its length
// and first byte) and nothing else: as they lie in the text (raw_json_token, what the reader does),
// or unescaped into the parser's buffer (get_string, the usual way to read a string).
std::uint64_t bare_walk(simdjson::ondemand::parser& parser, Touch touch, std::uint64_t& touched) {
    const Generated& g = log_text();
    simdjson::ondemand::document doc;
    if (parser.iterate(g.text.data(), g.size, g.text.size()).get(doc) != simdjson::SUCCESS)
        return 0;
    std::uint64_t tuples = 0;
    for (auto record : doc["records"]) {
        for (auto flow : record["flowRecords"]["flows"]) {
            for (auto group : flow["flowGroups"]) {
                for (auto tuple : group["flowTuples"]) {
                    std::string_view text;
                    if (touch == Touch::RawToken)
                        text = tuple.raw_json_token();
                    else if (tuple.get_string().get(text) != simdjson::SUCCESS)
                        return 0;
                    touched += text.size() + static_cast<unsigned char>(text[0]);
                    ++tuples;
                }
            }
        }
    }
    return tuples;
}

void check_before_timing() {
    const Generated& g = log_text();
    ztnet::SourceSet sources;
    ztnet::Diagnostics diagnostics;
    FlowLogReader reader(sources, diagnostics);
    Counting visitor;
    const ReadCounts counts = read_all(reader, visitor);
    simdjson::ondemand::parser parser;
    std::uint64_t touched = 0;
    const std::uint64_t walked = bare_walk(parser, Touch::RawToken, touched);
    const std::uint64_t unescaped = bare_walk(parser, Touch::Unescaped, touched);
    if (counts.tuples != g.tuples || visitor.bytes_sent != g.bytes_sent || !diagnostics.all().empty() ||
        walked != g.tuples || unescaped != g.tuples) {
        std::fprintf(
            stderr, "mismatch: generated %llu tuples, reader %llu (%zu diagnostics), bare walk %llu\n",
            static_cast<unsigned long long>(g.tuples), static_cast<unsigned long long>(counts.tuples),
            diagnostics.all().size(), static_cast<unsigned long long>(walked));
        std::exit(1);
    }
    std::fprintf(stderr, "%.1f MiB of VNet flow log records, %llu tuples; reader and bare walk agree\n",
                 static_cast<double>(g.size) / (1 << 20), static_cast<unsigned long long>(g.tuples));
}

void BM_FlowLogReader(benchmark::State& state) {
    ztnet::SourceSet sources;
    ztnet::Diagnostics diagnostics;
    FlowLogReader reader(sources, diagnostics);
    std::uint64_t tuples = 0;
    for (auto _ : state) {
        Counting visitor;
        benchmark::DoNotOptimize(read_all(reader, visitor));
        tuples += visitor.count;
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(log_text().size * state.iterations()));
    state.SetItemsProcessed(static_cast<std::int64_t>(tuples));
}
BENCHMARK(BM_FlowLogReader)->Unit(benchmark::kMillisecond)->MinTime(3.0);

void BM_BareSimdjsonWalk(benchmark::State& state, Touch touch) {
    simdjson::ondemand::parser parser;
    std::uint64_t tuples = 0;
    std::uint64_t touched = 0;
    for (auto _ : state) {
        tuples += bare_walk(parser, touch, touched);
        benchmark::DoNotOptimize(touched);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(log_text().size * state.iterations()));
    state.SetItemsProcessed(static_cast<std::int64_t>(tuples));
}
BENCHMARK_CAPTURE(BM_BareSimdjsonWalk, raw_token, Touch::RawToken)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3.0);
BENCHMARK_CAPTURE(BM_BareSimdjsonWalk, get_string, Touch::Unescaped)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3.0);

// The tuple scanner alone: every tuple string of the document, copied one after the other into one
// buffer with the scanner's slack after the last, parsed in turn.
struct TupleTexts {
    std::string buffer;
    std::vector<std::pair<std::size_t, std::size_t>> spans; // offset, length
};

const TupleTexts& tuple_texts() {
    static const TupleTexts texts = [] {
        const Generated& g = log_text();
        TupleTexts t;
        simdjson::ondemand::parser parser;
        simdjson::ondemand::document doc;
        if (parser.iterate(g.text.data(), g.size, g.text.size()).get(doc) != simdjson::SUCCESS)
            return t;
        for (auto record : doc["records"])
            for (auto flow : record["flowRecords"]["flows"])
                for (auto group : flow["flowGroups"])
                    for (auto tuple : group["flowTuples"]) {
                        std::string_view text;
                        if (tuple.get_string().get(text) != simdjson::SUCCESS)
                            continue;
                        t.spans.emplace_back(t.buffer.size(), text.size());
                        t.buffer += text;
                        t.buffer += ',';
                    }
        t.buffer.append(kTupleSlack, ' ');
        return t;
    }();
    return texts;
}

void BM_TupleScanner(benchmark::State& state) {
    const TupleTexts& t = tuple_texts();
    std::uint64_t tuples = 0;
    std::uint64_t bytes = 0;
    for (auto _ : state) {
        std::uint64_t sum = 0;
        for (const auto& [offset, length] : t.spans) {
            FlowTuple tuple;
            if (!parse_padded_tuple({t.buffer.data() + offset, length}, Format::Vnet, tuple))
                sum += tuple.counters.bytes_sent;
            bytes += length;
        }
        benchmark::DoNotOptimize(sum);
        tuples += t.spans.size();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(tuples));
}
BENCHMARK(BM_TupleScanner)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void remove_store(const std::filesystem::path& file) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(file.string() + suffix, ignored);
}

// The whole ingest of the generated blob into a store that `fresh` empties (not timed) and `open`
// opens, each time; the tuple count is checked.
template <class Fresh, class Open>
void ingest_each_time(benchmark::State& state, Fresh&& fresh, Open&& open) {
    namespace store = ztnet::flows::store;
    const Generated& g = log_text();
    std::uint64_t tuples = 0;
    for (auto _ : state) {
        state.PauseTiming();
        fresh();
        state.ResumeTiming();
        store::OpenOptions options;
        options.create = true;
        auto opened = open(options);
        ztnet::SourceSet sources;
        ztnet::Diagnostics diagnostics;
        if (!opened) {
            state.SkipWithError(opened.error().message.c_str());
            break;
        }
        store::FlowIngest ingest(**opened, sources, diagnostics);
        const auto report = ingest.ingest_bytes(g.padded->text(), "bench/PT1H.json", "bench.json");
        if (!report || report->added.tuples != g.tuples) {
            state.SkipWithError("the ingest did not store every generated tuple");
            break;
        }
        tuples += report->added.tuples;
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(log_text().size * state.iterations()));
    state.SetItemsProcessed(static_cast<std::int64_t>(tuples));
}

void BM_FlowIngest(benchmark::State& state) {
    const auto file =
        std::filesystem::temp_directory_path() / ("ztnet-bench-flows-" + std::to_string(::getpid()) + ".db");
    ingest_each_time(
        state, [&] { remove_store(file); },
        [&](const ztnet::flows::store::OpenOptions& options) {
            return ztnet::flows::store::open_sqlite_store(file, options);
        });
    remove_store(file);
}
BENCHMARK(BM_FlowIngest)->Unit(benchmark::kMillisecond)->MinTime(3.0);

void quiet(void* /*unused*/, const char* /*message*/) {}

// Runs `sql` on the admin connection; whether it worked.
bool admin(PGconn* connection, const std::string& sql) {
    PGresult* result = PQexec(connection, sql.c_str());
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    return ok;
}

// Into a schema of its own, dropped and made again before each ingest.
void BM_FlowIngestPostgres(benchmark::State& state, std::string server) {
    PGconn* connection = PQconnectdb(server.c_str());
    PQsetNoticeProcessor(connection, quiet, nullptr);
    const std::string schema = "ztnet_bench_flows_" + std::to_string(::getpid());
    const std::string drop = "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
    const std::string location = server.find("://") != std::string::npos
                                     ? server + (server.find('?') == std::string::npos ? "?" : "&") +
                                           "options=-csearch_path%3D" + schema
                                     : server + " options='-csearch_path=" + schema + "'";
    if (PQstatus(connection) != CONNECTION_OK || !admin(connection, drop)) {
        state.SkipWithError("cannot use the database ZTNET_TEST_POSTGRES names");
    } else {
        ingest_each_time(
            state, [&] { admin(connection, drop) && admin(connection, "CREATE SCHEMA " + schema); },
            [&](const ztnet::flows::store::OpenOptions& options) {
                return ztnet::flows::store::open_store(location, options);
            });
        admin(connection, drop);
    }
    PQfinish(connection);
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    check_before_timing();
    if (const char* server = std::getenv("ZTNET_TEST_POSTGRES"); server != nullptr && *server != '\0')
        benchmark::RegisterBenchmark("BM_FlowIngestPostgres", BM_FlowIngestPostgres, std::string(server))
            ->UseRealTime() // the server's work is in another process: this one's CPU time is not it
            ->Unit(benchmark::kMillisecond)
            ->MinTime(3.0);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
