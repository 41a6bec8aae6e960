#include "ztnet/report/flow_check_report.h"

#include <map>
#include <string>

#include <fmt/format.h>

#include "ztnet/checks/runner.h"
#include "ztnet/flows/store/summary_report.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/net/protocol.h"
#include "ztnet/report/html/page.h"
#include "ztnet/report/html/sections.h"
#include "ztnet/report/path_report.h"
#include "ztnet/report/sarif.h"
#include "ztnet/report/text_escape.h"
#include "ztnet/support/version.h"

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

std::string flow_check_html(const FlowCheckResult& r, const SourceSet& sources,
                            const std::string& store_name) {
    using Rows = std::vector<std::vector<std::string>>;
    Rows drifts, forbidden, denied, management, scans, unused, wide;
    for (const observed::Drift& d : r.drifts)
        drifts.push_back({flow_text(d.flow), d.why, span_text(d.flow.row.totals)});
    for (const observed::IntentBreach& b : r.breaches) {
        if (b.kind == observed::IntentBreach::Kind::Forbidden)
            forbidden.push_back(
                {flow_text(b.flow), b.lateral ? "lateral" : "", span_text(b.flow.row.totals)});
        else
            denied.push_back(
                {flow_text(b.flow), b.intent_flow, b.flow.row.rule, span_text(b.flow.row.totals)});
    }
    std::size_t reached = 0;
    for (const observed::ManagementContact& m : r.management) {
        reached += m.allowed_tuples > 0 ? 1 : 0;
        management.push_back({m.destination.label, fmt::format("tcp/{}", m.port),
                              std::to_string(m.allowed_tuples), std::to_string(m.denied_tuples),
                              std::to_string(m.sources)});
    }
    for (const observed::Scan& sc : r.scans)
        scans.push_back(
            {fmt::format("{} ({})", sc.source.to_string(), sc.source_party.label), std::to_string(sc.ports),
             std::to_string(sc.hosts), std::to_string(sc.tuples), std::to_string(sc.denied_tuples),
             fmt::format("{} to {}", store::iso_time(sc.first_seen_ms), store::iso_time(sc.last_seen_ms))});
    for (const observed::RuleUse& u : r.unused_rules)
        unused.push_back({fmt::format("{}/{}", u.nsg, u.rule), std::to_string(u.priority),
                          std::string(net::direction_name(u.direction)), std::to_string(u.opened_ports),
                          location_text(u.where, sources)});
    for (const observed::RuleUse& u : r.wide_rules) {
        std::string used;
        for (std::uint16_t port : u.used_ports)
            used += fmt::format("{}{}", used.empty() ? "" : ",", port);
        wide.push_back({fmt::format("{}/{}", u.nsg, u.rule), std::to_string(u.priority),
                        std::string(net::direction_name(u.direction)), std::to_string(u.opened_ports),
                        std::to_string(u.tuples), used, location_text(u.where, sources)});
    }
    html::Page page;
    page.title = "ztnet flows check: the traffic against the estate";
    page.header_lines =
        fmt::format("<p>{} conversation(s), {} tuple(s){} · store {}</p><p>ztnet {} · flows check</p>",
                    r.conversations, r.tuples,
                    r.first_seen_ms ? fmt::format(", {} to {}", store::iso_time(*r.first_seen_ms),
                                                  store::iso_time(*r.last_seen_ms))
                                    : std::string(),
                    html_text(store_name), html_text(kVersion));
    page.body = html::cards_section(
        {{r.drifts.empty() ? "" : "high", std::to_string(r.drifts.size()), "drift"},
         {forbidden.empty() ? "" : "high", std::to_string(forbidden.size()),
          r.intent_checked ? "forbidden and carried" : "intent not checked"},
         {denied.empty() ? "" : "medium", std::to_string(denied.size()), "intended, denied"},
         {reached == 0 ? "" : "critical", std::to_string(reached),
          "management ports reached from the Internet"},
         {"", std::to_string(r.scans.size()), "scans"},
         {"", std::to_string(r.unused_rules.size()), "unused allow rules"},
         {"", std::to_string(r.wide_rules.size()), "over-wide allow rules"},
         {"", std::to_string(r.unattributed + r.undecidable), "not decided again"}});
    page.body += html::text_table("drift", "Drift: Azure logged another decision or rule than ztnet computes",
                                  {"flow", "why", "seen"}, drifts, "None.");
    if (r.intent_checked) {
        page.body += html::text_table("forbidden", "Traffic the intent forbids, allowed and carried",
                                      {"flow", "", "seen"}, forbidden, "None.");
        page.body += html::text_table("intended-denied", "Intended traffic Azure denied",
                                      {"flow", "intent flow", "rule", "seen"}, denied, "None.");
    }
    page.body +=
        html::text_table("management", "The Internet on management ports",
                         {"host", "port", "allowed tuples", "denied tuples", "sources"}, management, "None.");
    page.body += html::text_table(
        "scans", "Scans", {"source", "ports on one host", "hosts on one port", "tuples", "denied", "seen"},
        scans, "None.");
    page.body +=
        html::text_table("unused-rules", "Allow rules that carried nothing",
                         {"rule", "priority", "direction", "ports opened", "written at"}, unused, "None.");
    page.body += html::text_table(
        "wide-rules", "Allow rules much wider than their traffic",
        {"rule", "priority", "direction", "ports opened", "tuples", "ports used", "written at"}, wide,
        "None.");
    page.data = json::Object();
    return html::render_page(page);
}

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

namespace {

using checks::Principle;
using checks::Severity;

// The rules' ids, in flow_check_rules() order.
enum FlowRule : std::uint8_t {
    kManagementReached,
    kDrift,
    kForbidden,
    kBlocked,
    kScan,
    kWideRule,
    kManagementKnocked,
    kUnusedRule,
};

std::vector<checks::Check> make_flow_rules() {
    std::vector<checks::Check> rules(8);
    rules[kManagementReached] = {
        .id = "ZT-FLOW-001",
        .title = "The Internet reached a management port (SSH or RDP)",
        .principles = {Principle::VerifyExplicitly, Principle::AssumeBreach},
        .severity = Severity::Critical,
        .guidance = "Spoke step 6: no RDP/SSH from the Internet; access only through the App Gateway",
        .rationale = "Flow logs show connections from Internet addresses to port 22 or 3389 that Azure "
                     "allowed: the exposure is not only possible, it was used.",
        .remediation = "Close the port to the Internet (remove or narrow the allow rule); reach the hosts "
                       "through Azure Bastion or just-in-time access, and review the sources for "
                       "compromise.",
    };
    rules[kDrift] = {
        .id = "ZT-FLOW-002",
        .title = "Azure decided observed traffic otherwise than the estate given says",
        .principles = {Principle::VerifyExplicitly},
        .severity = Severity::High,
        .guidance = "Spoke step 5: flow logging on",
        .rationale = "Azure logged another decision or rule for a conversation than ztnet computes at the "
                     "same NSGs from the estate given: what runs is not what was reviewed (a change "
                     "outside the template, a stale export), so the other findings may not hold.",
        .remediation = "Export the estate again (or deploy the template that is reviewed) and compare; "
                       "bring the running NSGs back under the reviewed configuration.",
    };
    rules[kForbidden] = {
        .id = "ZT-FLOW-003",
        .title = "Traffic the intent forbids was allowed and carried",
        .principles = {Principle::LeastPrivilege, Principle::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Spoke step 5: only the application's flows allowed, and every one of them allowed",
        .rationale = "A conversation that no intent flow allows was allowed by Azure and carried traffic: "
                     "an excess path in use, between tiers when both ends are inside the estate.",
        .remediation = "Deny the path with the narrowest rule that does not break an intended flow, or "
                       "add the flow to the intent if it is legitimate.",
    };
    rules[kBlocked] = {
        .id = "ZT-FLOW-004",
        .title = "Traffic the intent requires was denied",
        .principles = {Principle::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Spoke step 5: only the application's flows allowed, and every one of them allowed",
        .rationale = "Azure denied a conversation that an intent flow requires: the application is "
                     "broken there, and someone will be tempted to open too much to fix it.",
        .remediation = "Allow exactly the intended flow (source, destination, port) above the rule that "
                       "denied it.",
    };
    rules[kScan] = {
        .id = "ZT-FLOW-005",
        .title = "A source tried many ports or many hosts",
        .principles = {Principle::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Spoke step 7: threat detection enabled with Microsoft Defender for Cloud plans",
        .rationale = "One source reached for many destination ports on one host, or one port on many "
                     "hosts: reconnaissance, from the Internet or from a compromised host inside.",
        .remediation = "Check what the source is; block it at the edge or isolate it, and make sure "
                       "nothing it reached is open beyond the intent.",
    };
    rules[kWideRule] = {
        .id = "ZT-FLOW-006",
        .title = "An allow rule is much wider than the traffic it carried",
        .principles = {Principle::LeastPrivilege},
        .severity = Severity::Medium,
        .guidance = "Spoke step 5: only the application's flows allowed, and every one of them allowed",
        .rationale = "The rule opens many more destination ports than the traffic it carried used in the "
                     "window: what it opens beyond that is exposure nobody needs.",
        .remediation = "Narrow the rule's destination ports to those in use (and its sources and "
                       "destinations to the roles that use them).",
    };
    rules[kManagementKnocked] = {
        .id = "ZT-FLOW-007",
        .title = "The Internet knocked on a management port (denied)",
        .principles = {Principle::AssumeBreach},
        .severity = Severity::Low,
        .guidance = "Virtual machines: management ports closed except through Bastion or just-in-time access",
        .rationale = "Internet addresses tried port 22 or 3389 and Azure denied them: the host is a "
                     "target; the denial held.",
        .remediation = "Nothing to open; keep the ports closed, and watch for the same sources elsewhere.",
    };
    rules[kUnusedRule] = {
        .id = "ZT-FLOW-008",
        .title = "An allow rule carried no traffic",
        .principles = {Principle::LeastPrivilege},
        .severity = Severity::Low,
        .guidance = "Spoke step 5: only the application's flows allowed, and every one of them allowed",
        .rationale = "The NSG sits in front of NICs that log their flows, and the rule allowed nothing "
                     "in the window: it opens a path that nothing uses.",
        .remediation = "Remove the rule, or confirm over a longer window (monthly jobs, failover) that "
                       "it is needed.",
    };
    return rules;
}

// Where results are placed: each resource of the input by its id, else the input's first resource.
class Places {
  public:
    explicit Places(const model::Estate& estate) {
        for (int k = 0; k < model::kResourceKindCount; ++k) {
            const auto kind = static_cast<model::ResourceKind>(k);
            for (model::Index i = 0; i < estate.count(kind); ++i) {
                const model::Resource& r = estate.resource({kind, i});
                if (!r.where.has_file())
                    continue;
                by_id_.try_emplace(model::id_key(r.id), r.where);
                if (!first_.has_file())
                    first_ = r.where;
            }
        }
    }

    SourceLocation of(std::string_view resource_id) const {
        const auto found = by_id_.find(model::id_key(resource_id));
        return found != by_id_.end() ? found->second : first_;
    }

  private:
    std::map<std::string, SourceLocation> by_id_;
    SourceLocation first_;
};

// One result being built: its rule, level, message, where, and what it rests on.
class SarifResults {
  public:
    SarifResults(const FlowCheckSarifInputs& in, const std::vector<checks::Check>& rules)
        : in_(in), rules_(rules), places_(in.estate) {}

    void add(FlowRule rule, std::string message, std::string_view resource_id, std::string_view resource_name,
             SourceLocation where, const std::string& discriminator, Object evidence) {
        const checks::Check& c = rules_[rule];
        if (results_.size() >= in_.max_results) {
            ++left_out_;
            return;
        }
        Object result;
        result.set("ruleId", std::string(c.id));
        result.set("ruleIndex", static_cast<std::int64_t>(rule));
        result.set("level", std::string(sarif::level(c.severity)));
        Object text;
        text.set("text", std::move(message));
        result.set("message", std::move(text));
        Object location;
        if (!where.has_file())
            where = places_.of(resource_id);
        if (where.has_file() && where.file < in_.sources.size())
            location.set("physicalLocation", sarif::physical_location(where, in_.sources, in_.source_root));
        if (!resource_id.empty()) {
            Object logical;
            logical.set("fullyQualifiedName", std::string(resource_id));
            logical.set("name", std::string(resource_name));
            logical.set("kind", std::string("resource"));
            Array logicals;
            logicals.emplace_back(std::move(logical));
            location.set("logicalLocations", std::move(logicals));
        }
        Array locations;
        locations.emplace_back(std::move(location));
        result.set("locations", std::move(locations));
        Object fingerprints;
        fingerprints.set("ztnet/v1", checks::fingerprint(c.id, resource_id, discriminator));
        result.set("partialFingerprints", std::move(fingerprints));
        result.set("properties", std::move(evidence));
        results_.emplace_back(std::move(result));
    }

    Value finish(Array rules) {
        sarif::RunInputs run{in_.version, in_.source_root_uri, {}};
        if (left_out_ > 0) {
            Object note;
            note.set("level", std::string("warning"));
            Object text;
            text.set("text",
                     fmt::format("{} result(s) of lower severity left out to stay within --max-results "
                                 "{}; the text and JSON reports list every finding",
                                 left_out_, in_.max_results));
            note.set("message", std::move(text));
            run.notifications.emplace_back(std::move(note));
        }
        return sarif::log(std::move(rules), std::move(results_), std::move(run));
    }

  private:
    const FlowCheckSarifInputs& in_;
    const std::vector<checks::Check>& rules_;
    Places places_;
    Array results_;
    std::size_t left_out_ = 0;
};

// The end of a flow on the side that logged it: the destination of an inbound flow, the source of
// an outbound one (else the other end, when only it is a resource).
const Party& logged_side(const ObservedFlow& f) {
    const bool inbound = f.row.direction == net::Direction::Inbound;
    const Party& logged = inbound ? f.destination : f.source;
    return logged.resource_id.empty() ? (inbound ? f.source : f.destination) : logged;
}

std::string flow_key(const ObservedFlow& f) {
    return fmt::format("{}>{}/{}/{}/{}", f.row.source.to_string(), f.row.destination.to_string(),
                       protocol_text(f.row.protocol), f.row.destination_port,
                       net::direction_name(f.row.direction));
}

Object flow_evidence(const ObservedFlow& f) {
    Object o;
    o.set("flow", flow_json(f));
    return o;
}

void add_flow(SarifResults& out, FlowRule rule, const ObservedFlow& f, std::string message, Object evidence) {
    const Party& party = logged_side(f);
    out.add(rule, std::move(message), party.resource_id, party.label, {}, flow_key(f), std::move(evidence));
}

void management_results(const FlowCheckResult& r, SarifResults& out, bool reached) {
    for (const observed::ManagementContact& m : r.management) {
        if ((m.allowed_tuples > 0) != reached)
            continue;
        Object evidence;
        evidence.set("allowedTuples", static_cast<std::int64_t>(m.allowed_tuples));
        evidence.set("deniedTuples", static_cast<std::int64_t>(m.denied_tuples));
        evidence.set("sources", static_cast<std::int64_t>(m.sources));
        Array examples;
        for (const ObservedFlow& f : m.examples)
            examples.push_back(flow_json(f));
        evidence.set("examples", std::move(examples));
        const std::string message =
            reached ? fmt::format("The Internet reached {} tcp/{}: {} allowed tuple(s) from {} source(s) "
                                  "({} denied)",
                                  m.destination.label, m.port, m.allowed_tuples, m.sources, m.denied_tuples)
                    : fmt::format("The Internet knocked on {} tcp/{}: {} denied tuple(s) from {} source(s)",
                                  m.destination.label, m.port, m.denied_tuples, m.sources);
        out.add(reached ? kManagementReached : kManagementKnocked, message, m.destination.resource_id,
                m.destination.label, {}, fmt::format("tcp/{}", m.port), std::move(evidence));
    }
}

void breach_results(const FlowCheckResult& r, SarifResults& out, observed::IntentBreach::Kind kind) {
    for (const observed::IntentBreach& b : r.breaches) {
        if (b.kind != kind)
            continue;
        Object evidence = flow_evidence(b.flow);
        if (kind == observed::IntentBreach::Kind::Forbidden) {
            evidence.set("lateral", b.lateral);
            add_flow(out, kForbidden, b.flow,
                     fmt::format("{}{} was allowed and carried ({}), but no intent flow allows it",
                                 b.lateral ? "Lateral: " : "", flow_text(b.flow),
                                 span_text(b.flow.row.totals)),
                     std::move(evidence));
        } else {
            evidence.set("intentFlow", b.intent_flow);
            add_flow(out, kBlocked, b.flow,
                     fmt::format("{} was denied by {} ({}), but intent flow '{}' requires it",
                                 flow_text(b.flow), b.flow.row.rule, span_text(b.flow.row.totals),
                                 b.intent_flow),
                     std::move(evidence));
        }
    }
}

void scan_results(const FlowCheckResult& r, SarifResults& out) {
    for (const observed::Scan& s : r.scans) {
        Object evidence;
        evidence.set("source", party_json(s.source_party, s.source));
        evidence.set("ports", static_cast<std::int64_t>(s.ports));
        evidence.set("hosts", static_cast<std::int64_t>(s.hosts));
        evidence.set("tuples", static_cast<std::int64_t>(s.tuples));
        evidence.set("deniedTuples", static_cast<std::int64_t>(s.denied_tuples));
        out.add(
            kScan,
            fmt::format("{} ({}) tried {} port(s) on one host and {} host(s) on one port: {} tuple(s), {} "
                        "denied, {} to {}",
                        s.source.to_string(), s.source_party.label, s.ports, s.hosts, s.tuples,
                        s.denied_tuples, store::iso_time(s.first_seen_ms), store::iso_time(s.last_seen_ms)),
            s.source_party.resource_id, s.source_party.label, {}, s.source.to_string(), std::move(evidence));
    }
}

void rule_results(const std::vector<observed::RuleUse>& uses, SarifResults& out, FlowRule rule,
                  const SourceSet& sources) {
    for (const observed::RuleUse& u : uses) {
        Object evidence;
        evidence.set("rule", rule_use_json(u, sources));
        std::string used;
        for (std::uint16_t port : u.used_ports)
            used += fmt::format("{}{}", used.empty() ? "" : ",", port);
        const std::string message =
            rule == kUnusedRule
                ? fmt::format(
                      "Allow rule {}/{} ({}, {}) opens {} port(s) and carried no traffic in the window",
                      u.nsg, u.rule, u.priority, net::direction_name(u.direction), u.opened_ports)
                : fmt::format("Allow rule {}/{} ({}, {}) opens {} port(s) but carried {} tuple(s) only to "
                              "port(s) {}",
                              u.nsg, u.rule, u.priority, net::direction_name(u.direction), u.opened_ports,
                              u.tuples, used);
        out.add(rule, message, u.nsg_id, u.nsg, u.where, u.rule, std::move(evidence));
    }
}

} // namespace

const std::vector<checks::Check>& flow_check_rules() {
    static const std::vector<checks::Check> kRules = make_flow_rules();
    return kRules;
}

// Most severe first, so that a cap on results keeps what matters.
Value flow_check_sarif(const FlowCheckResult& r, const FlowCheckSarifInputs& in) {
    const std::vector<checks::Check>& rules = flow_check_rules();
    SarifResults out(in, rules);
    management_results(r, out, true);
    for (const observed::Drift& d : r.drifts) {
        Object evidence = flow_evidence(d.flow);
        evidence.set("ztnet", std::string(route::verdict_name(d.ztnet)));
        evidence.set("ztnetRule", d.ztnet_rule);
        add_flow(out, kDrift, d.flow,
                 fmt::format("{}: Azure logged {} by {}; {} ({})", flow_text(d.flow),
                             d.flow.row.decision == flows::Decision::Allow ? "allowed" : "denied",
                             d.flow.row.rule, d.why, span_text(d.flow.row.totals)),
                 std::move(evidence));
    }
    breach_results(r, out, observed::IntentBreach::Kind::Forbidden);
    breach_results(r, out, observed::IntentBreach::Kind::Blocked);
    scan_results(r, out);
    rule_results(r.wide_rules, out, kWideRule, in.sources);
    management_results(r, out, false);
    rule_results(r.unused_rules, out, kUnusedRule, in.sources);
    Array descriptors;
    for (const checks::Check& c : rules)
        descriptors.emplace_back(sarif::rule(c));
    return out.finish(std::move(descriptors));
}

} // namespace ztnet::report
