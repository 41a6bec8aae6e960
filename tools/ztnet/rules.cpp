// ztnet rules: NSG rules that are shadowed, redundant, conflicting, or restrict the source port.
#include <cstdio>

#include "ztnet/json/reader.h"
#include "ztnet/reach/rule_analysis.h"
#include "ztnet/report/rule_report.h"

#include "commands.h"

namespace ztnet::cli {

RulesCommand::RulesCommand(CLI::App& app) {
    command_ = app.add_subcommand("rules", "find NSG rules that are shadowed, redundant, conflicting or "
                                           "restrict the source port");
    estate_.add_to(*command_);
    add_service_tags_option(*command_, service_tags_);
    command_->add_option("--format", format_, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    command_->add_option("-o,--output", output_, "write the report to this file instead of stdout");
}

int RulesCommand::run() {
    if (!estate_.finish())
        return kExitUsage;
    LoadedEstate loaded;
    policy::ServiceTags tags;
    if (!load_estate_and_tags(estate_, service_tags_, loaded, tags))
        return kExitUsage;
    int failed = kExitUsage;
    auto analysed = estate_.analyse(loaded, tags, {.reachability = false}, failed);
    if (!analysed)
        return failed;
    const policy::PolicyEngine& engine = analysed->policy();
    const std::vector<reach::NsgRuleAnalysis>& analyses = analysed->rule_analyses();
    print_diagnostics(loaded);
    std::string report = format_ == "json"
                             ? json::write(report::rules_json(analyses, engine, loaded.sources)) + "\n"
                             : report::rules_text(analyses, engine, loaded.sources);
    if (!write_report(report, output_))
        return kExitUsage;
    if (loaded.diagnostics.has_errors())
        return kExitUsage;
    for (const reach::NsgRuleAnalysis& a : analyses) {
        if (!a.findings.empty())
            return kExitFindings;
    }
    return kExitClean;
}

} // namespace ztnet::cli
