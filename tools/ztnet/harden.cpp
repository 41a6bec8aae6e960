// ztnet harden: the NSG rules that allow exactly an intent's flows, proved before they are shown.
#include "ztnet/harden/harden.h"

#include <cstdio>

#include <fmt/format.h>

#include "ztnet/flows/store/store_location.h"
#include "ztnet/flows/store/summary_report.h"
#include "ztnet/harden/observed_intent.h"
#include "ztnet/json/reader.h"
#include "ztnet/report/harden_code.h"
#include "ztnet/report/harden_report.h"

#include "commands.h"

namespace ztnet::cli {

HardenCommand::HardenCommand(CLI::App& app) {
    command_ = app.add_subcommand(
        "harden", "NSG rules that allow exactly an intent's flows, proved on a copy of the estate");
    options_.add_to(*command_, "write the plan to this file instead of stdout",
                    {"text", "json", "arm", "bicep", "terraform", "az-cli", "html"}, false);
    command_->add_option(
        "--flows", flows_,
        "a flow store (ztnet flows ingest): what each rule would carry of its traffic and what "
        "the plan would cut; without --intent, the traffic it holds is what to allow");
    command_
        ->add_option("--max-rules", max_rules_,
                     "the most custom rules an NSG may hold: more are merged into wider ones, and the proof "
                     "says what that allows beyond the exact rules")
        ->check(CLI::Range(3, 1000))
        ->capture_default_str();
    command_->add_flag("--propose-asgs", propose_asgs_,
                       "write an intent group of VMs or NICs as an application security group (the estate's "
                       "own, or a new one with its members) rather than by addresses");
    command_->add_option("--since", since_, "with --flows: only conversations from this UTC time on");
    command_->add_option("--until", until_, "with --flows: only conversations before this UTC time");
}

// The store's conversations and the --since/--until window; false (printed) on an error.
bool HardenCommand::read_store() {
    for (auto [text, into] : {std::pair{&since_, &window_.since_ms}, std::pair{&until_, &window_.until_ms}}) {
        if (text->empty())
            continue;
        Result<std::int64_t> time = flows::store::parse_utc_time(*text);
        if (!time) {
            std::fprintf(stderr, "ztnet: %s\n", time.error().message.c_str());
            return false;
        }
        *into = *time;
    }
    Result<std::unique_ptr<flows::store::FlowStore>> store = flows::store::open_store(flows_);
    if (!store) {
        std::fprintf(stderr, "ztnet harden: %s [%s]\n", redacted(store.error().message).c_str(),
                     store.error().code.c_str());
        return false;
    }
    Result<std::vector<flows::store::ConversationRow>> rows = (*store)->conversations();
    if (!rows) {
        std::fprintf(stderr, "ztnet harden: %s [%s]\n", rows.error().message.c_str(),
                     rows.error().code.c_str());
        return false;
    }
    rows_ = std::move(*rows);
    return true;
}

// Without --intent: the estate analysed once to attribute the store's traffic, the intent that
// traffic makes, and the estate analysed again with it.
bool HardenCommand::analyse_traffic(IntentAnalysis& run, int& exit_code) {
    exit_code = kExitUsage;
    if (!options_.estate.finish())
        return false;
    EstateOptions estate = options_.estate;
    load_estate(estate, run.loaded);
    if (!load_service_tags(options_.service_tags, run.loaded, run.tags) ||
        run.loaded.diagnostics.has_errors()) {
        print_diagnostics(run.loaded);
        return false;
    }
    auto attributing = options_.estate.analyse(run.loaded, run.tags, {.rule_analysis = false}, exit_code);
    if (!attributing)
        return false;
    run.intent = harden::observed_intent(*attributing, rows_,
                                         {window_, 16, fmt::format("the traffic in {}", redacted(flows_))});
    if (run.intent->flows.empty()) {
        print_diagnostics(run.loaded);
        std::fprintf(stderr,
                     "ztnet harden: the store holds no allowed traffic in the window: nothing to keep; "
                     "give --intent to say what to allow\n");
        return false;
    }
    run.analysis = options_.estate.analyse(run.loaded, run.tags,
                                           {.rule_analysis = false, .intent = &*run.intent}, exit_code);
    return run.analysis != nullptr;
}

int HardenCommand::run() {
    if (options_.intent.empty() && flows_.empty()) {
        std::fprintf(stderr, "ztnet harden: say what to allow: --intent FILE, --flows STORE, or both\n");
        return kExitUsage;
    }
    if (!flows_.empty() && !read_store())
        return kExitUsage;
    IntentAnalysis run;
    int failed = kExitUsage;
    if (!(options_.intent.empty() ? analyse_traffic(run, failed) : options_.analyse(run, failed)))
        return failed;
    LoadedEstate& loaded = run.loaded;
    const analysis::Analysis* analysed = run.analysis.get();
    const std::string source = options_.intent.empty() ? run.intent->path : options_.intent;
    const Result<harden::HardenPlan> plan =
        harden::plan_hardening(*analysed, {.max_rules = max_rules_, .propose_asgs = propose_asgs_});
    if (!plan)
        return analysis_failed(plan.error(), loaded);
    const Result<harden::Proof> proof = harden::prove(*analysed, *plan, loaded.diagnostics);
    if (!proof)
        return analysis_failed(proof.error(), loaded);
    std::optional<harden::ObservedUse> traffic;
    if (!flows_.empty()) {
        Result<harden::ObservedUse> use =
            harden::observed_use(*analysed, *plan, rows_, window_, loaded.diagnostics);
        if (!use)
            return analysis_failed(use.error(), loaded);
        traffic = std::move(*use);
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
    // The rules of a plan with new groups are read against the estate with them (their indices).
    const model::Estate hardened =
        plan->asgs.empty() ? model::Estate() : harden::apply_plan(analysed->estate(), *plan);
    const model::Estate& estate = plan->asgs.empty() ? analysed->estate() : hardened;
    std::string report;
    const std::string& format = options_.format;
    if (format == "json") {
        report =
            json::write(report::harden_json(*plan, *proof, estate, source, traffic ? &*traffic : nullptr)) +
            "\n";
    } else if (format == "arm") {
        Result<std::string> arm = report::harden_arm(*plan, estate);
        if (!arm)
            return analysis_failed(arm.error(), loaded);
        report = std::move(*arm);
    } else if (format == "terraform") {
        report = report::harden_terraform(*plan, estate);
    } else if (format == "az-cli") {
        report = report::harden_az_cli(*plan, estate);
    } else if (format == "bicep") {
        Result<std::string> bicep = report::harden_bicep(*plan, estate);
        if (!bicep)
            return analysis_failed(bicep.error(), loaded);
        report = std::move(*bicep);
    } else if (format == "html") {
        report = report::harden_html(*plan, *proof, estate, source, traffic ? &*traffic : nullptr);
    } else {
        report = report::harden_text(*plan, *proof, estate, source, traffic ? &*traffic : nullptr);
    }
    return write_report(report, options_.output) ? kExitClean : kExitUsage;
}

} // namespace ztnet::cli
