#include "ztnet/report/html/sections.h"

#include <fmt/format.h>

#include "ztnet/report/path_report.h"
#include "ztnet/report/reach_report.h"
#include "ztnet/report/text_escape.h"

namespace ztnet::report::html {

namespace {

constexpr std::size_t kOpenRows = 15;
constexpr std::size_t kShortCell = 24; // bytes: a priority, an access, a port list // a list of the intent's
                                       // violations this short starts open

std::string esc(std::string_view text) {
    return html_text(text);
}

std::string collapsed_inventory(const Topology& t) {
    std::string out = "<h3>Subnets by VNet</h3>";
    for (const VnetBox& v : t.vnets) {
        out +=
            fmt::format("<details class=\"vnet-list\"><summary>{} ({}) · {} subnets · {} findings</summary>"
                        "<table><tr><th>subnet</th><th>prefixes</th><th>NSG</th><th>route table</th>"
                        "<th>runs</th><th>from the Internet</th><th>findings</th></tr>",
                        esc(v.name), esc(v.address_space), v.subnets.size(), v.findings);
        for (const SubnetBox& s : v.subnets) {
            std::string badges;
            for (const std::string& b : s.badges)
                badges += (badges.empty() ? "" : ", ") + b;
            out += fmt::format(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(s.name), esc(s.prefixes), esc(s.nsg.empty() ? "none" : s.nsg),
                esc(s.route_table.empty() ? "none" : s.route_table), esc(badges), esc(s.from_internet),
                s.findings);
        }
        out += "</table></details>";
    }
    return out;
}

} // namespace

std::string topology_section(const Topology& t) {
    std::string out = "<section id=\"topology\"><h2>The estate</h2>";
    if (t.vnets.empty())
        return out + "<p class=\"note\">The input holds no virtual network to draw.</p></section>\n";
    out += "<div class=\"topology-wrap\">" + topology_svg(t) + "</div>";
    bool newly_reached = false;
    for (const VnetBox& v : t.vnets)
        for (const SubnetBox& s : v.subnets)
            newly_reached = newly_reached || s.newly_reached;
    out += "<p class=\"legend\"><span>⬢ hub</span><span>red outline: critical or high findings</span>"
           "<span>red fill and line: SSH, RDP, WinRM or SMB from the Internet</span>"
           "<span>amber: reached from the Internet</span><span>dashed outline: a flow the intent does not "
           "allow</span>";
    if (newly_reached)
        out += "<span>dotted blue outline: a flow the change newly allows ends here</span>";
    out += "<span>dashed peering: one side only in the input</span><span>click a subnet for its "
           "findings</span></p>";
    if (t.collapsed)
        out += fmt::format(
                   "<p class=\"note\">{} subnets: the VNets are drawn collapsed; their subnets are listed "
                   "below.</p>",
                   t.subnet_count) +
               collapsed_inventory(t);
    return out + "</section>\n";
}

namespace {

std::string flow_cause(const reach::Violation& v) {
    if (v.examples.empty())
        return "";
    std::string out;
    for (const route::Hop& h : v.examples.front().hops)
        if ((h.kind == route::Hop::Kind::Nsg || h.kind == route::Hop::Kind::Firewall) && !h.rule.empty())
            out += (out.empty() ? "" : "; ") + h.detail;
    return out;
}

} // namespace

std::string folded_trace(std::string_view title, const route::PathResult& path, const SourceSet& sources) {
    return fmt::format("<details class=\"trace\"><summary>{}</summary><pre class=\"mono\">{}</pre></details>",
                       esc(title), esc(path_text(path, sources)));
}

std::string intent_section(const reach::VerifyResult& verified, const reach::Reachability& reach,
                           const std::string& intent_path, const SourceSet& sources) {
    std::string out =
        fmt::format("<section id=\"intent\"><h2>Intent</h2><p><span class=\"verdict-box {}\">{}</span> {} "
                    "against {} endpoint "
                    "pairs: {} missing, {} excess, {} undecidable.</p>",
                    verified.holds() ? "holds" : "fails",
                    verified.holds() ? "The intent holds" : "The intent does not hold", esc(intent_path),
                    verified.endpoint_pairs, verified.missing, verified.excess, verified.undecidable);
    const auto& endpoints = reach.endpoints().endpoints;
    static constexpr std::pair<reach::Violation::Kind, std::string_view> kKinds[] = {
        {reach::Violation::Kind::Excess, "Excess: allowed, and not in the intent"},
        {reach::Violation::Kind::Missing, "Missing: in the intent, and not allowed"},
        {reach::Violation::Kind::Undecidable, "Undecidable offline"}};
    for (const auto& [kind, title] : kKinds) {
        std::vector<const reach::Violation*> rows;
        for (const reach::Violation& v : verified.violations)
            if (v.kind == kind)
                rows.push_back(&v);
        if (rows.empty())
            continue;
        out += fmt::format(
            "<details class=\"intent-{}\"{}><summary>{} ({})</summary><table class=\"intent\"><tr>"
            "<th>from</th><th>to</th><th>services</th><th>decided by</th></tr>",
            kind == reach::Violation::Kind::Excess    ? "excess"
            : kind == reach::Violation::Kind::Missing ? "missing"
                                                      : "undecidable",
            rows.size() <= kOpenRows ? " open" : "", title, rows.size());
        for (std::size_t k = 0; k < rows.size() && k < kListRows; ++k) {
            const reach::Violation& v = *rows[k];
            const std::string to = endpoints[v.to].name + pairs_note(v.similar_pairs);
            const std::string example = v.examples.empty()
                                            ? std::string()
                                            : folded_trace("example flow", v.examples.front(), sources);
            out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                               esc(endpoints[v.from].name), esc(to), esc(v.services.to_string()),
                               esc(flow_cause(v)), example);
        }
        out += "</table>";
        if (rows.size() > kListRows)
            out += fmt::format("<p class=\"note\">and {} more: ztnet verify lists every one.</p>",
                               rows.size() - kListRows);
        out += "</details>";
    }
    return out + "</section>\n";
}

std::string text_table(std::string_view id, std::string_view title, const std::vector<std::string>& headers,
                       const std::vector<std::vector<std::string>>& rows, std::string_view empty) {
    if (rows.empty() && empty.empty())
        return "";
    std::string out = fmt::format("<section id=\"{}\"><h2>{} ({})</h2>", esc(id), esc(title), rows.size());
    if (rows.empty())
        return out + fmt::format("<p class=\"note\">{}</p></section>\n", esc(empty));
    out += "<table class=\"intent\"><tr>";
    for (const std::string& h : headers)
        out += "<th>" + esc(h) + "</th>";
    out += "</tr>";
    for (std::size_t k = 0; k < rows.size() && k < kListRows; ++k) {
        out += "<tr>";
        for (const std::string& cell : rows[k]) // a short cell keeps its words whole
            out += (cell.size() <= kShortCell ? "<td class=\"short\">" : "<td>") + esc(cell) + "</td>";
        out += "</tr>";
    }
    out += "</table>";
    if (rows.size() > kListRows)
        out += fmt::format("<p class=\"note\">and {} more: the text and JSON reports list every one.</p>",
                           rows.size() - kListRows);
    return out + "</section>\n";
}

std::string cards_section(const std::vector<Card>& cards) {
    std::string out = "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">";
    for (const Card& c : cards)
        out += fmt::format(R"(<div class="card {}"><div class="n">{}</div>{}</div>)", esc(c.css),
                           esc(c.value), esc(c.label));
    return out + "</div></section>\n";
}

} // namespace ztnet::report::html
