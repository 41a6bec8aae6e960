#include "ztnet/report/reach_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "ztnet/net/port.h"
#include "ztnet/net/protocol.h"
#include "ztnet/report/path_report.h"
#include "ztnet/support/ascii.h"

namespace ztnet::report {

std::string pairs_note(std::size_t similar) {
    if (similar == 0)
        return "";
    return fmt::format(" (and {} similar pair{})", similar, similar == 1 ? "" : "s");
}

namespace {

using reach::ServiceSet;

std::string flow_text(const route::PathResult& path) {
    return path.flow.to_string();
}

// The hops that let the example through: every NSG and firewall that allowed it.
std::vector<const route::Hop*> allowing_hops(const route::PathResult& path) {
    std::vector<const route::Hop*> out;
    for (const route::Hop& h : path.hops) {
        bool counts = (h.kind == route::Hop::Kind::Nsg || h.kind == route::Hop::Kind::Firewall) &&
                      !h.resource.empty() && h.verdict == route::Verdict::Allowed;
        // A load balancer's backends repeat the same NSG hops: name each rule once.
        bool seen = std::any_of(out.begin(), out.end(), [&](const route::Hop* o) {
            return o->resource == h.resource && o->rule == h.rule && o->step == h.step;
        });
        if (counts && !seen)
            out.push_back(&h);
    }
    return out;
}

// The hop that stopped the example (or could not decide it).
const route::Hop* stopping_hop(const route::PathResult& path) {
    for (const route::Hop& h : path.hops) {
        if (h.verdict != route::Verdict::Allowed)
            return &h;
    }
    return nullptr;
}

std::string hop_line(const route::Hop& h, const SourceSet& sources) {
    // A hop that no rule decided (no admin rule matched, no NSG) says why in its detail.
    std::string rule = h.rule.empty() ? h.detail : h.rule;
    if (h.kind == route::Hop::Kind::Nsg && !h.rule.empty())
        rule = fmt::format("{} ({}{})", h.rule, h.priority, h.default_rule ? ", default rule" : "");
    std::string out =
        h.resource_name.empty() ? h.detail : fmt::format("{} {}: {}", h.resource_name, h.step, rule);
    if (std::string at = location_text(h.where, sources); !at.empty())
        out += " at " + at;
    return out;
}

std::string pad(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

} // namespace

json::Value services_json(const ServiceSet& services) {
    json::Object o;
    o.set("text", services.to_string());
    json::Array boxes;
    for (const reach::ServiceBox& box : services.boxes()) {
        json::Object b;
        b.set("protocols", net::protocol_set_to_string(box.protocols));
        b.set("sourcePorts", net::port_set_to_string(box.source_ports));
        b.set("destinationPorts", net::port_set_to_string(box.destination_ports));
        boxes.emplace_back(std::move(b));
    }
    o.set("boxes", std::move(boxes));
    return o;
}

// ---- matrix ----

std::string matrix_text(const reach::ReachMatrix& m, const reach::Reachability& reach) {
    const reach::Reachability::Stats& s = m.stats;
    std::string out =
        fmt::format("Reachability by {}: {} endpoints in {} classes, {} class pairs computed\n\n",
                    reach::grouping_name(m.by), s.endpoints, s.classes, s.class_pairs_computed);
    std::size_t width = 4;
    for (const reach::MatrixCell& c : m.cells)
        width = std::max({width, m.groups[c.from].name.size(), m.groups[c.to].name.size()});
    width += 2;
    bool any_undecidable = false;
    std::size_t allowed_width = 7;
    for (const reach::MatrixCell& c : m.cells) {
        any_undecidable = any_undecidable || !c.undecidable.empty();
        allowed_width = std::max(allowed_width, c.allowed.to_string().size());
    }
    out += pad("FROM", width) + pad("TO", width) +
           (any_undecidable ? pad("ALLOWED", allowed_width + 2) + "UNDECIDABLE\n" : "ALLOWED\n");
    for (const reach::MatrixCell& c : m.cells) {
        const std::string allowed = c.allowed.empty() ? "-" : c.allowed.to_string();
        out += pad(m.groups[c.from].name, width) + pad(m.groups[c.to].name, width);
        out += any_undecidable ? pad(allowed, allowed_width + 2) +
                                     (c.undecidable.empty() ? "-" : c.undecidable.to_string())
                               : allowed;
        out += "\n";
    }
    if (any_undecidable)
        out +=
            "\nALLOWED: what some member of FROM surely sends some member of TO. UNDECIDABLE: what some pair "
            "may send but the input cannot tell (an NSG rule the input leaves open, a firewall application "
            "rule without a host name, an appliance, a gateway, an address Azure picks at deployment); "
            "`ztnet explain` names the cause for one "
            "flow.\n";
    if (m.cells.empty())
        out += "(nothing is allowed between the selected groups)\n";
    (void)reach;
    return out;
}

json::Value matrix_json(const reach::ReachMatrix& m, const reach::Reachability& reach) {
    const auto& endpoints = reach.endpoints().endpoints;
    json::Object root;
    root.set("by", std::string(reach::grouping_name(m.by)));
    json::Array groups;
    for (const reach::MatrixGroup& g : m.groups) {
        json::Object o;
        o.set("name", g.name);
        o.set("kind", g.kind);
        json::Array members;
        for (std::uint32_t e : g.endpoints)
            members.emplace_back(endpoints[e].name);
        o.set("endpoints", std::move(members));
        groups.emplace_back(std::move(o));
    }
    root.set("groups", std::move(groups));
    json::Array cells;
    for (const reach::MatrixCell& c : m.cells) {
        json::Object o;
        o.set("from", m.groups[c.from].name);
        o.set("to", m.groups[c.to].name);
        o.set("allowed", services_json(c.allowed));
        o.set("undecidable", services_json(c.undecidable));
        if (!c.allowed.empty()) {
            json::Object example;
            example.set("from", endpoints[c.example_from].name);
            example.set("to", endpoints[c.example_to].name);
            o.set("example", std::move(example));
        }
        cells.emplace_back(std::move(o));
    }
    root.set("cells", std::move(cells));
    json::Object stats;
    stats.set("endpoints", static_cast<std::int64_t>(m.stats.endpoints));
    stats.set("classes", static_cast<std::int64_t>(m.stats.classes));
    stats.set("classPairs", static_cast<std::int64_t>(m.stats.class_pairs_computed));
    root.set("stats", std::move(stats));
    return root;
}

std::string matrix_csv(const reach::ReachMatrix& m) {
    std::string out = "from,to,allowed,undecidable\n";
    for (const reach::MatrixCell& c : m.cells)
        out += fmt::format("{},{},{},{}\n", csv_field(m.groups[c.from].name), csv_field(m.groups[c.to].name),
                           csv_field(c.allowed.to_string()), csv_field(c.undecidable.to_string()));
    return out;
}

// ---- verify ----

namespace {

std::string_view violation_name(reach::Violation::Kind kind) {
    switch (kind) {
    case reach::Violation::Kind::Missing:
        return "missing";
    case reach::Violation::Kind::Excess:
        return "excess";
    case reach::Violation::Kind::Undecidable:
        return "undecidable";
    }
    return "excess";
}

} // namespace

std::string verify_text(const reach::VerifyResult& r, const reach::Reachability& reach,
                        const std::string& intent_path, const SourceSet& sources) {
    const auto& endpoints = reach.endpoints().endpoints;
    std::string out = fmt::format("Intent {}: {}\n", intent_path, r.holds() ? "HOLDS" : "BROKEN");
    out += fmt::format("{} endpoint pairs checked: {} missing, {} excess, {} undecidable\n", r.endpoint_pairs,
                       r.missing, r.excess, r.undecidable);
    for (const reach::Violation& v : r.violations) {
        const std::string kind = ascii::upper(violation_name(v.kind));
        out += fmt::format("\n{} {} -> {}{}: {}\n", kind, endpoints[v.from].name, endpoints[v.to].name,
                           pairs_note(v.similar_pairs), v.services.to_string());
        for (const std::string& f : v.intent_flows)
            out += fmt::format("  intent flow: {}\n", f);
        for (const route::PathResult& example : v.examples) {
            out += fmt::format("  example: {}\n", flow_text(example));
            if (v.kind == reach::Violation::Kind::Excess) {
                for (const route::Hop* h : allowing_hops(example))
                    out += fmt::format("    allowed by: {}\n", hop_line(*h, sources));
            } else if (const route::Hop* h = stopping_hop(example)) {
                out += fmt::format("    {}: {}\n",
                                   v.kind == reach::Violation::Kind::Missing ? "stopped by" : "undecided at",
                                   hop_line(*h, sources));
                out += fmt::format("    because: {}\n", example.summary);
            }
        }
    }
    return out;
}

json::Value verify_json(const reach::VerifyResult& r, const reach::Reachability& reach,
                        const std::string& intent_path, const SourceSet& sources) {
    const auto& endpoints = reach.endpoints().endpoints;
    json::Object root;
    root.set("intent", intent_path);
    root.set("holds", r.holds());
    json::Object counts;
    counts.set("endpointPairs", static_cast<std::int64_t>(r.endpoint_pairs));
    counts.set("missing", static_cast<std::int64_t>(r.missing));
    counts.set("excess", static_cast<std::int64_t>(r.excess));
    counts.set("undecidable", static_cast<std::int64_t>(r.undecidable));
    root.set("counts", std::move(counts));
    json::Array violations;
    for (const reach::Violation& v : r.violations) {
        json::Object o;
        o.set("kind", std::string(violation_name(v.kind)));
        o.set("from", endpoints[v.from].name);
        o.set("to", endpoints[v.to].name);
        o.set("similarPairs", static_cast<std::int64_t>(v.similar_pairs));
        o.set("services", services_json(v.services));
        json::Array flows;
        for (const std::string& f : v.intent_flows)
            flows.emplace_back(f);
        o.set("intentFlows", std::move(flows));
        json::Array examples;
        for (const route::PathResult& example : v.examples) {
            json::Object e;
            json::Array responsible;
            if (v.kind == reach::Violation::Kind::Excess) {
                for (const route::Hop* h : allowing_hops(example))
                    responsible.emplace_back(hop_json(*h, sources));
            } else if (const route::Hop* h = stopping_hop(example)) {
                responsible.emplace_back(hop_json(*h, sources));
            }
            e.set("flow", flow_text(example));
            e.set("responsible", std::move(responsible));
            e.set("path", path_json(example, sources));
            examples.emplace_back(std::move(e));
        }
        o.set("examples", std::move(examples));
        violations.emplace_back(std::move(o));
    }
    root.set("violations", std::move(violations));
    return root;
}

// ---- diff ----

std::string diff_text(const std::vector<reach::PairChange>& changes, const reach::ReachDiff& diff,
                      const SourceSet& before_sources, const SourceSet& after_sources) {
    const auto& endpoints = diff.endpoints();
    if (changes.empty())
        return "No change in reachability.\n";
    std::string out =
        fmt::format("{} change{} in reachability\n", changes.size(), changes.size() == 1 ? "" : "s");
    for (const reach::PairChange& c : changes) {
        out += fmt::format("\n{} -> {}{}\n", endpoints[c.from].name, endpoints[c.to].name,
                           pairs_note(c.similar_pairs));
        if (!c.newly_allowed.empty())
            out += fmt::format("  newly allowed: {}\n", c.newly_allowed.to_string());
        if (!c.newly_denied.empty())
            out += fmt::format("  newly denied:  {}\n", c.newly_denied.to_string());
        const route::PathResult* example = c.after_trace    ? &*c.after_trace
                                           : c.before_trace ? &*c.before_trace
                                                            : nullptr;
        if (example)
            out += fmt::format("  example: {}\n", flow_text(*example));
        for (std::size_t i = 0; i < c.causes.size(); ++i) {
            std::string at = location_text(c.cause_locations[i], after_sources);
            out += fmt::format("  changed: {}{}\n", c.causes[i], at.empty() ? "" : " at " + at);
        }
        (void)before_sources;
    }
    return out;
}

json::Value diff_json(const std::vector<reach::PairChange>& changes, const reach::ReachDiff& diff,
                      const SourceSet& before_sources, const SourceSet& after_sources) {
    const auto& endpoints = diff.endpoints();
    json::Object root;
    json::Array list;
    for (const reach::PairChange& c : changes) {
        json::Object o;
        o.set("from", endpoints[c.from].name);
        o.set("to", endpoints[c.to].name);
        o.set("similarPairs", static_cast<std::int64_t>(c.similar_pairs));
        o.set("newlyAllowed", services_json(c.newly_allowed));
        o.set("newlyDenied", services_json(c.newly_denied));
        json::Array causes;
        for (std::size_t i = 0; i < c.causes.size(); ++i) {
            json::Object cause;
            cause.set("text", c.causes[i]);
            cause.set("location", location_json(c.cause_locations[i], after_sources));
            causes.emplace_back(std::move(cause));
        }
        o.set("causes", std::move(causes));
        o.set("before", c.before_trace ? path_json(*c.before_trace, before_sources) : json::Value());
        o.set("after", c.after_trace ? path_json(*c.after_trace, after_sources) : json::Value());
        list.emplace_back(std::move(o));
    }
    root.set("changes", std::move(list));
    return root;
}

} // namespace ztnet::report
