// What the store tests share: a scratch folder, blobs written into it, an ingest into a store (an
// SQLite file or a PostgreSQL connection string, as --store takes them), an ingest killed at a
// chosen point, and the store's summary as JSON (every total in one comparable string).
#pragma once

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/flows/store/flow_ingest.h"
#include "ztnet/flows/store/sqlite_flow_store.h"
#include "ztnet/flows/store/store_location.h"
#include "ztnet/flows/store/summary_report.h"
#include "ztnet/json/reader.h"

#include "flow_test_support.h"

namespace ztnet::flows::store::testing {

using flows::testing::nsg_record;
using flows::testing::vnet_record;

/// A scratch folder per test, removed afterwards.
class ScratchTest : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = std::filesystem::temp_directory_path() /
               (std::string("ztnet-store-") + info->name() + "-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::filesystem::path path(const std::string& name) const { return dir_ / name; }

    static void write(const std::filesystem::path& file, const std::string& text) {
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    }

    std::filesystem::path dir_;
};

/// {"records":[...]} as Azure writes PT1H.json.
inline std::string blob(const std::vector<std::string>& records) {
    std::string out = "{\"records\":[";
    for (std::size_t i = 0; i < records.size(); ++i)
        out += (i == 0 ? "\n" : ",\n") + records[i];
    return out + "\n]}";
}

/// Options that create the store, with `bucket_ms` when given.
inline OpenOptions creating(std::optional<std::int64_t> bucket_ms = std::nullopt) {
    OpenOptions options;
    options.create = true;
    options.bucket_ms = bucket_ms;
    return options;
}

/// One ingest of `paths` into `store` (a file, or a PostgreSQL connection string); the report, and
/// the diagnostics' codes in `codes`.
inline Result<IngestReport> ingest(const std::string& store, const std::vector<std::filesystem::path>& paths,
                                   IngestOptions options = {}, std::vector<std::string>* codes = nullptr,
                                   OpenOptions open = creating()) {
    Result<std::unique_ptr<FlowStore>> opened = open_store(store, open);
    if (!opened)
        return opened.error();
    SourceSet sources;
    Diagnostics diagnostics;
    FlowIngest ingest(**opened, sources, diagnostics, std::move(options));
    Result<IngestReport> report = ingest.ingest(paths);
    for (const Diagnostic& d : diagnostics.all()) {
        if (codes != nullptr)
            codes->push_back(d.code);
    }
    return report;
}

/// The store's summary as JSON, or the error's code.
inline std::string summary(const std::string& store_name) {
    Result<std::unique_ptr<FlowStore>> store = open_store(store_name);
    if (!store)
        return store.error().code;
    const Result<StoreSummary> s = (*store)->summary();
    return s ? json::write(summary_json(*s)) : s.error().code;
}

inline StoreSummary summary_of(const std::string& store_name) {
    Result<std::unique_ptr<FlowStore>> store = open_store(store_name);
    EXPECT_TRUE(store.ok()) << (store ? "" : store.error().message);
    if (!store)
        return {};
    const Result<StoreSummary> s = (*store)->summary();
    EXPECT_TRUE(s.ok());
    return s ? *s : StoreSummary{};
}

/// Forks a child that ingests `paths` into `store` and raises SIGKILL the nth time it reaches
/// `point`; whether it was killed.
inline bool ingest_killed(const std::string& store, const std::vector<std::filesystem::path>& paths,
                          IngestOptions options, IngestPoint point, int nth) {
    const pid_t child = fork();
    if (child == 0) {
        int reached = 0;
        options.hook = [&](IngestPoint at) {
            if (at == point && ++reached == nth)
                std::raise(SIGKILL);
        };
        std::_Exit(ingest(store, paths, options).ok() ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

/// Runs `count` processes that each ingest `paths` into `store` at once; whether all succeeded.
inline bool ingest_at_once(const std::string& store, const std::vector<std::filesystem::path>& paths,
                           const IngestOptions& options, int count) {
    std::vector<pid_t> children;
    for (int i = 0; i < count; ++i) {
        const pid_t child = fork();
        if (child == 0)
            std::_Exit(ingest(store, paths, options).ok() ? 0 : 1);
        children.push_back(child);
    }
    bool all = true;
    for (const pid_t child : children) {
        int status = 0;
        waitpid(child, &status, 0);
        all = all && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    return all;
}

/// A VNet record with `count` tuples drawn from a fixed seed: a few conversations, many tuples.
inline std::string generated_record(std::mt19937_64& rng, int count) {
    std::vector<std::string> tuples;
    for (int i = 0; i < count; ++i) {
        const auto pick = [&](std::uint64_t n) {
            return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng);
        };
        const char state = "BCED"[pick(4)];
        const std::string counters = state == 'B' || state == 'D'
                                         ? "0,0,0,0"
                                         : std::to_string(1 + pick(50)) + "," + std::to_string(pick(9000)) +
                                               "," + std::to_string(1 + pick(50)) + "," +
                                               std::to_string(pick(90000));
        const std::string source = pick(10) == 0 ? "2001:db8::" + std::to_string(1 + pick(9))
                                                 : "10.0.0." + std::to_string(4 + pick(6));
        const std::string destination = pick(10) == 0 ? "2001:db8:1::" + std::to_string(1 + pick(9))
                                                      : "10.0.1." + std::to_string(4 + pick(6));
        tuples.push_back(std::to_string(1663146000000 + pick(7'200'000)) + "," + source + "," + destination +
                         "," + std::to_string(1024 + pick(60000)) + "," + (pick(2) ? "443" : "22") + "," +
                         (pick(5) == 0 ? "17" : "6") + "," + (pick(2) ? "I" : "O") + "," + state + "," +
                         (pick(10) == 0 ? "X" : "NX") + "," + counters);
    }
    return vnet_record(tuples, "rule-" + std::to_string(rng() % 3));
}

/// A folder of `files` blobs of `records` generated records each, under an Azure-like layout.
inline void generate_folder(const std::filesystem::path& dir, int files, int records,
                            std::uint64_t seed = 7) {
    std::mt19937_64 rng(seed);
    for (int f = 0; f < files; ++f) {
        std::vector<std::string> list;
        for (int r = 0; r < records; ++r)
            list.push_back(generated_record(rng, 3 + static_cast<int>(rng() % 8)));
        std::filesystem::create_directories(dir / ("h=" + std::to_string(f)));
        std::ofstream(dir / ("h=" + std::to_string(f)) / "PT1H.json", std::ios::binary) << blob(list);
    }
}

} // namespace ztnet::flows::store::testing
