// ztnet explain: one flow, hop by hop, with the rule that decided at every step.
#include <cctype>
#include <charconv>
#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "ztnet/json/reader.h"
#include "ztnet/net/protocol.h"
#include "ztnet/route/path.h"

#include "commands.h"

namespace ztnet::cli {
namespace {

std::optional<std::uint8_t> parse_protocol(const std::string& text) {
    std::string lower;
    for (char c : text)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::pair<const char*, std::uint8_t> kNames[] = {{"tcp", 6},  {"udp", 17}, {"icmp", 1},
                                                                  {"esp", 50}, {"ah", 51},  {"icmpv6", 58}};
    for (const auto& [name, number] : kNames) {
        if (lower == name)
            return number;
    }
    int number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size() && number >= 0 && number <= 255)
        return static_cast<std::uint8_t>(number);
    return std::nullopt;
}

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
    return out;
}

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

std::string render_text(const route::PathResult& r, const SourceSet& sources) {
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
    std::string verdict(route::verdict_name(r.verdict));
    for (char& c : verdict)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += fmt::format("\nverdict: {}: {}\n", verdict, r.summary);
    return out;
}

json::Value render_json(const route::PathResult& r, const SourceSet& sources) {
    json::Object flow;
    flow.set("protocol", net::protocol_to_string(r.flow.protocol));
    flow.set("source", r.flow.source.to_string());
    flow.set("sourcePort", static_cast<std::int64_t>(r.flow.source_port));
    flow.set("destination", r.flow.destination.to_string());
    flow.set("destinationPort", static_cast<std::int64_t>(r.flow.destination_port));
    json::Array hops;
    for (const route::Hop& h : r.hops) {
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
        hops.emplace_back(std::move(o));
    }
    json::Object root;
    root.set("flow", std::move(flow));
    root.set("from", endpoint_json(r.from));
    root.set("to", endpoint_json(r.to));
    root.set("hops", std::move(hops));
    root.set("verdict", std::string(route::verdict_name(r.verdict)));
    root.set("summary", r.summary);
    return root;
}

} // namespace

ExplainCommand::ExplainCommand(CLI::App& app) {
    command_ = app.add_subcommand("explain", "explain how Azure decides one flow, hop by hop");
    estate_.add_to(*command_);
    command_->add_option("--from", from_, "source: VM, NIC, App Gateway, load balancer, IP, Internet or tag")
        ->required();
    command_->add_option("--to", to_, "destination: same kinds as --from")->required();
    command_->add_option("--protocol", protocol_, "tcp, udp, icmp, esp, ah, or a protocol number")
        ->capture_default_str();
    command_->add_option("--port", port_, "destination port (tcp and udp)")->check(CLI::Range(0, 65535));
    command_->add_option("--src-port", source_port_, "source port (tcp and udp)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    command_->add_option("--fqdn", fqdn_, "the destination's name, for firewall application rules");
    add_service_tags_option(*command_, service_tags_);
    command_->add_option("--format", format_, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
}

int ExplainCommand::run() {
    if (!estate_.finish())
        return kExitUsage;
    auto protocol = parse_protocol(protocol_);
    if (!protocol) {
        std::fprintf(stderr,
                     "ztnet: --protocol expects tcp, udp, icmp, esp, ah or a number 0-255, got '%s'\n",
                     protocol_.c_str());
        return kExitUsage;
    }
    bool ports = net::protocol_has_ports(*protocol);
    if (ports && port_ < 0) {
        std::fprintf(stderr, "ztnet: --port is required for %s\n", protocol_.c_str());
        return kExitUsage;
    }
    LoadedEstate loaded;
    load_estate(estate_, loaded);
    policy::ServiceTags tags;
    if (!load_service_tags(service_tags_, loaded, tags)) {
        print_diagnostics(loaded);
        return kExitUsage;
    }
    policy::PolicyEngine engine(loaded.result.estate, tags, loaded.diagnostics);
    auto from = route::resolve_endpoint(loaded.result.estate, tags, from_);
    auto to = route::resolve_endpoint(loaded.result.estate, tags, to_);
    if (!from || !to) {
        print_diagnostics(loaded);
        if (!from)
            std::fprintf(stderr, "ztnet: --from: %s\n", from.error().message.c_str());
        if (!to)
            std::fprintf(stderr, "ztnet: --to: %s\n", to.error().message.c_str());
        return kExitUsage;
    }
    route::PathQuery query;
    query.flow.protocol = *protocol;
    query.flow.source_port = ports ? static_cast<std::uint16_t>(source_port_) : 0;
    query.flow.destination_port = ports ? static_cast<std::uint16_t>(port_) : 0;
    if (!fqdn_.empty())
        query.fqdn = fqdn_;
    route::PathResult result = route::trace_path(engine, *from, *to, query, loaded.diagnostics);
    print_diagnostics(loaded);
    std::string report = format_ == "json" ? json::write(render_json(result, loaded.sources)) + "\n"
                                           : render_text(result, loaded.sources);
    std::fwrite(report.data(), 1, report.size(), stdout);
    return loaded.diagnostics.has_errors() ? kExitUsage : kExitClean;
}

} // namespace ztnet::cli
