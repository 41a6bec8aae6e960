// The loader's front door: files and folders in, one estate out, with every problem as a diagnostic.
#pragma once

#include <cstddef>
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
    /// Explicit limits: a file over max_file_bytes is rejected, not read partially.
    std::size_t max_file_bytes = std::size_t{256} << 20;
    std::uint32_t max_json_depth = 256;
};

/// What was read, for the inventory summary.
struct InputSummary {
    std::vector<std::string> templates;
    std::vector<std::string> parameter_files;
    std::vector<std::string> exports;
    std::size_t resources = 0; // resources read before inline children were expanded
};

struct LoadResult {
    model::Estate estate;
    InputSummary inputs;
};

/// Reads every path (a file, or a folder searched recursively for *.json in name order) into
/// `sources`, then loads them as load_sources() does. Unreadable paths are diagnostics.
LoadResult load_paths(const std::vector<std::string>& paths, const LoadOptions& options, SourceSet& sources,
                      Diagnostics& diagnostics);

/// Loads documents already held in `sources`: each is an ARM template, a parameters file, or an
/// export (a JSON array of resources, {"value": [...]}, {"data": [...]}, or one resource object).
LoadResult load_sources(const SourceSet& sources, const std::vector<FileId>& files,
                        const LoadOptions& options, Diagnostics& diagnostics);

} // namespace ztnet::load
