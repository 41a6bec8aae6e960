// ztnet fix: the audit's findings answered by changes to the input, each proved by a re-audit.
#include "ztnet/fix/fix.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "ztnet/fix/deployable.h"
#include "ztnet/json/reader.h"
#include "ztnet/report/fix_code.h"
#include "ztnet/report/fix_report.h"

#include "commands.h"

namespace ztnet::cli {
namespace {

// Where a patched copy of `name` goes below `folder`: the path as given, made relative (an
// absolute path or one above the working folder keeps its part below the root or the last "..").
std::filesystem::path copy_path(const std::string& folder, const std::string& name) {
    std::filesystem::path relative;
    for (const std::filesystem::path& part : std::filesystem::path(name).relative_path()) {
        if (part == "..")
            relative.clear();
        else if (part != ".")
            relative /= part;
    }
    return std::filesystem::path(folder) / relative;
}

bool write_copies(const std::string& folder, const std::vector<fix::PatchedFile>& files) {
    for (const fix::PatchedFile& file : files) {
        const std::filesystem::path path = copy_path(folder, file.name);
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        std::ofstream out(path, std::ios::binary);
        out << file.after;
        if (!out) {
            std::fprintf(stderr, "ztnet fix: cannot write %s\n", path.string().c_str());
            return false;
        }
    }
    return true;
}

} // namespace

FixCommand::FixCommand(CLI::App& app) {
    command_ = app.add_subcommand(
        "fix", "the findings' remedies as changes to the input (patched templates, a diff), each proved by a "
               "re-audit");
    estate_.add_to(*command_);
    command_
        ->add_option("--intent", intent_,
                     "an intent file (default: a *.ztnet.yaml beside the estate): NSG findings are fixed "
                     "with the rules that allow exactly its flows")
        ->check(CLI::ExistingFile);
    command_
        ->add_option("--suppressions", suppressions_,
                     "a suppressions file: suppressed findings are not fixed")
        ->check(CLI::ExistingFile);
    command_->add_option("--checks", checks_,
                         "fix only the findings of these checks: ids or patterns, any case (repeatable)");
    command_->add_option("--today", today_, "the date suppressions expire against (default: today, UTC)");
    add_service_tags_option(*command_, service_tags_);
    command_
        ->add_option(
            "--format", format_,
            "text (fixes, proofs and the patch), json, diff (the patch alone), or for an export's fixes the "
            "changed resources as arm, bicep, terraform (azurerm and azapi) or az-cli")
        ->check(CLI::IsMember({"text", "json", "diff", "arm", "bicep", "terraform", "az-cli"}))
        ->capture_default_str();
    command_->add_option("-o,--output", output_, "write the report to this file instead of stdout");
    command_->add_flag("--propose-asgs", propose_asgs_,
                       "with an intent: write its groups of VMs or NICs as application security groups (new "
                       "ones with their members where the estate has none), as harden --propose-asgs");
    command_->add_option("--write", write_to_,
                         "write the patched copies of the inputs below this folder (the originals stay as "
                         "they are)");
}

int FixCommand::run() {
    if (!estate_.finish())
        return kExitUsage;
    checks::AuditOptions audit;
    audit.today = today_.empty() ? today_utc() : today_;
    audit.highlights = false;
    std::vector<std::string> only;
    if (!expand_check_patterns(checks_, "fix", only))
        return kExitUsage;
    AuditedEstate run;
    int failed = kExitUsage;
    if (!analyse_for_audit(estate_, service_tags_, suppressions_, intent_, true, audit, run, failed))
        return failed;
    LoadedEstate& loaded = run.loaded;
    const fix::Inputs inputs = fix::inputs_of(loaded.sources, loaded.result, estate_.load);
    const std::optional<model::Intent>& intent = run.intent;
    const policy::ServiceTags& tags = run.tags;
    const std::unique_ptr<analysis::Analysis>& analysed = run.analysis;
    auto audited = checks::run_audit(*analysed, audit);
    if (!audited)
        return analysis_failed(audited.error(), loaded);

    // With an intent, the NSG findings take the hardening plan's rules, proved as `harden` proves them.
    std::optional<harden::HardenPlan> plan;
    if (intent) {
        Result<harden::HardenPlan> planned =
            harden::plan_hardening(*analysed, {.propose_asgs = propose_asgs_});
        if (!planned) {
            loaded.diagnostics.warning(planned.error().code,
                                       planned.error().message + "; the NSG findings are left by hand");
        } else {
            Result<harden::Proof> proof = harden::prove(*analysed, *planned, loaded.diagnostics);
            if (!proof)
                return analysis_failed(proof.error(), loaded);
            if (!proof->holds) {
                print_diagnostics(loaded);
                std::fprintf(stderr, "ztnet fix: internal error: the hardening plan does not prove\n");
                return kExitInternal;
            }
            plan = std::move(*planned);
        }
    }
    fix::Rerun rerun{inputs, &tags, intent ? &*intent : nullptr, audit, estate_.threads};
    Result<fix::FixRun> fixed = fix::run_fixes(rerun, *analysed, audited->run, plan ? &*plan : nullptr, only);
    if (!fixed)
        return analysis_failed(fixed.error(), loaded);
    print_diagnostics(loaded);
    if (!write_to_.empty() && !write_copies(write_to_, fixed->files))
        return kExitUsage;
    if (fixed->files.empty() && format_ != "text" && format_ != "json")
        std::fprintf(stderr, "ztnet fix: no proved fix changes the input: nothing to write\n");
    std::string report;
    const bool code = format_ == "arm" || format_ == "bicep" || format_ == "terraform" || format_ == "az-cli";
    if (code) {
        Result<std::vector<fix::Deployable>> resources = fix::deployable_changes(*fixed);
        if (!resources)
            return analysis_failed(resources.error(), loaded);
        if (std::any_of(fixed->files.begin(), fixed->files.end(),
                        [](const fix::PatchedFile& f) { return f.is_template; }))
            std::fprintf(stderr, "ztnet fix: templates are fixed by their patched copies, not by this code: "
                                 "--format diff, or --write DIR\n");
        if (format_ == "bicep") {
            Result<std::string> bicep = report::fix_bicep(*resources);
            if (!bicep)
                return analysis_failed(bicep.error(), loaded);
            report = std::move(*bicep);
        } else {
            report = format_ == "arm"         ? report::fix_arm(*resources)
                     : format_ == "terraform" ? report::fix_terraform(*resources)
                                              : report::fix_az_cli(*resources);
        }
    } else if (format_ == "json")
        report = json::write(report::fix_json(*fixed, audited->run)) + "\n";
    else if (format_ == "diff")
        report = report::fix_diff(*fixed);
    else
        report = report::fix_text(*fixed, audited->run);
    return write_report(report, output_) ? kExitClean : kExitUsage;
}

} // namespace ztnet::cli
