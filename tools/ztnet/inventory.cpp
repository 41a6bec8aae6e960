// ztnet inventory: what was loaded, and every problem found while loading.
#include "ztnet/report/inventory.h"

#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "ztnet/json/reader.h"

#include "commands.h"

namespace ztnet::cli {

InventoryCommand::InventoryCommand(CLI::App& app) {
    command_ =
        app.add_subcommand("inventory", "list what was loaded: counts per kind, or every resource (json)");
    estate_.add_to(*command_);
    command_->add_option("--format", format_, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    command_->add_option("-o,--output", output_, "write the report to this file instead of stdout");
}

int InventoryCommand::run() {
    if (!estate_.finish())
        return kExitUsage;
    LoadedEstate loaded;
    load_estate(estate_, loaded);
    print_diagnostics(loaded);
    std::string report;
    if (format_ == "json") {
        report = json::write(report::inventory_json(loaded.result.estate)) + "\n";
    } else {
        const auto& in = loaded.result.inputs;
        report = fmt::format("{} template(s), {} parameters file(s), {} export(s)", in.templates.size(),
                             in.parameter_files.size(), in.exports.size());
        // Terraform plans are said only when there are any, so that the line reads as before otherwise.
        report +=
            in.plans.empty() ? std::string("\n") : fmt::format(", {} Terraform plan(s)\n", in.plans.size());
        report += report::inventory_text(loaded.result.estate);
        report += fmt::format("{} error(s), {} warning(s)\n", loaded.diagnostics.error_count(),
                              loaded.diagnostics.warning_count());
    }
    if (!write_report(report, output_))
        return kExitUsage;
    return loaded.diagnostics.has_errors() ? kExitUsage : kExitClean;
}

} // namespace ztnet::cli
