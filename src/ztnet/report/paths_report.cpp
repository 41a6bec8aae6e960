#include "ztnet/report/paths_report.h"

#include <fmt/format.h>

#include "ztnet/checks/check.h"
#include "ztnet/checks/runner.h"
#include "ztnet/exposure/endpoints.h"
#include "ztnet/report/html/page.h"
#include "ztnet/report/html/sections.h"
#include "ztnet/report/path_report.h"
#include "ztnet/report/reach_report.h"
#include "ztnet/report/sarif.h"
#include "ztnet/report/text_escape.h"
#include "ztnet/support/version.h"

namespace ztnet::report {

using json::Array;
using json::Object;
using json::Value;
using paths::AttackPath;
using paths::PathHop;
using paths::PathsResult;

namespace {

const std::string& name_of(const reach::Reachability& reach, std::uint32_t endpoint) {
    return reach.endpoints().endpoints[endpoint].name;
}

std::string hops_text(int hops) {
    return hops < 0 ? "not reached" : fmt::format("{} hop{}", hops, hops == 1 ? "" : "s");
}

// The rules that let a traced hop through: "nsg-web AllowRdpFromInternet (110) at file:3:5".
std::vector<std::string> allowing_rules(const route::PathResult& trace, const SourceSet& sources) {
    std::vector<std::string> out;
    for (const route::Hop* hop_ptr : paths::allowing_hops(trace)) {
        const route::Hop& hop = *hop_ptr;
        std::string line = hop.resource.empty()
                               ? hop.step + ": " + hop.detail
                               : fmt::format("{} {}{}", hop.resource_name, hop.rule,
                                             hop.priority > 0 ? fmt::format(" ({})", hop.priority) : "");
        if (std::string at = location_text(hop.where, sources); !at.empty())
            line += " at " + at;
        out.push_back(std::move(line));
    }
    return out;
}

std::string hop_summary(const PathHop& hop, const PathsResult& result, const reach::Reachability& reach) {
    std::string via = hop.via ? fmt::format(" through {}", name_of(reach, *hop.via)) : "";
    return fmt::format("{} -> {}{} on {} ({}){}", name_of(reach, hop.from), name_of(reach, hop.to), via,
                       paths::service_names(result.policy, hop.services), hop.services.to_string(),
                       hop.sure ? "" : ", undecidable");
}

std::string policy_line(const model::AttackPolicy& policy) {
    auto list = [](const std::vector<model::AttackService>& services) {
        std::string out;
        for (const model::AttackService& s : services)
            out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", s.name,
                               reach::ServiceSet::of(s.protocols, net::PortSet::all(), s.ports).to_string());
        return out.empty() ? std::string("none") : out;
    };
    return fmt::format("{} (management: {}; exploitable: {})", policy.path.empty() ? "defaults" : policy.path,
                       list(policy.management), list(policy.exploitable));
}

std::string from_line(const PathsResult& result) {
    if (result.footholds.empty())
        return fmt::format("the Internet ({} piece{})", result.start_endpoints.size(),
                           result.start_endpoints.size() == 1 ? "" : "s");
    std::string names;
    for (const std::string& f : result.footholds)
        names += (names.empty() ? "" : ", ") + f;
    return fmt::format("{} ({} endpoint{})", names, result.start_endpoints.size(),
                       result.start_endpoints.size() == 1 ? "" : "s");
}

std::string jewel_status(const PathsResult& result, std::size_t j) {
    const int sure = result.jewel_hops[j];
    const int maybe = result.jewel_possible_hops[j];
    if (sure > 0)
        return "surely reached in " + hops_text(sure);
    if (maybe > 0)
        return "possibly reached in " + hops_text(maybe) + " (through links the input cannot decide)";
    return "not reached";
}

std::string radius_line(const paths::BlastRadius& r) {
    std::string by_hop;
    for (std::size_t h = 0; h < r.by_hop.size(); ++h)
        by_hop += fmt::format("{}hop {}: {}", by_hop.empty() ? "" : ", ", h + 1, r.by_hop[h]);
    std::string out = fmt::format("{} [{}] reaches {} endpoint{}", r.resource, r.tier, r.reached,
                                  r.reached == 1 ? "" : "s");
    if (!by_hop.empty())
        out += " (" + by_hop + ")";
    if (r.possibly > 0)
        out += fmt::format(", {} more possibly", r.possibly);
    return out;
}

} // namespace

Value tier_summaries_json(const std::vector<paths::TierSummary>& tiers) {
    Array out;
    for (const paths::TierSummary& t : tiers) {
        Object o;
        o.set("tier", t.tier);
        o.set("workloads", static_cast<std::int64_t>(t.workloads));
        o.set("widest", static_cast<std::int64_t>(t.widest));
        o.set("mean", t.mean);
        o.set("reachCrownJewels", static_cast<std::int64_t>(t.reach_jewels));
        out.emplace_back(std::move(o));
    }
    return out;
}

std::string path_line(const AttackPath& path, const reach::Reachability& reach) {
    std::string out = name_of(reach, path.start);
    for (const PathHop& hop : path.hops)
        out += " -> " + name_of(reach, hop.to);
    return out;
}

std::string paths_text(const PathsReportInputs& in) {
    const PathsResult& r = in.result;
    std::string out = "ztnet paths: assume breach, measured\n";
    out += fmt::format("policy: {}\n", policy_line(r.policy));
    out += fmt::format("from: {}\n", from_line(r));
    out +=
        fmt::format("graph: {} endpoints in {} classes; {} links ({} sure, {} through a load balancer or App "
                    "Gateway)\n",
                    r.stats.endpoints, r.stats.classes, r.stats.graph.links, r.stats.graph.sure_links,
                    r.stats.graph.relayed_links);
    out += fmt::format("\nCrown jewels ({})\n", r.jewels.size());
    if (r.jewels.empty())
        out += "  none: name some with --to or crown-jewels in the policy (docs/paths.md#crown-jewels)\n";
    for (std::size_t j = 0; j < r.jewels.size(); ++j)
        out += fmt::format("  {} ({}, {} endpoint{}; {}): {}\n", visible_text(r.jewels[j].name),
                           r.jewels[j].kind, r.jewels[j].endpoints.size(),
                           r.jewels[j].endpoints.size() == 1 ? "" : "s", r.jewels[j].why, jewel_status(r, j));
    out +=
        fmt::format("\nAttack paths ({} of {}, sure first, shortest first)\n", r.paths.size(), r.paths_found);
    if (r.paths.empty())
        out += "  none: no crown jewel is reachable from " + from_line(r) + " on the policy's services\n";
    for (std::size_t p = 0; p < r.paths.size(); ++p) {
        const AttackPath& path = r.paths[p];
        out += fmt::format("  {}. {}  [{}, {}{}]\n", p + 1, visible_text(path_line(path, in.reach)),
                           visible_text(r.jewels[path.jewel].name),
                           hops_text(static_cast<int>(path.hops.size())), path.sure ? "" : ", possible");
        for (std::size_t h = 0; h < path.hops.size(); ++h) {
            const PathHop& hop = path.hops[h];
            out += fmt::format("     hop {}: {}\n", h + 1, visible_text(hop_summary(hop, r, in.reach)));
            if (hop.trace)
                for (const std::string& rule : allowing_rules(*hop.trace, in.sources))
                    out += "            allowed by " + visible_text(rule) + "\n";
        }
    }
    if (!r.tiers.empty()) {
        out += "\nBlast radius by tier (endpoints each workload surely reaches, any number of hops)\n";
        for (const paths::TierSummary& t : r.tiers)
            out += fmt::format("  {}: {} workload{}, widest {}, mean {:.1f}; {} reach{} a crown jewel\n",
                               visible_text(t.tier), t.workloads, t.workloads == 1 ? "" : "s", t.widest,
                               t.mean, t.reach_jewels, t.reach_jewels == 1 ? "es" : "");
        out += fmt::format("\nWidest blast radii ({} of {})\n", std::min(in.radii_shown, r.radii.size()),
                           r.radii.size());
        for (std::size_t i = 0; i < r.radii.size() && i < in.radii_shown; ++i) {
            const paths::BlastRadius& radius = r.radii[i];
            out += "  " + visible_text(radius_line(radius)) + "\n";
            std::string jewels;
            for (const auto& [j, hops] : radius.jewels)
                jewels +=
                    fmt::format("{}{} ({})", jewels.empty() ? "" : ", ", r.jewels[j].name, hops_text(hops));
            if (!jewels.empty())
                out += "    crown jewels: " + visible_text(jewels) + "\n";
        }
    }
    if (!r.cut.empty()) {
        out += fmt::format("\nMinimum cut: {} link{} whose removal leaves no path to a crown jewel{}\n",
                           r.cut.size(), r.cut.size() == 1 ? "" : "s",
                           r.cut_verified ? " (checked)" : " (NOT confirmed by the check)");
        for (const paths::CutRule& rule : r.rules) {
            std::string name = rule.nsg.empty() ? rule.step : fmt::format("{} {}", rule.nsg, rule.rule);
            if (std::string at = location_text(rule.where, in.sources); !at.empty())
                name += " at " + at;
            out += fmt::format("  {} ({} link{}): {}\n", visible_text(name), rule.links.size(),
                               rule.links.size() == 1 ? "" : "s", visible_text(rule.advice));
            for (std::size_t l : rule.links) {
                const paths::CutLink& link = r.cut[l];
                out += fmt::format("    {} -> {}{} on {}{}\n", visible_text(name_of(in.reach, link.from)),
                                   visible_text(name_of(in.reach, link.to)),
                                   link.via ? " through " + visible_text(name_of(in.reach, *link.via)) : "",
                                   link.services.to_string(), link.sure ? "" : " (undecidable)");
            }
        }
    }
    return out;
}

namespace {

Value trace_json(const std::optional<route::PathResult>& trace, const SourceSet& sources) {
    if (!trace)
        return Value();
    return path_json(*trace, sources);
}

Object endpoint_json(const reach::Reachability& reach, std::uint32_t e) {
    Object o;
    o.set("name", name_of(reach, e));
    o.set("kind", std::string(reach::endpoint_kind_name(reach.endpoints().endpoints[e].kind)));
    return o;
}

Array path_array(const PathsReportInputs& in) {
    Array out;
    for (const AttackPath& path : in.result.paths) {
        Object p;
        p.set("jewel", in.result.jewels[path.jewel].name);
        p.set("sure", path.sure);
        p.set("start", endpoint_json(in.reach, path.start));
        Array hops;
        for (const PathHop& hop : path.hops) {
            Object h;
            h.set("from", endpoint_json(in.reach, hop.from));
            h.set("to", endpoint_json(in.reach, hop.to));
            h.set("via", hop.via ? Value(endpoint_json(in.reach, *hop.via)) : Value());
            h.set("services", services_json(hop.services));
            h.set("serviceNames", paths::service_names(in.result.policy, hop.services));
            h.set("sure", hop.sure);
            h.set("trace", trace_json(hop.trace, in.sources));
            hops.emplace_back(std::move(h));
        }
        p.set("hops", std::move(hops));
        out.emplace_back(std::move(p));
    }
    return out;
}

Array radii_array(const PathsResult& r) {
    Array out;
    for (const paths::BlastRadius& radius : r.radii) {
        Object o;
        o.set("resource", radius.resource);
        o.set("id", radius.resource_id);
        o.set("tier", radius.tier);
        o.set("reached", static_cast<std::int64_t>(radius.reached));
        o.set("possibly", static_cast<std::int64_t>(radius.possibly));
        Array by_hop;
        for (std::size_t n : radius.by_hop)
            by_hop.emplace_back(static_cast<std::int64_t>(n));
        o.set("byHop", std::move(by_hop));
        o.set("tiers", json::string_array(radius.tiers));
        Array jewels;
        for (const auto& [j, hops] : radius.jewels) {
            Object jo;
            jo.set("jewel", r.jewels[j].name);
            jo.set("hops", hops);
            jewels.emplace_back(std::move(jo));
        }
        o.set("jewels", std::move(jewels));
        out.emplace_back(std::move(o));
    }
    return out;
}

} // namespace

Value paths_json(const PathsReportInputs& in) {
    const PathsResult& r = in.result;
    Object out;
    Object policy;
    policy.set("file", r.policy.path.empty() ? Value() : Value(r.policy.path));
    Array services;
    for (const auto* list : {&r.policy.management, &r.policy.exploitable}) {
        for (const model::AttackService& s : *list) {
            Object o;
            o.set("name", s.name);
            o.set("kind", list == &r.policy.management ? "management" : "exploitable");
            o.set("services",
                  services_json(reach::ServiceSet::of(s.protocols, net::PortSet::all(), s.ports)));
            services.emplace_back(std::move(o));
        }
    }
    policy.set("services", std::move(services));
    policy.set("internetHops", r.policy.internet_hops);
    out.set("policy", std::move(policy));
    out.set("from", r.footholds.empty() ? Value("Internet") : Value(json::string_array(r.footholds)));
    Array jewels;
    for (std::size_t j = 0; j < r.jewels.size(); ++j) {
        Object o;
        o.set("name", r.jewels[j].name);
        o.set("kind", r.jewels[j].kind);
        o.set("why", r.jewels[j].why);
        Array members;
        for (std::uint32_t e : r.jewels[j].endpoints)
            members.emplace_back(name_of(in.reach, e));
        o.set("endpoints", std::move(members));
        o.set("hops", r.jewel_hops[j] < 0 ? Value() : Value(r.jewel_hops[j]));
        o.set("possibleHops", r.jewel_possible_hops[j] < 0 ? Value() : Value(r.jewel_possible_hops[j]));
        jewels.emplace_back(std::move(o));
    }
    out.set("crownJewels", std::move(jewels));
    out.set("pathsFound", static_cast<std::int64_t>(r.paths_found));
    out.set("paths", path_array(in));
    out.set("tiers", tier_summaries_json(r.tiers));
    out.set("blastRadius", radii_array(r));
    Object cut;
    cut.set("verified", r.cut_verified);
    Array links;
    for (const paths::CutLink& link : r.cut) {
        Object o;
        o.set("from", endpoint_json(in.reach, link.from));
        o.set("to", endpoint_json(in.reach, link.to));
        o.set("via", link.via ? Value(endpoint_json(in.reach, *link.via)) : Value());
        o.set("services", services_json(link.services));
        o.set("sure", link.sure);
        o.set("endpointPairs", static_cast<std::int64_t>(link.pairs));
        Array rules;
        for (std::size_t i : link.rules)
            rules.emplace_back(static_cast<std::int64_t>(i));
        o.set("rules", std::move(rules));
        links.emplace_back(std::move(o));
    }
    cut.set("links", std::move(links));
    Array rules;
    for (const paths::CutRule& rule : r.rules) {
        Object o;
        o.set("nsg", rule.nsg.empty() ? Value() : Value(rule.nsg));
        o.set("nsgId", rule.nsg_id.empty() ? Value() : Value(rule.nsg_id));
        o.set("rule", rule.rule.empty() ? Value() : Value(rule.rule));
        o.set("step", rule.step);
        o.set("priority", rule.priority);
        o.set("defaultRule", rule.default_rule);
        o.set("location", location_json(rule.where, in.sources));
        o.set("links", static_cast<std::int64_t>(rule.links.size()));
        o.set("advice", rule.advice);
        rules.emplace_back(std::move(o));
    }
    cut.set("rules", std::move(rules));
    out.set("minimumCut", std::move(cut));
    Object stats;
    stats.set("endpoints", static_cast<std::int64_t>(r.stats.endpoints));
    stats.set("classes", static_cast<std::int64_t>(r.stats.classes));
    stats.set("links", static_cast<std::int64_t>(r.stats.graph.links));
    stats.set("sureLinks", static_cast<std::int64_t>(r.stats.graph.sure_links));
    stats.set("relayedLinks", static_cast<std::int64_t>(r.stats.graph.relayed_links));
    out.set("stats", std::move(stats));
    return out;
}

Value paths_sarif(const PathsReportInputs& in, const PathsSarifInputs& options) {
    const checks::Check* check = checks::find_check("ZT-SEG-009");
    Array rules;
    rules.emplace_back(sarif::rule(*check));
    Array results;
    Array hops_of = path_array(in);
    for (std::size_t i = 0; i < in.result.paths.size(); ++i) {
        const AttackPath& path = in.result.paths[i];
        const std::string& jewel = in.result.jewels[path.jewel].name;
        Object result;
        result.set("ruleId", std::string(check->id));
        result.set("ruleIndex", 0);
        result.set("level", std::string(path.sure ? sarif::level(check->severity) : "note"));
        Object text;
        text.set("text",
                 fmt::format("{} path to crown jewel {} in {}: {}",
                             path.sure ? "An attack" : "A possible attack", jewel,
                             hops_text(static_cast<int>(path.hops.size())), path_line(path, in.reach)));
        result.set("message", std::move(text));
        Object location;
        // Where the first hop is let in (the rule to change first); else where the crown jewel's
        // endpoint is written.
        SourceLocation where;
        if (const PathHop& first = path.hops.front(); first.trace) {
            for (const route::Hop* h : paths::allowing_hops(*first.trace, true)) {
                if (h->where.has_file()) {
                    where = h->where;
                    break;
                }
            }
        }
        const auto& end = in.reach.endpoints().endpoints[path.hops.back().to];
        const model::Resource* reached = exposure::endpoint_resource(in.reach.estate(), end);
        if (!where.has_file() && reached)
            where = reached->where;
        if (where.has_file())
            location.set("physicalLocation",
                         sarif::physical_location(where, in.sources, options.source_root));
        if (reached) {
            Object logical;
            logical.set("fullyQualifiedName", reached->id);
            logical.set("name", reached->name);
            logical.set("kind", std::string("resource"));
            Array logicals;
            logicals.emplace_back(std::move(logical));
            location.set("logicalLocations", std::move(logicals));
        }
        Array locations;
        locations.emplace_back(std::move(location));
        result.set("locations", std::move(locations));
        Object fingerprints;
        fingerprints.set("ztnet/v1", checks::fingerprint(check->id, jewel, path_line(path, in.reach)));
        result.set("partialFingerprints", std::move(fingerprints));
        Object properties;
        properties.set("path", std::move(hops_of[i]));
        result.set("properties", std::move(properties));
        results.emplace_back(std::move(result));
    }
    return sarif::log(std::move(rules), std::move(results), {options.version, options.source_root_uri, {}});
}

std::string paths_html(const PathsReportInputs& in) {
    const PathsResult& r = in.result;
    html::Page page;
    page.title = "ztnet paths: assume breach, measured";
    page.header_lines =
        fmt::format("<p>from {} · policy {}</p><p>ztnet {} · paths</p>", html_text(from_line(r)),
                    html_text(policy_line(r.policy)), html_text(kVersion));
    std::size_t reached = 0;
    int nearest = -1;
    for (std::size_t j = 0; j < r.jewels.size(); ++j) {
        reached += r.jewel_hops[j] > 0;
        if (r.jewel_hops[j] > 0 && (nearest < 0 || r.jewel_hops[j] < nearest))
            nearest = r.jewel_hops[j];
    }
    page.body = html::cards_section(
        {{reached > 0 ? "critical" : "removed", fmt::format("{} of {}", reached, r.jewels.size()),
          "crown jewels surely reached"},
         {"", nearest < 0 ? std::string("—") : std::to_string(nearest), "fewest hops to a crown jewel"},
         {"", r.radii.empty() ? std::string("—") : std::to_string(r.radii.front().reached),
          "widest blast radius (endpoints)"},
         {"", std::to_string(r.cut.size()), "links in the minimum cut"}});
    std::vector<std::vector<std::string>> jewel_rows;
    for (std::size_t j = 0; j < r.jewels.size(); ++j)
        jewel_rows.push_back({r.jewels[j].name, r.jewels[j].kind,
                              std::to_string(r.jewels[j].endpoints.size()), r.jewels[j].why,
                              jewel_status(r, j)});
    page.body +=
        html::text_table("jewels", "Crown jewels", {"name", "kind", "endpoints", "why", "from the start"},
                         jewel_rows, "none: name some with --to or in the policy");
    std::string list;
    for (std::size_t p = 0; p < r.paths.size(); ++p) {
        const AttackPath& path = r.paths[p];
        list += fmt::format("<h3>{}. {} <small>[{}, {}{}]</small></h3>\n", p + 1,
                            html_text(path_line(path, in.reach)), html_text(r.jewels[path.jewel].name),
                            hops_text(static_cast<int>(path.hops.size())), path.sure ? "" : ", possible");
        for (std::size_t h = 0; h < path.hops.size(); ++h) {
            const PathHop& hop = path.hops[h];
            std::string title = fmt::format("hop {}: {}", h + 1, hop_summary(hop, r, in.reach));
            if (hop.trace)
                list += html::folded_trace(title, *hop.trace, in.sources);
            else
                list += "<p>" + html_text(title) + "</p>\n";
        }
    }
    page.body +=
        fmt::format("<section id=\"paths\"><h2>Attack paths ({} of {})</h2>\n{}</section>\n", r.paths.size(),
                    r.paths_found, list.empty() ? "<p>None: no crown jewel is reachable.</p>" : list);
    std::vector<std::vector<std::string>> tier_rows;
    for (const paths::TierSummary& t : r.tiers)
        tier_rows.push_back({t.tier, std::to_string(t.workloads), std::to_string(t.widest),
                             fmt::format("{:.1f}", t.mean), std::to_string(t.reach_jewels)});
    page.body +=
        html::text_table("tiers", "Blast radius by tier",
                         {"tier", "workloads", "widest", "mean", "reach a crown jewel"}, tier_rows, "");
    std::vector<std::vector<std::string>> radius_rows;
    for (const paths::BlastRadius& radius : r.radii) {
        std::string by_hop, jewels, tiers;
        for (std::size_t h = 0; h < radius.by_hop.size(); ++h)
            by_hop += fmt::format("{}{}", h == 0 ? "" : " / ", radius.by_hop[h]);
        for (const auto& [j, hops] : radius.jewels)
            jewels += fmt::format("{}{} ({})", jewels.empty() ? "" : ", ", r.jewels[j].name, hops_text(hops));
        for (const std::string& t : radius.tiers)
            tiers += (tiers.empty() ? "" : ", ") + t;
        radius_rows.push_back({radius.resource, radius.tier, std::to_string(radius.reached), by_hop,
                               std::to_string(radius.possibly), tiers, jewels});
    }
    page.body += html::text_table(
        "radii", "Blast radius of each workload",
        {"workload", "tier", "reached", "by hop", "possibly more", "tiers reached", "crown jewels"},
        radius_rows, "");
    std::vector<std::vector<std::string>> cut_rows;
    for (const paths::CutRule& rule : r.rules) {
        std::string links;
        for (std::size_t l : rule.links)
            links +=
                fmt::format("{}{} -> {} ({})", links.empty() ? "" : "; ", name_of(in.reach, r.cut[l].from),
                            name_of(in.reach, r.cut[l].to), r.cut[l].services.to_string());
        cut_rows.push_back({rule.nsg.empty() ? rule.step : rule.nsg + " " + rule.rule,
                            location_text(rule.where, in.sources), rule.advice, links});
    }
    page.body += html::text_table(
        "cut", fmt::format("Minimum cut: {} link(s){}", r.cut.size(), r.cut_verified ? ", checked" : ""),
        {"rule", "where", "advice", "links"}, cut_rows, "nothing to cut: no path reaches a crown jewel");
    page.data = json::Object();
    return html::render_page(page);
}

} // namespace ztnet::report
