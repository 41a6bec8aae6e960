#include "ztnet/reach/matrix.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/support/parallel.h"

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

// A group's members by equivalence class; two are enough to tell a pair from a self-pair.
using GroupClasses = std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>>;

// Unions of set indices, each index united once per cell: a stamp per index says which cell
// took it last.
class CellUnion {
  public:
    explicit CellUnion(const ClassTable& table) : table_(table), stamps_(table.set_count(), 0) {}
    void start() {
        ++cell_;
        set_ = ServiceSet();
    }
    void add(std::uint32_t index) {
        if (table_.empty(index) || stamps_[index] == cell_)
            return;
        stamps_[index] = cell_;
        set_ = set_.unite(table_.set(index));
    }
    const ServiceSet& set() const { return set_; }

  private:
    const ClassTable& table_;
    std::vector<std::uint32_t> stamps_;
    std::uint32_t cell_ = 0;
    ServiceSet set_;
};

// One cell: the union over the pairs of classes of the row's and the column's members.
MatrixCell fill_cell(const ClassTable& table, const GroupClasses& row, const GroupClasses& column,
                     CellUnion& allowed, CellUnion& undecidable) {
    MatrixCell cell;
    allowed.start();
    undecidable.start();
    bool found = false;
    for (const auto& [from_class, from_members] : row) {
        for (const auto& [to_class, to_members] : column) {
            if (from_class == to_class && from_members.size() == 1 && to_members.size() == 1 &&
                from_members[0] == to_members[0])
                continue; // an endpoint and itself
            ClassTable::Entry result = table.at(from_class, to_class);
            if (!found && !table.empty(result.allowed)) {
                auto pair = distinct_pair(from_members, to_members);
                cell.example_from = pair->first;
                cell.example_to = pair->second;
                found = true;
            }
            allowed.add(result.allowed);
            undecidable.add(result.undecidable);
        }
    }
    cell.allowed = allowed.set();
    cell.undecidable = undecidable.set().subtract(cell.allowed);
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
    std::vector<GroupClasses> by_class(m.groups.size());
    for (std::uint32_t g = 0; g < m.groups.size(); ++g) {
        std::map<std::uint32_t, std::vector<std::uint32_t>> members;
        for (std::uint32_t e : m.groups[g].endpoints) {
            auto& of_class = members[endpoints[e].equivalence_class];
            if (of_class.size() < 2)
                of_class.push_back(e);
        }
        by_class[g].assign(members.begin(), members.end());
    }
    Result<const ClassTable*> table = reach.class_table();
    if (!table)
        return table.error();
    // Rows on every core, each worker with unions of its own; cells are kept in row order.
    const unsigned workers = hardware_threads();
    std::vector<std::unique_ptr<CellUnion>> allowed, undecidable;
    for (unsigned w = 0; w < workers; ++w) {
        allowed.push_back(std::make_unique<CellUnion>(**table));
        undecidable.push_back(std::make_unique<CellUnion>(**table));
    }
    std::vector<std::vector<MatrixCell>> row_cells(rows.size());
    parallel_for(rows.size(), workers, 1, [&](std::size_t i, unsigned w) {
        for (std::uint32_t c : columns) {
            MatrixCell cell =
                fill_cell(**table, by_class[rows[i]], by_class[c], *allowed[w], *undecidable[w]);
            cell.from = rows[i];
            cell.to = c;
            if (!cell.allowed.empty() || !cell.undecidable.empty())
                row_cells[i].push_back(std::move(cell));
        }
    });
    for (auto& cells : row_cells)
        std::move(cells.begin(), cells.end(), std::back_inserter(m.cells));
    m.stats = reach.stats();
    return m;
}

} // namespace ztnet::reach
