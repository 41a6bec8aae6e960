// ztnet flows ingest | summary: flow logs into a store exactly once, and what the store holds.
#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include "ztnet/flows/store/flow_ingest.h"
#include "ztnet/flows/store/store_location.h"
#include "ztnet/flows/store/summary_report.h"
#include "ztnet/json/reader.h"
#include "ztnet/load/intent_reader.h"
#include "ztnet/observed/flow_check.h"
#include "ztnet/report/flow_check_report.h"
#include "ztnet/support/parallel.h"

#include "commands.h"

namespace ztnet::cli {

namespace {

namespace store = flows::store;

void print(const Diagnostics& diagnostics, const SourceSet& sources) {
    for (const Diagnostic& d : diagnostics.all())
        std::fprintf(stderr, "%s\n", format_diagnostic(d, sources).c_str());
}

// An error of the store, printed like a diagnostic; the exit code it gives.
int store_failed(const Error& error, Diagnostics& diagnostics, const SourceSet& sources) {
    diagnostics.error(error.code, error.message);
    print(diagnostics, sources);
    return error.code == "internal-error" ? kExitInternal : kExitUsage;
}

// One line rewritten in place, for a terminal only: a log or a pipe gets no progress lines.
void show_progress(const store::IngestProgress& progress) {
    std::fprintf(stderr, "\r%zu/%zu files, %.1f MiB", progress.files_done, progress.files_total,
                 static_cast<double>(progress.bytes_done) / (1 << 20));
    if (progress.files_done == progress.files_total)
        std::fputc('\n', stderr);
}

} // namespace

FlowsCommand::FlowsCommand(CLI::App& app) {
    command_ = app.add_subcommand("flows", "keep flow logs in a store, exactly once, and summarise them");
    command_->require_subcommand(1);
    ingest_ =
        command_->add_subcommand("ingest", "add flow log files or folders to a store; only what is new");
    ingest_->add_option("paths", paths_, "flow log files (PT1H.json, JSON lines) or folders of them")
        ->required();
    ingest_
        ->add_option("--store", store_,
                     "the store: an SQLite file, created when missing, or a PostgreSQL database "
                     "(postgresql://... or host=... dbname=...)")
        ->required();
    ingest_->add_option("--bucket", bucket_,
                        "time bucket of conversations for a new store: minutes, or 15m, 1h, 1d (default 1h)");
    ingest_->add_flag("--keep-tuples", keep_tuples_, "keep every tuple as read, besides the conversations");
    ingest_
        ->add_option("--threads", threads_,
                     "threads the ingest may use: one writes the store, the others read the next files "
                     "ahead (default: one per core; 1 reads each file in its turn)")
        ->check(CLI::Range(1U, 1024U));
    summary_ = command_->add_subcommand("summary", "what a store holds: totals and breakdowns");
    summary_->add_option("--store", store_, "the store: an SQLite file or a PostgreSQL connection string")
        ->required();
    summary_->add_option("--format", format_, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    check_ = command_->add_subcommand(
        "check", "hold a store's traffic against the estate and the intent: drift, forbidden and denied "
                 "intended flows, management ports, scans, unused and over-wide rules");
    estate_.add_to(*check_);
    check_->add_option("--store", store_, "the store: an SQLite file or a PostgreSQL connection string")
        ->required();
    check_->add_option("--intent", intent_, "the intent file (*.ztnet.yaml, see docs/intent.md)")
        ->check(CLI::ExistingFile);
    check_->add_option("--since", since_, "only conversations from this UTC time on (2024-01-15T10:00Z)");
    check_->add_option("--until", until_, "only conversations before this UTC time");
    add_service_tags_option(*check_, service_tags_);
    check_->add_option("--format", format_, "text, json, sarif or html")
        ->check(CLI::IsMember({"text", "json", "sarif", "html"}))
        ->capture_default_str();
    check_->add_option("-o,--output", output_, "write the report to this file instead of stdout");
    sarif_.add_to(*check_);
}

int FlowsCommand::run() {
    if (ingest_->parsed())
        return run_ingest();
    return check_->parsed() ? run_check() : run_summary();
}

int FlowsCommand::run_ingest() {
    SourceSet sources;
    Diagnostics diagnostics;
    store::OpenOptions open;
    open.create = true;
    if (!bucket_.empty()) {
        Result<std::int64_t> bucket = store::parse_bucket(bucket_);
        if (!bucket)
            return store_failed(bucket.error(), diagnostics, sources);
        open.bucket_ms = *bucket;
    }
    Result<std::unique_ptr<store::FlowStore>> opened = store::open_store(store_, open);
    if (!opened)
        return store_failed(opened.error(), diagnostics, sources);
    store::IngestOptions options;
    options.keep_tuples = keep_tuples_;
    if (isatty(STDERR_FILENO) != 0)
        options.progress = show_progress;
    ThreadPool pool(threads_);
    ThreadPool::Scope scope(pool);
    store::FlowIngest ingest(**opened, sources, diagnostics, std::move(options));
    const std::vector<std::filesystem::path> paths(paths_.begin(), paths_.end());
    const Result<store::IngestReport> report = ingest.ingest(paths);
    if (!report)
        return store_failed(report.error(), diagnostics, sources);
    print(diagnostics, sources);
    const flows::ReadCounts& added = report->added;
    std::printf("%s\n",
                fmt::format("{} file(s) read: {} with new records, {} unchanged, {} refused; added {} "
                            "record(s), {} tuple(s), {} skipped record(s), {} skipped tuple(s)",
                            report->files_read, added.files, report->files_unchanged, report->files_refused,
                            added.records, added.tuples, added.skipped_records, added.skipped_tuples)
                    .c_str());
    return diagnostics.has_errors() ? kExitUsage : kExitClean;
}

int FlowsCommand::run_summary() {
    SourceSet sources;
    Diagnostics diagnostics;
    Result<std::unique_ptr<store::FlowStore>> opened = store::open_store(store_);
    if (!opened)
        return store_failed(opened.error(), diagnostics, sources);
    const Result<store::StoreSummary> summary = (*opened)->summary();
    if (!summary)
        return store_failed(summary.error(), diagnostics, sources);
    const std::string text =
        format_ == "json" ? json::write(store::summary_json(*summary)) + "\n" : store::summary_text(*summary);
    std::fputs(text.c_str(), stdout);
    return kExitClean;
}

int FlowsCommand::run_check() {
    if (!estate_.finish())
        return kExitUsage;
    observed::FlowCheckOptions options;
    for (auto [text, into] : {std::pair{&since_, &options.since_ms}, std::pair{&until_, &options.until_ms}}) {
        if (text->empty())
            continue;
        Result<std::int64_t> time = store::parse_utc_time(*text);
        if (!time) {
            std::fprintf(stderr, "ztnet: %s\n", time.error().message.c_str());
            return kExitUsage;
        }
        *into = *time;
    }
    LoadedEstate loaded;
    load_estate(estate_, loaded);
    policy::ServiceTags tags;
    const bool tags_ok = load_service_tags(service_tags_, loaded, tags);
    std::optional<model::Intent> intent;
    if (!intent_.empty())
        intent = load::read_intent_file(intent_, loaded.sources, loaded.diagnostics);
    if (!tags_ok || (!intent_.empty() && !intent) || loaded.diagnostics.has_errors()) {
        print_diagnostics(loaded);
        return kExitUsage;
    }
    Result<std::unique_ptr<store::FlowStore>> opened = store::open_store(store_);
    if (!opened)
        return store_failed(opened.error(), loaded.diagnostics, loaded.sources);
    const Result<std::vector<store::ConversationRow>> rows = (*opened)->conversations();
    if (!rows)
        return store_failed(rows.error(), loaded.diagnostics, loaded.sources);
    int failed = kExitUsage;
    auto analysed = estate_.analyse(loaded, tags, {.intent = intent ? &*intent : nullptr}, failed);
    if (!analysed)
        return failed;
    const observed::FlowCheckResult result = observed::check_flows(*analysed, *rows, options);
    print_diagnostics(loaded);
    std::string report;
    if (format_ == "sarif") {
        const report::FlowCheckSarifInputs inputs{analysed->estate(),    loaded.sources,
                                                  std::string(kVersion), sarif_.root(),
                                                  sarif_.root_uri(),     sarif_.max_results};
        report = json::write(report::flow_check_sarif(result, inputs)) + "\n";
    } else if (format_ == "html") {
        report = report::flow_check_html(result, loaded.sources, store::redact_password(store_));
    } else {
        report = format_ == "json" ? json::write(report::flow_check_json(result, loaded.sources)) + "\n"
                                   : report::flow_check_text(result, loaded.sources);
    }
    if (!write_report(report, output_))
        return kExitUsage;
    return report::flow_check_has_findings(result) ? kExitFindings : kExitClean;
}

} // namespace ztnet::cli
