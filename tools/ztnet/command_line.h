// What the command line gets before CLI11 parses it: a mistyped command or option is named with
// the closest one ("did you mean"), where CLI11 would report something else (a mistyped option is
// taken for a path); and each command's help ends with its exit codes and an example.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace ztnet::cli {

/// The candidate closest to `word` by edit distance, when it is close enough to be a typo.
std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string>& candidates);

/// Checks the command and the long options against those `app` declares; prints what is wrong
/// (with a suggestion) and returns false when one is unknown.
bool check_command_line(CLI::App& app, int argc, const char* const* argv);

/// Ends every command's help with its exit codes and an example.
void add_help_footers(CLI::App& app);

} // namespace ztnet::cli
