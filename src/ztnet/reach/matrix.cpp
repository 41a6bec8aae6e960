#include "ztnet/reach/matrix.h"

#include <algorithm>
#include <map>
#include <unordered_set>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"

namespace ztnet::reach {
namespace {

using model::kNone;

std::string subnet_name(const model::Estate& estate, model::Index subnet) {
    return estate.subnets[subnet].name;
}

// A pair of distinct endpoints, one from each member list (of the same class), if there is one.
std::optional<std::pair<std::uint32_t, std::uint32_t>> distinct_pair(const std::vector<std::uint32_t>& a,
                                                                     const std::vector<std::uint32_t>& b) {
    for (std::uint32_t x : a) {
        for (std::uint32_t y : b) {
            if (x != y)
                return std::make_pair(x, y);
        }
    }
    return std::nullopt;
}

// One cell: the union over the pairs of classes of the row's and the column's members. Each
// class pair's result is shared by all its endpoint pairs, so equal results are united once.
MatrixCell fill_cell(Reachability& reach, const std::map<std::uint32_t, std::vector<std::uint32_t>>& row,
                     const std::map<std::uint32_t, std::vector<std::uint32_t>>& column) {
    MatrixCell cell;
    std::unordered_set<const PairReach*> seen;
    bool found = false;
    for (const auto& [from_class, from_members] : row) {
        for (const auto& [to_class, to_members] : column) {
            auto pair = distinct_pair(from_members, to_members);
            if (!pair)
                continue;
            const PairReach& result = reach.between(pair->first, pair->second);
            if (!seen.insert(&result).second)
                continue;
            if (!found && !result.allowed.empty()) {
                cell.example_from = pair->first;
                cell.example_to = pair->second;
                found = true;
            }
            cell.allowed = cell.allowed.unite(result.allowed);
            cell.undecidable = cell.undecidable.unite(result.undecidable);
        }
    }
    cell.undecidable = cell.undecidable.subtract(cell.allowed);
    return cell;
}

} // namespace

std::optional<Grouping> parse_grouping(std::string_view text) {
    for (Grouping g : {Grouping::Subnet, Grouping::Asg, Grouping::Nic, Grouping::Vm}) {
        if (model::same_id(text, grouping_name(g)))
            return g;
    }
    return std::nullopt;
}

std::string_view grouping_name(Grouping grouping) {
    switch (grouping) {
    case Grouping::Subnet:
        return "subnet";
    case Grouping::Asg:
        return "asg";
    case Grouping::Nic:
        return "nic";
    case Grouping::Vm:
        return "vm";
    }
    return "subnet";
}

std::vector<std::pair<std::string, std::string>> endpoint_groups(const model::Estate& estate,
                                                                 const ReachEndpoint& e, Grouping by) {
    const route::Endpoint& p = e.endpoint;
    switch (e.kind) {
    case ReachEndpoint::Kind::ApplicationGateway:
        return {{e.name, "application-gateway"}};
    case ReachEndpoint::Kind::LoadBalancer:
        return {{e.name, "load-balancer"}};
    case ReachEndpoint::Kind::Bastion:
        return {{e.name, "bastion"}};
    case ReachEndpoint::Kind::Internet:
        return {{"Internet", "internet"}};
    case ReachEndpoint::Kind::Platform:
        return {};
    case ReachEndpoint::Kind::Nic:
        break;
    }
    const model::NetworkInterface& nic = estate.network_interfaces[p.nic];
    switch (by) {
    case Grouping::Subnet:
        break;
    case Grouping::Asg: {
        std::vector<std::pair<std::string, std::string>> out;
        for (model::Index asg : nic.ip_configurations[p.ip_configuration].application_security_groups)
            out.push_back({estate.application_security_groups[asg].name, "asg"});
        if (!out.empty())
            return out;
        break;
    }
    case Grouping::Nic:
        return {{nic.name, "nic"}};
    case Grouping::Vm:
        if (nic.virtual_machine != kNone)
            return {{estate.virtual_machines[nic.virtual_machine].name, "vm"}};
        return {{nic.name, "nic"}};
    }
    return {{subnet_name(estate, p.subnet), "subnet"}};
}

Result<ReachMatrix> reach_matrix(Reachability& reach, Grouping by, const std::optional<std::string>& from,
                                 const std::optional<std::string>& to) {
    const model::Estate& estate = reach.estate();
    const auto& endpoints = reach.endpoints().endpoints;
    ReachMatrix m;
    m.by = by;
    std::map<std::string, std::uint32_t> index; // by lower-case name: a subnet and an ASG may share one
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        for (auto& [name, kind] : endpoint_groups(estate, endpoints[i], by)) {
            auto [it, inserted] =
                index.try_emplace(kind + "\n" + name, static_cast<std::uint32_t>(m.groups.size()));
            if (inserted)
                m.groups.push_back({name, kind, {}});
            m.groups[it->second].endpoints.push_back(i);
        }
    }
    std::sort(m.groups.begin(), m.groups.end(), [](const MatrixGroup& a, const MatrixGroup& b) {
        bool a_net = a.kind == "internet", b_net = b.kind == "internet";
        if (a_net != b_net)
            return a_net; // the Internet first
        return a.name < b.name;
    });
    auto selected = [&](const std::optional<std::string>& name,
                        std::vector<std::uint32_t>& out) -> Result<bool> {
        for (std::uint32_t g = 0; g < m.groups.size(); ++g) {
            if (!name || model::same_id(m.groups[g].name, *name))
                out.push_back(g);
        }
        if (out.empty()) {
            std::string names;
            for (const MatrixGroup& g : m.groups)
                names += (names.empty() ? "" : ", ") + g.name;
            return fail(fmt::format("no {} group is named '{}'; the groups are: {}", grouping_name(by), *name,
                                    names));
        }
        return true;
    };
    std::vector<std::uint32_t> rows, columns;
    if (auto ok = selected(from, rows); !ok)
        return ok.error();
    if (auto ok = selected(to, columns); !ok)
        return ok.error();
    // Per group, its members by equivalence class (two are enough to tell a pair from a self-pair).
    std::vector<std::map<std::uint32_t, std::vector<std::uint32_t>>> by_class(m.groups.size());
    for (std::uint32_t g = 0; g < m.groups.size(); ++g) {
        for (std::uint32_t e : m.groups[g].endpoints) {
            auto& members = by_class[g][endpoints[e].equivalence_class];
            if (members.size() < 2)
                members.push_back(e);
        }
    }
    for (std::uint32_t r : rows) {
        for (std::uint32_t c : columns) {
            MatrixCell cell = fill_cell(reach, by_class[r], by_class[c]);
            cell.from = r;
            cell.to = c;
            if (!cell.allowed.empty() || !cell.undecidable.empty())
                m.cells.push_back(std::move(cell));
        }
    }
    m.stats = reach.stats();
    return m;
}

} // namespace ztnet::reach
