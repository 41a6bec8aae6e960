// Which files read_path reads: a file named directly, or the flow log files below a folder.
#include <algorithm>

#include <fmt/format.h>

#include "ztnet/flows/flow_log_reader.h"
#include "ztnet/support/ascii.h"

namespace ztnet::flows {
namespace {

namespace fs = std::filesystem;

// Azure writes PT1H.json; Event Hubs captures and exports are often saved as JSON lines.
bool is_flow_log_file(const fs::path& path) {
    const std::string extension = path.extension().string();
    return ascii::iequals(extension, ".json") || ascii::iequals(extension, ".jsonl") ||
           ascii::iequals(extension, ".ndjson");
}

bool is_hidden(const fs::path& path) {
    const std::string name = path.filename().string();
    return name.size() > 1 && name[0] == '.' && name != "..";
}

} // namespace

std::vector<fs::path> flow_log_files(const fs::path& path, Diagnostics& diagnostics) {
    std::error_code error;
    if (!fs::is_directory(path, error)) {
        if (fs::exists(path, error))
            return {path};
        diagnostics.error("io", fmt::format("{}: no such file or folder", path.string()));
        return {};
    }
    std::vector<fs::path> found;
    for (auto it =
             fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_directory(error)) {
            if (is_hidden(it->path()))
                it.disable_recursion_pending();
        } else if (it->is_regular_file(error) && is_flow_log_file(it->path())) {
            found.push_back(it->path());
        }
    }
    if (error)
        diagnostics.error("io",
                          fmt::format("{}: cannot list the folder: {}", path.string(), error.message()));
    std::sort(found.begin(), found.end());
    if (found.empty() && !error)
        diagnostics.warning(
            "flow-no-input",
            fmt::format("{}: the folder holds no flow log files (.json, .jsonl, .ndjson)", path.string()));
    return found;
}

} // namespace ztnet::flows
