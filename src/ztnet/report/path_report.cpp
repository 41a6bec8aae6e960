#include "ztnet/report/path_report.h"

#include <cctype>

#include <fmt/format.h>

#include "ztnet/net/protocol.h"
#include "ztnet/support/ascii.h"

namespace ztnet::report {

json::Value location_json(const SourceLocation& where, const SourceSet& sources) {
    if (!where.has_file() || where.file >= sources.size())
        return json::Value();
    json::Object o;
    o.set("file", sources.name(where.file));
    if (where.has_offset()) {
        LineColumn lc = sources.line_column(where.file, where.offset);
        o.set("line", static_cast<std::int64_t>(lc.line));
        o.set("column", static_cast<std::int64_t>(lc.column));
    }
    o.set("pointer", where.pointer);
    if (!where.address.empty())
        o.set("address", where.address);
    return o;
}

std::string location_text(const SourceLocation& where, const SourceSet& sources) {
    if (!where.has_file() || where.file >= sources.size())
        return "";
    std::string out = sources.name(where.file);
    if (where.has_offset()) {
        LineColumn lc = sources.line_column(where.file, where.offset);
        out += fmt::format(":{}:{}", lc.line, lc.column);
    }
    if (!where.address.empty())
        out += fmt::format(" ({})", where.address);
    return out;
}

namespace {

json::Value endpoint_json(const route::Endpoint& e) {
    static const char* const kKinds[] = {"nic", "applicationGateway", "loadBalancer", "subnetAddress",
                                         "external"};
    json::Object o;
    o.set("kind", kKinds[static_cast<int>(e.kind)]);
    o.set("label", e.label);
    o.set("address", e.address.to_string());
    if (!e.representative.empty())
        o.set("representative", e.representative);
    return o;
}

} // namespace

std::string path_text(const route::PathResult& r, const SourceSet& sources) {
    std::string out = fmt::format("{}\nfrom: {}\nto:   {}\n", r.flow.to_string(), r.from.label, r.to.label);
    for (const auto* e : {&r.from, &r.to}) {
        if (!e->representative.empty())
            out += fmt::format("      ({} stands for {})\n", e->address.to_string(), e->representative);
    }
    out += "\n";
    int n = 0;
    for (const route::Hop& h : r.hops) {
        out += fmt::format("  {}. {:<34} {:<12} {}\n", ++n, h.step, route::verdict_name(h.verdict), h.detail);
        if (std::string at = location_text(h.where, sources); !at.empty())
            out += fmt::format("     {:<34} {:<12} at {}\n", "", "", at);
    }
    const std::string verdict = ascii::upper(route::verdict_name(r.verdict));
    out += fmt::format("\nverdict: {}: {}\n", verdict, r.summary);
    return out;
}

json::Value hop_json(const route::Hop& h, const SourceSet& sources) {
    static const char* const kKinds[] = {"nsg", "route", "firewall", "entry", "delivery"};
    json::Object o;
    o.set("kind", kKinds[static_cast<int>(h.kind)]);
    o.set("step", h.step);
    o.set("verdict", std::string(route::verdict_name(h.verdict)));
    o.set("resource", h.resource);
    o.set("resourceName", h.resource_name);
    o.set("rule", h.rule);
    o.set("priority", h.priority);
    o.set("defaultRule", h.default_rule);
    o.set("detail", h.detail);
    o.set("location", location_json(h.where, sources));
    return o;
}

json::Value path_json(const route::PathResult& r, const SourceSet& sources) {
    json::Object flow;
    flow.set("protocol", net::protocol_to_string(r.flow.protocol));
    flow.set("source", r.flow.source.to_string());
    flow.set("sourcePort", static_cast<std::int64_t>(r.flow.source_port));
    flow.set("destination", r.flow.destination.to_string());
    flow.set("destinationPort", static_cast<std::int64_t>(r.flow.destination_port));
    json::Array hops;
    for (const route::Hop& h : r.hops)
        hops.emplace_back(hop_json(h, sources));
    json::Object root;
    root.set("flow", std::move(flow));
    root.set("from", endpoint_json(r.from));
    root.set("to", endpoint_json(r.to));
    root.set("hops", std::move(hops));
    root.set("verdict", std::string(route::verdict_name(r.verdict)));
    root.set("summary", r.summary);
    return root;
}

} // namespace ztnet::report
