// Internal to the checks module: findings made from exposures (ztnet/exposure), each with example
// flows traced hop by hop to the rules that decide them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "ztnet/checks/check.h"
#include "ztnet/exposure/allowed_within.h"
#include "ztnet/exposure/exposures.h"
#include "ztnet/route/path.h"
#include "ztnet/support/parallel.h"

namespace ztnet::checks::families {

/// One flow of `service` from endpoint `from` to endpoint `to`, traced through the estate.
route::PathResult trace(const CheckContext& context, std::uint32_t from, std::uint32_t to,
                        const reach::Service& service);

/// The flow and its verdict, then every step of its path at the place of the rule that decided it.
void add_path_evidence(const route::PathResult& path, std::vector<Evidence>& out);

/// Up to `flows` example flows of the exposure, each traced from a pair that allows it.
std::vector<Evidence> exposure_evidence(const CheckContext& context, const exposure::Exposure& exposure,
                                        std::size_t flows);

/// A finding on the exposed resource, with the exposure's example flows as evidence.
Finding exposure_finding(const CheckContext& context, const exposure::Exposure& exposure, std::size_t flows,
                         std::string message, std::string discriminator);

/// One finding per exposure, `describe` giving its message and discriminator. Tracing the evidence
/// is most of the work, so findings are built on every core when tracing allows it.
template <class Describe>
std::vector<Finding> exposure_findings(const CheckContext& context, exposure::Exposures& exposures,
                                       Describe describe) {
    const std::deque<exposure::Exposure>& list = exposures.list();
    std::vector<Finding> out(list.size());
    parallel_for(list.size(), pool_threads(), 8, [&](std::size_t i, unsigned) {
        auto [message, discriminator] = describe(list[i]);
        out[i] = exposure_finding(context, list[i], exposures.example_flows(), std::move(message),
                                  std::move(discriminator));
    });
    return out;
}

/// Everything the Internet reaches on `to` within the interest of `within`, from every piece of the
/// Internet.
void add_internet_exposure(const CheckContext& context, const std::vector<std::uint32_t>& internet,
                           std::uint32_t to, exposure::AllowedWithin& within, exposure::Exposures& out);

} // namespace ztnet::checks::families
