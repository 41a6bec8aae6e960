#include "ztnet/harden/detail/rule_draft.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>
#include <utility>

#include <fmt/format.h>

namespace ztnet::harden::detail {
namespace {

using model::AddressEntry;
using net::Direction;

// What an Azure rule name may hold: letters, digits, '_', '.', '-', at most 80 characters.
std::string rule_name(std::string_view stem) {
    std::string out;
    bool dash = false;
    for (char c : stem) {
        const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.';
        if (keep) {
            out += c;
            dash = false;
        } else if (!dash && !out.empty()) {
            out += '-';
            dash = true;
        }
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.substr(0, 72);
}

std::vector<std::string> port_texts(const net::PortSet& ports) {
    if (ports.full())
        return {"*"};
    std::vector<std::string> out;
    for (const auto& range : ports.intervals())
        out.push_back(range.lo == range.hi ? std::to_string(range.lo)
                                           : fmt::format("{}-{}", range.lo, range.hi));
    return out;
}

void add_reasons(Draft& into, Draft& from) {
    for (std::string& reason : from.reasons)
        if (std::find(into.reasons.begin(), into.reasons.end(), reason) == into.reasons.end())
            into.reasons.push_back(std::move(reason));
    into.order = std::min(into.order, from.order);
}

// Rules of the application that differ only in their destination (or only in their source)
// addresses become one, with both: the backends of one load balancer, the tiers one flow reaches.
std::vector<Draft> merge_sides(std::vector<Draft> drafts, bool destinations) {
    std::vector<Draft> out;
    std::map<std::tuple<Direction, std::string, std::string, std::string>, std::size_t> at;
    for (Draft& d : drafts) {
        Side& merged_side = destinations ? d.destination : d.source;
        const Side& kept_side = destinations ? d.source : d.destination;
        const bool mergeable =
            d.priority == 0 && merged_side.asgs.empty() &&
            std::none_of(merged_side.addresses.begin(), merged_side.addresses.end(),
                         [](const AddressEntry& a) { return a.kind != AddressEntry::Kind::Prefix; });
        if (!mergeable) {
            out.push_back(std::move(d));
            continue;
        }
        auto key = std::make_tuple(d.direction, kept_side.key(), d.protocol, d.ports.to_string());
        auto [it, fresh] = at.try_emplace(key, out.size());
        if (fresh) {
            out.push_back(std::move(d));
            continue;
        }
        Draft& into = out[it->second];
        Side& into_side = destinations ? into.destination : into.source;
        for (const AddressEntry& a : merged_side.addresses)
            if (std::none_of(into_side.addresses.begin(), into_side.addresses.end(),
                             [&](const AddressEntry& b) { return b.prefix == a.prefix; }))
                into_side.addresses.push_back(a);
        add_reasons(into, d);
    }
    return out;
}

model::SecurityRule to_rule(const Draft& d, std::string name, int priority) {
    model::SecurityRule r;
    r.name = std::move(name);
    r.priority = priority;
    r.direction = d.direction;
    r.access = d.label.starts_with("DenyAll") ? model::Access::Deny : model::Access::Allow;
    r.protocol = d.protocol;
    r.protocols = *net::parse_nsg_protocol(d.protocol);
    r.source.addresses = d.source.addresses;
    r.source.application_security_groups = d.source.asgs;
    r.destination.addresses = d.destination.addresses;
    r.destination.application_security_groups = d.destination.asgs;
    r.source_ports = {"*"};
    r.source_port_set = net::PortSet::all();
    r.destination_ports = port_texts(d.ports);
    r.destination_port_set = d.ports;
    // Azure takes at most 140 characters of a rule's description.
    r.description =
        d.reasons.front().size() <= 140 ? d.reasons.front() : d.reasons.front().substr(0, 137) + "...";
    return r;
}

} // namespace

std::string Side::key() const {
    std::string out;
    for (const AddressEntry& a : addresses)
        out += a.text() + ",";
    for (model::AsgIndex g : asgs)
        out += fmt::format("asg{},", g.value());
    return out;
}

Side any_side() {
    Side side;
    side.addresses.push_back(AddressEntry{AddressEntry::Kind::Any, {}, {}});
    return side;
}

Side tag_side(std::string tag) {
    Side side;
    side.addresses.push_back(AddressEntry{AddressEntry::Kind::ServiceTag, {}, std::move(tag)});
    return side;
}

void add_prefix(Side& side, const net::Prefix& prefix) {
    side.addresses.push_back(AddressEntry{AddressEntry::Kind::Prefix, prefix, {}});
}

Draft fixed(Direction direction, Side source, Side destination, std::string protocol, net::PortSet ports,
            int priority, std::string label, std::string reason) {
    Draft d;
    d.direction = direction;
    d.source = std::move(source);
    d.destination = std::move(destination);
    d.protocol = std::move(protocol);
    d.ports = std::move(ports);
    d.priority = priority;
    d.label = std::move(label);
    d.reasons = {std::move(reason)};
    return d;
}

std::vector<Draft> merged(std::vector<Draft> drafts) {
    std::vector<Draft> out;
    std::map<std::tuple<Direction, std::string, std::string, std::string, int>, std::size_t> at;
    for (Draft& d : drafts) {
        auto key = std::make_tuple(d.direction, d.source.key(), d.destination.key(), d.protocol, d.priority);
        auto [it, fresh] = at.try_emplace(key, out.size());
        if (fresh) {
            out.push_back(std::move(d));
            continue;
        }
        Draft& into = out[it->second];
        into.ports = into.ports.unite(d.ports);
        add_reasons(into, d);
    }
    out = merge_sides(std::move(out), true);
    out = merge_sides(std::move(out), false);
    std::stable_sort(out.begin(), out.end(), [](const Draft& a, const Draft& b) {
        return std::tie(a.direction, a.priority, a.order) < std::tie(b.direction, b.priority, b.order);
    });
    return out;
}

std::vector<ProposedRule> numbered(const std::vector<Draft>& drafts) {
    std::vector<ProposedRule> out;
    std::map<std::pair<Direction, std::string>, int> used; // names, per direction
    int next[2] = {kFirstPriority, kFirstPriority};
    for (const Draft& d : drafts) {
        const int slot = d.direction == Direction::Inbound ? 0 : 1;
        int priority = d.priority;
        if (priority == 0) {
            priority = next[slot];
            next[slot] += kPriorityStep;
        } else if (d.priority == kRequirementPriority) {
            priority = d.priority + 10 * used[{d.direction, "#requirement"}]++;
        }
        std::string stem = d.priority == 0 ? "Allow-" + d.label : d.label;
        if (d.priority == 0)
            stem += d.direction == Direction::Inbound ? "-In" : "-Out";
        std::string name = rule_name(stem);
        const int seen = used[{d.direction, name}]++;
        if (seen > 0)
            name += fmt::format("-{}", seen + 1);
        out.push_back({to_rule(d, name, priority), d.reasons});
    }
    return out;
}

} // namespace ztnet::harden::detail
