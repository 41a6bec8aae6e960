#include "ztnet/checks/witness_paths.h"

#include "ztnet/support/parallel.h"

namespace ztnet::checks {

namespace {

std::optional<route::PathResult> trace_witness(const analysis::Analysis& analysis, const net::Flow& flow) {
    auto from = route::resolve_endpoint(analysis.estate(), analysis.tags(), flow.source.to_string());
    auto to = route::resolve_endpoint(analysis.estate(), analysis.tags(), flow.destination.to_string());
    if (!from || !to)
        return std::nullopt;
    return analysis.trace(*from, *to, route::PathQuery{flow, std::nullopt});
}

} // namespace

std::vector<std::optional<route::PathResult>>
witness_paths(const analysis::Analysis& analysis, const std::vector<Finding>& findings, std::size_t limit) {
    std::vector<std::optional<route::PathResult>> out(findings.size());
    std::vector<std::pair<std::size_t, const net::Flow*>> wanted;
    for (std::size_t i = 0; i < findings.size() && wanted.size() < limit; ++i)
        for (const Evidence& e : findings[i].evidence)
            if (e.flow) {
                wanted.emplace_back(i, &*e.flow);
                break;
            }
    // Each trace reads the frozen analysis and writes its own slot.
    ThreadPool::Scope scope(analysis.pool());
    parallel_for(wanted.size(), pool_threads(), 16, [&](std::size_t k, unsigned) {
        out[wanted[k].first] = trace_witness(analysis, *wanted[k].second);
    });
    return out;
}

} // namespace ztnet::checks
