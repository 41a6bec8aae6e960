// ztnet reach: who can reach whom, on what, as a matrix between endpoint groups.
#include <cstdio>

#include "ztnet/json/reader.h"
#include "ztnet/reach/matrix.h"
#include "ztnet/report/reach_report.h"

#include "commands.h"

namespace ztnet::cli {

ReachCommand::ReachCommand(CLI::App& app) {
    command_ = app.add_subcommand("reach", "exact reachability between endpoint groups, through NSGs, "
                                           "routes and firewalls");
    estate_.add_to(*command_);
    command_->add_option("--by", by_, "how to group NICs: subnet, asg, nic or vm")
        ->check(CLI::IsMember({"subnet", "asg", "nic", "vm"}))
        ->capture_default_str();
    command_->add_option("--from", from_, "only this source group");
    command_->add_option("--to", to_, "only this destination group");
    add_service_tags_option(*command_, service_tags_);
    command_->add_option("--format", format_, "text, json or csv")
        ->check(CLI::IsMember({"text", "json", "csv"}))
        ->capture_default_str();
    command_->add_option("-o,--output", output_, "write the report to this file instead of stdout");
}

int ReachCommand::run() {
    if (!estate_.finish())
        return kExitUsage;
    LoadedEstate loaded;
    policy::ServiceTags tags;
    if (!load_estate_and_tags(estate_, service_tags_, loaded, tags))
        return kExitUsage;
    int failed = kExitUsage;
    auto analysed = estate_.analyse(loaded, tags, {.rule_analysis = false}, failed);
    if (!analysed)
        return failed;
    const reach::Reachability& reachability = *analysed->reachability();
    auto matrix = reach::reach_matrix(reachability, *reach::parse_grouping(by_),
                                      from_.empty() ? std::nullopt : std::optional(from_),
                                      to_.empty() ? std::nullopt : std::optional(to_));
    print_diagnostics(loaded);
    if (!matrix) {
        std::fprintf(stderr, "ztnet reach: %s\n", matrix.error().message.c_str());
        return kExitUsage;
    }
    std::string report = format_ == "json"  ? json::write(report::matrix_json(*matrix, reachability)) + "\n"
                         : format_ == "csv" ? report::matrix_csv(*matrix)
                                            : report::matrix_text(*matrix, reachability);
    if (!write_report(report, output_))
        return kExitUsage;
    return loaded.diagnostics.has_errors() ? kExitUsage : kExitClean;
}

} // namespace ztnet::cli
