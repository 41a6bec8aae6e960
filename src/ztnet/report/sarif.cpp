#include "ztnet/report/sarif.h"

#include <cctype>
#include <filesystem>

#include <fmt/format.h>

namespace ztnet::report::sarif {

using checks::Severity;

std::string_view level(Severity severity) {
    switch (severity) {
    case Severity::Critical:
    case Severity::High:
        return "error";
    case Severity::Medium:
        return "warning";
    case Severity::Low:
        return "note";
    }
    return "warning";
}

std::string_view security_severity(Severity severity) {
    switch (severity) {
    case Severity::Critical:
        return "9.5";
    case Severity::High:
        return "8.0";
    case Severity::Medium:
        return "5.5";
    case Severity::Low:
        return "2.0";
    }
    return "5.5";
}

namespace {

// A relative path as a URI reference: unreserved characters and '/' kept, the rest percent-encoded.
std::string uri_of(std::string_view path) {
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

} // namespace

std::string relative_uri(std::string_view path, const std::string& root) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path absolute = fs::weakly_canonical(fs::absolute(fs::path(path), ec), ec);
    const fs::path base = fs::weakly_canonical(fs::absolute(fs::path(root), ec), ec);
    const fs::path relative = absolute.lexically_relative(base);
    if (relative.empty() || *relative.begin() == "..")
        return uri_of(path);
    return uri_of(relative.generic_string());
}

json::Value rule(const checks::Check& c) {
    json::Object rule;
    rule.set("id", std::string(c.id));
    rule.set("name", std::string(c.title));
    json::Object short_description;
    short_description.set("text", std::string(c.title));
    rule.set("shortDescription", std::move(short_description));
    json::Object full;
    full.set("text", std::string(c.rationale));
    rule.set("fullDescription", std::move(full));
    json::Object help;
    help.set("text", fmt::format("{}\n\nFix: {}\n\nGuidance: {}", c.rationale, c.remediation, c.guidance));
    rule.set("help", std::move(help));
    json::Object config;
    config.set("level", std::string(level(c.severity)));
    rule.set("defaultConfiguration", std::move(config));
    json::Object properties;
    json::Array tags;
    for (checks::Principle p : c.principles)
        tags.emplace_back(std::string(checks::principle_id(p)));
    tags.emplace_back(std::string("security"));
    properties.set("tags", std::move(tags));
    properties.set("security-severity", std::string(security_severity(c.severity)));
    properties.set("severity", std::string(checks::severity_name(c.severity)));
    properties.set("guidance", std::string(c.guidance));
    rule.set("properties", std::move(properties));
    return rule;
}

json::Value physical_location(const SourceLocation& where, const SourceSet& sources,
                              const std::string& root) {
    json::Object physical;
    json::Object artifact;
    artifact.set("uri", relative_uri(sources.name(where.file), root));
    artifact.set("uriBaseId", std::string("%SRCROOT%"));
    physical.set("artifactLocation", std::move(artifact));
    json::Object region;
    LineColumn lc{1, 1};
    if (where.has_offset())
        lc = sources.line_column(where.file, where.offset);
    region.set("startLine", static_cast<std::int64_t>(lc.line));
    region.set("startColumn", static_cast<std::int64_t>(lc.column));
    physical.set("region", std::move(region));
    return physical;
}

json::Value log(json::Array rules, json::Array results, RunInputs inputs) {
    json::Object driver;
    driver.set("name", std::string("ztnet"));
    driver.set("version", inputs.version);
    driver.set("semanticVersion", inputs.version);
    driver.set("rules", std::move(rules));
    json::Object tool;
    tool.set("driver", std::move(driver));
    json::Object invocation;
    invocation.set("executionSuccessful", true);
    if (!inputs.notifications.empty())
        invocation.set("toolExecutionNotifications", std::move(inputs.notifications));
    json::Array invocations;
    invocations.emplace_back(std::move(invocation));
    json::Object run;
    run.set("tool", std::move(tool));
    run.set("invocations", std::move(invocations));
    if (!inputs.source_root_uri.empty()) {
        json::Object base;
        json::Object root_uri;
        root_uri.set("uri", inputs.source_root_uri);
        base.set("%SRCROOT%", std::move(root_uri));
        run.set("originalUriBaseIds", std::move(base));
    }
    run.set("results", std::move(results));
    json::Array runs;
    runs.emplace_back(std::move(run));
    json::Object root;
    root.set("$schema", std::string("https://json.schemastore.org/sarif-2.1.0.json"));
    root.set("version", std::string("2.1.0"));
    root.set("runs", std::move(runs));
    return root;
}

} // namespace ztnet::report::sarif
