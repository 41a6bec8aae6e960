// ztnet: proves whether an Azure network follows Zero Trust. This file only dispatches to the
// subcommands; each lives in its own file and maps library results to exit codes.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "ztnet/support/version.h"

#include "command_line.h"
#include "commands.h"
#include "terminal.h"

namespace {

int run(int argc, char** argv) {
    CLI::App app{"ztnet: exact, offline Zero Trust analysis of Azure networks"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "ztnet " + std::string(ztnet::kVersion));
    bool quiet = false;
    // Before or after the subcommand: `ztnet --quiet audit X` and `ztnet audit X --quiet`.
    app.add_flag("-q,--quiet", quiet, "print no warnings or notes on stderr (errors still), and no progress");
    app.fallthrough();
    ztnet::cli::InventoryCommand inventory(app);
    ztnet::cli::ExplainCommand explain(app);
    ztnet::cli::ReachCommand reach(app);
    ztnet::cli::VerifyCommand verify(app);
    ztnet::cli::DiffCommand diff(app);
    ztnet::cli::HardenCommand harden(app);
    ztnet::cli::FixCommand fix(app);
    ztnet::cli::RulesCommand rules(app);
    ztnet::cli::AuditCommand check(app, false);
    ztnet::cli::AuditCommand audit(app, true);
    ztnet::cli::ChecksCommand checks(app);
    ztnet::cli::PathsCommand paths(app);
    ztnet::cli::FlowsCommand flows(app);
    ztnet::cli::add_help_footers(app);
    if (!ztnet::cli::check_command_line(app, argc, argv))
        return ztnet::cli::kExitUsage;
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : ztnet::cli::kExitUsage;
    }
    ztnet::cli::configure_terminal(quiet);
    try {
        if (inventory.selected())
            return inventory.run();
        if (explain.selected())
            return explain.run();
        if (reach.selected())
            return reach.run();
        if (verify.selected())
            return verify.run();
        if (diff.selected())
            return diff.run();
        if (harden.selected())
            return harden.run();
        if (fix.selected())
            return fix.run();
        if (paths.selected())
            return paths.run();
        if (rules.selected())
            return rules.run();
        if (check.selected())
            return check.run();
        if (audit.selected())
            return audit.run();
        if (checks.selected())
            return checks.run();
        if (flows.selected())
            return flows.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ztnet: internal error: %s\n", e.what());
        return ztnet::cli::kExitInternal;
    }
    return ztnet::cli::kExitUsage;
}

} // namespace

int main(int argc, char** argv) {
    // Setting the command line up may throw too (allocation): no exception leaves main.
    try {
        return run(argc, argv);
    } catch (...) {
        std::fputs("ztnet: internal error while reading the command line\n", stderr);
        return ztnet::cli::kExitInternal;
    }
}
