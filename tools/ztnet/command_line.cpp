#include "command_line.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>

#include <fmt/format.h>

namespace ztnet::cli {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            diagonal = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
        }
    }
    return row[b.size()];
}

std::vector<std::string> long_options(const CLI::App& command) {
    std::vector<std::string> out{"help"};
    for (const CLI::Option* option : command.get_options())
        for (const std::string& name : option->get_lnames())
            out.push_back(name);
    return out;
}

struct Usage {
    std::string_view exit_codes;
    std::string_view example;
};

// Exit codes and an example per command.
const std::map<std::string, Usage, std::less<>>& usages() {
    static const std::map<std::string, Usage, std::less<>> kUsages{
        {"inventory",
         {"0 loaded, 2 bad usage or bad input, 3 internal error",
          "ztnet inventory examples/zero-trust-spoke/export --format json"}},
        {"explain",
         {"0 answered (allowed, denied or undecidable), 2 bad usage or bad input, 3 internal error",
          "ztnet explain examples/legacy-spoke/export --from Internet --to vm-web-1 --port 3389"}},
        {"reach",
         {"0 answered, 2 bad usage or bad input, 3 internal error",
          "ztnet reach examples/zero-trust-spoke/export --by asg"}},
        {"verify",
         {"0 the intent holds, 1 it is broken, 2 bad usage or bad input, 3 internal error",
          "ztnet verify examples/zero-trust-spoke/export --intent "
          "examples/zero-trust-spoke/three-tier.ztnet.yaml"}},
        {"diff",
         {"0 no change in what is allowed, 1 changes, 2 bad usage or bad input, 3 internal error",
          "ztnet diff examples/legacy-spoke/export examples/zero-trust-spoke/export"}},
        {"rules",
         {"0 no finding, 1 findings, 2 bad usage or bad input, 3 internal error",
          "ztnet rules examples/legacy-spoke/export"}},
        {"check",
         {"0 no finding at or above --fail-on, 1 findings at or above it, 2 bad usage or bad input, "
          "3 internal error",
          "ztnet check infra/ --fail-on high --format sarif -o ztnet.sarif"}},
        {"audit",
         {"0 no finding at or above --fail-on, 1 findings at or above it, 2 bad usage or bad input, "
          "3 internal error",
          "ztnet audit examples/legacy-spoke/export -o audit.txt"}},
        {"checks", {"0 listed, 2 bad usage", "ztnet checks --format markdown"}},
        {"flows",
         {"0 done, 2 bad usage, bad input or a store that cannot be used, 3 internal error",
          "ztnet flows ingest insights-logs-flowlogflowevent/ --store flows.db"}},
        {"flows ingest",
         {"0 ingested (warnings allowed), 2 bad usage, bad input or a store that cannot be used, 3 internal "
          "error",
          "ztnet flows ingest insights-logs-flowlogflowevent/ --store flows.db --bucket 15m"}},
        {"flows summary",
         {"0 summarised, 2 bad usage or a store that cannot be read, 3 internal error",
          "ztnet flows summary --store flows.db --format json"}},
    };
    return kUsages;
}

} // namespace

std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string>& candidates) {
    std::optional<std::string> best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const std::string& candidate : candidates) {
        const std::size_t d = edit_distance(word, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best;
}

bool check_command_line(CLI::App& app, int argc, const char* const* argv) {
    if (argc < 2 || argv[1][0] == '-')
        return true; // --help, --version, or no command: CLI11 says what is wrong
    const std::string_view name = argv[1];
    std::vector<std::string> commands;
    CLI::App* command = nullptr;
    for (CLI::App* sub : app.get_subcommands({})) {
        commands.push_back(sub->get_name());
        if (sub->get_name() == name)
            command = sub;
    }
    if (!command) {
        const auto suggestion = closest_name(name, commands);
        std::fprintf(stderr, "ztnet: unknown command '%.*s'%s (`ztnet --help` lists the commands)\n",
                     static_cast<int>(name.size()), name.data(),
                     suggestion ? fmt::format("; did you mean '{}'?", *suggestion).c_str() : "");
        return false;
    }
    // A command with commands of its own (flows ingest): the options are the inner command's.
    int first = 2;
    if (argc > 2)
        for (CLI::App* inner : command->get_subcommands({}))
            if (inner->get_name() == argv[2]) {
                command = inner;
                first = 3;
            }
    std::vector<std::string> options = long_options(*command);
    for (const std::string& global : long_options(app)) // --quiet, which may follow the command
        options.push_back(global);
    for (int i = first; i < argc; ++i) {
        const std::string_view token = argv[i];
        if (token == "--")
            break; // what follows is positional
        if (!token.starts_with("--"))
            continue;
        const std::string_view option = token.substr(2, token.find('=') - 2);
        if (std::find(options.begin(), options.end(), option) != options.end())
            continue;
        const auto suggestion = closest_name(option, options);
        std::fprintf(stderr, "ztnet %.*s: unknown option '--%.*s'%s (`ztnet %.*s --help` lists them)\n",
                     static_cast<int>(name.size()), name.data(), static_cast<int>(option.size()),
                     option.data(),
                     suggestion ? fmt::format("; did you mean '--{}'?", *suggestion).c_str() : "",
                     static_cast<int>(name.size()), name.data());
        return false;
    }
    return true;
}

void add_help_footers(CLI::App& app) {
    app.footer("Exit codes: 0 success, 1 findings (check, audit, rules, verify, diff), 2 bad usage or bad "
               "input, 3 internal error.\nExample: ztnet check infra/ --fail-on high");
    auto footer = [](CLI::App& command, const std::string& name) {
        auto it = usages().find(name);
        if (it != usages().end())
            command.footer(
                fmt::format("Exit codes: {}.\nExample: {}", it->second.exit_codes, it->second.example));
    };
    for (CLI::App* sub : app.get_subcommands({})) {
        footer(*sub, sub->get_name());
        for (CLI::App* inner : sub->get_subcommands({}))
            footer(*inner, sub->get_name() + " " + inner->get_name());
    }
}

} // namespace ztnet::cli
