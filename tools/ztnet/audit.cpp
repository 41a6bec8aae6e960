// ztnet check and ztnet audit: the Zero Trust checks, and the audit (inventory summary, checks,
// reachability highlights, intent verification).
#include "ztnet/checks/audit.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "ztnet/checks/witness_paths.h"
#include "ztnet/flows/store/store_location.h"
#include "ztnet/json/reader.h"
#include "ztnet/load/intent_reader.h"
#include "ztnet/load/suppressions_reader.h"
#include "ztnet/observed/flow_check.h"
#include "ztnet/observed/path_evidence.h"
#include "ztnet/report/audit_report.h"
#include "ztnet/report/flow_check_report.h"
#include "ztnet/report/html_report.h"

#include "commands.h"
#include "terminal.h"

namespace ztnet::cli {

// The findings whose witness flow the HTML report traces hop by hop (the most severe first).
constexpr std::size_t kTracedFindings = 20000;

std::string today_utc() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    return fmt::format("{:04}-{:02}-{:02}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
}

// An intent file beside the estate: in a folder given as input, or in the folder above it (the
// examples keep theirs next to export/ and template/). Exactly one, or none is used.
std::string intent_beside(const std::vector<std::string>& paths, std::vector<std::string>& found) {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const std::string& p : paths) {
        fs::path dir = fs::is_directory(p, ec) ? fs::path(p) : fs::path(p).parent_path();
        for (const fs::path& candidate : {dir, dir.parent_path()}) {
            if (candidate.empty() || !fs::is_directory(candidate, ec))
                continue;
            for (const auto& entry : fs::directory_iterator(candidate, ec)) {
                std::string name = entry.path().filename().string();
                if (entry.is_regular_file(ec) && name.ends_with(".ztnet.yaml") &&
                    std::find(found.begin(), found.end(), entry.path().string()) == found.end())
                    found.push_back(entry.path().string());
            }
            if (!found.empty())
                break;
        }
    }
    std::sort(found.begin(), found.end());
    return found.size() == 1 ? found[0] : std::string();
}

// The flow store's conversations; nullopt (the error printed) when the store cannot be read.
bool expand_check_patterns(const std::vector<std::string>& patterns, std::string_view command,
                           std::vector<std::string>& ids) {
    for (const std::string& pattern : patterns) {
        std::vector<std::string> matching = checks::checks_matching(pattern);
        if (matching.empty()) {
            std::fprintf(stderr, "ztnet %.*s: --checks: no check matches '%s' (`ztnet checks` lists them)\n",
                         static_cast<int>(command.size()), command.data(), pattern.c_str());
            return false;
        }
        ids.insert(ids.end(), matching.begin(), matching.end());
    }
    return true;
}

bool read_audit_files(const std::string& suppressions_path, const std::string& intent_path, bool look_beside,
                      const std::vector<std::string>& paths, LoadedEstate& loaded,
                      std::vector<model::Suppression>& suppressions, std::optional<model::Intent>& intent,
                      std::string& intent_read) {
    bool ok = true;
    if (!suppressions_path.empty()) {
        auto read = load::read_suppressions_file(suppressions_path, loaded.sources, loaded.diagnostics);
        ok = read.has_value();
        if (read)
            suppressions = std::move(*read);
    }
    std::string path = intent_path;
    if (look_beside && path.empty()) {
        std::vector<std::string> found;
        path = intent_beside(paths, found);
        if (found.size() > 1)
            loaded.diagnostics.warning(
                "audit-intents",
                fmt::format("{} intent files sit beside the estate; name one with --intent", found.size()));
    }
    if (!path.empty()) {
        intent_read = path;
        intent = load::read_intent_file(path, loaded.sources, loaded.diagnostics);
        ok = ok && intent.has_value();
    }
    return ok;
}

bool analyse_for_audit(EstateOptions& estate, const std::string& tags_path,
                       const std::string& suppressions_path, const std::string& intent_path, bool look_beside,
                       checks::AuditOptions& options, AuditedEstate& out, int& exit_code) {
    exit_code = kExitUsage;
    load_estate(estate, out.loaded);
    bool ok = load_service_tags(tags_path, out.loaded, out.tags);
    ok = read_audit_files(suppressions_path, intent_path, look_beside, estate.paths, out.loaded,
                          options.suppressions, out.intent, out.intent_path) &&
         ok;
    if (!ok || out.loaded.diagnostics.has_errors()) {
        print_diagnostics(out.loaded);
        return false;
    }
    std::vector<net::AddressSet> conditions;
    for (const std::string& name : out.condition_tags) {
        if (const net::AddressSet* tag = out.tags.find(name))
            conditions.push_back(*tag);
    }
    out.analysis = estate.analyse(
        out.loaded, out.tags, {.intent = out.intent ? &*out.intent : nullptr, .extra_conditions = conditions},
        exit_code);
    return out.analysis != nullptr;
}

std::optional<std::vector<flows::store::ConversationRow>> AuditCommand::observed_rows() const {
    Result<std::unique_ptr<flows::store::FlowStore>> opened = flows::store::open_store(flows_);
    if (!opened) {
        std::fprintf(stderr, "ztnet audit: %s [%s]\n", redacted(opened.error().message).c_str(),
                     opened.error().code.c_str());
        return std::nullopt;
    }
    Result<std::vector<flows::store::ConversationRow>> rows = (*opened)->conversations();
    if (!rows) {
        std::fprintf(stderr, "ztnet audit: %s [%s]\n", rows.error().message.c_str(),
                     rows.error().code.c_str());
        return std::nullopt;
    }
    return std::move(*rows);
}

AuditCommand::AuditCommand(CLI::App& app, bool full) : full_(full) {
    command_ =
        full ? app.add_subcommand("audit", "the Zero Trust audit: inventory, checks, reachability highlights "
                                           "and intent verification")
             : app.add_subcommand("check", "run the Zero Trust checks");
    estate_.add_to(*command_);
    if (full) {
        command_
            ->add_option("--intent", intent_, "an intent file (default: a *.ztnet.yaml beside the estate)")
            ->check(CLI::ExistingFile);
        command_->add_option("--flows", flows_,
                             "a flow store (ztnet flows ingest): adds what the traffic it holds shows (text, "
                             "json)");
    }
    command_->add_option("--suppressions", suppressions_, "a suppressions file (YAML, see docs/audit.md)")
        ->check(CLI::ExistingFile);
    add_attack_policy_option(*command_, attack_policy_);
    command_->add_option(
        "--checks", checks_,
        "run only these checks: ids or patterns, any case (ZT-STG-*, zt-net-001; repeatable)");
    command_
        ->add_option("--fail-on", fail_on_,
                     "exit 1 when a finding is at or above: low, medium, high, critical")
        ->check(CLI::IsMember({"low", "medium", "high", "critical"}))
        ->capture_default_str();
    command_->add_option("--today", today_, "the date suppressions expire against (default: today, UTC)");
    add_service_tags_option(*command_, service_tags_);
    command_->add_option("--format", format_, "text, json, sarif or html (one self-contained page)")
        ->check(CLI::IsMember({"text", "json", "sarif", "html"}))
        ->capture_default_str();
    command_->add_option("-o,--output", output_, "write the report to this file instead of stdout");
    command_
        ->add_option("--details", details_,
                     "text: findings shown per check, or 'all' (the summary table counts every one)")
        ->capture_default_str();
    sarif_.add_to(*command_);
}

int AuditCommand::run() {
    if (!estate_.finish())
        return kExitUsage;
    std::size_t details = std::numeric_limits<std::size_t>::max(); // --details all
    if (details_ != "all") {
        auto [end, ec] = std::from_chars(details_.data(), details_.data() + details_.size(), details);
        if (ec != std::errc() || end != details_.data() + details_.size()) {
            std::fprintf(stderr, "ztnet %s: --details expects a number or 'all', got '%s'\n",
                         full_ ? "audit" : "check", details_.c_str());
            return kExitUsage;
        }
    }
    checks::AuditOptions options;
    options.today = today_.empty() ? today_utc() : today_;
    options.highlights = full_;
    if (!expand_check_patterns(checks_, full_ ? "audit" : "check", options.checks))
        return kExitUsage;
    AuditedEstate run;
    int failed = kExitUsage;
    if (!attack_policy_.empty() && !read_attack_policy(attack_policy_, run.loaded, options.attack_policy)) {
        print_diagnostics(run.loaded);
        return kExitUsage;
    }
    run.condition_tags = options.attack_policy.crown_jewels;
    if (!analyse_for_audit(estate_, service_tags_, suppressions_, intent_, full_, options, run, failed))
        return failed;
    LoadedEstate& loaded = run.loaded;
    const std::optional<model::Intent>& intent = run.intent;
    const std::string& intent_path = run.intent_path;
    const analysis::Analysis& done = *run.analysis;
    progress("running the checks");
    auto audited = checks::run_audit(done, options);
    if (!audited)
        return analysis_failed(audited.error(), loaded);
    checks::AuditResult& result = *audited;
    const reach::VerifyResult* verified = done.verified();
    for (const model::Suppression& s : result.run.expired)
        loaded.diagnostics.warning("suppression-expired",
                                   fmt::format("suppression of {} on {} expired on {}; it no longer applies",
                                               s.check_id, s.resource, s.expires),
                                   s.where);
    print_diagnostics(loaded);
    report::AuditInputs inputs{loaded.result.estate, loaded.sources, intent ? intent_path : std::string(),
                               verified};
    inputs.command = full_ ? "audit" : "check";
    inputs.max_results = sarif_.max_results;
    inputs.details = details;
    inputs.source_root = sarif_.root();
    inputs.source_root_uri = sarif_.root_uri();
    // The store's traffic: its own report, and evidence on the findings whose paths carried some.
    std::optional<observed::FlowCheckResult> flows;
    std::size_t observed_findings = 0;
    if (!flows_.empty()) {
        const std::optional<std::vector<flows::store::ConversationRow>> rows = observed_rows();
        if (!rows)
            return kExitUsage;
        flows = observed::check_flows(done, *rows, {});
        observed::ObservedPaths paths(done, *rows, {});
        result.run.findings = observed::with_observed_evidence(std::move(result.run.findings), paths);
        observed_findings = observed::findings_with_observed_evidence(result.run.findings);
    }
    std::string out;
    if (format_ == "json") {
        json::Value report = report::audit_json(result, inputs);
        if (flows)
            report.as_object().set("flows", report::flow_check_json(*flows, loaded.sources));
        out = json::write(report) + "\n";
    } else if (format_ == "sarif") {
        out = json::write(report::audit_sarif(result, inputs)) + "\n";
    } else if (format_ == "html") {
        progress("tracing the findings' flows");
        const auto traces = checks::witness_paths(done, result.run.findings, kTracedFindings);
        out = report::audit_html(result, inputs, {.reach = done.reachability(), .traces = &traces});
    } else {
        out = report::audit_text(result, inputs);
        if (flows)
            out +=
                fmt::format("\nObserved traffic ({})\n{} finding(s) above show a path that carried observed "
                            "traffic (their evidence says how much)\n",
                            flows_, observed_findings) +
                report::flow_check_text(*flows, loaded.sources);
    }
    if (!write_report(out, output_, format_ == "text"))
        return kExitUsage;
    if (loaded.diagnostics.has_errors())
        return kExitUsage;
    const bool failing = checks::fails_at(result.run, *checks::parse_severity(fail_on_)) ||
                         (flows && report::flow_check_has_findings(*flows));
    return failing ? kExitFindings : kExitClean;
}

ChecksCommand::ChecksCommand(CLI::App& app) {
    command_ = app.add_subcommand("checks", "list the Zero Trust checks");
    command_->add_option("--format", format_, "text or markdown (docs/checks.md)")
        ->check(CLI::IsMember({"text", "markdown"}))
        ->capture_default_str();
}

int ChecksCommand::run() {
    std::string out;
    if (format_ == "markdown") {
        out = report::checks_markdown();
    } else {
        for (const checks::Check& c : checks::registry())
            out += fmt::format("{}  {:<8}  {}\n", c.id, checks::severity_name(c.severity), c.title);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return kExitClean;
}

} // namespace ztnet::cli
