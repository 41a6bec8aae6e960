// ztnet paths: assume breach, measured. The blast radius of every workload, the shortest attack
// paths from the Internet (or --from) to the crown jewels, and the fewest links that cut them all.
#include "ztnet/paths/paths.h"

#include <cstdio>

#include <fmt/format.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/attack_policy_reader.h"
#include "ztnet/report/paths_report.h"
#include "ztnet/support/version.h"

#include "commands.h"
#include "terminal.h"

namespace ztnet::cli {

bool read_attack_policy(const std::string& path, LoadedEstate& loaded, model::AttackPolicy& policy) {
    auto read = load::read_attack_policy_file(path, loaded.sources, loaded.diagnostics);
    if (!read)
        return false;
    policy = std::move(*read);
    return true;
}

void add_attack_policy_option(CLI::App& command, std::string& path) {
    command
        .add_option(
            "--attack-policy", path,
            "what an attacker moves on and the crown jewels (YAML, docs/paths.md); default: SSH, RDP, "
            "WinRM, SMB")
        ->check(CLI::ExistingFile);
}

PathsCommand::PathsCommand(CLI::App& app) {
    command_ =
        app.add_subcommand("paths", "assume breach: blast radius of every workload, attack paths to the "
                                    "crown jewels, and the fewest rules that cut them");
    estate_.add_to(*command_);
    command_->add_option("--intent", intent_, "an intent file (default: a *.ztnet.yaml beside the estate)")
        ->check(CLI::ExistingFile);
    add_attack_policy_option(*command_, attack_policy_);
    command_->add_option(
        "--from", from_,
        "start here instead of the Internet: a VM, NIC, subnet, ASG, intent group or endpoint "
        "(repeatable)");
    command_->add_option(
        "--to", to_,
        "these crown jewels instead of the policy's or the defaults: an intent group, VM, subnet, "
        "private endpoint, PaaS service or service tag (repeatable)");
    command_
        ->add_option("--max-hops", max_hops_, "paths and blast radii end after this many hops (0: no limit)")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    add_service_tags_option(*command_, service_tags_);
    command_->add_option("--format", format_, "text, json, sarif or html (one self-contained page)")
        ->check(CLI::IsMember({"text", "json", "sarif", "html"}))
        ->capture_default_str();
    command_->add_option("-o,--output", output_, "write the report to this file instead of stdout");
    sarif_.add_to(*command_);
}

int PathsCommand::run() {
    if (!estate_.finish())
        return kExitUsage;
    paths::PathOptions options;
    options.from = from_;
    options.to = to_;
    options.max_hops = max_hops_;
    AuditedEstate run;
    if (!attack_policy_.empty() && !read_attack_policy(attack_policy_, run.loaded, options.policy)) {
        print_diagnostics(run.loaded);
        return kExitUsage;
    }
    run.condition_tags = to_.empty() ? options.policy.crown_jewels : to_;
    run.condition_tags.insert(run.condition_tags.end(), from_.begin(), from_.end());
    checks::AuditOptions unused;
    int failed = kExitUsage;
    if (!analyse_for_audit(estate_, service_tags_, "", intent_, true, unused, run, failed))
        return failed;
    progress("finding attack paths");
    auto result = paths::attack_paths(*run.analysis, options);
    print_diagnostics(run.loaded);
    if (!result) {
        std::fprintf(stderr, "ztnet paths: %s [%s]\n", result.error().message.c_str(),
                     result.error().code.c_str());
        return kExitUsage;
    }
    const report::PathsReportInputs inputs{*result, *run.analysis->reachability(), run.loaded.sources};
    std::string out;
    if (format_ == "json")
        out = json::write(report::paths_json(inputs)) + "\n";
    else if (format_ == "sarif")
        out = json::write(
                  report::paths_sarif(inputs, {std::string(kVersion), sarif_.root(), sarif_.root_uri()})) +
              "\n";
    else if (format_ == "html")
        out = report::paths_html(inputs);
    else
        out = report::paths_text(inputs);
    if (!write_report(out, output_, format_ == "text"))
        return kExitUsage;
    if (run.loaded.diagnostics.has_errors())
        return kExitUsage;
    // Like a check that finds something: a crown jewel surely reached fails a pipeline.
    for (int hops : result->jewel_hops) {
        if (hops > 0)
            return kExitFindings;
    }
    return kExitClean;
}

} // namespace ztnet::cli
