#include "ztnet/observed/path_evidence.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "ztnet/flows/store/summary_report.h"
#include "ztnet/net/protocol.h"

namespace ztnet::observed {

namespace {

// Evidence lines this file adds start so, for people and for findings_with_observed_evidence.
constexpr std::string_view kObserved = "observed: ";

std::string flow_text(const ObservedFlow& f) {
    const std::string port =
        net::protocol_has_ports(f.row.protocol) ? fmt::format("/{}", f.row.destination_port) : std::string();
    return fmt::format("{} ({}) -> {} ({}) {}{}", f.row.source.to_string(), f.source.label,
                       f.row.destination.to_string(), f.destination.label,
                       net::protocol_to_string(f.row.protocol), port);
}

std::string use_text(const PathUse& use) {
    std::string out =
        fmt::format("{}this path carried {} flow(s), {} tuple(s), {} to {}", kObserved, use.flows, use.tuples,
                    flows::store::iso_time(use.first_seen_ms), flows::store::iso_time(use.last_seen_ms));
    for (std::size_t i = 0; i < use.examples.size(); ++i)
        out += fmt::format("{}{} ({} tuple(s))", i == 0 ? "; e.g. " : ", ", flow_text(use.examples[i]),
                           use.examples[i].row.totals.tuples);
    return out;
}

} // namespace

ObservedPaths::ObservedPaths(const analysis::Analysis& analysis, std::span<const store::ConversationRow> rows,
                             const FlowCheckOptions& options)
    : who_(analysis), max_examples_(options.max_examples) {
    std::vector<ObservedFlow> flows;
    for (const store::ConversationRow& row : rows)
        if (in_window(row, options) && row.decision == flows::Decision::Allow)
            flows.push_back(observe(row, who_));
    allowed_ = merged_flows(flows);
    for (std::size_t i = 0; i < allowed_.size(); ++i) {
        const ObservedFlow& f = allowed_[i];
        if (f.destination.endpoint >= 0)
            by_destination_endpoint_[f.destination.endpoint].push_back(i);
        by_destination_address_[f.row.destination].push_back(i);
    }
}

bool ObservedPaths::same_source(const ObservedFlow& flow, const Party& source,
                                const net::Address& address) const {
    if (!inside(source.kind))
        return flow.source.kind == source.kind;
    if (source.endpoint >= 0)
        return flow.source.endpoint == source.endpoint;
    return flow.row.source == address;
}

PathUse ObservedPaths::use(const net::Flow& witness) {
    const Party source = who_.party(witness.source);
    const Party destination = who_.party(witness.destination);
    PathUse use;
    const std::vector<std::size_t>* candidates = nullptr;
    if (destination.endpoint >= 0) {
        auto found = by_destination_endpoint_.find(destination.endpoint);
        candidates = found == by_destination_endpoint_.end() ? nullptr : &found->second;
    } else {
        auto found = by_destination_address_.find(witness.destination);
        candidates = found == by_destination_address_.end() ? nullptr : &found->second;
    }
    if (candidates == nullptr)
        return use;
    const bool ports = net::protocol_has_ports(witness.protocol);
    std::vector<const ObservedFlow*> matched;
    for (const std::size_t i : *candidates) {
        const ObservedFlow& f = allowed_[i];
        if (f.row.protocol != witness.protocol ||
            (ports && f.row.destination_port != witness.destination_port) ||
            !same_source(f, source, witness.source))
            continue;
        matched.push_back(&f);
        use.tuples += f.row.totals.tuples;
        use.first_seen_ms = use.flows == 0 ? f.row.totals.first_seen_ms
                                           : std::min(use.first_seen_ms, f.row.totals.first_seen_ms);
        use.last_seen_ms = std::max(use.last_seen_ms, f.row.totals.last_seen_ms);
        ++use.flows;
    }
    std::stable_sort(matched.begin(), matched.end(), [](const ObservedFlow* a, const ObservedFlow* b) {
        return a->row.totals.tuples > b->row.totals.tuples;
    });
    for (std::size_t i = 0; i < matched.size() && i < max_examples_; ++i)
        use.examples.push_back(*matched[i]);
    return use;
}

std::vector<checks::Finding> with_observed_evidence(std::vector<checks::Finding> findings,
                                                    ObservedPaths& paths) {
    for (checks::Finding& finding : findings) {
        std::set<std::tuple<std::uint8_t, net::Address, net::Address, std::uint16_t>> asked;
        std::vector<checks::Evidence> added;
        for (const checks::Evidence& evidence : finding.evidence) {
            if (!evidence.flow)
                continue;
            const net::Flow& w = *evidence.flow;
            if (!asked.emplace(w.protocol, w.source, w.destination, w.destination_port).second)
                continue;
            const PathUse use = paths.use(w);
            if (use.flows == 0)
                continue;
            checks::Evidence& line = added.emplace_back();
            line.text = use_text(use);
        }
        for (checks::Evidence& e : added)
            finding.evidence.push_back(std::move(e));
    }
    return findings;
}

std::size_t findings_with_observed_evidence(const std::vector<checks::Finding>& findings) {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [](const checks::Finding& f) {
            return std::any_of(f.evidence.begin(), f.evidence.end(),
                               [](const checks::Evidence& e) { return e.text.starts_with(kObserved); });
        }));
}

} // namespace ztnet::observed
