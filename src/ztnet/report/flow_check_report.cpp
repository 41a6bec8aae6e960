#include "ztnet/report/flow_check_report.h"

#include <fmt/format.h>

#include "ztnet/flows/store/summary_report.h"
#include "ztnet/net/protocol.h"
#include "ztnet/report/path_report.h"

namespace ztnet::report {
namespace {

using json::Array;
using json::Object;
using json::Value;
using observed::FlowCheckResult;
using observed::ObservedFlow;
using observed::Party;
namespace store = flows::store;

std::string protocol_text(std::uint8_t protocol) {
    return net::protocol_to_string(protocol);
}

// "203.0.113.9 (Internet) -> vm-web-1 (nic-web-1, 10.1.1.4) tcp/22"
std::string flow_text(const ObservedFlow& f) {
    const std::string source = f.source.label == f.row.source.to_string()
                                   ? f.source.label
                                   : fmt::format("{} ({})", f.row.source.to_string(), f.source.label);
    const std::string port =
        net::protocol_has_ports(f.row.protocol) ? fmt::format("/{}", f.row.destination_port) : std::string();
    return fmt::format("{} -> {} {}{}", source, f.destination.label, protocol_text(f.row.protocol), port);
}

std::string span_text(const store::ConversationTotals& t) {
    return fmt::format("{} tuple(s), {} to {}", t.tuples, store::iso_time(t.first_seen_ms),
                       store::iso_time(t.last_seen_ms));
}

Value party_json(const Party& p, const net::Address& address) {
    Object o;
    o.set("address", address.to_string());
    o.set("kind", std::string(observed::party_kind_name(p.kind)));
    o.set("label", p.label);
    if (!p.resource_id.empty())
        o.set("resource", p.resource_id);
    return o;
}

Value flow_json(const ObservedFlow& f) {
    Object o;
    o.set("source", party_json(f.source, f.row.source));
    o.set("destination", party_json(f.destination, f.row.destination));
    o.set("protocol", protocol_text(f.row.protocol));
    o.set("destinationPort", static_cast<std::int64_t>(f.row.destination_port));
    o.set("direction", std::string(net::direction_name(f.row.direction)));
    o.set("decision", f.row.decision == flows::Decision::Allow ? "allowed" : "denied");
    o.set("rule", f.row.rule);
    o.set("tuples", static_cast<std::int64_t>(f.row.totals.tuples));
    o.set("firstSeen", store::iso_time(f.row.totals.first_seen_ms));
    o.set("lastSeen", store::iso_time(f.row.totals.last_seen_ms));
    return o;
}

void drift_text(const FlowCheckResult& r, std::string& out) {
    out += fmt::format("\nDrift: {} conversation(s) where Azure logged another decision or rule than "
                       "ztnet computes for the estate given\n",
                       r.drifts.size());
    for (const observed::Drift& d : r.drifts)
        out += fmt::format("  {}\n    {} ({})\n", flow_text(d.flow), d.why, span_text(d.flow.row.totals));
}

void breach_text(const FlowCheckResult& r, std::string& out) {
    if (!r.intent_checked) {
        out += "\nIntent: not checked (no --intent)\n";
        return;
    }
    std::size_t forbidden = 0;
    for (const observed::IntentBreach& b : r.breaches)
        forbidden += b.kind == observed::IntentBreach::Kind::Forbidden ? 1 : 0;
    out += fmt::format("\nTraffic the intent forbids that was allowed and carried: {}\n", forbidden);
    for (const observed::IntentBreach& b : r.breaches)
        if (b.kind == observed::IntentBreach::Kind::Forbidden)
            out += fmt::format("  {}{} ({})\n", b.lateral ? "lateral: " : "", flow_text(b.flow),
                               span_text(b.flow.row.totals));
    out += fmt::format("Intended traffic that Azure denied: {}\n", r.breaches.size() - forbidden);
    for (const observed::IntentBreach& b : r.breaches)
        if (b.kind == observed::IntentBreach::Kind::Blocked)
            out += fmt::format("  {} (intent flow '{}'; rule {}; {})\n", flow_text(b.flow), b.intent_flow,
                               b.flow.row.rule, span_text(b.flow.row.totals));
}

void management_text(const FlowCheckResult& r, std::string& out) {
    out += fmt::format("\nThe Internet on management ports: {} host port(s)\n", r.management.size());
    for (const observed::ManagementContact& m : r.management)
        out += fmt::format("  {} tcp/{}: {} allowed, {} denied tuple(s) from {} source(s){}\n",
                           m.destination.label, m.port, m.allowed_tuples, m.denied_tuples, m.sources,
                           m.allowed_tuples > 0 ? "  REACHED" : "");
}

void scan_text(const FlowCheckResult& r, std::string& out) {
    out += fmt::format("\nScans: {} source(s) trying many ports or hosts\n", r.scans.size());
    for (const observed::Scan& s : r.scans)
        out +=
            fmt::format("  {} ({}): {} port(s) on one host, {} host(s) on one port; {} tuple(s), {} denied, "
                        "{} to {}\n",
                        s.source.to_string(), s.source_party.label, s.ports, s.hosts, s.tuples,
                        s.denied_tuples, store::iso_time(s.first_seen_ms), store::iso_time(s.last_seen_ms));
}

void rules_text(const FlowCheckResult& r, const SourceSet& sources, std::string& out) {
    out += fmt::format("\nAllow rules that carried no traffic in the window: {}\n", r.unused_rules.size());
    for (const observed::RuleUse& u : r.unused_rules)
        out += fmt::format("  {}/{} ({}, {}), opens {} port(s)  {}\n", u.nsg, u.rule, u.priority,
                           net::direction_name(u.direction), u.opened_ports, location_text(u.where, sources));
    out += fmt::format("Allow rules much wider than the traffic they carried: {}\n", r.wide_rules.size());
    for (const observed::RuleUse& u : r.wide_rules) {
        std::string used;
        for (std::uint16_t port : u.used_ports)
            used += fmt::format("{}{}", used.empty() ? "" : ",", port);
        out += fmt::format("  {}/{} ({}, {}) opens {} port(s), carried {} tuple(s) to port(s) {}  {}\n",
                           u.nsg, u.rule, u.priority, net::direction_name(u.direction), u.opened_ports,
                           u.tuples, used, location_text(u.where, sources));
    }
}

Value rule_use_json(const observed::RuleUse& u, const SourceSet& sources) {
    Object o;
    o.set("nsg", u.nsg_id);
    o.set("rule", u.rule);
    o.set("priority", static_cast<std::int64_t>(u.priority));
    o.set("direction", std::string(net::direction_name(u.direction)));
    o.set("openedPorts", static_cast<std::int64_t>(u.opened_ports));
    o.set("tuples", static_cast<std::int64_t>(u.tuples));
    Array used;
    for (std::uint16_t port : u.used_ports)
        used.emplace_back(static_cast<std::int64_t>(port));
    o.set("usedPorts", std::move(used));
    o.set("location", location_json(u.where, sources));
    return o;
}

} // namespace

bool flow_check_has_findings(const FlowCheckResult& result) {
    if (!result.drifts.empty() || !result.breaches.empty())
        return true;
    for (const observed::ManagementContact& m : result.management)
        if (m.allowed_tuples > 0)
            return true;
    return false;
}

std::string flow_check_text(const FlowCheckResult& r, const SourceSet& sources) {
    std::string out = fmt::format("{} conversation(s), {} tuple(s)", r.conversations, r.tuples);
    if (r.first_seen_ms)
        out += fmt::format(", {} to {}", store::iso_time(*r.first_seen_ms), store::iso_time(*r.last_seen_ms));
    out += "\naddresses:";
    for (const auto& [kind, count] : r.addresses_by_kind)
        out += fmt::format(" {} {}", count, observed::party_kind_name(kind));
    out += fmt::format("\nnot decided again: {} logged by a NIC the estate does not hold, {} undecidable\n",
                       r.unattributed, r.undecidable);
    drift_text(r, out);
    breach_text(r, out);
    management_text(r, out);
    scan_text(r, out);
    rules_text(r, sources, out);
    return out;
}

Value flow_check_json(const FlowCheckResult& r, const SourceSet& sources) {
    Object o;
    o.set("conversations", static_cast<std::int64_t>(r.conversations));
    o.set("tuples", static_cast<std::int64_t>(r.tuples));
    o.set("firstSeen", r.first_seen_ms ? Value(store::iso_time(*r.first_seen_ms)) : Value());
    o.set("lastSeen", r.last_seen_ms ? Value(store::iso_time(*r.last_seen_ms)) : Value());
    Object kinds;
    for (const auto& [kind, count] : r.addresses_by_kind)
        kinds.set(std::string(observed::party_kind_name(kind)), static_cast<std::int64_t>(count));
    o.set("addressesByKind", std::move(kinds));
    o.set("unattributed", static_cast<std::int64_t>(r.unattributed));
    o.set("undecidable", static_cast<std::int64_t>(r.undecidable));
    Array drifts;
    for (const observed::Drift& d : r.drifts) {
        Object e;
        e.set("flow", flow_json(d.flow));
        e.set("ztnet", std::string(route::verdict_name(d.ztnet)));
        e.set("ztnetRule", d.ztnet_rule);
        e.set("why", d.why);
        drifts.emplace_back(std::move(e));
    }
    o.set("drift", std::move(drifts));
    Array forbidden, blocked;
    for (const observed::IntentBreach& b : r.breaches) {
        Object e;
        e.set("flow", flow_json(b.flow));
        if (b.kind == observed::IntentBreach::Kind::Forbidden) {
            e.set("lateral", b.lateral);
            forbidden.emplace_back(std::move(e));
        } else {
            e.set("intentFlow", b.intent_flow);
            blocked.emplace_back(std::move(e));
        }
    }
    o.set("intentChecked", r.intent_checked);
    o.set("forbiddenAllowed", std::move(forbidden));
    o.set("intendedDenied", std::move(blocked));
    Array management;
    for (const observed::ManagementContact& m : r.management) {
        Object e;
        e.set("destination",
              party_json(m.destination, m.examples.empty() ? net::Address() : m.examples[0].row.destination));
        e.set("port", static_cast<std::int64_t>(m.port));
        e.set("allowedTuples", static_cast<std::int64_t>(m.allowed_tuples));
        e.set("deniedTuples", static_cast<std::int64_t>(m.denied_tuples));
        e.set("sources", static_cast<std::int64_t>(m.sources));
        Array examples;
        for (const ObservedFlow& f : m.examples)
            examples.push_back(flow_json(f));
        e.set("examples", std::move(examples));
        management.emplace_back(std::move(e));
    }
    o.set("managementPorts", std::move(management));
    Array scans;
    for (const observed::Scan& s : r.scans) {
        Object e;
        e.set("source", party_json(s.source_party, s.source));
        e.set("ports", static_cast<std::int64_t>(s.ports));
        e.set("hosts", static_cast<std::int64_t>(s.hosts));
        e.set("tuples", static_cast<std::int64_t>(s.tuples));
        e.set("deniedTuples", static_cast<std::int64_t>(s.denied_tuples));
        e.set("firstSeen", store::iso_time(s.first_seen_ms));
        e.set("lastSeen", store::iso_time(s.last_seen_ms));
        scans.emplace_back(std::move(e));
    }
    o.set("scans", std::move(scans));
    Array unused, wide;
    for (const observed::RuleUse& u : r.unused_rules)
        unused.push_back(rule_use_json(u, sources));
    for (const observed::RuleUse& u : r.wide_rules)
        wide.push_back(rule_use_json(u, sources));
    o.set("unusedRules", std::move(unused));
    o.set("wideRules", std::move(wide));
    return o;
}

} // namespace ztnet::report
