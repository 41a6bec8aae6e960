// ztnet harden: the NSG rules that allow exactly an intent's flows, proved before they are shown.
#include "ztnet/harden/harden.h"

#include <cstdio>

#include "ztnet/flows/store/store_location.h"
#include "ztnet/flows/store/summary_report.h"
#include "ztnet/json/reader.h"
#include "ztnet/report/harden_code.h"
#include "ztnet/report/harden_report.h"

#include "commands.h"

namespace ztnet::cli {

HardenCommand::HardenCommand(CLI::App& app) {
    command_ = app.add_subcommand(
        "harden", "NSG rules that allow exactly an intent's flows, proved on a copy of the estate");
    options_.add_to(*command_, "write the plan to this file instead of stdout",
                    {"text", "json", "arm", "bicep", "terraform"});
    command_->add_option("--flows", flows_,
                         "a flow store (ztnet flows ingest): what each rule would carry of its traffic, and "
                         "what the plan would cut (text, json)");
    command_->add_option("--since", since_, "with --flows: only conversations from this UTC time on");
    command_->add_option("--until", until_, "with --flows: only conversations before this UTC time");
}

// The store's traffic decided in the hardened estate; nullopt (printed, `exit_code` set) on an error.
std::optional<harden::ObservedUse> HardenCommand::observed(const analysis::Analysis& analysed,
                                                           const harden::HardenPlan& plan,
                                                           LoadedEstate& loaded, int& exit_code) const {
    exit_code = kExitUsage;
    observed::FlowCheckOptions window;
    for (auto [text, into] : {std::pair{&since_, &window.since_ms}, std::pair{&until_, &window.until_ms}}) {
        if (text->empty())
            continue;
        Result<std::int64_t> time = flows::store::parse_utc_time(*text);
        if (!time) {
            std::fprintf(stderr, "ztnet: %s\n", time.error().message.c_str());
            return std::nullopt;
        }
        *into = *time;
    }
    Result<std::unique_ptr<flows::store::FlowStore>> store = flows::store::open_store(flows_);
    if (!store) {
        std::fprintf(stderr, "ztnet harden: %s [%s]\n", redacted(store.error().message).c_str(),
                     store.error().code.c_str());
        return std::nullopt;
    }
    const Result<std::vector<flows::store::ConversationRow>> rows = (*store)->conversations();
    if (!rows) {
        std::fprintf(stderr, "ztnet harden: %s [%s]\n", rows.error().message.c_str(),
                     rows.error().code.c_str());
        return std::nullopt;
    }
    Result<harden::ObservedUse> use = harden::observed_use(analysed, plan, *rows, window, loaded.diagnostics);
    if (!use) {
        exit_code = analysis_failed(use.error(), loaded);
        return std::nullopt;
    }
    return std::move(*use);
}

int HardenCommand::run() {
    IntentAnalysis run;
    int failed = kExitUsage;
    if (!options_.analyse(run, failed))
        return failed;
    LoadedEstate& loaded = run.loaded;
    const analysis::Analysis* analysed = run.analysis.get();
    const Result<harden::HardenPlan> plan = harden::plan_hardening(*analysed);
    if (!plan)
        return analysis_failed(plan.error(), loaded);
    const Result<harden::Proof> proof = harden::prove(*analysed, *plan, loaded.diagnostics);
    if (!proof)
        return analysis_failed(proof.error(), loaded);
    std::optional<harden::ObservedUse> traffic;
    if (!flows_.empty()) {
        traffic = observed(*analysed, *plan, loaded, failed);
        if (!traffic)
            return failed;
    }
    print_diagnostics(loaded);
    // A plan that does not prove is a bug of ztnet's, never advice: it is not shown.
    if (!proof->holds) {
        std::string why;
        for (const std::string& line : proof->failures)
            why += "\n  " + line;
        std::fprintf(stderr,
                     "ztnet harden: internal error: the plan does not prove (%zu missing, %zu excess):%s\n",
                     proof->missing_after, proof->excess_after, why.c_str());
        return kExitInternal;
    }
    const model::Estate& estate = analysed->estate();
    std::string report;
    const std::string& format = options_.format;
    if (format == "json") {
        report = json::write(report::harden_json(*plan, *proof, estate, options_.intent,
                                                 traffic ? &*traffic : nullptr)) +
                 "\n";
    } else if (format == "arm") {
        report = report::harden_arm(*plan, estate);
    } else if (format == "terraform") {
        report = report::harden_terraform(*plan, estate);
    } else if (format == "bicep") {
        Result<std::string> bicep = report::harden_bicep(*plan, estate);
        if (!bicep)
            return analysis_failed(bicep.error(), loaded);
        report = std::move(*bicep);
    } else {
        report = report::harden_text(*plan, *proof, estate, options_.intent, traffic ? &*traffic : nullptr);
    }
    return write_report(report, options_.output) ? kExitClean : kExitUsage;
}

} // namespace ztnet::cli
