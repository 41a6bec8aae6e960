#include "ztnet/checks/families/exposure_findings.h"

#include <utility>

#include <fmt/format.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/exposure/endpoints.h"

namespace ztnet::checks::families {

using exposure::Exposure;
using reach::Service;

route::PathResult trace(const CheckContext& context, std::uint32_t from, std::uint32_t to,
                        const Service& service) {
    const auto& endpoints = context.reach.endpoints().endpoints;
    route::PathQuery query;
    query.flow.protocol = service.protocol;
    if (reach::has_ports(service.protocol)) {
        query.flow.source_port = service.source_port;
        query.flow.destination_port = service.destination_port;
    }
    return route::trace_path(context.engine, context.reach.route_views(), endpoints[from].endpoint,
                             endpoints[to].endpoint, query);
}

void add_path_evidence(const route::PathResult& path, std::vector<Evidence>& out) {
    std::string verdict(route::verdict_name(path.verdict));
    if (path.verdict != route::Verdict::Allowed && !path.summary.empty())
        verdict += ": " + path.summary;
    out.push_back(Evidence{
        fmt::format("{} -> {}: {} {}", path.from.label, path.to.label, path.flow.to_string(), verdict),
        SourceLocation{}, path.flow});
    for (const route::Hop& hop : path.hops) {
        if (hop.kind != route::Hop::Kind::Delivery)
            out.push_back(Evidence{fmt::format("{}: {}", hop.step, hop.detail), hop.where, path.flow});
    }
}

std::vector<Evidence> exposure_evidence(const CheckContext& context, const Exposure& exposure,
                                        std::size_t flows) {
    std::vector<Evidence> out;
    for (const route::PathResult& path : exposure.traced)
        add_path_evidence(path, out);
    if (!exposure.traced.empty())
        return out;
    const reach::ClassTable& table = context.reach.table();
    const auto& endpoints = context.reach.endpoints().endpoints;
    for (const Service& service : exposure.services.examples(flows)) {
        for (auto [from, to] : exposure.pairs) {
            const std::uint32_t allowed =
                table.allowed(endpoints[from].equivalence_class, endpoints[to].equivalence_class);
            if (table.set(allowed).contains(service)) {
                add_path_evidence(trace(context, from, to, service), out);
                break;
            }
        }
    }
    return out;
}

Finding exposure_finding(const CheckContext& context, const Exposure& exposure, std::size_t flows,
                         std::string message, std::string discriminator) {
    Finding f = support::finding_on(*exposure.resource, std::move(message), std::move(discriminator));
    f.evidence = exposure_evidence(context, exposure, flows);
    return f;
}

void add_internet_exposure(const CheckContext& context, const std::vector<std::uint32_t>& internet,
                           std::uint32_t to, exposure::AllowedWithin& within, exposure::Exposures& out) {
    const auto& endpoints = context.reach.endpoints().endpoints;
    const model::Resource* resource = exposure::endpoint_resource(context.estate, endpoints[to]);
    if (!resource)
        return;
    for (std::uint32_t from : internet) {
        const std::uint32_t a = endpoints[from].equivalence_class;
        const std::uint32_t b = endpoints[to].equivalence_class;
        if (within.any(a, b))
            out.add(*resource, "", context.reach, from, to, within(a, b));
    }
}

} // namespace ztnet::checks::families
