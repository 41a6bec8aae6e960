// ztnet harden: the NSG rules that allow exactly an intent's flows, proved before they are shown.
#include "ztnet/harden/harden.h"

#include <cstdio>

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
        report = json::write(report::harden_json(*plan, *proof, estate, options_.intent)) + "\n";
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
        report = report::harden_text(*plan, *proof, estate, options_.intent);
    }
    return write_report(report, options_.output) ? kExitClean : kExitUsage;
}

} // namespace ztnet::cli
