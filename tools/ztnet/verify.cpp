// ztnet verify: the estate allows exactly the intended flows, or the flows that break the intent.
#include "ztnet/reach/verify.h"

#include <cstdio>

#include "ztnet/json/reader.h"
#include "ztnet/load/intent_reader.h"
#include "ztnet/report/reach_report.h"

#include "commands.h"

namespace ztnet::cli {

VerifyCommand::VerifyCommand(CLI::App& app) {
    command_ =
        app.add_subcommand("verify", "check that the estate allows exactly the flows of an intent file");
    estate_.add_to(*command_);
    command_->add_option("--intent", intent_, "the intent file (*.ztnet.yaml, see docs/intent.md)")
        ->required()
        ->check(CLI::ExistingFile);
    add_service_tags_option(*command_, service_tags_);
    command_->add_option("--format", format_, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    command_->add_option("-o,--output", output_, "write the report to this file instead of stdout");
}

int VerifyCommand::run() {
    if (!estate_.finish())
        return kExitUsage;
    LoadedEstate loaded;
    load_estate(estate_, loaded);
    policy::ServiceTags tags;
    bool tags_ok = load_service_tags(service_tags_, loaded, tags);
    std::optional<model::Intent> intent = load::read_intent_file(intent_, loaded.sources, loaded.diagnostics);
    if (!tags_ok || !intent || loaded.diagnostics.has_errors()) {
        print_diagnostics(loaded);
        return kExitUsage;
    }
    int failed = kExitUsage;
    auto analysed = estate_.analyse(loaded, tags, {.rule_analysis = false, .intent = &*intent}, failed);
    if (!analysed)
        return failed;
    const reach::Reachability& reachability = *analysed->reachability();
    const reach::VerifyResult& result = *analysed->verified();
    print_diagnostics(loaded);
    std::string report =
        format_ == "json"
            ? json::write(report::verify_json(result, reachability, intent_, loaded.sources)) + "\n"
            : report::verify_text(result, reachability, intent_, loaded.sources);
    if (!write_report(report, output_))
        return kExitUsage;
    if (loaded.diagnostics.has_errors())
        return kExitUsage;
    // --strict (an estate option) also makes flows the estate cannot decide offline break the intent.
    bool holds = result.holds() && (!estate_.load.strict || result.undecidable == 0);
    return holds ? kExitClean : kExitFindings;
}

} // namespace ztnet::cli
