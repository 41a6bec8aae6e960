#include "ztnet/harden/detail/rule_draft.h"

#include <algorithm>
#include <cctype>
#include <cmath>
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

// The addresses a side stands for, as a number that orders merges (a group's members are not
// counted here: a group counts as one subnet's worth).
double side_size(const Side& side) {
    if (!side.asgs.empty())
        return 256.0 * static_cast<double>(side.asgs.size());
    double size = 0;
    for (const AddressEntry& a : side.addresses) {
        if (a.kind != AddressEntry::Kind::Prefix)
            return 4294967296.0; // '*' and service tags: as large as IPv4
        const int bits = a.prefix.family() == net::Family::V4 ? 32 - a.prefix.length()
                                                              : std::min(32, 128 - a.prefix.length());
        size += std::ldexp(1.0, bits);
    }
    return size;
}

double volume(const Draft& d) {
    return side_size(d.source) * side_size(d.destination) * static_cast<double>(d.ports.size());
}

bool only_prefixes(const Side& side) {
    return side.asgs.empty() &&
           std::all_of(side.addresses.begin(), side.addresses.end(),
                       [](const AddressEntry& a) { return a.kind == AddressEntry::Kind::Prefix; });
}

// Two sides as one rule side, when Azure can write them so: equal, or both prefixes (a side names
// one application security group or one service tag at most).
std::optional<Side> united(const Side& a, const Side& b) {
    if (a.key() == b.key())
        return a;
    Side out = a;
    if (only_prefixes(a) && only_prefixes(b)) {
        for (const AddressEntry& e : b.addresses)
            if (std::none_of(out.addresses.begin(), out.addresses.end(),
                             [&](const AddressEntry& x) { return x.prefix == e.prefix; }))
                out.addresses.push_back(e);
        return out;
    }
    return std::nullopt; // a side takes one group and one service tag at most
}

std::optional<Draft> merge_two(const Draft& a, const Draft& b) {
    if (a.priority != 0 || b.priority != 0 || a.direction != b.direction || a.protocol != b.protocol)
        return std::nullopt;
    std::optional<Side> source = united(a.source, b.source);
    std::optional<Side> destination = united(a.destination, b.destination);
    if (!source || !destination)
        return std::nullopt;
    Draft out = a;
    out.source = std::move(*source);
    out.destination = std::move(*destination);
    out.ports = a.ports.unite(b.ports);
    Draft other = b;
    add_reasons(out, other);
    return out;
}

std::string draft_text(const Draft& d) {
    return fmt::format("{} {} {} -> {} ports {}", net::direction_name(d.direction), d.protocol,
                       d.source.key(), d.destination.key(), net::port_set_to_string(d.ports));
}

} // namespace

std::optional<std::vector<Draft>> bounded(std::vector<Draft> drafts, std::size_t max,
                                          std::vector<std::string>& widened) {
    while (drafts.size() > max) {
        std::optional<std::pair<std::size_t, std::size_t>> best;
        std::optional<Draft> best_merge;
        double best_cost = 0;
        for (std::size_t i = 0; i < drafts.size(); ++i) {
            for (std::size_t j = i + 1; j < drafts.size(); ++j) {
                std::optional<Draft> merge = merge_two(drafts[i], drafts[j]);
                if (!merge)
                    continue;
                const double cost = volume(*merge) - volume(drafts[i]) - volume(drafts[j]);
                if (!best || cost < best_cost) {
                    best = {i, j};
                    best_cost = cost;
                    best_merge = std::move(merge);
                }
            }
        }
        if (!best)
            return std::nullopt;
        widened.push_back(fmt::format("{} and {} merged into {}", draft_text(drafts[best->first]),
                                      draft_text(drafts[best->second]), draft_text(*best_merge)));
        drafts[best->first] = std::move(*best_merge);
        drafts.erase(drafts.begin() + static_cast<std::ptrdiff_t>(best->second));
    }
    return drafts;
}

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
    // Room between rules, unless a direction has too many for it below Azure's requirements.
    int step[2] = {kPriorityStep, kPriorityStep};
    for (int slot : {0, 1}) {
        const auto count = std::count_if(drafts.begin(), drafts.end(), [&](const Draft& d) {
            return d.priority == 0 && (d.direction == Direction::Inbound) == (slot == 0);
        });
        if (count > 0)
            step[slot] = static_cast<int>(std::clamp<long>(
                (kRequirementPriority - kFirstPriority) / static_cast<long>(count), 1, kPriorityStep));
    }
    for (const Draft& d : drafts) {
        const int slot = d.direction == Direction::Inbound ? 0 : 1;
        int priority = d.priority;
        if (priority == 0) {
            priority = next[slot];
            next[slot] += step[slot];
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
