#include "ztnet/report/pull_request.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "ztnet/checks/audit.h"
#include "ztnet/checks/runner.h"
#include "ztnet/report/audit_report.h"
#include "ztnet/report/path_report.h"
#include "ztnet/report/reach_report.h"
#include "ztnet/report/sarif.h"
#include "ztnet/report/text_escape.h"

namespace ztnet::report {

namespace {

using checks::Finding;
using reach::PairChange;

bool from_internet(const PairChange& c, const reach::ReachDiff& diff) {
    return diff.endpoints()[c.from].key.starts_with("internet ");
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string to_cell(const PairChange& c, const reach::ReachDiff& diff) {
    std::string out = markdown_text(diff.endpoints()[c.to].name);
    out += pairs_note(c.similar_pairs);
    return out;
}

// The rule changes behind a flow set, with where the new version writes the deciding rule.
std::string causes_cell(const PairChange& c, const SourceSet& after_sources) {
    std::string out;
    for (std::size_t i = 0; i < c.causes.size(); ++i) {
        if (!out.empty())
            out += "<br>";
        out += markdown_text(c.causes[i]);
        if (std::string at = location_text(c.cause_locations[i], after_sources); !at.empty())
            out += " at `" + visible_text(at) + "`";
    }
    return out.empty() ? "a change outside the NSGs (routes, peerings, addresses)" : out;
}

void flow_table(std::string& out, std::string_view title, const std::vector<const PairChange*>& rows,
                bool allowed, const DiffReportInputs& in) {
    if (rows.empty())
        return;
    out += fmt::format("\n**{}** ({})\n\n| From | To | Services | Caused by |\n| --- | --- | --- | --- |\n",
                       title, rows.size());
    for (std::size_t k = 0; k < rows.size() && k < in.max_rows; ++k) {
        const PairChange& c = *rows[k];
        const reach::ServiceSet& services = allowed ? c.newly_allowed : c.newly_denied;
        out += fmt::format("| {} | {} | `{}` | {} |\n", markdown_text(in.diff.endpoints()[c.from].name),
                           to_cell(c, in.diff), services.to_string(), causes_cell(c, in.after_sources));
    }
    if (rows.size() > in.max_rows)
        out += fmt::format("\n…and {} more (`ztnet diff --format text` lists every one).\n",
                           rows.size() - in.max_rows);
}

void finding_table(std::string& out, std::string_view title, const std::vector<Finding>& findings,
                   const SourceSet& sources, const DiffReportInputs& in) {
    if (findings.empty())
        return;
    out +=
        fmt::format("\n**{}** ({})\n\n| Severity | Check | Resource | Finding |\n| --- | --- | --- | --- |\n",
                    title, findings.size());
    for (std::size_t k = 0; k < findings.size() && k < in.max_rows; ++k) {
        const Finding& f = findings[k];
        const checks::Check* check = checks::find_check(f.check_id);
        std::string severity = check ? std::string(checks::severity_name(check->severity)) : "";
        if (check && check->severity >= checks::Severity::High)
            severity = fmt::format("**{}**", severity);
        std::string message = markdown_text(f.message);
        if (std::string at = location_text(f.where, sources); !at.empty())
            message += " at `" + visible_text(at) + "`";
        out += fmt::format("| {} | {} | {} | {} |\n", severity, f.check_id, markdown_text(f.resource_name),
                           message);
    }
    if (findings.size() > in.max_rows)
        out += fmt::format("\n…and {} more (`ztnet audit` on each version lists every one).\n",
                           findings.size() - in.max_rows);
}

// The traces of the newly allowed flows from the Internet, hop by hop, folded away.
void internet_traces(std::string& out, const std::vector<const PairChange*>& allowed,
                     const DiffReportInputs& in) {
    std::string traces;
    std::size_t shown = 0;
    for (const PairChange* c : allowed) {
        if (!from_internet(*c, in.diff) || !c->after_trace || shown == 3)
            continue;
        traces += (traces.empty() ? "" : "\n") + path_text(*c->after_trace, in.after_sources);
        ++shown;
    }
    if (traces.empty())
        return;
    const std::string text = visible_text(traces);
    const std::string fence = markdown_fence(text);
    out += fmt::format(
        "\n<details><summary>How the Internet gets in now, hop by hop</summary>\n\n{}text\n{}{}\n\n"
        "</details>\n",
        fence, text, fence);
}

std::string headline(std::size_t allowed, std::size_t denied, const checks::FindingChanges* findings) {
    std::vector<std::string> parts;
    if (allowed > 0)
        parts.push_back(fmt::format("newly allows {}", plural(allowed, "flow set", "flow sets")));
    if (denied > 0)
        parts.push_back(fmt::format("newly denies {}", plural(denied, "flow set", "flow sets")));
    if (findings && !findings->added.empty())
        parts.push_back(fmt::format("adds {}", plural(findings->added.size(), "finding", "findings")));
    if (findings && !findings->removed.empty())
        parts.push_back(fmt::format("removes {}", plural(findings->removed.size(), "finding", "findings")));
    if (parts.empty())
        return findings ? "no change in reachability or findings" : "no change in reachability";
    std::string out = "this change ";
    for (std::size_t k = 0; k < parts.size(); ++k)
        out += (k == 0 ? "" : k + 1 == parts.size() ? " and " : ", ") + parts[k];
    return out;
}

} // namespace

std::string diff_markdown(const DiffReportInputs& in) {
    std::vector<const PairChange*> allowed, denied;
    for (const PairChange& c : in.changes) {
        if (!c.newly_allowed.empty())
            allowed.push_back(&c);
        if (!c.newly_denied.empty())
            denied.push_back(&c);
    }
    // What the Internet newly reaches leads: it is what a reviewer must not miss.
    std::stable_partition(allowed.begin(), allowed.end(),
                          [&](const PairChange* c) { return from_internet(*c, in.diff); });
    std::string out =
        fmt::format("### ztnet: {}\n\n{} → {}\n", headline(allowed.size(), denied.size(), in.findings),
                    markdown_text(in.before_label), markdown_text(in.after_label));
    flow_table(out, "Newly allowed", allowed, true, in);
    flow_table(out, "Newly denied", denied, false, in);
    if (in.findings) {
        finding_table(out, "Findings added", in.findings->added, in.after_sources, in);
        finding_table(out, "Findings removed", in.findings->removed, in.before_sources, in);
    }
    internet_traces(out, allowed, in);
    return out;
}

namespace {

std::string_view severity_of(const Finding& f) {
    const checks::Check* check = checks::find_check(f.check_id);
    return check ? checks::severity_name(check->severity) : std::string_view("unknown");
}

void findings_text(std::string& out, std::string_view title, const std::vector<Finding>& findings,
                   const SourceSet& sources) {
    if (findings.empty())
        return;
    out += fmt::format("\n{} ({})\n", title, findings.size());
    for (const Finding& f : findings) {
        out += fmt::format("  {:<8} {}  {}: {}\n", severity_of(f), f.check_id, f.resource_name, f.message);
        if (std::string at = location_text(f.where, sources); !at.empty())
            out += fmt::format("           at {}\n", at);
    }
}

json::Array findings_json(const std::vector<Finding>& findings, const SourceSet& sources) {
    json::Array out;
    for (const Finding& f : findings) {
        json::Object o;
        o.set("check", f.check_id);
        o.set("severity", std::string(severity_of(f)));
        o.set("resource", f.resource_id);
        o.set("resourceName", f.resource_name);
        o.set("message", f.message);
        o.set("fingerprint", f.fingerprint);
        o.set("location", location_json(f.where, sources));
        out.emplace_back(std::move(o));
    }
    return out;
}

} // namespace

std::string finding_changes_text(const checks::FindingChanges& changes, const SourceSet& before_sources,
                                 const SourceSet& after_sources) {
    std::string out;
    findings_text(out, "Findings added", changes.added, after_sources);
    findings_text(out, "Findings removed", changes.removed, before_sources);
    return out;
}

json::Value finding_changes_json(const checks::FindingChanges& changes, const SourceSet& before_sources,
                                 const SourceSet& after_sources) {
    json::Object o;
    o.set("added", findings_json(changes.added, after_sources));
    o.set("removed", findings_json(changes.removed, before_sources));
    return o;
}

namespace {

// Where a newly allowed flow set is caused: the first changed rule the new version writes, else the
// first hop of its trace with a place, else the new version's first file.
SourceLocation cause_place(const PairChange& c, const DiffReportInputs& in) {
    for (const SourceLocation& where : c.cause_locations)
        if (where.has_file())
            return where;
    if (c.after_trace)
        for (const route::Hop& h : c.after_trace->hops)
            if (h.where.has_file() && h.verdict == route::Verdict::Allowed)
                return h.where;
    SourceLocation first;
    if (in.after_sources.size() > 0)
        first.file = 0;
    return first;
}

json::Value newly_allowed_rule() {
    json::Object rule;
    rule.set("id", std::string(kNewlyAllowedRule));
    rule.set("name", std::string("NewlyAllowedFlows"));
    json::Object brief;
    brief.set("text", std::string("The change newly allows traffic"));
    rule.set("shortDescription", std::move(brief));
    json::Object full;
    full.set("text", std::string("Flows the new version of the estate allows and the old one denied, between "
                                 "the endpoints named, on the services named. Least privilege: every newly "
                                 "allowed flow should be one the application needs."));
    rule.set("fullDescription", std::move(full));
    json::Object help;
    help.set("text", std::string("If the flow is intended, add it to the intent file (ztnet verify then "
                                 "proves it); if not, narrow or remove the rule the result points at."));
    rule.set("help", std::move(help));
    json::Object defaults;
    defaults.set("level", std::string("warning"));
    rule.set("defaultConfiguration", std::move(defaults));
    json::Object properties;
    json::Array tags;
    tags.emplace_back(std::string("security"));
    tags.emplace_back(std::string("least-privilege"));
    properties.set("tags", std::move(tags));
    properties.set("security-severity", std::string("5.0"));
    rule.set("properties", std::move(properties));
    return rule;
}

json::Value newly_allowed_result(const PairChange& c, std::int64_t rule_index, const DiffReportInputs& in) {
    const auto& endpoints = in.diff.endpoints();
    const bool internet = from_internet(c, in.diff);
    json::Object result;
    result.set("ruleId", std::string(kNewlyAllowedRule));
    result.set("ruleIndex", rule_index);
    result.set("level", std::string(internet ? "error" : "warning"));
    std::string text = fmt::format("Newly allowed: {} -> {} on {}", endpoints[c.from].name,
                                   endpoints[c.to].name, c.newly_allowed.to_string());
    text += pairs_note(c.similar_pairs);
    for (const std::string& cause : c.causes)
        text += "; " + cause;
    json::Object message;
    message.set("text", visible_text(text));
    result.set("message", std::move(message));
    json::Object location;
    const SourceLocation where = cause_place(c, in);
    if (where.has_file())
        location.set("physicalLocation", sarif::physical_location(where, in.after_sources, in.source_root));
    json::Array logical;
    json::Object target;
    target.set("name", endpoints[c.to].name);
    target.set("fullyQualifiedName", endpoints[c.to].key);
    target.set("kind", std::string("resource"));
    logical.emplace_back(std::move(target));
    location.set("logicalLocations", std::move(logical));
    json::Array locations;
    locations.emplace_back(std::move(location));
    result.set("locations", std::move(locations));
    json::Object fingerprints;
    fingerprints.set("ztnet/v1", checks::fingerprint(kNewlyAllowedRule,
                                                     endpoints[c.from].key + " -> " + endpoints[c.to].key,
                                                     c.newly_allowed.to_string()));
    result.set("partialFingerprints", std::move(fingerprints));
    return result;
}

} // namespace

json::Value diff_sarif(const DiffReportInputs& in) {
    // The added findings as the audit writes them, on the new version's inputs.
    checks::AuditResult added;
    if (in.findings) {
        added.run.findings = in.findings->added;
        std::set<std::string> ids;
        for (const Finding& f : added.run.findings)
            ids.insert(f.check_id);
        added.run.checks.assign(ids.begin(), ids.end());
    }
    AuditInputs audit_inputs{in.after_estate, in.after_sources, {}, nullptr};
    audit_inputs.version = in.version;
    audit_inputs.command = "diff";
    audit_inputs.source_root = in.source_root;
    audit_inputs.source_root_uri = in.source_root_uri;
    json::Value log = audit_sarif(added, audit_inputs);
    json::Object& run = log.as_object().find("runs")->as_array()[0].as_object();
    json::Array& rules = run.find("tool")->as_object().find("driver")->as_object().find("rules")->as_array();
    json::Array& results = run.find("results")->as_array();
    const auto rule_index = static_cast<std::int64_t>(rules.size());
    rules.emplace_back(newly_allowed_rule());
    json::Array flows;
    for (const PairChange& c : in.changes)
        if (!c.newly_allowed.empty())
            flows.emplace_back(newly_allowed_result(c, rule_index, in));
    // Flow sets first: they are what the change does; the findings are what it leaves wrong.
    for (json::Value& r : results)
        flows.emplace_back(std::move(r));
    results = std::move(flows);
    return log;
}

} // namespace ztnet::report
