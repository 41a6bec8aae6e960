// Observed traffic held against the estate (`ztnet flows check`): the conversations a flow log
// store holds, each attributed to what sent and received it, decided again by ztnet at the NIC
// that logged it, and compared with what Azure logged (drift), with the intent (flows it forbids
// that happened, flows it requires that were denied), with the management ports (the Internet
// reaching or knocking on SSH and RDP), and with the NSG rules (allow rules that carried nothing,
// allow rules much wider than what they carried). A pure function of a frozen Analysis and the
// rows; what it cannot tell (an address the estate does not place, a rule the input cannot tell)
// is counted and said, never guessed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ztnet/analysis/analysis.h"
#include "ztnet/flows/store/flow_store.h"
#include "ztnet/route/path.h"
#include "ztnet/support/source.h"

namespace ztnet::observed {

namespace store = flows::store;

struct FlowCheckOptions {
    /// The window, in milliseconds since 1970: conversations whose bucket starts before `since`
    /// or at or after `until` are left out.
    std::optional<std::int64_t> since_ms;
    std::optional<std::int64_t> until_ms;
    /// At most this many example conversations per finding.
    std::size_t max_examples = 5;
    /// A source that tried at least this many destination ports on one host, or one port on at
    /// least this many hosts, is scanning.
    std::uint32_t scan_ports = 10;
    std::uint32_t scan_hosts = 10;
    /// An allow rule that opens at least this many times more destination ports than it carried
    /// traffic to is reported as wider than its use.
    std::uint32_t wide_factor = 8;
};

/// What an address is in the estate.
struct Party {
    enum class Kind : std::uint8_t {
        Nic,             ///< a NIC's address (a VM's, or a scale set's stand-in)
        PrivateEndpoint, ///< a private endpoint's address
        SubnetAddress,   ///< inside a subnet, held by nothing the estate names
        ApplicationGateway,
        LoadBalancer,
        Platform,   ///< 168.63.129.16 or 169.254.169.254
        OnPremises, ///< behind a VPN or ExpressRoute gateway
        Internet,   ///< outside every VNet
    };
    Kind kind = Kind::Internet;
    std::string label;          ///< "vm-web-1 (nic-web-1, 10.1.1.4)", "Internet"
    std::string resource_id;    ///< the NIC, endpoint, gateway or subnet; empty outside
    std::int64_t endpoint = -1; ///< the reachability endpoint it belongs to, -1 when none
};

std::string_view party_kind_name(Party::Kind kind);

/// One observed conversation with both ends attributed.
struct ObservedFlow {
    store::ConversationRow row;
    Party source;
    Party destination;
    /// The NIC that logged it (by MAC, else by the address on the logged side); -1 when none.
    std::int64_t logging_nic = -1;
};

/// Azure logged one decision, ztnet computes another at the same NSGs: the estate given is not
/// what runs (or ztnet's reading of Azure differs).
struct Drift {
    ObservedFlow flow;
    route::Verdict ztnet = route::Verdict::Denied;
    std::string ztnet_rule; ///< the rule ztnet finds deciding, "NSG/rule"
    std::string why;        ///< ztnet's one-line reason
};

/// Observed traffic the intent speaks against.
struct IntentBreach {
    enum class Kind : std::uint8_t {
        Forbidden, ///< allowed and carried, but no intent flow allows it
        Blocked,   ///< an intent flow requires it, and Azure denied it
    };
    Kind kind = Kind::Forbidden;
    bool lateral = false; ///< both ends inside the estate (movement between tiers)
    ObservedFlow flow;
    std::string intent_flow; ///< for Blocked: the intent flow that requires it
};

/// The Internet reaching (allowed) or knocking on (denied) a management port of a host.
struct ManagementContact {
    Party destination;
    std::uint16_t port = 0;
    std::uint64_t allowed_tuples = 0;
    std::uint64_t denied_tuples = 0;
    std::uint64_t sources = 0;
    std::vector<ObservedFlow> examples;
};

/// One source trying many ports or many hosts.
struct Scan {
    net::Address source;
    Party source_party;
    std::uint64_t ports = 0; ///< most distinct destination ports on one host
    std::uint64_t hosts = 0; ///< most distinct hosts on one port
    std::uint64_t tuples = 0;
    std::uint64_t denied_tuples = 0;
    std::int64_t first_seen_ms = 0;
    std::int64_t last_seen_ms = 0;
};

/// An NSG's custom allow rule and the traffic it carried in the window.
struct RuleUse {
    std::string nsg_id;
    std::string nsg;
    std::string rule;
    int priority = 0;
    net::Direction direction = net::Direction::Inbound;
    SourceLocation where;
    std::uint64_t tuples = 0;
    std::uint64_t conversations = 0;
    std::uint64_t opened_ports = 0;        ///< destination ports (TCP and UDP) the rule opens
    std::vector<std::uint16_t> used_ports; ///< distinct destination ports it carried, ascending
};

struct FlowCheckResult {
    std::uint64_t conversations = 0; ///< in the window
    std::uint64_t tuples = 0;
    std::optional<std::int64_t> first_seen_ms;
    std::optional<std::int64_t> last_seen_ms;
    /// Ends attributed, by kind (party_kind_name order), counted over distinct addresses.
    std::vector<std::pair<Party::Kind, std::uint64_t>> addresses_by_kind;
    /// Conversations whose logging NIC the estate does not hold: not decided again.
    std::uint64_t unattributed = 0;
    /// Conversations ztnet cannot decide (a rule or NSG the input cannot tell).
    std::uint64_t undecidable = 0;
    std::vector<Drift> drifts;
    std::vector<IntentBreach> breaches; ///< empty without an intent
    bool intent_checked = false;
    std::vector<ManagementContact> management;
    std::vector<Scan> scans;
    /// Allow rules of NSGs that some logged NIC is behind: those that carried nothing, then those
    /// much wider than their use, ranked by how much they open.
    std::vector<RuleUse> unused_rules;
    std::vector<RuleUse> wide_rules;
};

/// Holds `rows` (as FlowStore::conversations gives them) against the analysis. The analysis must
/// have its reachability (and its intent check, for breaches).
FlowCheckResult check_flows(const analysis::Analysis& analysis, std::span<const store::ConversationRow> rows,
                            const FlowCheckOptions& options);

} // namespace ztnet::observed
