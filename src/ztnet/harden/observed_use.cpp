#include "ztnet/harden/observed_use.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/observed/attribution.h"

namespace ztnet::harden {
namespace {

using flows::store::ConversationRow;

// The NSG hop that decided a side, and its rule: the one that denied it, else the last that allowed.
const route::Hop* deciding(const route::PathResult& side) {
    const route::Hop* out = nullptr;
    for (const route::Hop& hop : side.hops) {
        if (hop.kind != route::Hop::Kind::Nsg)
            continue;
        if (hop.verdict == route::Verdict::Denied)
            return &hop;
        out = &hop;
    }
    return out;
}

} // namespace

Result<ObservedUse> observed_use(const analysis::Analysis& analysis, const HardenPlan& plan,
                                 std::span<const ConversationRow> rows,
                                 const observed::FlowCheckOptions& options, Diagnostics& diagnostics) {
    const model::Estate hardened = apply_plan(analysis.estate(), plan);
    analysis::Options only_paths;
    only_paths.reachability = false;
    only_paths.rule_analysis = false;
    Result<std::unique_ptr<analysis::Analysis>> after =
        analysis::Analysis::run(hardened, analysis.tags(), only_paths, diagnostics);
    if (!after)
        return after.error();
    // The parties as the estate given names them (an App Gateway's instances by its name); the
    // decisions in the hardened one. The plan changes NSGs only, so the endpoints are the same.
    observed::Attribution who(analysis);
    observed::SideDecisions decisions(**after, who);
    ObservedUse out;
    std::map<std::pair<std::string, std::string>, RuleTraffic> by_rule; // (NSG id key, rule)
    std::vector<observed::ObservedFlow> cut;
    std::vector<std::string> cut_by;
    for (const ConversationRow& row : rows) {
        if (!observed::in_window(row, options) || row.decision != flows::Decision::Allow)
            continue;
        ++out.conversations;
        out.tuples += row.totals.tuples;
        const route::Endpoint& local =
            who.endpoint(row.direction == net::Direction::Inbound ? row.destination : row.source);
        if (local.subnet == model::kNone) {
            ++out.not_decided;
            continue;
        }
        const route::PathResult& side = decisions.of(row);
        const route::Hop* hop = deciding(side);
        if (side.verdict == route::Verdict::Undecidable) {
            ++out.not_decided;
        } else if (side.verdict == route::Verdict::Denied) {
            cut.push_back(observe(row, who));
            cut_by.push_back(hop != nullptr ? fmt::format("{}/{}", hop->resource_name, hop->rule)
                                            : side.summary);
            ++out.cut_conversations;
            out.cut_tuples += row.totals.tuples;
        } else if (hop != nullptr) {
            for (const route::Hop& h : side.hops) {
                if (h.kind != route::Hop::Kind::Nsg || h.rule.empty())
                    continue;
                RuleTraffic& t = by_rule[{model::id_key(h.resource), h.rule}];
                t.nsg_id = h.resource;
                t.rule = h.rule;
                ++t.conversations;
                t.tuples += row.totals.tuples;
            }
        }
    }
    for (const NsgProposal& nsg : plan.nsgs)
        for (const ProposedRule& r : nsg.rules)
            if (auto found = by_rule.find({model::id_key(nsg.nsg_id), r.rule.name}); found != by_rule.end())
                out.rules.push_back(found->second);
    // One line per flow (its conversations summed), the busiest first.
    std::map<std::tuple<net::Address, net::Address, std::uint16_t, std::uint8_t>, std::size_t> at;
    for (std::size_t i = 0; i < cut.size(); ++i) {
        const ConversationRow& r = cut[i].row;
        auto [it, fresh] =
            at.try_emplace({r.source, r.destination, r.destination_port, r.protocol}, out.cut.size());
        if (fresh)
            out.cut.push_back({cut[i], cut_by[i]});
        else
            flows::store::add_totals(out.cut[it->second].flow.row.totals, r.totals);
    }
    std::stable_sort(out.cut.begin(), out.cut.end(), [](const CutFlow& a, const CutFlow& b) {
        return a.flow.row.totals.tuples > b.flow.row.totals.tuples;
    });
    return out;
}

} // namespace ztnet::harden
