// ztnet diff: what a change to an estate newly allows and newly denies.
#include "ztnet/reach/diff.h"

#include <cstdio>

#include "ztnet/json/reader.h"
#include "ztnet/report/reach_report.h"

#include "commands.h"

namespace ztnet::cli {

DiffCommand::DiffCommand(CLI::App& app) {
    command_ = app.add_subcommand(
        "diff", "the flows one version of an estate newly allows or denies against another");
    command_->add_option("before", before_, "the old estate: a template, export, or folder")
        ->required()
        ->check(CLI::ExistingPath);
    command_->add_option("after", after_, "the new estate: a template, export, or folder")
        ->required()
        ->check(CLI::ExistingPath);
    estate_.add_scope_to(*command_);
    add_service_tags_option(*command_, service_tags_);
    command_->add_option("--format", format_, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    command_->add_option("-o,--output", output_, "write the report to this file instead of stdout");
}

int DiffCommand::run() {
    if (!estate_.finish())
        return kExitUsage;
    LoadedEstate before, after;
    estate_.paths = {before_};
    load_estate(estate_, before);
    estate_.paths = {after_};
    load_estate(estate_, after);
    policy::ServiceTags tags;
    bool tags_ok = load_service_tags(service_tags_, before, tags);
    if (!tags_ok || before.diagnostics.has_errors() || after.diagnostics.has_errors()) {
        print_diagnostics(before);
        print_diagnostics(after);
        return kExitUsage;
    }
    policy::PolicyEngine before_engine(before.result.estate, tags, before.diagnostics);
    policy::PolicyEngine after_engine(after.result.estate, tags, after.diagnostics);
    before_engine.compile_all();
    after_engine.compile_all();
    // Each version is cut along the other's address conditions too, so their Internet pieces match.
    auto before_conditions = reach::estate_address_conditions(before_engine, before.diagnostics);
    auto after_conditions = reach::estate_address_conditions(after_engine, after.diagnostics);
    reach::Reachability before_reach(before_engine, before.diagnostics, std::move(after_conditions));
    reach::Reachability after_reach(after_engine, after.diagnostics, std::move(before_conditions));
    reach::ReachDiff diff(before_reach, after_reach);
    std::vector<reach::PairChange> changes = diff.changes(after.diagnostics);
    print_diagnostics(before);
    print_diagnostics(after);
    std::string report =
        format_ == "json"
            ? json::write(report::diff_json(changes, diff, before.sources, after.sources)) + "\n"
            : report::diff_text(changes, diff, before.sources, after.sources);
    if (!write_report(report, output_))
        return kExitUsage;
    if (before.diagnostics.has_errors() || after.diagnostics.has_errors())
        return kExitUsage;
    return changes.empty() ? kExitClean : kExitFindings;
}

} // namespace ztnet::cli
