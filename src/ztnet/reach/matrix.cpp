#include "ztnet/reach/matrix.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/support/parallel.h"

namespace ztnet::reach {
namespace {

using model::kNone;

// Subnet names (lower case) that more than one VNet uses: their groups are named "vnet/subnet", so
// that snet-web of two spokes stay two groups.
std::unordered_set<std::string> ambiguous_subnet_names(const model::Estate& estate) {
    std::unordered_map<std::string, model::VnetIndex> first_vnet;
    std::unordered_set<std::string> out;
    for (const model::Subnet& subnet : estate.subnets) {
        auto [it, fresh] = first_vnet.try_emplace(model::id_key(subnet.name), subnet.virtual_network);
        if (!fresh && it->second != subnet.virtual_network)
            out.insert(it->first);
    }
    return out;
}

std::string subnet_name(const model::Estate& estate, model::SubnetIndex subnet,
                        const std::unordered_set<std::string>& ambiguous) {
    const model::Subnet& s = estate.subnets[subnet];
    if (s.virtual_network == kNone || !ambiguous.contains(model::id_key(s.name)))
        return s.name;
    return estate.virtual_networks[s.virtual_network].name + "/" + s.name;
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

// Where the classes sit among the selected columns, in one array: the places of class c are
// places[first[c]] .. places[first[c + 1] - 1], with the class's members in that column's group (a
// class is in several groups when its endpoints are, as with ASGs).
struct ColumnPlaces {
    struct Place {
        std::uint32_t column = 0;
        const std::vector<std::uint32_t>* members = nullptr;
    };
    std::vector<std::uint32_t> first;
    std::vector<Place> places;
};

// The cells of one row group, filled by scanning each of its classes' rows of the table once, in
// the table's order: each cell gathers the entries it meets (a repeat of the last one skipped, as
// most are, before it is decoded), and unites each distinct set once at the end.
class RowCells {
  public:
    RowCells(const ClassTable& table, const ColumnPlaces& columns, std::size_t column_count)
        : table_(table), columns_(columns), cells_(column_count) {}

    void fill(const GroupClasses& row) {
        for (Gathered& cell : cells_)
            cell = Gathered{};
        const std::uint32_t classes = table_.classes();
        for (const auto& [from_class, from_members] : row) {
            const ClassTable::Row words = table_.row(from_class);
            for (std::uint32_t to_class = 0; to_class < classes; ++to_class) {
                for (std::uint32_t p = columns_.first[to_class]; p < columns_.first[to_class + 1]; ++p)
                    add(from_class, from_members, to_class, words[to_class], columns_.places[p]);
            }
        }
    }

    // The cell of column position `column`: the union of what it gathered.
    MatrixCell cell(std::size_t column) {
        Gathered& g = cells_[column];
        std::vector<std::uint32_t> allowed, undecidable;
        for (std::uint64_t word : g.words) {
            const ClassTable::Entry e = table_.entry(word);
            allowed.push_back(e.allowed);
            undecidable.push_back(e.undecidable);
        }
        MatrixCell out;
        out.allowed = unite(allowed);
        out.undecidable = unite(undecidable); // not less what another pair surely sends: both are true
        out.example_from = g.example_from;
        out.example_to = g.example_to;
        return out;
    }

  private:
    struct Gathered {
        std::vector<std::uint64_t> words; // entries met, no two neighbours equal
        bool found = false;               // an example pair
        std::uint32_t example_from = 0;
        std::uint32_t example_to = 0;
    };

    void add(std::uint32_t from_class, const std::vector<std::uint32_t>& from_members, std::uint32_t to_class,
             std::uint64_t word, const ColumnPlaces::Place& place) {
        Gathered& g = cells_[place.column];
        if (!g.words.empty() && g.words.back() == word)
            return; // what this entry adds, the cell has, example included
        const std::vector<std::uint32_t>& to_members = *place.members;
        if (from_class == to_class && from_members.size() == 1 && to_members.size() == 1 &&
            from_members[0] == to_members[0])
            return; // an endpoint and itself
        // The first pair of classes, row by row and column by column, that allows something.
        if (!g.found && !table_.empty(table_.entry(word).allowed)) {
            auto pair = distinct_pair(from_members, to_members);
            g.example_from = pair->first;
            g.example_to = pair->second;
            g.found = true;
        }
        g.words.push_back(word);
    }

    ServiceSet unite(std::vector<std::uint32_t>& indices) const {
        std::sort(indices.begin(), indices.end());
        indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
        ServiceSet out;
        for (std::uint32_t index : indices) {
            if (!table_.empty(index))
                out = out.unite(table_.set(index));
        }
        return out;
    }

    const ClassTable& table_;
    const ColumnPlaces& columns_;
    std::vector<Gathered> cells_; // per column position
};

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
    return endpoint_groups(estate, e, by, ambiguous_subnet_names(estate));
}

std::vector<std::pair<std::string, std::string>>
endpoint_groups(const model::Estate& estate, const ReachEndpoint& e, Grouping by,
                const std::unordered_set<std::string>& ambiguous) {
    const route::Endpoint& p = e.endpoint;
    switch (e.kind) {
    case ReachEndpoint::Kind::ApplicationGateway:
        return {{e.name, "application-gateway"}};
    case ReachEndpoint::Kind::LoadBalancer:
        return {{e.name, "load-balancer"}};
    case ReachEndpoint::Kind::Bastion:
        return {{e.name, "bastion"}};
    case ReachEndpoint::Kind::PrivateEndpoint:
        return {{e.name, "private-endpoint"}};
    case ReachEndpoint::Kind::Internet:
        return {{"Internet", "internet"}};
    case ReachEndpoint::Kind::OnPremises:
        return {{"on-premises", "on-premises"}};
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
        for (model::AsgIndex asg : nic.ip_configurations[p.ip_configuration].application_security_groups)
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
    return {{subnet_name(estate, p.subnet, ambiguous), "subnet"}};
}

Result<ReachMatrix> reach_matrix(const Reachability& reach, Grouping by,
                                 const std::optional<std::string>& from,
                                 const std::optional<std::string>& to) {
    const model::Estate& estate = reach.estate();
    const auto& endpoints = reach.endpoints().endpoints;
    ReachMatrix m;
    m.by = by;
    const std::unordered_set<std::string> ambiguous = ambiguous_subnet_names(estate);
    std::map<std::string, std::uint32_t> index; // by lower-case name: a subnet and an ASG may share one
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        for (auto& [name, kind] : endpoint_groups(estate, endpoints[i], by, ambiguous)) {
            auto [it, inserted] = index.try_emplace(fmt::format("{}\n{}", kind, name),
                                                    static_cast<std::uint32_t>(m.groups.size()));
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
    const ClassTable* table = &reach.table();
    // Each class's places among the columns, then rows on every core; cells are kept in row order.
    ColumnPlaces places;
    {
        std::vector<std::vector<ColumnPlaces::Place>> of_class(table->classes());
        for (std::uint32_t k = 0; k < columns.size(); ++k) {
            for (const auto& [to_class, members] : by_class[columns[k]])
                of_class[to_class].push_back({k, &members});
        }
        for (const auto& of : of_class) {
            places.first.push_back(static_cast<std::uint32_t>(places.places.size()));
            places.places.insert(places.places.end(), of.begin(), of.end());
        }
        places.first.push_back(static_cast<std::uint32_t>(places.places.size()));
    }
    const unsigned workers = pool_threads();
    std::vector<std::unique_ptr<RowCells>> scratch;
    for (unsigned w = 0; w < workers; ++w)
        scratch.push_back(std::make_unique<RowCells>(*table, places, columns.size()));
    std::vector<std::vector<MatrixCell>> row_cells(rows.size());
    parallel_for(rows.size(), workers, 1, [&](std::size_t i, unsigned w) {
        RowCells& cells = *scratch[w];
        cells.fill(by_class[rows[i]]);
        for (std::uint32_t k = 0; k < columns.size(); ++k) {
            MatrixCell cell = cells.cell(k);
            cell.from = rows[i];
            cell.to = columns[k];
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
