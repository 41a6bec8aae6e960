#include "ztnet/report/audit_report.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "ztnet/checks/runner.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/report/path_report.h"
#include "ztnet/report/paths_report.h"
#include "ztnet/report/sarif.h"
#include "ztnet/report/text_escape.h"
#include "ztnet/support/ascii.h"

namespace ztnet::report {
namespace {

using checks::Check;
using checks::Finding;
using checks::Severity;

constexpr Severity kSeverities[] = {Severity::Critical, Severity::High, Severity::Medium, Severity::Low};

const Check& check_of(const Finding& f) {
    return *checks::find_check(f.check_id);
}

std::string principles_text(const Check& c) {
    std::string out;
    for (checks::Principle p : c.principles)
        out += (out.empty() ? "" : ", ") + std::string(checks::principle_title(p));
    return out;
}

std::size_t count(const checks::CheckRun& run, Severity severity, bool suppressed) {
    return static_cast<std::size_t>(
        std::count_if(run.findings.begin(), run.findings.end(), [&](const Finding& f) {
            return check_of(f).severity == severity && f.suppressed_by.has_value() == suppressed;
        }));
}

std::string resource_summary(const model::Estate& estate) {
    std::size_t rules = 0;
    for (const auto& nsg : estate.network_security_groups)
        rules += nsg.rules.size();
    return fmt::format(
        "{} VNets, {} subnets, {} NSGs with {} rules, {} ASGs, {} VMs, {} NICs, {} App Gateways, "
        "{} load balancers, {} firewalls, {} storage accounts",
        estate.virtual_networks.size(), estate.subnets.size(), estate.network_security_groups.size(), rules,
        estate.application_security_groups.size(), estate.virtual_machines.size(),
        estate.network_interfaces.size(), estate.application_gateways.size(), estate.load_balancers.size(),
        estate.azure_firewalls.size(), estate.storage_accounts.size());
}

// One line per failing check, most severe first: what a reader takes in before the details.
void summary_text(std::string& out, const checks::CheckRun& run) {
    struct Row {
        std::string_view id;
        Severity severity;
        std::size_t findings = 0;
        std::vector<std::string_view> resources; // distinct, in report order
    };
    std::vector<Row> rows;
    for (const Finding& f : run.findings) {
        if (f.suppressed_by)
            continue;
        const Check& c = check_of(f);
        if (rows.empty() || rows.back().id != c.id)
            rows.push_back({c.id, c.severity, 0, {}});
        Row& row = rows.back();
        ++row.findings;
        if (std::find(row.resources.begin(), row.resources.end(), f.resource_name) == row.resources.end())
            row.resources.push_back(f.resource_name);
    }
    if (rows.empty())
        return;
    constexpr std::size_t kShown = 3;
    out += fmt::format("\n{:<11} {:<9} {:>8}  {}\n", "CHECK", "SEVERITY", "FINDINGS", "RESOURCES");
    for (const Row& row : rows) {
        std::string names;
        for (std::size_t k = 0; k < row.resources.size() && k < kShown; ++k)
            names += (k == 0 ? "" : ", ") + std::string(row.resources[k]);
        if (row.resources.size() > kShown)
            names += fmt::format(" and {} more", row.resources.size() - kShown);
        out += fmt::format("{:<11} {:<9} {:>8}  {}\n", row.id, checks::severity_name(row.severity),
                           row.findings, names);
    }
}

void findings_text(std::string& out, const checks::CheckRun& run, const SourceSet& sources,
                   std::size_t details) {
    for (Severity severity : kSeverities) {
        std::string section;
        std::string_view current_check;
        std::size_t shown_of_check = 0;
        std::size_t hidden_of_check = 0;
        auto close_check = [&] {
            if (hidden_of_check > 0)
                section +=
                    fmt::format("    ... and {} more (--details all shows every finding)\n", hidden_of_check);
            hidden_of_check = 0;
        };
        for (const Finding& f : run.findings) {
            const Check& c = check_of(f);
            if (c.severity != severity || f.suppressed_by)
                continue;
            if (c.id != current_check) {
                close_check();
                section += fmt::format("\n  {} {} ({})\n    fix: {}\n", c.id, c.title, principles_text(c),
                                       c.remediation);
                current_check = c.id;
                shown_of_check = 0;
            }
            if (shown_of_check++ >= details) {
                ++hidden_of_check;
                continue;
            }
            std::string at = location_text(f.where, sources);
            section += fmt::format("    - {}{}\n", f.message, at.empty() ? "" : " at " + at);
            // A flow is shown once, before the evidence that follows it.
            std::optional<net::Flow> shown;
            for (const checks::Evidence& e : f.evidence) {
                if (e.flow && e.flow != shown) {
                    section += fmt::format("      e.g. {}\n", e.flow->to_string());
                    shown = e.flow;
                }
                std::string where = location_text(e.where, sources);
                section += fmt::format("        {}{}\n", e.text, where.empty() ? "" : " at " + where);
            }
        }
        close_check();
        if (!section.empty())
            out += fmt::format("\n{}{}", ascii::upper(checks::severity_name(severity)), section);
    }
}

// "Tcp 443", "Tcp 443; undecidable: Udp 53", "undecidable: any".
std::string cell_services(const reach::MatrixCell& cell) {
    std::string out = cell.allowed.empty() ? std::string() : cell.allowed.to_string();
    if (!cell.undecidable.empty())
        out += (out.empty() ? "" : "; ") + std::string("undecidable: ") + cell.undecidable.to_string();
    return out;
}

// The blast radius per tier, and the few widest: what "assume breach" costs here.
void blast_radius_text(std::string& out, const checks::AuditResult& r) {
    if (!r.breach || r.breach->tiers.empty())
        return;
    out += "\nBlast radius (endpoints a taken workload surely reaches over SSH, RDP, WinRM, SMB and the "
           "policy's services, any number of hops; `ztnet paths` shows the paths)\n";
    for (const paths::TierSummary& t : r.breach->tiers)
        out += fmt::format("  {}: {} workload{}, widest {}, mean {:.1f}; {} reach{} a crown jewel\n",
                           visible_text(t.tier), t.workloads, t.workloads == 1 ? "" : "s", t.widest, t.mean,
                           t.reach_jewels, t.reach_jewels == 1 ? "es" : "");
    for (const checks::PrincipleScore& s : r.scores) {
        if (s.blast_share)
            out += fmt::format(
                "  Assume breach: {}/100 from the checks, weighed by a mean reach of {:.0f}% of the "
                "estate's endpoints: {}/100\n",
                s.check_score, *s.blast_share * 100, s.score);
    }
}

void highlights_text(std::string& out, const checks::AuditResult& r) {
    if (!r.matrix)
        return;
    const reach::ReachMatrix& m = *r.matrix;
    out +=
        "\nReachability highlights (exact, through NSGs, routes and firewalls; undecidable: what the input "
        "cannot tell, `ztnet explain` says why)\n";
    auto section = [&](std::string_view title, const std::vector<std::size_t>& cells) {
        out += fmt::format("  {}:\n", title);
        if (cells.empty())
            out += "    nothing\n";
        for (std::size_t i : cells)
            out += fmt::format("    {} -> {}: {}\n", m.groups[m.cells[i].from].name,
                               m.groups[m.cells[i].to].name, cell_services(m.cells[i]));
    };
    section("From the Internet", r.internet_cells);
    section("To the Internet", r.egress_cells);
    section("Between groups", r.lateral_cells);
}

json::Value evidence_json(const checks::Evidence& e, const SourceSet& sources) {
    json::Object o;
    o.set("text", e.text);
    o.set("location", location_json(e.where, sources));
    o.set("flow", e.flow ? json::Value(e.flow->to_string()) : json::Value());
    return o;
}

json::Array principles_json(const Check& c) {
    json::Array out;
    for (checks::Principle p : c.principles)
        out.emplace_back(std::string(checks::principle_id(p)));
    return out;
}

// Code scanning's limit on locations per result is 1,000, of which it shows 100.
constexpr std::size_t kRelatedLocations = 100;

json::Value physical_location(const SourceLocation& where, const SourceSet& sources, const AuditInputs& in) {
    return sarif::physical_location(where, sources, in.source_root);
}

// Where a finding is written; for one about the subscription (or anything without a place), the
// first resource of the input in that subscription, else the first input file.
SourceLocation place_of(const Finding& f, const AuditInputs& in) {
    if (f.where.has_file() && f.where.file < in.sources.size())
        return f.where;
    SourceLocation first;
    for (int k = 0; k < model::kResourceKindCount; ++k) {
        const auto kind = static_cast<model::ResourceKind>(k);
        for (model::Index i = 0; i < in.estate.count(kind); ++i) {
            const model::Resource& r = in.estate.resource({kind, i});
            if (!r.where.has_file() || r.where.file >= in.sources.size())
                continue;
            if (model::id_key(r.id).starts_with(model::id_key(f.resource_id)))
                return r.where;
            if (!first.has_file())
                first = r.where;
        }
    }
    if (!first.has_file() && in.sources.size() > 0)
        first.file = 0;
    return first;
}

// One result per check and resource: the first finding speaks for it, the others are its related
// locations. `group` is in report order (most severe first).
json::Value sarif_result(const std::vector<const Finding*>& group, std::int64_t rule_index,
                         const AuditInputs& in) {
    const Finding& f = *group.front();
    const Check& c = check_of(f);
    json::Object result;
    result.set("ruleId", std::string(c.id));
    result.set("ruleIndex", rule_index);
    result.set("level", std::string(sarif::level(c.severity)));
    json::Object message;
    message.set("text", group.size() == 1 ? f.message
                                          : fmt::format("{} (and {} more of this check on {})", f.message,
                                                        group.size() - 1, f.resource_name));
    result.set("message", std::move(message));
    json::Array locations;
    json::Object location;
    const SourceLocation where = place_of(f, in);
    if (where.has_file())
        location.set("physicalLocation", physical_location(where, in.sources, in));
    json::Array logical;
    json::Object resource;
    resource.set("fullyQualifiedName", f.resource_id);
    resource.set("name", f.resource_name);
    resource.set("kind", std::string("resource"));
    logical.emplace_back(std::move(resource));
    if (!where.address.empty()) { // the Terraform resource that declares it
        json::Object declaration;
        declaration.set("fullyQualifiedName", where.address);
        declaration.set("kind", std::string("declaration"));
        logical.emplace_back(std::move(declaration));
    }
    location.set("logicalLocations", std::move(logical));
    locations.emplace_back(std::move(location));
    result.set("locations", std::move(locations));
    if (group.size() > 1) {
        json::Array related;
        for (std::size_t k = 1; k < group.size() && related.size() < kRelatedLocations; ++k) {
            const SourceLocation at = place_of(*group[k], in);
            if (!at.has_file())
                continue;
            json::Object r;
            r.set("id", static_cast<std::int64_t>(k));
            r.set("physicalLocation", physical_location(at, in.sources, in));
            json::Object text;
            text.set("text", group[k]->message);
            r.set("message", std::move(text));
            related.emplace_back(std::move(r));
        }
        result.set("relatedLocations", std::move(related));
    }
    json::Object fingerprints;
    fingerprints.set("ztnet/v1",
                     group.size() == 1 ? f.fingerprint : checks::fingerprint(c.id, f.resource_id, ""));
    result.set("partialFingerprints", std::move(fingerprints));
    if (f.suppressed_by) {
        json::Array suppressions;
        json::Object s;
        s.set("kind", std::string("external"));
        s.set("justification", *f.suppressed_by);
        suppressions.emplace_back(std::move(s));
        result.set("suppressions", std::move(suppressions));
    }
    json::Object properties;
    json::Array evidence;
    for (const checks::Evidence& e : f.evidence)
        evidence.emplace_back(evidence_json(e, in.sources));
    properties.set("evidence", std::move(evidence));
    if (group.size() > 1) {
        json::Array fingerprints_of_each;
        for (const Finding* each : group)
            fingerprints_of_each.emplace_back(each->fingerprint);
        properties.set("findingFingerprints", std::move(fingerprints_of_each));
    }
    result.set("properties", std::move(properties));
    return result;
}

// What each scope the inputs cover stands for, one line each.
std::string coverage_text(const std::vector<model::CoveredScope>& scopes) {
    if (scopes.empty())
        return {};
    std::string out = "\nCoverage: what the input shows\n";
    for (const model::CoveredScope& c : scopes) {
        const model::ResourceIdParts parts = model::parse_resource_id(c.scope);
        const std::string where =
            !parts.resource_group.empty()
                ? fmt::format("resource group {} (subscription {})", parts.resource_group, parts.subscription)
            : !parts.subscription.empty() ? "subscription " + parts.subscription
                                          : "management group " + parts.name;
        switch (c.basis) {
        case model::CoveredScope::Basis::Collected:
            out +=
                fmt::format("  - {}: all of it, as the manifest {} says it was collected\n", where, c.source);
            break;
        case model::CoveredScope::Basis::Seen:
            out += fmt::format("  - {}: what {} holds (no manifest says whether that is all of it)\n", where,
                               c.source);
            break;
        case model::CoveredScope::Basis::Deployment:
            out += fmt::format("  - {}: only what {} deploys, not what is already there\n", where, c.source);
            break;
        }
    }
    return out;
}

json::Array coverage_json(const std::vector<model::CoveredScope>& scopes) {
    json::Array out;
    for (const model::CoveredScope& c : scopes) {
        json::Object o;
        o.set("scope", c.scope);
        o.set("basis", std::string(model::basis_name(c.basis)));
        o.set("source", c.source);
        out.emplace_back(std::move(o));
    }
    return out;
}

} // namespace

std::string audit_text(const checks::AuditResult& r, const AuditInputs& in) {
    std::string out = fmt::format("ztnet {}: {}\n", in.command, resource_summary(in.estate));
    out += "Score:";
    for (const checks::PrincipleScore& s : r.scores)
        out += fmt::format("  {} {}/100", checks::principle_title(s.principle), s.score);
    std::size_t suppressed = 0;
    for (Severity s : kSeverities)
        suppressed += count(r.run, s, true);
    out +=
        fmt::format("\nFindings: {} critical, {} high, {} medium, {} low ({} suppressed), from {} checks\n",
                    count(r.run, Severity::Critical, false), count(r.run, Severity::High, false),
                    count(r.run, Severity::Medium, false), count(r.run, Severity::Low, false), suppressed,
                    r.run.checks.size());
    out += coverage_text(in.estate.covered_scopes);
    if (!r.undecided.empty()) {
        out += fmt::format("\nUndecidable offline ({}): the input does not say\n", r.undecided.size());
        for (const checks::Undecided& u : r.undecided) {
            std::string at = location_text(u.where, in.sources);
            out += fmt::format("  - {}: {}{}\n", u.resource_name, u.reason, at.empty() ? "" : " at " + at);
        }
    }
    if (!r.run.not_assessed.empty()) {
        out += fmt::format(
            "\nNot assessed ({}): what the check reads is not in the input or not known offline\n",
            r.run.not_assessed.size());
        for (const checks::NotAssessed& n : r.run.not_assessed) {
            if (!n.why.empty()) {
                out += fmt::format("  - {}: {}\n", n.check_id, n.why);
                continue;
            }
            std::string at = location_text(n.where, in.sources);
            out += fmt::format("  - {} on {}: {} is unknown{}{}\n", n.check_id, n.resource_name, n.setting,
                               n.anywhere ? ", so none of the check's findings stands" : "",
                               at.empty() ? "" : " at " + at);
        }
    }
    summary_text(out, r.run);
    findings_text(out, r.run, in.sources, in.details);
    highlights_text(out, r);
    blast_radius_text(out, r);
    if (in.verified)
        out += fmt::format(
            "\nIntent {}: {} ({} missing, {} excess, {} undecidable; `ztnet verify` lists them)\n",
            in.intent_path, in.verified->holds() ? "HOLDS" : "BROKEN", in.verified->missing,
            in.verified->excess, in.verified->undecidable);
    if (suppressed > 0) {
        out += "\nSuppressed:\n";
        for (const Finding& f : r.run.findings) {
            if (f.suppressed_by)
                out += fmt::format("  {} {}: {}\n", f.check_id, f.resource_name, *f.suppressed_by);
        }
    }
    for (const model::Suppression& s : r.run.expired) {
        std::string at = location_text(s.where, in.sources);
        out += fmt::format("\nexpired suppression{}: {} on {} (expired {}): {}\n",
                           at.empty() ? "" : " at " + at, s.check_id, s.resource, s.expires, s.reason);
    }
    return out;
}

json::Value audit_json(const checks::AuditResult& r, const AuditInputs& in) {
    json::Object root;
    root.set("tool", std::string("ztnet"));
    root.set("version", in.version);
    json::Object summary;
    summary.set("resources", resource_summary(in.estate));
    for (Severity s : kSeverities)
        summary.set(std::string(checks::severity_name(s)), static_cast<std::int64_t>(count(r.run, s, false)));
    std::size_t suppressed = 0;
    for (Severity s : kSeverities)
        suppressed += count(r.run, s, true);
    summary.set("suppressed", static_cast<std::int64_t>(suppressed));
    root.set("summary", std::move(summary));
    json::Array scores;
    for (const checks::PrincipleScore& s : r.scores) {
        json::Object o;
        o.set("principle", std::string(checks::principle_id(s.principle)));
        o.set("title", std::string(checks::principle_title(s.principle)));
        o.set("score", s.score);
        o.set("checks", s.checks);
        o.set("failing", s.failing);
        if (s.blast_share) {
            o.set("checkScore", s.check_score);
            o.set("blastShare", *s.blast_share);
        }
        scores.emplace_back(std::move(o));
    }
    root.set("scores", std::move(scores));
    json::Array ran;
    for (const std::string& id : r.run.checks)
        ran.emplace_back(id);
    root.set("checks", std::move(ran));
    json::Array findings;
    for (const Finding& f : r.run.findings) {
        const Check& c = check_of(f);
        json::Object o;
        o.set("checkId", f.check_id);
        o.set("title", std::string(c.title));
        o.set("severity", std::string(checks::severity_name(c.severity)));
        o.set("principles", principles_json(c));
        o.set("resourceId", f.resource_id);
        o.set("resourceName", f.resource_name);
        o.set("location", location_json(f.where, in.sources));
        o.set("message", f.message);
        json::Array evidence;
        for (const checks::Evidence& e : f.evidence)
            evidence.emplace_back(evidence_json(e, in.sources));
        o.set("evidence", std::move(evidence));
        o.set("fingerprint", f.fingerprint);
        o.set("suppressed", f.suppressed_by ? json::Value(*f.suppressed_by) : json::Value());
        findings.emplace_back(std::move(o));
    }
    root.set("findings", std::move(findings));
    json::Array undecided;
    for (const checks::Undecided& u : r.undecided) {
        json::Object o;
        o.set("resourceId", u.resource_id);
        o.set("resourceName", u.resource_name);
        o.set("location", location_json(u.where, in.sources));
        o.set("reason", u.reason);
        undecided.emplace_back(std::move(o));
    }
    root.set("undecidable", std::move(undecided));
    root.set("coverage", coverage_json(in.estate.covered_scopes));
    json::Array not_assessed;
    for (const checks::NotAssessed& n : r.run.not_assessed) {
        json::Object o;
        o.set("checkId", n.check_id);
        o.set("resourceId", n.resource_id);
        o.set("resourceName", n.resource_name);
        o.set("location", location_json(n.where, in.sources));
        o.set("setting", n.setting);
        o.set("everyFindingOfTheCheck", n.anywhere);
        o.set("reason", n.why.empty() ? json::Value() : json::Value(n.why));
        not_assessed.emplace_back(std::move(o));
    }
    root.set("notAssessed", std::move(not_assessed));
    json::Object highlights;
    if (r.matrix) {
        auto cells = [&](const std::vector<std::size_t>& indices) {
            json::Array list;
            for (std::size_t i : indices) {
                const reach::MatrixCell& cell = r.matrix->cells[i];
                json::Object o;
                o.set("from", r.matrix->groups[cell.from].name);
                o.set("to", r.matrix->groups[cell.to].name);
                o.set("allowed", cell.allowed.to_string());
                o.set("undecidable", cell.undecidable.to_string());
                list.emplace_back(std::move(o));
            }
            return list;
        };
        highlights.set("internet", cells(r.internet_cells));
        highlights.set("egress", cells(r.egress_cells));
        highlights.set("lateral", cells(r.lateral_cells));
    }
    root.set("highlights", std::move(highlights));
    if (r.breach)
        root.set("blastRadius", tier_summaries_json(r.breach->tiers));
    if (in.verified) {
        json::Object intent;
        intent.set("path", in.intent_path);
        intent.set("holds", in.verified->holds());
        intent.set("missing", static_cast<std::int64_t>(in.verified->missing));
        intent.set("excess", static_cast<std::int64_t>(in.verified->excess));
        intent.set("undecidable", static_cast<std::int64_t>(in.verified->undecidable));
        root.set("intent", std::move(intent));
    } else {
        root.set("intent", json::Value());
    }
    auto suppression_list = [&](const std::vector<model::Suppression>& list) {
        json::Array out;
        for (const model::Suppression& s : list) {
            json::Object o;
            o.set("check", s.check_id);
            o.set("resource", s.resource);
            o.set("reason", s.reason);
            o.set("expires", s.expires);
            o.set("location", location_json(s.where, in.sources));
            out.emplace_back(std::move(o));
        }
        return out;
    };
    json::Object suppressions;
    suppressions.set("expired", suppression_list(r.run.expired));
    suppressions.set("unused", suppression_list(r.run.unused));
    root.set("suppressions", std::move(suppressions));
    return root;
}

json::Value audit_sarif(const checks::AuditResult& r, const AuditInputs& in) {
    json::Array rules;
    std::map<std::string, std::int64_t> rule_index;
    for (const std::string& id : r.run.checks) {
        rule_index[id] = static_cast<std::int64_t>(rules.size());
        rules.emplace_back(sarif::rule(*checks::find_check(id)));
    }
    // Findings arrive most severe first; one result per (check, resource, suppressed or not), in
    // the order of its first finding, so that the cap keeps the most severe.
    std::vector<std::vector<const Finding*>> groups;
    std::map<std::tuple<std::string, std::string, bool>, std::size_t> group_of;
    for (const Finding& f : r.run.findings) {
        auto key = std::make_tuple(f.check_id, model::id_key(f.resource_id), f.suppressed_by.has_value());
        auto [it, fresh] = group_of.try_emplace(std::move(key), groups.size());
        if (fresh)
            groups.emplace_back();
        groups[it->second].push_back(&f);
    }
    json::Array results;
    std::size_t left_out = 0;
    std::map<std::string, std::size_t> left_out_by_check;
    for (const std::vector<const Finding*>& group : groups) {
        if (results.size() >= in.max_results) {
            ++left_out;
            ++left_out_by_check[group.front()->check_id];
            continue;
        }
        results.emplace_back(sarif_result(group, rule_index[group.front()->check_id], in));
    }
    sarif::RunInputs run{in.version, in.source_root_uri, {}};
    if (left_out > 0) {
        std::string which;
        for (const auto& [id, n] : left_out_by_check)
            which += fmt::format("{}{} {}", which.empty() ? "" : ", ", n, id);
        json::Object note;
        note.set("level", std::string("warning"));
        json::Object text;
        text.set("text",
                 fmt::format("{} result(s) of lower severity left out to stay within --max-results {} ({}); "
                             "the text and JSON reports list every finding",
                             left_out, in.max_results, which));
        note.set("message", std::move(text));
        run.notifications.emplace_back(std::move(note));
    }
    return sarif::log(std::move(rules), std::move(results), std::move(run));
}

std::string checks_markdown() {
    std::string out =
        "# Checks\n\n"
        "Generated from the check registry by `ztnet checks --format markdown`; a test fails when this file\n"
        "is stale.\n"
        "Each check serves one or more of the Zero Trust principles, has a severity, and names the\n"
        "step of Microsoft's guidance it implements.\n\n"
        "## What the input cannot tell\n\n"
        "A template often leaves things open: a parameter without a value, a resource deployed\n"
        "elsewhere, an address Azure picks at deployment. ztnet never guesses them, and the audit lists\n"
        "each under \"Undecidable offline\" (JSON: `undecidable`). How the checks treat them:\n\n"
        "- **NSG rules.** A rule field whose value is unknown (a side, the ports, the protocol, the\n"
        "  access, the priority, the direction, or the whole rule list; an ASG outside the input) is\n"
        "  read two ways: the rule at its widest (it may match anything there) and at its narrowest (it\n"
        "  surely matches only the entries that are known). A flow allowed when every unknown Allow rule\n"
        "  is narrowest and every unknown Deny rule widest is allowed whatever the values are; a flow\n"
        "  denied the other way round is denied whatever they are; any other flow is undecidable, and\n"
        "  `explain`, `reach` and `verify` say so, naming the rule and the parameter. (When one\n"
        "  parameter feeds two rules of opposite access, a flow may be called undecidable that no single\n"
        "  value decides both ways: the conservative side.)\n"
        "- **Azure Firewall rules.** A rule with a field the input cannot tell (or a rule list taken from\n"
        "  a parameter) may match: a flow it may decide is undecidable at the firewall, unless an earlier\n"
        "  rule surely decides it or every outcome is the same.\n"
        "- **Reachability checks (ZT-SEG-001 to ZT-SEG-004, ZT-SEG-007, ZT-SEG-008)** report only what\n"
        "  is surely allowed; an undecidable flow is no finding and no pass, and the rule behind it is\n"
        "  listed as undecidable. A NIC whose address Azure picks is judged at every address it may get:\n"
        "  one stands in when every rule and route treats the subnet's free addresses alike; otherwise one\n"
        "  candidate per piece they treat alike, and a flow is surely allowed only when it is allowed at\n"
        "  every candidate (undecidable when they differ; the NIC is listed under \"Undecidable offline\").\n"
        "  When its subnet is outside the input, it takes no part in reachability and is listed as\n"
        "  undecidable.\n"
        "- **Rule checks.** ZT-NET-005 and ZT-NET-004 read the restrictive reading: a rule is reported\n"
        "  when it opens a management port whatever the unknowns are (an unknown Deny above it at its\n"
        "  widest), and a baseline DenyAll is reported missing only when no value could supply it.\n"
        "  ZT-SEG-005 does not judge the rules of a direction that holds an unknown rule against each\n"
        "  other (`ztnet rules` lists that direction as undecidable); ZT-SEG-006 judges each known rule.\n"
        "- **Setting checks** name the settings they read (below, per check). Where the input cannot\n"
        "  tell one, the check is *not assessed* on that resource: it reports no finding there, and the\n"
        "  audit lists it under \"Not assessed\" (JSON: `notAssessed`). Where the setting may decide\n"
        "  findings on other resources (a WAF policy's mode, reported on its App Gateway), none of the\n"
        "  check's findings stands. An absent setting is not unknown: it takes Azure's default for the\n"
        "  resource's API version.\n"
        "- **References to resources outside the input** are listed as undecidable. An NSG or route table\n"
        "  outside the input makes every flow through it undecidable, and the checks that read the\n"
        "  reference are not assessed there; other references read as absent. Giving the export of the\n"
        "  existing resources beside the template (`ztnet check template.json existing-export.json`)\n"
        "  makes them exact.\n\n"
        "| id | title | severity | principles |\n| --- | --- | --- | --- |\n";
    for (const Check& c : checks::registry())
        out += fmt::format("| [{}](#{}) | {} | {} | {} |\n", c.id, ascii::lower(c.id), c.title,
                           checks::severity_name(c.severity), principles_text(c));
    for (const Check& c : checks::registry()) {
        out += fmt::format("\n## {}\n\n**{}**\n\n", c.id, c.title);
        out += fmt::format("- Severity: {}\n- Principles: {}\n- Guidance: {}\n\n",
                           checks::severity_name(c.severity), principles_text(c), c.guidance);
        out += fmt::format("Why: {}\n\nFix: {}\n", c.rationale, c.remediation);
        if (!c.needs.empty()) {
            out += "\nNot assessed when the input holds no";
            for (std::size_t k = 0; k < c.needs.size(); ++k)
                out += fmt::format("{}`{}`", k == 0 ? " " : " or ", c.needs[k]);
            out += " (a Resources-only export or a network template leaves them out).\n";
        }
        if (!c.reads.empty()) {
            out += "\nNot assessed where the input cannot tell:";
            for (std::size_t k = 0; k < c.reads.size(); ++k)
                out += fmt::format("{} `{}` of {}", k == 0 ? " " : "; ", c.reads[k].pointer,
                                   model::kind_name(c.reads[k].kind));
            out += "\n";
        }
    }
    return out;
}

} // namespace ztnet::report
