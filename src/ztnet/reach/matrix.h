// The reachability matrix between endpoint groups: subnets (or ASGs, NICs, VMs), App Gateways,
// load balancer frontends and the Internet; each cell the services some member of the row can
// send to some other member of the column.
#pragma once

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "ztnet/reach/reachability.h"
#include "ztnet/support/result.h"

namespace ztnet::reach {

enum class Grouping : std::uint8_t { Subnet, Asg, Nic, Vm };
std::optional<Grouping> parse_grouping(std::string_view text);
std::string_view grouping_name(Grouping grouping);

struct MatrixGroup {
    std::string name;
    /// "subnet", "asg", "nic", "vm", "application-gateway", "load-balancer", "internet".
    std::string kind;
    std::vector<std::uint32_t> endpoints;
};

struct MatrixCell {
    std::uint32_t from = 0; // index into ReachMatrix::groups
    std::uint32_t to = 0;
    /// What some member of the row surely sends some member of the column.
    ServiceSet allowed;
    /// What some pair may send but the input cannot tell (an FQDN rule, a rule from a parameter, an
    /// appliance). A service may be in both: surely allowed for one pair, undecidable for another.
    ServiceSet undecidable;
    /// A pair of endpoints that realises the cell's example service.
    std::uint32_t example_from = 0;
    std::uint32_t example_to = 0;
};

struct ReachMatrix {
    Grouping by = Grouping::Subnet;
    std::vector<MatrixGroup> groups;
    /// The cells with something allowed or undecidable, by row then column.
    std::vector<MatrixCell> cells;
    Reachability::Stats stats;
};

/// Groups the endpoints and fills every cell from the class table (which `reach` must have made).
/// `from` and `to` keep only the rows (columns) whose group name matches, case-insensitively; an
/// unknown name is an error listing the groups.
Result<ReachMatrix> reach_matrix(const Reachability& reach, Grouping by,
                                 const std::optional<std::string>& from = {},
                                 const std::optional<std::string>& to = {});

/// The groups of one endpoint under a grouping (a NIC in two ASGs is in both groups; a NIC in no
/// ASG falls back to its subnet).
std::vector<std::pair<std::string, std::string>> endpoint_groups(const model::Estate& estate,
                                                                 const ReachEndpoint& endpoint, Grouping by);
/// The same, with the subnet names several VNets use given (their groups are "vnet/subnet").
std::vector<std::pair<std::string, std::string>>
endpoint_groups(const model::Estate& estate, const ReachEndpoint& endpoint, Grouping by,
                const std::unordered_set<std::string>& ambiguous);

} // namespace ztnet::reach
