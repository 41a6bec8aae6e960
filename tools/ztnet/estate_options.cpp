#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "ztnet/load/intent_reader.h"

#include "commands.h"
#include "terminal.h"

namespace ztnet::cli {

void EstateOptions::add_to(CLI::App& command) {
    command.add_option("paths", paths, "ARM templates, parameters files, exports, or folders of them")
        ->required()
        ->check(CLI::ExistingPath);
    add_scope_to(command);
}

void EstateOptions::add_scope_to(CLI::App& command) {
    command.add_option("--parameters", parameters, "ARM parameters file for the templates")
        ->check(CLI::ExistingFile);
    command.add_option("--param", params, "override one template parameter: name=value (repeatable)");
    command.add_option("--subscription", load.scope.subscription_id, "subscription id templates deploy to")
        ->capture_default_str();
    command.add_option("--resource-group", load.scope.resource_group, "resource group templates deploy to")
        ->capture_default_str();
    command.add_option("--location", load.scope.location, "location of that resource group")
        ->capture_default_str();
    command.add_option("--exclude", load.exclude,
                       "leave out files and folders matching this glob when searching folders (repeatable)");
    command.add_flag("--strict", load.strict,
                     "what ARM would refuse at deployment (a parameter without a value or outside its "
                     "constraints) is an error, not a warning; verify: undecidable flows break the intent");
    command.add_option("--routes", routes,
                       "what BGP taught a NIC's subnet: NIC=FILE, FILE the output of az network nic "
                       "show-effective-route-table for that NIC (repeatable)");
    command.add_option("--max-file-size", load.max_file_bytes, "largest input file accepted, in bytes")
        ->capture_default_str();
    command.add_option("--threads", threads, "threads the analysis may use (default: one per core)")
        ->check(CLI::Range(1U, 1024U));
}

analysis::Options EstateOptions::analysis() const {
    analysis::Options options;
    options.threads = threads;
    return options;
}

std::unique_ptr<analysis::Analysis> EstateOptions::analyse(LoadedEstate& loaded,
                                                           const policy::ServiceTags& tags,
                                                           analysis::Options wanted, int& exit_code) const {
    progress("analysing: policy, routes and reachability");
    wanted.threads = threads;
    auto analysed =
        analysis::Analysis::run(loaded.result.estate, tags, std::move(wanted), loaded.diagnostics);
    if (analysed)
        return std::move(*analysed);
    exit_code = analysis_failed(analysed.error(), loaded);
    return nullptr;
}

bool EstateOptions::finish() {
    load.parameters_path = parameters;
    for (const std::string& p : params) {
        auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0) {
            std::fprintf(stderr, "ztnet: --param expects name=value, got '%s'\n", p.c_str());
            return false;
        }
        load.overrides.emplace_back(p.substr(0, eq), p.substr(eq + 1));
    }
    for (const std::string& r : routes) {
        auto eq = r.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == r.size()) {
            std::fprintf(stderr, "ztnet: --routes expects NIC=FILE, got '%s'\n", r.c_str());
            return false;
        }
        load.effective_routes.emplace_back(r.substr(0, eq), r.substr(eq + 1));
    }
    return true;
}

namespace {

// Every secret value an estate loaded by this process holds: nothing the command prints may show one.
std::vector<std::string>& known_secrets() {
    static std::vector<std::string> secrets;
    return secrets;
}

} // namespace

void load_estate(EstateOptions& options, LoadedEstate& out) {
    progress("loading the estate");
    out.result = load::load_paths(options.paths, options.load, out.sources, out.diagnostics);
    known_secrets().insert(known_secrets().end(), out.result.secrets.begin(), out.result.secrets.end());
}

std::string redacted(std::string text) {
    return load::redact(std::move(text), known_secrets());
}

bool write_report(const std::string& text, const std::string& output, bool is_text) {
    progress_done();
    const std::string report = redacted(text);
    if (output.empty()) {
        const std::string shown = is_text ? coloured(report) : report;
        std::fwrite(shown.data(), 1, shown.size(), stdout);
        return true;
    }
    std::ofstream out(output, std::ios::binary);
    if (!(out << report)) {
        std::fprintf(stderr, "ztnet: cannot write %s\n", output.c_str());
        return false;
    }
    return true;
}

std::string diagnostics_text(const LoadedEstate& loaded) {
    std::string out;
    for (const Diagnostic& d : loaded.diagnostics.all())
        if (!terminal().quiet || d.severity == Severity::Error)
            out += redacted(format_diagnostic(d, loaded.sources)) + "\n";
    return out;
}

void print_diagnostics(const LoadedEstate& loaded) {
    progress_done();
    const std::string text = diagnostics_text(loaded);
    std::fwrite(text.data(), 1, text.size(), stderr);
}

} // namespace ztnet::cli

namespace ztnet::cli {

void add_service_tags_option(CLI::App& command, std::string& path) {
    command
        .add_option("--service-tags", path,
                    "Azure's ServiceTags_Public JSON file (default: the bundled sample, for demos only)")
        ->check(CLI::ExistingFile);
}

bool load_service_tags(const std::string& path, LoadedEstate& loaded, policy::ServiceTags& tags) {
    FileId file = kNoFile;
    if (path.empty()) {
        file = loaded.sources.add("<bundled service-tags-sample.json>", std::string(bundled_service_tags()));
        loaded.diagnostics.warning(
            "service-tags-sample",
            "using the bundled sample of service tags, which lists only a few prefixes per "
            "tag; pass --service-tags with Azure's current ServiceTags_Public file");
    } else {
        std::ifstream in(path, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        file = loaded.sources.add(path, std::move(text));
    }
    auto parsed = policy::ServiceTags::parse(loaded.sources.text(file));
    if (!parsed) {
        auto offset = parsed.error().offset == Error::kNoOffset
                          ? 0u
                          : static_cast<std::uint32_t>(parsed.error().offset);
        loaded.diagnostics.error("service-tags", parsed.error().message, {file, offset, ""});
        return false;
    }
    tags = std::move(*parsed);
    return true;
}

int analysis_failed(const Error& error, LoadedEstate& loaded) {
    // An intent naming what the estate lacks: the diagnostics name each miss already.
    if (error.code != "intent-unresolved")
        loaded.diagnostics.error(error.code.empty() ? "analysis" : error.code, error.message);
    print_diagnostics(loaded);
    return error.code == "internal-error" ? kExitInternal : kExitUsage;
}

bool load_estate_and_tags(EstateOptions& options, const std::string& tags_path, LoadedEstate& loaded,
                          policy::ServiceTags& tags) {
    load_estate(options, loaded);
    if (load_service_tags(tags_path, loaded, tags) && !loaded.diagnostics.has_errors())
        return true;
    print_diagnostics(loaded);
    return false;
}

void SarifOptions::add_to(CLI::App& command) {
    command.add_option("--source-root", source_root,
                       "SARIF: the folder file URIs are relative to (default: the current folder), written "
                       "as %SRCROOT%");
    command
        .add_option("--max-results", max_results,
                    "SARIF: at most this many results, the most severe first (code scanning keeps 5,000)")
        ->capture_default_str();
}

std::string SarifOptions::root_uri() const {
    if (source_root.empty())
        return {};
    std::error_code ec;
    const std::string absolute =
        std::filesystem::absolute(source_root, ec).lexically_normal().generic_string();
    return "file://" + absolute + (absolute.ends_with('/') ? "" : "/");
}

bool analyse_with_intent(const EstateOptions& estate, const std::string& tags_path,
                         const std::string& intent_path, IntentAnalysis& out, int& exit_code) {
    exit_code = kExitUsage;
    EstateOptions options = estate;
    load_estate(options, out.loaded);
    const bool tags_ok = load_service_tags(tags_path, out.loaded, out.tags);
    out.intent = load::read_intent_file(intent_path, out.loaded.sources, out.loaded.diagnostics);
    if (!tags_ok || !out.intent || out.loaded.diagnostics.has_errors()) {
        print_diagnostics(out.loaded);
        return false;
    }
    out.analysis =
        estate.analyse(out.loaded, out.tags, {.rule_analysis = false, .intent = &*out.intent}, exit_code);
    return out.analysis != nullptr;
}

void IntentCommandOptions::add_to(CLI::App& command, const std::string& output_help,
                                  const std::vector<std::string>& formats, bool intent_required) {
    estate.add_to(command);
    command.add_option("--intent", intent, "the intent file (*.ztnet.yaml, see docs/intent.md)")
        ->required(intent_required)
        ->check(CLI::ExistingFile);
    add_service_tags_option(command, service_tags);
    std::string names;
    for (std::size_t i = 0; i < formats.size(); ++i)
        names += (i == 0 ? "" : i + 1 == formats.size() ? " or " : ", ") + formats[i];
    format = formats.front();
    command.add_option("--format", format, names)->check(CLI::IsMember(formats))->capture_default_str();
    command.add_option("-o,--output", output, output_help);
}

bool IntentCommandOptions::analyse(IntentAnalysis& out, int& exit_code) {
    exit_code = kExitUsage;
    return estate.finish() && analyse_with_intent(estate, service_tags, intent, out, exit_code);
}

} // namespace ztnet::cli
