// ztnet diff: what a change to an estate newly allows and newly denies.
#include "ztnet/reach/diff.h"

#include <cstdio>

#include "ztnet/checks/audit.h"
#include "ztnet/checks/finding_changes.h"
#include "ztnet/json/reader.h"
#include "ztnet/report/html_report.h"
#include "ztnet/report/pull_request.h"
#include "ztnet/report/reach_report.h"

#include "commands.h"
#include "git_revision.h"
#include "terminal.h"

namespace ztnet::cli {

DiffCommand::DiffCommand(CLI::App& app) {
    command_ = app.add_subcommand(
        "diff", "the flows and findings one version of an estate adds or removes against another");
    command_
        ->add_option("before", before_,
                     "the old estate: a template, export, or folder; or, alone, a Terraform plan "
                     "(terraform show -json), whose state before the plan is compared with what it plans; "
                     "with --git-base, the path whose two versions to compare")
        ->required()
        ->check(CLI::ExistingPath);
    command_->add_option("after", after_, "the new estate: a template, export, plan, or folder")
        ->check(CLI::ExistingPath);
    command_->add_option("--git-base", git_base_,
                         "compare the one path given as it is at this git revision (a branch, tag or "
                         "commit) with the path as it is on disk");
    estate_.add_scope_to(*command_);
    add_service_tags_option(*command_, service_tags_);
    command_->add_option("--format", format_, "text, json, markdown (a pull-request comment), sarif or html")
        ->check(CLI::IsMember({"text", "json", "markdown", "sarif", "html"}))
        ->capture_default_str();
    command_->add_option("-o,--output", output_, "write the report to this file instead of stdout");
    command_->add_option("--today", today_, "the date suppressions expire against (default: today, UTC)");
    sarif_.add_to(*command_);
}

namespace {

// Both versions audited (the checks alone; the new one with its reachability highlights when
// `with_highlights`), or an error value when the checks cannot run.
Result<std::pair<checks::AuditResult, checks::AuditResult>>
audit_both(const analysis::Comparison& compared, const std::string& today, bool with_highlights) {
    checks::AuditOptions options;
    options.today = today;
    options.highlights = false;
    auto before = checks::run_audit(compared.before(), options);
    if (!before)
        return before.error();
    options.highlights = with_highlights; // what the Internet reaches in the new version, drawn (HTML)
    auto after = checks::run_audit(compared.after(), options);
    if (!after)
        return after.error();
    return std::make_pair(std::move(*before), std::move(*after));
}

// Every "FOLDER/" of a snapshot's temporary files, as "REV:" (the places of the old version).
std::string with_revision_names(std::string text, const GitSnapshot& snapshot, const std::string& revision) {
    if (snapshot.folder().empty())
        return text;
    const std::string from = snapshot.folder() + "/";
    const std::string to = revision + ":";
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

} // namespace

int DiffCommand::run() {
    if (!estate_.finish())
        return kExitUsage;
    GitSnapshot snapshot;
    if (!git_base_.empty()) {
        if (!after_.empty()) {
            std::fprintf(stderr,
                         "ztnet diff: with --git-base, give one path (its version at %s is the old "
                         "estate, the one on disk the new)\n",
                         git_base_.c_str());
            return kExitUsage;
        }
        std::string error;
        if (!snapshot.take(before_, git_base_, error)) {
            std::fprintf(stderr, "ztnet diff: %s\n", error.c_str());
            return kExitUsage;
        }
        after_ = before_;
        before_ = snapshot.path();
    }
    LoadedEstate before, after;
    // One argument: a plan, its prior state against its planned values.
    const bool one_plan = after_.empty();
    estate_.paths = {before_};
    estate_.load.plan_side =
        one_plan ? load::LoadOptions::PlanSide::Prior : load::LoadOptions::PlanSide::Planned;
    if (!snapshot.absent()) // a path the base revision does not hold: nothing was deployed before
        load_estate(estate_, before);
    estate_.paths = {one_plan ? before_ : after_};
    estate_.load.plan_side = load::LoadOptions::PlanSide::Planned;
    load_estate(estate_, after);
    if (one_plan && before.result.inputs.plans.empty()) {
        std::fprintf(stderr,
                     "ztnet diff: with one argument, %s must be a Terraform plan (terraform show "
                     "-json PLANFILE); otherwise give the estate before and after, or --git-base REV\n",
                     before_.c_str());
        return kExitUsage;
    }
    policy::ServiceTags tags;
    bool tags_ok = load_service_tags(service_tags_, before, tags);
    // The old version's diagnostics name the revision, not the temporary folder.
    const auto print_before = [&] {
        std::string text = with_revision_names(diagnostics_text(before), snapshot, git_base_);
        std::fwrite(text.data(), 1, text.size(), stderr);
    };
    const auto print_both = [&] {
        print_before();
        print_diagnostics(after);
    };
    if (!tags_ok || before.diagnostics.has_errors() || after.diagnostics.has_errors()) {
        print_both();
        return kExitUsage;
    }
    progress("comparing the two versions");
    auto compared = analysis::Comparison::run(before.result.estate, after.result.estate, tags,
                                              estate_.analysis(), before.diagnostics, after.diagnostics);
    if (!compared) {
        print_before();
        return analysis_failed(compared.error(), after);
    }
    const analysis::Comparison& done = **compared;
    progress("running the checks on both versions");
    auto audits = audit_both(done, today_.empty() ? today_utc() : today_, format_ == "html");
    if (!audits) {
        print_before();
        return analysis_failed(audits.error(), after);
    }
    const checks::FindingChanges changes = checks::compare_findings(audits->first.run, audits->second.run);
    const checks::FindingChanges* findings = &changes;
    print_both();
    report::DiffReportInputs inputs{done.changes(), done.diff(),         before.sources,
                                    after.sources,  after.result.estate, &*findings};
    if (!snapshot.folder().empty()) {
        inputs.before_label = snapshot.label();
        inputs.after_label = after_ + " on disk";
    } else if (!one_plan) {
        inputs.before_label = before_;
        inputs.after_label = after_;
    } else {
        inputs.before_label = before_ + " (prior state)";
        inputs.after_label = before_ + " (planned)";
    }
    inputs.source_root = sarif_.root();
    inputs.source_root_uri = sarif_.root_uri();
    std::string report;
    if (format_ == "json") {
        json::Value out = report::diff_json(done.changes(), done.diff(), before.sources, after.sources);
        out.as_object().set("findings",
                            report::finding_changes_json(*findings, before.sources, after.sources));
        report = json::write(out) + "\n";
    } else if (format_ == "markdown") {
        report = report::diff_markdown(inputs);
    } else if (format_ == "sarif") {
        report = json::write(report::diff_sarif(inputs)) + "\n";
    } else if (format_ == "html") {
        report = report::diff_html(inputs, audits->second, done.after().reachability());
    } else {
        report = report::diff_text(done.changes(), done.diff(), before.sources, after.sources) +
                 report::finding_changes_text(*findings, before.sources, after.sources);
    }
    if (!write_report(with_revision_names(std::move(report), snapshot, git_base_), output_,
                      format_ == "text"))
        return kExitUsage;
    if (before.diagnostics.has_errors() || after.diagnostics.has_errors())
        return kExitUsage;
    const bool changed = !done.changes().empty() || !findings->added.empty() || !findings->removed.empty();
    return changed ? kExitFindings : kExitClean;
}

} // namespace ztnet::cli
