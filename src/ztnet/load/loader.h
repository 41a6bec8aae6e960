// The loader's front door: files and folders in, one estate out, with every problem as a diagnostic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ztnet/load/arm/template.h"
#include "ztnet/model/estate.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/source.h"

namespace ztnet::load {

struct LoadOptions {
    /// Where ARM templates are deployed (what resourceGroup() and subscription() return).
    arm::DeploymentScope scope;
    /// A parameters file for the templates (--parameters). When empty, a template X.json uses a
    /// sibling X.parameters.json among the inputs, if there is one.
    std::string parameters_path;
    /// --param name=value overrides.
    std::vector<std::pair<std::string, std::string>> overrides;
    /// --exclude: glob patterns (fnmatch, '*' also crosses '/') of files and folders that a folder
    /// search leaves out; matched against the path below the folder given and against the name.
    std::vector<std::string> exclude;
    /// --routes NIC=FILE: effective route tables (`az network nic show-effective-route-table`) that
    /// say what BGP taught the subnet of each named network interface (name or id).
    std::vector<std::pair<std::string, std::string>> effective_routes;
    /// Which state of a Terraform plan to read: what it plans (the default) or the state before it
    /// (`prior_state`), the "before" of `ztnet diff PLAN.json`. A state document has no prior state:
    /// reading its prior is an error (`terraform-no-prior-state`).
    enum class PlanSide : std::uint8_t { Planned, Prior };
    PlanSide plan_side = PlanSide::Planned;
    /// --strict: what ARM would refuse at deployment time is an error rather than a warning.
    bool strict = false;
    /// Explicit limits: a file over max_file_bytes is rejected, not read partially.
    std::size_t max_file_bytes = std::size_t{256} << 20;
    std::uint32_t max_json_depth = 256;
};

/// What was read, for the inventory summary.
struct InputSummary {
    std::vector<std::string> templates;
    std::vector<std::string> parameter_files;
    std::vector<std::string> exports;
    std::vector<std::string> plans; ///< Terraform plans and states (terraform show -json)
    std::size_t resources = 0;      // resources read before inline children were expanded
    /// The documents load_sources() read, those of them found by searching a folder, and those that
    /// are ARM templates: what loading the same input again (with changes) needs.
    std::vector<FileId> files;
    std::vector<FileId> discovered;
    std::vector<FileId> template_files;
};

struct LoadResult {
    model::Estate estate;
    InputSummary inputs;
    /// Secret values the input holds (secure parameters' values and defaults, literal passwords,
    /// keys, custom data): what a writer must never print. See redact().
    std::vector<std::string> secrets;
};

/// `text` with every occurrence of each secret replaced by "[redacted]" (secrets shorter than four
/// characters, and JSON's words true, false and null, are left: they would hide ordinary words, or
/// break a JSON report, and reveal nothing).
std::string redact(std::string text, const std::vector<std::string>& secrets);

/// Reads every path (a file, or a folder searched recursively for *.json in name order, leaving out
/// hidden folders, node_modules and what options.exclude matches) into `sources`, then loads them as
/// load_sources() does. A template named as a file brings its sibling X.parameters.json when there
/// is one and --parameters names none. Unreadable paths are diagnostics.
LoadResult load_paths(const std::vector<std::string>& paths, const LoadOptions& options, SourceSet& sources,
                      Diagnostics& diagnostics);

/// Reads the effective route files of options.effective_routes into `sources` and applies them to
/// the loaded estate (what load_paths() does after load_sources()).
void apply_route_files(LoadResult& result, const LoadOptions& options, SourceSet& sources,
                       Diagnostics& diagnostics);

/// Loads documents already held in `sources`: each is an ARM template, a parameters file, or an
/// export (a JSON array of resources, {"value": [...]}, {"data": [...]}, or one resource object).
/// Any other JSON is an error, unless its file is among `discovered` (found by searching a folder,
/// not named by the user): a repository holds package.json and editor settings beside its
/// templates, so those are skipped with a note.
///
/// When templates and exports are loaded together, the export is what is deployed: a resource that
/// both declare (same type and name) is taken from the export, with a warning per template. And
/// when options.scope names no subscription and the exports hold exactly one, the templates deploy
/// into that one, so that their references to existing resources meet the exported ones.
LoadResult load_sources(const SourceSet& sources, const std::vector<FileId>& files,
                        const LoadOptions& options, Diagnostics& diagnostics,
                        const std::vector<FileId>& discovered = {});

} // namespace ztnet::load
