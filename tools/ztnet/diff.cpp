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
    command_
        ->add_option("before", before_,
                     "the old estate: a template, export, or folder; or, alone, a Terraform plan "
                     "(terraform show -json), whose state before the plan is compared with what it plans")
        ->required()
        ->check(CLI::ExistingPath);
    command_->add_option("after", after_, "the new estate: a template, export, plan, or folder")
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
    // One argument: a plan, its prior state against its planned values.
    const bool one_plan = after_.empty();
    estate_.paths = {before_};
    estate_.load.plan_side =
        one_plan ? load::LoadOptions::PlanSide::Prior : load::LoadOptions::PlanSide::Planned;
    load_estate(estate_, before);
    estate_.paths = {one_plan ? before_ : after_};
    estate_.load.plan_side = load::LoadOptions::PlanSide::Planned;
    load_estate(estate_, after);
    if (one_plan && before.result.inputs.plans.empty()) {
        std::fprintf(stderr,
                     "ztnet diff: with one argument, %s must be a Terraform plan (terraform show "
                     "-json PLANFILE); otherwise give the estate before and after\n",
                     before_.c_str());
        return kExitUsage;
    }
    policy::ServiceTags tags;
    bool tags_ok = load_service_tags(service_tags_, before, tags);
    if (!tags_ok || before.diagnostics.has_errors() || after.diagnostics.has_errors()) {
        print_diagnostics(before);
        print_diagnostics(after);
        return kExitUsage;
    }
    auto compared = analysis::Comparison::run(before.result.estate, after.result.estate, tags,
                                              estate_.analysis(), before.diagnostics, after.diagnostics);
    if (!compared) {
        print_diagnostics(before);
        return analysis_failed(compared.error(), after);
    }
    const reach::ReachDiff& diff = (*compared)->diff();
    const std::vector<reach::PairChange>& changes = (*compared)->changes();
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
