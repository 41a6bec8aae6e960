// The subcommands of the ztnet CLI and the options they share.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "ztnet/load/loader.h"

namespace ztnet::cli {

inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2; // bad usage or bad input
inline constexpr int kExitInternal = 3;

/// Options every command that reads an estate takes: paths, parameters, scope.
struct EstateOptions {
    std::vector<std::string> paths;
    std::string parameters;
    std::vector<std::string> params; // name=value
    load::LoadOptions load;

    void add_to(CLI::App& command);
    /// Fills `load` from the parsed options; false (with a message on stderr) on a bad --param.
    bool finish();
};

/// Loads the estate and prints every diagnostic to stderr as file:line:col: severity: message.
struct LoadedEstate {
    SourceSet sources;
    Diagnostics diagnostics;
    load::LoadResult result;
};
void load_estate(EstateOptions& options, LoadedEstate& out);
void print_diagnostics(const LoadedEstate& loaded);

class InventoryCommand {
  public:
    explicit InventoryCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    CLI::App* command_;
    EstateOptions estate_;
    std::string format_ = "text";
    std::string output_;
};

} // namespace ztnet::cli
