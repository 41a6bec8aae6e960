#include "ztnet/report/harden_report.h"

#include <fmt/format.h>

#include "ztnet/flows/store/summary_report.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/net/protocol.h"
#include "ztnet/report/html/page.h"
#include "ztnet/report/html/sections.h"
#include "ztnet/report/text_escape.h"
#include "ztnet/support/version.h"

namespace ztnet::report {
namespace {

using json::Array;
using json::Object;
using json::Value;

std::vector<std::string> side_entries(const model::RuleEndpoint& side, const model::Estate& estate) {
    std::vector<std::string> out;
    for (const model::AddressEntry& a : side.addresses)
        out.push_back(a.text());
    for (model::AsgIndex g : side.application_security_groups)
        out.push_back(estate.application_security_groups[g].name);
    return out;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator = ",") {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? std::string() : std::string(separator)) + item;
    return out;
}

// "vnet/subnet" for a subnet, the name of anything else the estate holds, else the id.
std::string label_of(const model::Estate& estate, const std::string& id) {
    const std::optional<model::ResourceRef> ref = estate.find(id);
    if (!ref)
        return id;
    if (ref->kind == model::ResourceKind::Subnet) {
        const model::Subnet& subnet = estate.subnets[ref->as<model::Subnet>()];
        if (subnet.virtual_network != model::kNone)
            return estate.virtual_networks[subnet.virtual_network].name + "/" + subnet.name;
    }
    return estate.resource(*ref).name;
}

std::string flow_groups(const std::vector<std::string>& groups) {
    return joined(groups);
}

std::string services_text(const model::IntentFlow& flow) {
    std::string ports;
    for (const auto& range : flow.ports.intervals())
        ports += fmt::format("{}{}", ports.empty() ? "" : ",",
                             range.lo == range.hi ? std::to_string(range.lo)
                                                  : fmt::format("{}-{}", range.lo, range.hi));
    return fmt::format("{} {}",
                       flow.protocols.full() ? std::string("any protocol")
                                             : net::protocol_set_to_string(flow.protocols),
                       flow.ports.full() ? std::string("any port") : "port " + ports);
}

const harden::RuleTraffic* traffic_of(const harden::ObservedUse* observed, const harden::NsgProposal& nsg,
                                      const harden::ProposedRule& p) {
    if (observed == nullptr)
        return nullptr;
    for (const harden::RuleTraffic& t : observed->rules)
        if (model::same_id(t.nsg_id, nsg.nsg_id) && t.rule == p.rule.name)
            return &t;
    return nullptr;
}

std::string observed_flow_text(const harden::CutFlow& c) {
    const flows::store::ConversationRow& r = c.flow.row;
    const std::string port =
        net::protocol_has_ports(r.protocol) ? fmt::format("/{}", r.destination_port) : std::string();
    return fmt::format("{} ({}) -> {} ({}) {}{}: {} tuple(s), {} to {}; denied by {}", r.source.to_string(),
                       c.flow.source.label, r.destination.to_string(), c.flow.destination.label,
                       net::protocol_to_string(r.protocol), port, r.totals.tuples,
                       flows::store::iso_time(r.totals.first_seen_ms),
                       flows::store::iso_time(r.totals.last_seen_ms), c.denied_by);
}

constexpr std::size_t kCutShown = 10;

void observed_text(const harden::ObservedUse& o, std::string& out) {
    out += fmt::format(
        "\nObserved traffic: {} allowed conversation(s), {} tuple(s) in the window ({} not decided "
        "again: logged by a NIC the estate does not hold, or undecidable)\n",
        o.conversations, o.tuples, o.not_decided);
    if (o.cut.empty()) {
        out += "  the plan keeps all of it\n";
        return;
    }
    out += fmt::format(
        "  the plan would cut {} conversation(s), {} tuple(s), in {} flow(s); if any is needed, name "
        "it in the intent and harden again:\n",
        o.cut_conversations, o.cut_tuples, o.cut.size());
    for (std::size_t i = 0; i < o.cut.size() && i < kCutShown; ++i)
        out += "    " + observed_flow_text(o.cut[i]) + "\n";
    if (o.cut.size() > kCutShown)
        out += fmt::format("    and {} more flow(s)\n", o.cut.size() - kCutShown);
}

std::string rule_text(const harden::ProposedRule& p, const model::Estate& estate) {
    const model::SecurityRule& r = p.rule;
    return fmt::format("    {:>4} {:<34} {} {} {} -> {} ports {}\n         because: {}\n", r.priority, r.name,
                       r.access == model::Access::Allow ? "Allow" : "Deny ", r.protocol,
                       joined(side_entries(r.source, estate)), joined(side_entries(r.destination, estate)),
                       joined(r.destination_ports), joined(p.reasons, "; "));
}

// A rule's lines, with what it would have carried of the observed traffic.
std::string rule_line(const harden::ProposedRule& p, const model::Estate& estate,
                      const harden::RuleTraffic* traffic) {
    std::string out = rule_text(p, estate);
    if (traffic != nullptr)
        out += fmt::format("         observed: {} conversation(s), {} tuple(s)\n", traffic->conversations,
                           traffic->tuples);
    return out;
}

void proof_text(const harden::Proof& proof, const std::string& intent_path, std::string& out) {
    out +=
        fmt::format("Hardening from {}: {}\n", intent_path,
                    !proof.holds ? "NOT PROVED"
                    : proof.beyond_nsgs.empty() && proof.outside_plan.empty()
                        ? "PROVED: the hardened estate allows every intended flow and nothing else"
                        : "PROVED: the hardened NSGs allow every intended flow they decide, and nothing else "
                          "(see below)");
    out += fmt::format(
        "  {} endpoint pairs checked with the plan applied: {} missing, {} excess, {} undecidable "
        "(the estate as given: {} missing, {} excess, {} undecidable)\n",
        proof.endpoint_pairs, proof.missing_after, proof.excess_after, proof.undecidable_after,
        proof.missing_before, proof.excess_before, proof.undecidable_before);
    if (!proof.closed.empty()) {
        out += "  it closes what the intent does not name, among others:\n";
        for (const std::string& line : proof.closed)
            out += "    " + line + "\n";
    }
    if (!proof.closed_undecidable.empty()) {
        out += "  it also closes what the estate may allow and ztnet cannot decide offline; if any of it is\n"
               "  needed, name it in the intent and harden again:\n";
        for (const std::string& line : proof.closed_undecidable)
            out += "    " + line + "\n";
    }
    if (!proof.beyond_nsgs.empty()) {
        out +=
            "  intended flows that no NSG rule can give (something else denies them: no entry from outside,\n"
            "  a route, the firewall), as before:\n";
        for (const std::string& line : proof.beyond_nsgs)
            out += "    " + line + "\n";
    }
    if (!proof.outside_plan.empty()) {
        out += "  flows to or from what the plan leaves alone (below), not the plan's to close:\n";
        for (const std::string& line : proof.outside_plan)
            out += "    " + line + "\n";
    }
    if (proof.bounded) {
        out += fmt::format("  the rule-count bound (--max-rules) widens rules: the bounded plan allows every "
                           "intended flow, and {} flow set(s) beyond the exact plan{}\n",
                           proof.widening_excess, proof.widening_cost.empty() ? "" : ", e.g.:");
        for (const std::string& line : proof.widening_cost)
            out += "    " + line + "\n";
    }
    for (const std::string& line : proof.failures)
        out += "  still broken: " + line + "\n";
}

Value rule_json(const harden::ProposedRule& p, const model::Estate& estate) {
    const model::SecurityRule& r = p.rule;
    Object o;
    o.set("name", r.name);
    o.set("priority", static_cast<std::int64_t>(r.priority));
    o.set("direction", std::string(net::direction_name(r.direction)));
    o.set("access", r.access == model::Access::Allow ? "Allow" : "Deny");
    o.set("protocol", r.protocol);
    o.set("source", json::string_array(side_entries(r.source, estate)));
    o.set("destination", json::string_array(side_entries(r.destination, estate)));
    o.set("destinationPorts", json::string_array(r.destination_ports));
    o.set("reasons", json::string_array(p.reasons));
    return o;
}

} // namespace

std::string harden_html(const harden::HardenPlan& plan, const harden::Proof& proof,
                        const model::Estate& estate, const std::string& intent_path,
                        const harden::ObservedUse* observed) {
    html::Page page;
    page.title = "ztnet harden: the rules the intent needs, proved";
    page.header_lines =
        fmt::format("<p>intent {}</p><p>ztnet {} · harden</p>", html_text(intent_path), html_text(kVersion));
    std::size_t rules = 0;
    for (const harden::NsgProposal& nsg : plan.nsgs)
        rules += nsg.rules.size();
    page.body = html::cards_section(
        {{proof.holds ? "removed" : "critical", proof.holds ? "proved" : "not proved", "the plan"},
         {"", std::to_string(plan.nsgs.size()), "NSGs"},
         {"", std::to_string(rules), "rules"},
         {"", fmt::format("{} → {}", proof.excess_before, proof.excess_after),
          "excess flow sets, before → after"},
         {"", fmt::format("{} → {}", proof.missing_before, proof.missing_after),
          "missing flow sets, before → after"},
         {"", std::to_string(proof.endpoint_pairs), "endpoint pairs checked"}});
    std::string proof_lines;
    proof_text(proof, intent_path, proof_lines);
    page.body += "<section id=\"proof\"><h2>The proof</h2><pre class=\"mono\">" + html_text(proof_lines) +
                 "</pre></section>\n";
    for (const harden::NsgProposal& nsg : plan.nsgs) {
        std::vector<std::vector<std::string>> rows;
        for (const net::Direction d : {net::Direction::Inbound, net::Direction::Outbound})
            for (const harden::ProposedRule& p : nsg.rules) {
                if (p.rule.direction != d)
                    continue;
                const model::SecurityRule& r = p.rule;
                std::vector<std::string> row = {std::string(net::direction_name(d)),
                                                std::to_string(r.priority),
                                                r.name,
                                                r.access == model::Access::Allow ? "Allow" : "Deny",
                                                r.protocol,
                                                joined(side_entries(r.source, estate)),
                                                joined(side_entries(r.destination, estate)),
                                                joined(r.destination_ports),
                                                joined(p.reasons, "; ")};
                if (const harden::RuleTraffic* t = traffic_of(observed, nsg, p))
                    row.back() += fmt::format(" (observed: {} conversation(s))", t->conversations);
                rows.push_back(std::move(row));
            }
        std::vector<std::string> where;
        for (const std::string& subnet : nsg.subnets)
            where.push_back("subnet " + label_of(estate, subnet));
        for (const std::string& nic : nsg.nics)
            where.push_back("NIC " + label_of(estate, nic));
        page.body +=
            html::text_table("nsg-" + nsg.nsg_name,
                             fmt::format("{} {} on {}", nsg.is_new ? "New NSG" : "NSG", nsg.nsg_name,
                                         where.empty() ? std::string("nothing yet") : joined(where, ", ")),
                             {"direction", "priority", "name", "access", "protocol", "source", "destination",
                              "ports", "because"},
                             rows);
    }
    std::vector<std::vector<std::string>> required, alone;
    for (const model::IntentFlow& flow : plan.azure_requirements)
        required.push_back({flow.name, flow_groups(flow.from), flow_groups(flow.to), services_text(flow)});
    for (const harden::LeftAlone& l : plan.left_alone)
        alone.push_back({l.name, l.why});
    page.body += html::text_table("azure-requires", "Azure requires (kept open; add them to the intent)",
                                  {"flow", "from", "to", "services"}, required);
    page.body += html::text_table("left-alone", "Left alone", {"resource", "why"}, alone);
    page.data = json::Object();
    return html::render_page(page);
}

std::string harden_text(const harden::HardenPlan& plan, const harden::Proof& proof,
                        const model::Estate& estate, const std::string& intent_path,
                        const harden::ObservedUse* observed) {
    std::string out;
    proof_text(proof, intent_path, out);
    if (observed != nullptr)
        observed_text(*observed, out);
    if (!plan.azure_requirements.empty()) {
        out +=
            "\nAzure requires (kept open; the proof takes them as platform flows; add them to the intent):\n";
        for (const model::IntentFlow& flow : plan.azure_requirements)
            out += fmt::format("  {}: {} -> {} {}\n", flow.name, flow_groups(flow.from), flow_groups(flow.to),
                               services_text(flow));
    }
    if (!plan.asgs.empty()) {
        out += "\nNew application security groups (the rules name them):\n";
        for (const harden::ProposedAsg& asg : plan.asgs) {
            std::vector<std::string> members;
            for (const auto& [nic, config] : asg.members)
                members.push_back(label_of(estate, nic) + " " + config);
            out +=
                fmt::format("  {} for intent group '{}': {}\n", asg.name, asg.group, joined(members, ", "));
        }
    }
    for (const harden::NsgProposal& nsg : plan.nsgs) {
        out += fmt::format("\n{} {}{}\n", nsg.is_new ? "New NSG" : "NSG", nsg.nsg_name,
                           nsg.replaced.empty()
                               ? std::string()
                               : fmt::format(" (replaces {} custom rule(s))", nsg.replaced.size()));
        for (const std::string& subnet : nsg.subnets)
            out += fmt::format("  on subnet {}\n", label_of(estate, subnet));
        for (const std::string& nic : nsg.nics)
            out += fmt::format("  on NIC {}\n", label_of(estate, nic));
        if (!nsg.replaced.empty())
            out += "  replaces: " + joined(nsg.replaced, ", ") + "\n";
        if (!nsg.exact_rules.empty()) {
            out += fmt::format("  bounded: {} rules where the exact plan has {}; merged:\n", nsg.rules.size(),
                               nsg.exact_rules.size());
            for (const std::string& line : nsg.widened)
                out += "    " + line + "\n";
        }
        for (const net::Direction d : {net::Direction::Inbound, net::Direction::Outbound}) {
            out += fmt::format("  {}\n", net::direction_name(d));
            for (const harden::ProposedRule& r : nsg.rules)
                if (r.rule.direction == d)
                    out += rule_line(r, estate, traffic_of(observed, nsg, r));
        }
    }
    if (!plan.left_alone.empty()) {
        out += "\nLeft alone:\n";
        for (const harden::LeftAlone& l : plan.left_alone)
            out += fmt::format("  {}: {}\n", l.name, l.why);
    }
    return out;
}

Value harden_json(const harden::HardenPlan& plan, const harden::Proof& proof, const model::Estate& estate,
                  const std::string& intent_path, const harden::ObservedUse* observed) {
    Object o;
    o.set("intent", intent_path);
    Object p;
    p.set("holds", proof.holds);
    p.set("endpointPairs", static_cast<std::int64_t>(proof.endpoint_pairs));
    Object before;
    before.set("missing", static_cast<std::int64_t>(proof.missing_before));
    before.set("excess", static_cast<std::int64_t>(proof.excess_before));
    before.set("undecidable", static_cast<std::int64_t>(proof.undecidable_before));
    p.set("before", std::move(before));
    Object after;
    after.set("missing", static_cast<std::int64_t>(proof.missing_after));
    after.set("excess", static_cast<std::int64_t>(proof.excess_after));
    after.set("undecidable", static_cast<std::int64_t>(proof.undecidable_after));
    p.set("after", std::move(after));
    p.set("closes", json::string_array(proof.closed));
    p.set("closesUndecidable", json::string_array(proof.closed_undecidable));
    p.set("beyondNsgs", json::string_array(proof.beyond_nsgs));
    p.set("outsidePlan", json::string_array(proof.outside_plan));
    if (proof.bounded) {
        Object widening;
        widening.set("excess", static_cast<std::int64_t>(proof.widening_excess));
        widening.set("examples", json::string_array(proof.widening_cost));
        p.set("bounded", std::move(widening));
    }
    o.set("proof", std::move(p));
    Array requirements;
    for (const model::IntentFlow& flow : plan.azure_requirements) {
        Object r;
        r.set("name", flow.name);
        r.set("from", flow_groups(flow.from));
        r.set("to", flow_groups(flow.to));
        r.set("services", services_text(flow));
        requirements.emplace_back(std::move(r));
    }
    o.set("azureRequirements", std::move(requirements));
    Array nsgs;
    for (const harden::NsgProposal& nsg : plan.nsgs) {
        Object n;
        n.set("id", nsg.nsg_id);
        n.set("name", nsg.nsg_name);
        n.set("new", nsg.is_new);
        Array rules;
        for (const harden::ProposedRule& r : nsg.rules) {
            Value rule = rule_json(r, estate);
            if (const harden::RuleTraffic* t = traffic_of(observed, nsg, r)) {
                Object seen;
                seen.set("conversations", static_cast<std::int64_t>(t->conversations));
                seen.set("tuples", static_cast<std::int64_t>(t->tuples));
                rule.as_object().set("observed", std::move(seen));
            }
            rules.push_back(std::move(rule));
        }
        n.set("subnets", json::string_array(nsg.subnets));
        n.set("nics", json::string_array(nsg.nics));
        n.set("replaces", json::string_array(nsg.replaced));
        n.set("rules", std::move(rules));
        if (!nsg.exact_rules.empty()) {
            n.set("exactRuleCount", static_cast<std::int64_t>(nsg.exact_rules.size()));
            n.set("widened", json::string_array(nsg.widened));
        }
        nsgs.emplace_back(std::move(n));
    }
    o.set("nsgs", std::move(nsgs));
    Array asgs;
    for (const harden::ProposedAsg& asg : plan.asgs) {
        Object a;
        a.set("name", asg.name);
        a.set("id", asg.id);
        a.set("group", asg.group);
        Array members;
        for (const auto& [nic, config] : asg.members) {
            Object m;
            m.set("networkInterface", nic);
            m.set("ipConfiguration", config);
            members.emplace_back(std::move(m));
        }
        a.set("members", std::move(members));
        asgs.emplace_back(std::move(a));
    }
    if (!plan.asgs.empty())
        o.set("asgs", std::move(asgs));
    Array left;
    for (const harden::LeftAlone& l : plan.left_alone) {
        Object e;
        e.set("resource", l.resource_id);
        e.set("name", l.name);
        e.set("why", l.why);
        left.emplace_back(std::move(e));
    }
    o.set("leftAlone", std::move(left));
    if (observed != nullptr) {
        Object seen;
        seen.set("conversations", static_cast<std::int64_t>(observed->conversations));
        seen.set("tuples", static_cast<std::int64_t>(observed->tuples));
        seen.set("notDecided", static_cast<std::int64_t>(observed->not_decided));
        seen.set("cutConversations", static_cast<std::int64_t>(observed->cut_conversations));
        seen.set("cutTuples", static_cast<std::int64_t>(observed->cut_tuples));
        Array cut;
        for (const harden::CutFlow& c : observed->cut) {
            const flows::store::ConversationRow& r = c.flow.row;
            Object flow;
            flow.set("source", r.source.to_string());
            flow.set("sourceLabel", c.flow.source.label);
            flow.set("destination", r.destination.to_string());
            flow.set("destinationLabel", c.flow.destination.label);
            flow.set("protocol", net::protocol_to_string(r.protocol));
            flow.set("destinationPort", static_cast<std::int64_t>(r.destination_port));
            flow.set("tuples", static_cast<std::int64_t>(r.totals.tuples));
            flow.set("firstSeen", flows::store::iso_time(r.totals.first_seen_ms));
            flow.set("lastSeen", flows::store::iso_time(r.totals.last_seen_ms));
            flow.set("deniedBy", c.denied_by);
            cut.emplace_back(std::move(flow));
        }
        seen.set("cut", std::move(cut));
        o.set("observed", std::move(seen));
    }
    return o;
}

} // namespace ztnet::report
