// The semantic diff and the intent's verification as HTML pages: what a change advisory board or
// a reviewer looks at, on the same page skeleton, drawing and escaping as the audit's.
#include <fmt/format.h>

#include "ztnet/report/html/page.h"
#include "ztnet/report/html/sections.h"
#include "ztnet/report/html_report.h"
#include "ztnet/report/path_report.h"
#include "ztnet/report/reach_report.h"
#include "ztnet/report/text_escape.h"

namespace ztnet::report {

namespace {

using html::kListRows;
using reach::PairChange;

std::string esc(std::string_view text) {
    return html_text(text);
}

std::string card(std::string_view css, std::size_t n, std::string_view what) {
    return fmt::format(R"(<div class="card {}"><div class="n">{}</div>{}</div>)", css, n, esc(what));
}

std::string causes_html(const PairChange& c, const SourceSet& after_sources) {
    std::string out;
    for (std::size_t i = 0; i < c.causes.size(); ++i) {
        std::string at = location_text(c.cause_locations[i], after_sources);
        out += fmt::format("<div>{}{}</div>", esc(c.causes[i]),
                           at.empty() ? "" : " <code>" + esc(at) + "</code>");
    }
    return out.empty() ? "a change outside the NSGs (routes, peerings, addresses)" : out;
}

std::string flow_table(std::string_view id, std::string_view title,
                       const std::vector<const PairChange*>& rows, bool allowed, const DiffReportInputs& in) {
    if (rows.empty())
        return "";
    std::string out =
        fmt::format("<section id=\"{}\"><h2>{} ({})</h2><table class=\"intent\"><tr><th>from</th>"
                    "<th>to</th><th>services</th><th>caused by</th></tr>",
                    id, esc(title), rows.size());
    const auto& endpoints = in.diff.endpoints();
    for (std::size_t k = 0; k < rows.size() && k < kListRows; ++k) {
        const PairChange& c = *rows[k];
        const std::string to = endpoints[c.to].name + pairs_note(c.similar_pairs);
        std::string traces;
        if (c.before_trace)
            traces += html::folded_trace("before, hop by hop", *c.before_trace, in.before_sources);
        if (c.after_trace)
            traces += html::folded_trace("after, hop by hop", *c.after_trace, in.after_sources);
        out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                           esc(endpoints[c.from].name), esc(to),
                           esc((allowed ? c.newly_allowed : c.newly_denied).to_string()),
                           causes_html(c, in.after_sources), traces);
    }
    out += "</table>";
    if (rows.size() > kListRows)
        out += fmt::format("<p class=\"note\">and {} more: ztnet diff --format text lists every one.</p>",
                           rows.size() - kListRows);
    return out + "</section>\n";
}

std::string findings_table(std::string_view id, std::string_view title,
                           const std::vector<checks::Finding>& findings, const SourceSet& sources) {
    if (findings.empty())
        return "";
    std::string out =
        fmt::format("<section id=\"{}\"><h2>{} ({})</h2><table class=\"intent\"><tr><th>severity</th>"
                    "<th>check</th><th>resource</th><th>finding</th></tr>",
                    id, esc(title), findings.size());
    for (std::size_t k = 0; k < findings.size() && k < kListRows; ++k) {
        const checks::Finding& f = findings[k];
        const checks::Check* check = checks::find_check(f.check_id);
        const std::string severity = check ? std::string(checks::severity_name(check->severity)) : "";
        std::string at = location_text(f.where, sources);
        out += fmt::format(
            "<tr class=\"sev-{0}\"><td><span class=\"sev\">{0}</span></td><td><code>{1}</code></td>"
            "<td>{2}</td><td>{3}{4}</td></tr>",
            esc(severity), esc(f.check_id), esc(f.resource_name), esc(f.message),
            at.empty() ? "" : " <code>" + esc(at) + "</code>");
    }
    out += "</table>";
    if (findings.size() > kListRows)
        out += fmt::format("<p class=\"note\">and {} more.</p>", findings.size() - kListRows);
    return out + "</section>\n";
}

} // namespace

std::string diff_html(const DiffReportInputs& in, const checks::AuditResult& after_audit,
                      const reach::Reachability* after_reach) {
    std::vector<const PairChange*> allowed, denied;
    std::vector<model::SubnetIndex> reached;
    for (const PairChange& c : in.changes) {
        if (!c.newly_allowed.empty()) {
            allowed.push_back(&c);
            const std::uint32_t to = in.diff.endpoints()[c.to].after;
            if (after_reach && to != reach::EndpointPairing::kNoEndpoint)
                reached.push_back(after_reach->endpoints().endpoints[to].endpoint.subnet);
        }
        if (!c.newly_denied.empty())
            denied.push_back(&c);
    }
    html::Topology topology = html::layout_topology(in.after_estate, after_audit, after_reach, nullptr);
    html::mark_newly_reached(topology, reached);
    html::Page page;
    page.title = "ztnet diff: what the change does";
    page.header_lines = fmt::format("<p>{} → {}</p><p>ztnet {} · diff</p>", esc(in.before_label),
                                    esc(in.after_label), esc(in.version));
    std::string body = "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">";
    body += card("added", allowed.size(), "flow sets newly allowed");
    body += card("removed", denied.size(), "flow sets newly denied");
    if (in.findings) {
        body += card("added", in.findings->added.size(), "findings added");
        body += card("removed", in.findings->removed.size(), "findings removed");
    }
    body += "</div></section>\n";
    body += html::topology_section(topology);
    body += flow_table("newly-allowed", "Newly allowed", allowed, true, in);
    body += flow_table("newly-denied", "Newly denied", denied, false, in);
    if (in.findings) {
        body += findings_table("findings-added", "Findings added", in.findings->added, in.after_sources);
        body +=
            findings_table("findings-removed", "Findings removed", in.findings->removed, in.before_sources);
    }
    page.body = std::move(body);
    page.data = json::Object();
    return html::render_page(page);
}

std::string verify_html(const reach::VerifyResult& verified, const reach::Reachability& reach,
                        const std::string& intent_path, const SourceSet& sources) {
    checks::AuditResult nothing; // the drawing without findings: the verdict is the page's subject
    html::Page page;
    page.title = "ztnet verify: the intent against the estate";
    page.header_lines =
        fmt::format("<p>intent {}</p><p>ztnet {} · verify</p>", esc(intent_path), esc(kVersion));
    page.body = html::topology_section(html::layout_topology(reach.estate(), nothing, &reach, &verified)) +
                html::intent_section(verified, reach, intent_path, sources);
    page.data = json::Object();
    return html::render_page(page);
}

} // namespace ztnet::report
