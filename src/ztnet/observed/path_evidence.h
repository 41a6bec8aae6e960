// Observed traffic as evidence on the audit's findings. A finding that shows a path by a concrete
// flow (the Internet reaching a VM's SSH port, one tier reaching another that the intent does not
// name) gets what the flow store saw on that path: "observed: this path carried 3 flow(s)...".
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "ztnet/checks/check.h"
#include "ztnet/observed/attribution.h"

namespace ztnet::observed {

/// The allowed traffic observed on the path of one witness flow.
struct PathUse {
    std::uint64_t flows = 0; ///< distinct flows (both ends, protocol, port), however many buckets
    std::uint64_t tuples = 0;
    std::int64_t first_seen_ms = 0;
    std::int64_t last_seen_ms = 0;
    std::vector<ObservedFlow> examples; ///< the busiest first
};

/// A store's allowed conversations, attributed once, asked path by path. A path is a witness
/// flow's: the same protocol and destination port, the same destination (its address, or the
/// reachability endpoint holding it, so that an App Gateway's instances answer for its
/// frontend), and a source of the same party: the same reachability endpoint inside the estate, or
/// any address of the same kind outside it (the Internet, on-premises, the platform).
class ObservedPaths {
  public:
    ObservedPaths(const analysis::Analysis& analysis, std::span<const store::ConversationRow> rows,
                  const FlowCheckOptions& options);

    PathUse use(const net::Flow& witness);

  private:
    bool same_source(const ObservedFlow& flow, const Party& source, const net::Address& address) const;

    Attribution who_;
    std::size_t max_examples_;
    std::vector<ObservedFlow> allowed_;
    std::unordered_map<std::int64_t, std::vector<std::size_t>> by_destination_endpoint_;
    std::unordered_map<net::Address, std::vector<std::size_t>> by_destination_address_;
};

/// `findings`, each with an evidence line added for every distinct path of its flows that carried
/// observed traffic.
std::vector<checks::Finding> with_observed_evidence(std::vector<checks::Finding> findings,
                                                    ObservedPaths& paths);

/// How many of `findings` carry observed evidence (with_observed_evidence's lines).
std::size_t findings_with_observed_evidence(const std::vector<checks::Finding>& findings);

} // namespace ztnet::observed
