// Observed addresses placed in the estate, and observed conversations as flows between parties:
// what `flows check` and the audit's observed evidence share.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ztnet/analysis/analysis.h"
#include "ztnet/observed/flow_check.h"

namespace ztnet::observed {

/// Whether a party is inside the estate: not the Internet, the platform or on-premises.
bool inside(Party::Kind kind);

/// Whether a conversation's bucket lies in the options' window.
bool in_window(const store::ConversationRow& row, const FlowCheckOptions& options);

/// Every address met, attributed once: to what holds it in the estate (its Party) and to the route
/// endpoint ztnet evaluates it as.
class Attribution {
  public:
    explicit Attribution(const analysis::Analysis& analysis);
    const Party& party(const net::Address& address);
    const route::Endpoint& endpoint(const net::Address& address);
    model::NicIndex nic_of_mac(std::string_view mac) const;
    std::vector<std::pair<Party::Kind, std::uint64_t>> counts() const;

  private:
    struct Entry {
        Party party;
        route::Endpoint endpoint;
    };
    struct AddressHash {
        std::size_t operator()(const net::Address& a) const noexcept { return a.hash(); }
    };
    Entry attribute(const net::Address& address) const;
    // An address of an App Gateway's (or Bastion's) subnet that no frontend names is one of its
    // instances: flows from there are the gateway's.
    void adopt_gateway_instance(Entry& entry) const;
    Party::Kind kind_of(const route::Endpoint& e, const net::Address& address) const;
    std::string resource_of(const route::Endpoint& e) const;
    // NICs and private endpoints stand for one address each, looked up by it; the few endpoints
    // that stand for sets (gateways, load balancer frontends, pieces of the Internet) are searched.
    void index_endpoints();
    // The reachability endpoint holding the address: the most specific one (a NIC before a subnet's
    // gateway instances before a piece of the Internet).
    std::int64_t reach_endpoint(const net::Address& address, Party::Kind kind) const;
    const analysis::Analysis& analysis_;
    std::unordered_map<std::string, model::NicIndex> nic_by_mac_;
    std::unordered_map<net::Address, Entry, AddressHash> parties_;
    std::unordered_map<net::Address, std::size_t, AddressHash> single_;
    std::vector<std::size_t> sets_;
};

/// A conversation with both ends attributed and the NIC that logged it.
ObservedFlow observe(const store::ConversationRow& row, Attribution& who);

/// Conversations of the same flow (both ends, port, protocol, decision) as one, whatever bucket,
/// NSG or side logged them.
std::vector<ObservedFlow> merged_flows(const std::vector<ObservedFlow>& flows);

/// ztnet's own decision for a conversation at the NSGs of the side that logged it (the
/// destination's for inbound, the source's for outbound), asked about an ephemeral source port. It
/// depends on the two addresses, the protocol, the port and the direction alone: the conversations
/// of one flow in other buckets, or under other rules, reuse it rather than trace it again (a
/// month of hourly buckets holds each flow up to 720 times).
class SideDecisions {
  public:
    SideDecisions(const analysis::Analysis& analysis, Attribution& who) : analysis_(analysis), who_(who) {}

    const route::PathResult& of(const store::ConversationRow& row);

  private:
    using Key = std::tuple<net::Address, net::Address, std::uint16_t, std::uint8_t, net::Direction>;
    const analysis::Analysis& analysis_;
    Attribution& who_;
    std::map<Key, route::PathResult> decided_;
};

} // namespace ztnet::observed
