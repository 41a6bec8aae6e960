// Drawing a laid-out topology as SVG. Every name goes through html_text (and is shortened where
// space is fixed, the whole of it kept in a <title>), so nothing the input names can add markup.
// Colours and line styles come from the page's stylesheet by class: the drawing has no style
// attributes, which a strict Content-Security-Policy would refuse.
#include <fmt/format.h>

#include "ztnet/report/html/topology.h"
#include "ztnet/report/text_escape.h"

namespace ztnet::report::html {

namespace {

constexpr std::size_t kNameCharacters = 34;
constexpr std::size_t kMetaCharacters = 52;

std::string_view alarm_class(Alarm alarm) {
    static constexpr std::string_view kClasses[] = {"", " alarm-low", " alarm-medium", " alarm-high",
                                                    " alarm-critical"};
    return kClasses[static_cast<int>(alarm)];
}

std::string number(double v) {
    return fmt::format("{:.1f}", v);
}

std::string rect(const Box& b, std::string_view css_class, int radius) {
    return fmt::format(R"(<rect class="{}" x="{}" y="{}" width="{}" height="{}" rx="{}"/>)", css_class,
                       number(b.x), number(b.y), number(b.width), number(b.height), radius);
}

std::string text(double x, double y, std::string_view css_class, std::string_view content) {
    return fmt::format(R"(<text class="{}" x="{}" y="{}">{}</text>)", css_class, number(x), number(y),
                       content);
}

std::string meta_line(const SubnetBox& s) {
    std::string out = s.prefixes;
    out += s.nsg.empty() ? " · no NSG" : " · NSG " + s.nsg;
    if (!s.route_table.empty())
        out += " · RT " + s.route_table;
    return out;
}

std::string subnet_title(const SubnetBox& s) {
    std::string out =
        fmt::format("subnet {} ({})\nNSG: {}\nroute table: {}", s.name, s.prefixes,
                    s.nsg.empty() ? "none" : s.nsg, s.route_table.empty() ? "none" : s.route_table);
    for (const std::string& b : s.badges)
        out += "\n" + b;
    if (!s.from_internet.empty())
        out += "\nfrom the Internet: " + s.from_internet;
    if (s.intent_violated)
        out += "\nthe intent does not allow a flow that reaches it";
    if (s.newly_reached)
        out += "\nthe change newly allows a flow that reaches it";
    if (s.findings > 0)
        out += fmt::format("\n{} finding(s): click to list them", s.findings);
    return out;
}

void draw_subnet(std::string& out, const SubnetBox& s) {
    const Box& b = s.box;
    std::string css = "subnet";
    css += alarm_class(s.alarm);
    if (s.management_exposed)
        css += " exposed-management";
    else if (!s.from_internet.empty())
        css += " exposed";
    if (s.intent_violated)
        css += " intent-violated";
    if (s.newly_reached)
        css += " newly-reached";
    out += fmt::format(R"(<g class="{}" data-find="{}" tabindex="0"><title>{}</title>)", css,
                       html_text(s.name), html_text(subnet_title(s)));
    out += rect(b, "subnet-box", 4);
    out += text(b.x + 8, b.y + 16, "subnet-name", html_text(shortened(s.name, kNameCharacters)));
    out += text(b.x + 8, b.y + 32, "subnet-meta", html_text(shortened(meta_line(s), kMetaCharacters)));
    std::string badges;
    for (const std::string& badge : s.badges)
        badges += (badges.empty() ? "" : "  ") + shortened(badge, 18);
    if (!badges.empty())
        out += fmt::format(R"(<text class="badges" x="{}" y="{}" text-anchor="end">{}</text>)",
                           number(b.x + b.width - 8), number(b.y + 16), html_text(shortened(badges, 40)));
    if (s.findings > 0)
        out += fmt::format(R"(<text class="count" x="{}" y="{}" text-anchor="end">{} ⚑</text>)",
                           number(b.x + b.width - 8), number(b.y + 32), s.findings);
    out += "</g>";
}

void draw_vnet(std::string& out, const VnetBox& v) {
    const Box& b = v.box;
    std::string css = v.hub ? "vnet hub" : "vnet";
    css += alarm_class(v.alarm);
    if (v.collapsed)
        css += " collapsed";
    const std::string title = fmt::format(
        "{}VNet {} ({})\n{} subnet(s), {} reached from the Internet, {} finding(s)", v.hub ? "hub " : "",
        v.name, v.address_space, v.subnets.size(), v.exposed_subnets, v.findings);
    out += fmt::format(R"(<g class="{}" data-find="{}"><title>{}</title>)", css, html_text(v.name),
                       html_text(title));
    out += rect(b, "vnet-box", 8);
    out += text(b.x + 12, b.y + 20, "vnet-name",
                html_text(shortened((v.hub ? "⬢ " : "") + v.name, kNameCharacters)));
    out += text(b.x + 12, b.y + 37, "vnet-space", html_text(shortened(v.address_space, kMetaCharacters)));
    if (v.collapsed) {
        const std::string summary = fmt::format("{} subnets · {} reached from the Internet · {} findings",
                                                v.subnets.size(), v.exposed_subnets, v.findings);
        out += text(b.x + 12, b.y + 62, "vnet-summary", html_text(summary));
    } else {
        for (const SubnetBox& s : v.subnets)
            draw_subnet(out, s);
    }
    out += "</g>";
}

// The point a line reaches a VNet (top centre) or a subnet (its left edge, mid-height).
std::pair<double, double> entry_point(const Topology& t, const EntryLine& e) {
    const VnetBox& v = t.vnets[e.vnet];
    if (v.collapsed)
        return {v.box.x + v.box.width / 2, v.box.y};
    const Box& s = v.subnets[e.subnet].box;
    return {s.x, s.y + s.height / 2};
}

void draw_lines(std::string& out, const Topology& t) {
    for (const PeeringLine& p : t.peerings) {
        const Box& a = t.vnets[p.from].box;
        const Box& b = t.vnets[p.to].box;
        const bool stacked = a.y + a.height < b.y || b.y + b.height < a.y;
        const Box& upper = a.y <= b.y ? a : b;
        const Box& lower = a.y <= b.y ? b : a;
        double x1 = upper.x + upper.width / 2, y1 = upper.y + upper.height;
        double x2 = lower.x + lower.width / 2, y2 = lower.y;
        if (!stacked) { // side by side: edge to edge, at header height
            const Box& left = a.x <= b.x ? a : b;
            const Box& right = a.x <= b.x ? b : a;
            x1 = left.x + left.width, y1 = left.y + 23, x2 = right.x, y2 = right.y + 23;
        }
        out += fmt::format(
            R"(<line class="peering{}{}" x1="{}" y1="{}" x2="{}" y2="{}"><title>{}</title></line>)",
            p.hub_connection ? " hub-connection" : "", p.one_way ? " one-way" : "", number(x1), number(y1),
            number(x2), number(y2),
            html_text(fmt::format("{} {} {}{}", t.vnets[p.from].name,
                                  p.hub_connection ? "hub connection" : "peering", t.vnets[p.to].name,
                                  p.one_way ? " (only one side in the input)" : "")));
    }
    const double ix = t.internet.x + t.internet.width / 2, iy = t.internet.y + t.internet.height;
    for (const EntryLine& e : t.entries) {
        auto [x, y] = entry_point(t, e);
        const VnetBox& v = t.vnets[e.vnet];
        const double bend = v.collapsed ? y - 30 : y;
        const double cx = v.collapsed ? x : x - 30;
        out +=
            fmt::format(R"(<path class="entry{}" d="M {} {} C {} {} {} {} {} {}"><title>{}</title></path>)",
                        e.management ? " management" : "", number(ix), number(iy), number(ix), number(bend),
                        number(cx), number(bend), number(x), number(y),
                        html_text(fmt::format("Internet -> {}: {}",
                                              v.collapsed ? v.name : v.subnets[e.subnet].name, e.services)));
    }
}

} // namespace

std::string topology_svg(const Topology& t) {
    std::string out = fmt::format(
        R"(<svg xmlns="http://www.w3.org/2000/svg" class="topology" viewBox="0 0 {0} {1}" width="{0}" height="{1}" role="img" aria-label="{2}">)",
        number(t.width), number(t.height),
        html_text(fmt::format("the estate: {} VNets, {} subnets, {} reached from the Internet",
                              t.vnets.size(), t.subnet_count, t.entries.size())));
    draw_lines(out, t);
    out += R"(<g class="internet">)" + rect(t.internet, "internet-box", 23);
    out +=
        fmt::format(R"(<text class="internet-name" x="{}" y="{}" text-anchor="middle">Internet</text></g>)",
                    number(t.internet.x + t.internet.width / 2), number(t.internet.y + 28));
    for (const VnetBox& v : t.vnets)
        draw_vnet(out, v);
    out += "</svg>";
    return out;
}

} // namespace ztnet::report::html
