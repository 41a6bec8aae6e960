// What the command does for a person at a terminal, and never in a pipe or a CI log: a progress
// line on stderr during the long phases, colour in the text reports on stdout (unless NO_COLOR is
// set), and --quiet, which keeps warnings and notes off stderr (errors are always printed).
#pragma once

#include <string>
#include <string_view>

namespace ztnet::cli {

struct TerminalSettings {
    bool quiet = false;
    bool progress = false; // stderr is a terminal, not --quiet, not in CI, TERM is not "dumb"
    bool colour = false;   // stdout is a terminal, NO_COLOR unset or empty, TERM is not "dumb"
};

/// Decides the settings from --quiet, the streams and the environment; call once, first.
void configure_terminal(bool quiet);
const TerminalSettings& terminal();

/// A phase has begun: "loading the estate". Shown as one line on stderr that updates its elapsed
/// time until the next phase, progress_done() or any diagnostic printed.
void progress(std::string_view phase);
/// Clears the progress line.
void progress_done();

/// A text report with the severities (audit, check, diff) and verdicts (explain, verify) in
/// colour; `text` unchanged when colour is off.
std::string coloured(std::string text);

} // namespace ztnet::cli
