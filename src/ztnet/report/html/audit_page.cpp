// The audit as one HTML page: what the server side writes (summary, scores, drawing, intent,
// coverage: small, and readable with the script off) and the data the script renders lazily (the
// findings, their evidence and witness flows, the heat map: what may be large).
#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "ztnet/report/html/page.h"
#include "ztnet/report/html/sections.h"
#include "ztnet/report/html/topology.h"
#include "ztnet/report/html_report.h"
#include "ztnet/report/text_escape.h"

namespace ztnet::report {

namespace {

using checks::Finding;
using checks::Severity;

using html::kListRows;

std::string esc(std::string_view text) {
    return html_text(text);
}

// ---- the data the script reads ----

struct FileIndex {
    const SourceSet& sources;
    // Appends [file, line, column] to `into`: -1, 0, 0 when unknown.
    void location(json::Array& into, const SourceLocation& where) const {
        if (!where.has_file() || where.file >= sources.size()) {
            into.emplace_back(std::int64_t{-1});
            into.emplace_back(std::int64_t{0});
            into.emplace_back(std::int64_t{0});
            return;
        }
        LineColumn lc{0, 0};
        if (where.has_offset() && sources.has_text(where.file))
            lc = sources.line_column(where.file, where.offset);
        into.emplace_back(static_cast<std::int64_t>(where.file));
        into.emplace_back(static_cast<std::int64_t>(lc.line));
        into.emplace_back(static_cast<std::int64_t>(lc.column));
    }
};

json::Value checks_json(const std::vector<std::string>& ids) {
    json::Object out;
    for (const std::string& id : ids) {
        const checks::Check* c = checks::find_check(id);
        if (!c)
            continue;
        json::Object o;
        o.set("t", c->title);
        o.set("s", static_cast<std::int64_t>(c->severity));
        json::Array principles;
        for (checks::Principle p : c->principles)
            principles.emplace_back(static_cast<std::int64_t>(p));
        o.set("p", std::move(principles));
        o.set("fix", c->remediation);
        o.set("why", c->rationale);
        o.set("step", c->guidance);
        out.set(id, std::move(o));
    }
    return out;
}

// Every string of the findings and traces once: names, ids and hop texts repeat across thousands
// of findings, and the page's size is what a large estate's report is judged by. Each is kept as
// visible_text: the script shows it as text, with the controls the input may hold made visible.
class StringTable {
  public:
    std::int64_t operator()(const std::string& text) {
        auto [it, fresh] = index_.try_emplace(text, static_cast<std::int64_t>(strings_.size()));
        if (fresh)
            strings_.emplace_back(visible_text(text));
        return it->second;
    }
    json::Array take() { return std::move(strings_); }

  private:
    std::unordered_map<std::string, std::int64_t> index_;
    json::Array strings_;
};

json::Value trace_json(const route::PathResult& path, const FileIndex& files, StringTable& strings) {
    json::Object o;
    o.set("flow", path.flow.to_string());
    o.set("verdict", std::string(route::verdict_name(path.verdict)));
    o.set("summary", visible_text(path.summary));
    json::Array hops;
    for (const route::Hop& h : path.hops) {
        json::Array hop;
        hop.emplace_back(strings(h.step));
        hop.emplace_back(strings(std::string(route::verdict_name(h.verdict))));
        hop.emplace_back(strings(h.detail));
        files.location(hop, h.where);
        hops.emplace_back(std::move(hop));
    }
    o.set("hops", std::move(hops));
    return o;
}

// The flow a finding's evidence shows, and whether the evidence already walks its path hop by hop
// (the segmentation checks write one evidence line per hop): then no witness trace is added.
std::pair<const net::Flow*, bool> witness_of(const Finding& f) {
    const net::Flow* flow = nullptr;
    std::size_t with_flow = 0;
    for (const checks::Evidence& e : f.evidence)
        if (e.flow) {
            flow = flow ? flow : &*e.flow;
            ++with_flow;
        }
    return {flow, with_flow >= 3};
}

void add_findings(json::Object& data, const checks::CheckRun& run, const AuditHtmlInputs& html,
                  const FileIndex& files) {
    StringTable strings;
    json::Array findings, traces;
    for (std::size_t i = 0; i < run.findings.size(); ++i) {
        const Finding& f = run.findings[i];
        json::Array row;
        row.emplace_back(f.check_id);
        row.emplace_back(strings(f.resource_name));
        row.emplace_back(strings(f.message));
        files.location(row, f.where);
        json::Array evidence;
        for (const checks::Evidence& e : f.evidence) {
            json::Array item;
            item.emplace_back(strings(e.text));
            files.location(item, e.where);
            evidence.emplace_back(std::move(item));
        }
        row.emplace_back(std::move(evidence));
        if (f.suppressed_by)
            row.emplace_back(visible_text(*f.suppressed_by));
        else
            row.emplace_back(nullptr);
        row.emplace_back(f.fingerprint);
        row.emplace_back(strings(f.resource_id));
        const auto [flow, walked] = witness_of(f);
        std::int64_t trace = -1;
        if (!walked && html.traces && i < html.traces->size() && (*html.traces)[i]) {
            trace = static_cast<std::int64_t>(traces.size());
            traces.emplace_back(trace_json(*(*html.traces)[i], files, strings));
        }
        row.emplace_back(trace);
        const std::int64_t witness = flow ? strings(flow->to_string()) : -1;
        row.emplace_back(witness);
        findings.emplace_back(std::move(row));
    }
    data.set("strings", strings.take());
    data.set("findings", std::move(findings));
    data.set("traces", std::move(traces));
}

// How wide what a cell allows is: 1 a port or two, 2 a few, 3 many, 4 most or all; u only
// undecidable.
std::string heat(const reach::MatrixCell& cell) {
    if (cell.allowed.empty())
        return "u";
    if (cell.allowed.full())
        return "4";
    net::PortSet ports;
    bool other_protocols = false;
    for (const reach::ServiceBox& b : cell.allowed.boxes()) {
        if (b.protocols.contains(6) || b.protocols.contains(17))
            ports = ports.unite(b.destination_ports);
        other_protocols =
            other_protocols ||
            !b.protocols.subtract(net::ProtocolSet::single(6)).subtract(net::ProtocolSet::single(17)).empty();
    }
    const std::uint64_t n = ports.size() + (other_protocols ? 1 : 0);
    return n <= 2 ? "1" : n <= 32 ? "2" : n <= 1024 ? "3" : "4";
}

// The heat map's data, and how many groups were left out to keep it within `max_groups`.
std::size_t add_matrix(json::Object& data, const reach::ReachMatrix& matrix, std::size_t max_groups) {
    std::vector<std::size_t> as_row(matrix.groups.size()), as_column(matrix.groups.size());
    for (const reach::MatrixCell& c : matrix.cells) {
        ++as_row[c.from];
        ++as_column[c.to];
    }
    auto busiest = [&](const std::vector<std::size_t>& counts) {
        std::vector<std::int64_t> chosen;
        for (std::size_t g = 0; g < counts.size(); ++g)
            if (counts[g] > 0)
                chosen.push_back(static_cast<std::int64_t>(g));
        std::stable_sort(chosen.begin(), chosen.end(),
                         [&](std::int64_t a, std::int64_t b) { return counts[a] > counts[b]; });
        if (chosen.size() > max_groups)
            chosen.resize(max_groups);
        std::sort(chosen.begin(), chosen.end());
        return chosen;
    };
    const std::vector<std::int64_t> rows = busiest(as_row), columns = busiest(as_column);
    json::Array groups, cells, row_list, column_list;
    for (const reach::MatrixGroup& g : matrix.groups) {
        json::Array group;
        group.emplace_back(visible_text(g.name));
        group.emplace_back(g.kind);
        groups.emplace_back(std::move(group));
    }
    for (const reach::MatrixCell& c : matrix.cells) {
        json::Array cell;
        cell.emplace_back(static_cast<std::int64_t>(c.from));
        cell.emplace_back(static_cast<std::int64_t>(c.to));
        cell.emplace_back(heat(c));
        cell.emplace_back(c.allowed.to_string()); // services: ztnet's own text
        cell.emplace_back(c.undecidable.to_string());
        cells.emplace_back(std::move(cell));
    }
    for (std::int64_t r : rows)
        row_list.emplace_back(r);
    for (std::int64_t c : columns)
        column_list.emplace_back(c);
    json::Object m;
    m.set("groups", std::move(groups));
    m.set("cells", std::move(cells));
    m.set("rows", std::move(row_list));
    m.set("columns", std::move(column_list));
    data.set("matrix", std::move(m));
    const auto with_cells = static_cast<std::size_t>(
        std::count_if(as_row.begin(), as_row.end(), [](std::size_t n) { return n > 0; }));
    return with_cells - rows.size();
}

// ---- what the server writes ----

std::string header_lines(const AuditInputs& in) {
    std::string files;
    std::size_t shown = 0, inputs = 0;
    for (std::size_t f = 0; f < in.sources.size(); ++f) {
        const std::string& name = in.sources.name(static_cast<FileId>(f));
        if (name.starts_with("<"))
            continue; // the bundled service tags
        ++inputs;
        if (shown++ < 4)
            files += (files.empty() ? "" : ", ") + name;
    }
    if (inputs > shown)
        files += fmt::format(" and {} more", inputs - 4);
    std::string out = fmt::format("<p>{} input file(s): {}</p>", inputs, esc(files));
    out += fmt::format("<p>{} VNets, {} subnets, {} network interfaces, {} NSGs{}</p>",
                       in.estate.virtual_networks.size(), in.estate.subnets.size(),
                       in.estate.network_interfaces.size(), in.estate.network_security_groups.size(),
                       in.intent_path.empty() ? "" : " · intent " + esc(in.intent_path));
    out += fmt::format("<p>ztnet {} · {}</p>", esc(in.version), esc(in.command));
    return out;
}

// The blast radius per tier (docs/paths.md).
std::string blast_radius_section(const checks::AuditResult& r) {
    if (!r.breach || r.breach->tiers.empty())
        return "";
    std::vector<std::vector<std::string>> rows;
    for (const paths::TierSummary& t : r.breach->tiers)
        rows.push_back({t.tier, std::to_string(t.workloads), std::to_string(t.widest),
                        fmt::format("{:.1f}", t.mean), std::to_string(t.reach_jewels)});
    return html::text_table("blast-radius",
                            "Blast radius by tier (endpoints a taken workload surely reaches)",
                            {"tier", "workloads", "widest", "mean", "reach a crown jewel"}, rows, "");
}

std::string scores_svg(const std::vector<checks::PrincipleScore>& scores) {
    constexpr double kLabel = 230, kBar = 320, kRow = 26;
    std::string out =
        fmt::format(R"(<svg class="scores-chart" viewBox="0 0 {0} {1}" width="{0}" height="{1}">)",
                    kLabel + kBar + 300, kRow * static_cast<double>(scores.size()) + 4);
    double y = 2;
    for (const checks::PrincipleScore& s : scores) {
        const std::string_view quality = s.score >= 80 ? "" : s.score >= 50 ? " fair" : " weak";
        out += fmt::format(R"(<text class="score-text" x="0" y="{}">{}</text>)", y + 16,
                           esc(checks::principle_title(s.principle)));
        out += fmt::format(R"(<rect class="score-bar" x="{}" y="{}" width="{}" height="18" rx="3"/>)", kLabel,
                           y + 2, kBar);
        out += fmt::format(R"(<rect class="score-fill{}" x="{}" y="{}" width="{:.1f}" height="18" rx="3"/>)",
                           quality, kLabel, y + 2, kBar * s.score / 100.0);
        out +=
            fmt::format(R"(<text class="score-text" x="{}" y="{}">{} / 100 ({} of {} checks failing)</text>)",
                        kLabel + kBar + 8, y + 16, s.score, s.failing, s.checks);
        y += kRow;
    }
    return out + "</svg>";
}

std::string summary_section(const checks::AuditResult& r) {
    std::size_t by_severity[4] = {0, 0, 0, 0};
    std::size_t suppressed = 0;
    for (const Finding& f : r.run.findings) {
        if (f.suppressed_by) {
            ++suppressed;
            continue;
        }
        if (const checks::Check* c = checks::find_check(f.check_id))
            ++by_severity[static_cast<int>(c->severity)];
    }
    std::string out = "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">";
    for (int s = 3; s >= 0; --s)
        out += fmt::format(R"(<div class="card {0}" id="count-{0}"><div class="n">{1}</div>{0}</div>)",
                           checks::severity_name(static_cast<Severity>(s)), by_severity[s]);
    out += fmt::format(R"(<div class="card"><div class="n">{}</div>checks run</div>)", r.run.checks.size());
    out += fmt::format(R"(<div class="card"><div class="n">{}</div>suppressed</div>)", suppressed);
    out += fmt::format(R"(<div class="card"><div class="n">{}</div>not assessed</div>)",
                       r.run.not_assessed.size());
    out += fmt::format(R"(<div class="card"><div class="n">{}</div>undecidable offline</div>)",
                       r.undecided.size());
    out += "</div><h3>Zero Trust principles</h3><div class=\"scores\">" + scores_svg(r.scores) +
           "</div></section>\n";
    return out;
}

std::string findings_section(std::size_t count) {
    std::string out = fmt::format("<section id=\"findings\"><h2>Findings ({})</h2>", count);
    out += "<div class=\"filters\">";
    for (std::string_view s : {"critical", "high", "medium", "low"})
        out += fmt::format(R"(<label><input type="checkbox" id="f-sev-{0}" checked> {0}</label>)", s);
    out += R"(<label>principle <select id="f-principle"><option value="">all</option></select></label>)"
           R"(<label>check <select id="f-check"><option value="">all</option></select></label>)"
           R"(<label>search <input type="search" id="f-text" placeholder="resource, text, check"></label>)"
           R"(<label><input type="checkbox" id="f-suppressed" checked> suppressed</label>)"
           R"(<label>group by <select id="f-group"><option value="severity">severity</option>)"
           R"(<option value="principle">principle</option><option value="check">check</option>)"
           R"(<option value="resource">resource</option></select></label></div>)";
    out +=
        R"(<p class="count-line" id="findings-count">The findings need the page's script.</p>)"
        R"(<div id="findings-list"></div><button type="button" id="findings-more" hidden>Show more</button>)";
    return out + "</section>\n";
}

std::string matrix_section(const checks::AuditResult& r, std::size_t left_out) {
    if (!r.matrix)
        return "";
    std::string out =
        fmt::format("<section id=\"reachability\"><h2>Reachability</h2><details "
                    "id=\"matrix-section\"><summary>Heat map of "
                    "what each group reaches: {} groups, {} cells with traffic (open to draw)</summary>",
                    r.matrix->groups.size(), r.matrix->cells.size());
    out +=
        "<p class=\"legend\"><span class=\"h1\">&nbsp;1-2 ports&nbsp;</span> <span class=\"h2\">&nbsp;up to "
        "32&nbsp;</span> <span class=\"h3\">&nbsp;up to 1024&nbsp;</span> <span class=\"h4\">&nbsp;more, or "
        "any&nbsp;</span> <span class=\"hu\">&nbsp;undecidable only&nbsp;</span> · hover or click a cell for "
        "its "
        "services</p>";
    if (left_out > 0)
        out += fmt::format("<p class=\"note\">The {} busiest groups each way are drawn; {} more are left out "
                           "(ztnet reach lists every group).</p>",
                           r.matrix->groups.size() - left_out, left_out);
    out +=
        R"(<div class="matrix-wrap" id="matrix-wrap"></div><p class="matrix-detail" id="matrix-detail"></p>)";
    return out + "</details></section>\n";
}

std::string coverage_section(const checks::AuditResult& r) {
    if (r.undecided.empty() && r.run.not_assessed.empty())
        return "";
    std::string out = "<section id=\"coverage\"><h2>What the input cannot tell</h2>";
    auto list = [&](std::string_view title, std::size_t n, auto&& rows) {
        if (n == 0)
            return;
        out += fmt::format("<details><summary>{} ({})</summary><ul>", title, n);
        rows();
        if (n > kListRows)
            out +=
                fmt::format("<li class=\"note\">and {} more (the text and JSON reports list every one)</li>",
                            n - kListRows);
        out += "</ul></details>";
    };
    list("Undecidable offline", r.undecided.size(), [&] {
        for (std::size_t k = 0; k < r.undecided.size() && k < kListRows; ++k)
            out += fmt::format("<li><b>{}</b>: {}</li>", esc(r.undecided[k].resource_name),
                               esc(r.undecided[k].reason));
    });
    list("Not assessed", r.run.not_assessed.size(), [&] {
        for (std::size_t k = 0; k < r.run.not_assessed.size() && k < kListRows; ++k) {
            const checks::NotAssessed& n = r.run.not_assessed[k];
            out += fmt::format(
                "<li><code>{}</code> <b>{}</b>: {}</li>", esc(n.check_id), esc(n.resource_name),
                esc(n.why.empty() ? "reads " + n.setting + ", which the input does not give" : n.why));
        }
    });
    return out + "</section>\n";
}

} // namespace

std::string audit_html(const checks::AuditResult& r, const AuditInputs& in, const AuditHtmlInputs& html) {
    html::Page page;
    page.title = fmt::format("ztnet {}: Zero Trust audit", in.command);
    page.header_lines = header_lines(in);
    const html::Topology topology =
        html::layout_topology(in.estate, r, html.reach, in.verified, {html.max_expanded_subnets});
    json::Object data;
    json::Array principles;
    for (int p = 0; p < checks::kPrincipleCount; ++p)
        principles.emplace_back(std::string(checks::principle_title(static_cast<checks::Principle>(p))));
    data.set("principles", std::move(principles));
    data.set("checks", checks_json(r.run.checks));
    json::Array files;
    for (std::size_t f = 0; f < in.sources.size(); ++f)
        files.emplace_back(visible_text(in.sources.name(static_cast<FileId>(f))));
    data.set("files", std::move(files));
    add_findings(data, r.run, html, FileIndex{in.sources});
    const std::size_t left_out = r.matrix ? add_matrix(data, *r.matrix, html.max_matrix_groups) : 0;
    page.body = summary_section(r) + html::topology_section(topology);
    if (in.verified && html.reach)
        page.body += html::intent_section(*in.verified, *html.reach, in.intent_path, in.sources);
    page.body += findings_section(r.run.findings.size()) + matrix_section(r, left_out) +
                 blast_radius_section(r) + coverage_section(r);
    page.data = std::move(data);
    return html::render_page(page);
}

} // namespace ztnet::report
