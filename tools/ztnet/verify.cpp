// ztnet verify: the estate allows exactly the intended flows, or the flows that break the intent.
#include "ztnet/reach/verify.h"

#include <cstdio>

#include "ztnet/json/reader.h"
#include "ztnet/report/html_report.h"
#include "ztnet/report/reach_report.h"

#include "commands.h"

namespace ztnet::cli {

VerifyCommand::VerifyCommand(CLI::App& app) {
    command_ =
        app.add_subcommand("verify", "check that the estate allows exactly the flows of an intent file");
    options_.add_to(*command_, "write the report to this file instead of stdout", {"text", "json", "html"});
}

int VerifyCommand::run() {
    IntentAnalysis run;
    int failed = kExitUsage;
    if (!options_.analyse(run, failed))
        return failed;
    LoadedEstate& loaded = run.loaded;
    const analysis::Analysis* analysed = run.analysis.get();
    const reach::Reachability& reachability = *analysed->reachability();
    const reach::VerifyResult& result = *analysed->verified();
    print_diagnostics(loaded);
    std::string report;
    if (options_.format == "json")
        report =
            json::write(report::verify_json(result, reachability, options_.intent, loaded.sources)) + "\n";
    else if (options_.format == "html")
        report = report::verify_html(result, reachability, options_.intent, loaded.sources);
    else
        report = report::verify_text(result, reachability, options_.intent, loaded.sources);
    if (!write_report(report, options_.output, options_.format == "text"))
        return kExitUsage;
    if (loaded.diagnostics.has_errors())
        return kExitUsage;
    // --strict (an estate option) also makes flows the estate cannot decide offline break the intent.
    bool holds = result.holds() && (!options_.estate.load.strict || result.undecidable == 0);
    return holds ? kExitClean : kExitFindings;
}

} // namespace ztnet::cli
