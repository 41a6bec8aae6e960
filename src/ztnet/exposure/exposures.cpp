#include "ztnet/exposure/exposures.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "ztnet/exposure/endpoints.h"

namespace ztnet::exposure {

using model::kNone;
using reach::ReachEndpoint;
using reach::ServiceSet;

namespace {

std::uint64_t class_pair(const ReachEndpoint& from, const ReachEndpoint& to) {
    return std::uint64_t{from.equivalence_class} << 32 | to.equivalence_class;
}

} // namespace

void Exposure::add_source(std::uint32_t endpoint, const std::string& name) {
    if (source_names.size() >= kNamesInMessage && endpoint > sources.rbegin()->first) {
        more_sources = true;
        return;
    }
    if (!sources.emplace(endpoint, name).second)
        return;
    ++source_names[name];
    // The highest one goes while the others still make enough names.
    while (sources.size() > 1) {
        auto last = std::prev(sources.end());
        auto count = source_names.find(last->second);
        if (source_names.size() - (count->second == 1 ? 1 : 0) < kNamesInMessage)
            break;
        if (--count->second == 0)
            source_names.erase(count);
        sources.erase(last);
        more_sources = true;
    }
}

std::string Exposure::source_list() const {
    std::set<std::string> names;
    for (const auto& [endpoint, name] : sources)
        names.insert(name);
    return list_names(names) + (more_sources ? " and others" : "");
}

void Exposures::add(Exposure& e, const reach::Reachability& reach, const Pairs& pairs,
                    const ServiceSet& services) {
    if (pairs.empty())
        return;
    const auto& endpoints = reach.endpoints().endpoints;
    const auto [from, to] = pairs.front();
    add_to(e, reach, pairs, services,
           e.class_pairs.insert(class_pair(endpoints[from], endpoints[to])).second);
}

void Exposures::add_to(Exposure& e, const reach::Reachability& reach, const Pairs& pairs,
                       const ServiceSet& services, bool new_class_pair) {
    if (pairs.empty())
        return;
    const auto& endpoints = reach.endpoints().endpoints;
    if (std::find(e.united.begin(), e.united.end(), &services) == e.united.end()) {
        e.services = e.services.unite(services);
        e.united.push_back(&services);
    }
    if (new_class_pair)
        e.pairs.push_back(pairs.front());
    e.pair_count += pairs.size();
    std::uint32_t named = model::kNoPosition; // the last sender named
    for (const auto& pair : pairs) {
        if (pair.first != named)
            e.add_source(pair.first, endpoints[pair.first].name);
        named = pair.first;
    }
}

void Exposures::add(const model::Resource& resource, const std::string& label, const reach::Violation& v,
                    const std::string& source_name) {
    Exposure& e = at(resource, label);
    e.services = e.services.unite(v.services);
    e.pair_count += 1 + v.similar_pairs;
    e.add_source(v.from, source_name);
    for (const route::PathResult& path : v.examples) {
        if (e.traced.size() < kExampleFlows)
            e.traced.push_back(path);
    }
}

const std::deque<Exposure>& Exposures::list() {
    for (Exposure& e : list_)
        std::sort(e.pairs.begin(), e.pairs.end());
    return list_;
}

Exposure& Exposures::at(const model::Resource& resource, const std::string& label) {
    std::vector<std::size_t>& of_resource = index_[&resource];
    for (std::size_t i : of_resource) {
        if (list_[i].label == label)
            return list_[i];
    }
    return make(resource, label);
}

Exposure& Exposures::make(const model::Resource& resource, std::string label) {
    index_[&resource].push_back(list_.size());
    list_.emplace_back();
    list_.back().resource = &resource;
    list_.back().label = std::move(label);
    return list_.back();
}

const std::vector<std::pair<std::uint64_t, const TierPairs::Pairs*>>& TierPairs::in_order() {
    order_.clear();
    for (std::size_t i = 0; i < used_; ++i)
        order_.emplace_back(groups_[i].first, &groups_[i].second);
    std::sort(order_.begin(), order_.end());
    return order_;
}

} // namespace ztnet::exposure
