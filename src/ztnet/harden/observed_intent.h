// An intent read off observed traffic (`harden --flows` without `--intent`), as Defender's adaptive
// network hardening recommended rules from what it saw: every allowed flow in the window becomes
// an intent flow between the parties that exchanged it, named as an intent would name them (a
// NIC, an App Gateway, a load balancer's frontend, an address), with the ports seen. Sources
// outside the estate (the Internet, on-premises) are kept as the addresses seen, up to a bound
// per destination and service; past it, as the Internet. Platform traffic is left out: every NSG
// of a plan admits the probes.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "ztnet/analysis/analysis.h"
#include "ztnet/flows/store/flow_store.h"
#include "ztnet/model/intent.h"
#include "ztnet/observed/flow_check.h"

namespace ztnet::harden {

struct ObservedIntentOptions {
    observed::FlowCheckOptions window;
    /// Distinct outside sources kept as addresses per destination, protocol and port; more make
    /// the source the Internet.
    std::size_t max_outside_sources = 16;
    /// The intent's path, as reports show it ("observed traffic in store.db").
    std::string path;
};

/// The intent the allowed conversations of `rows` make. The analysis gives the attribution (it
/// needs its reachability, for App Gateway instances).
model::Intent observed_intent(const analysis::Analysis& analysis,
                              std::span<const flows::store::ConversationRow> rows,
                              const ObservedIntentOptions& options);

} // namespace ztnet::harden
