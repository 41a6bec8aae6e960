// Observed traffic held against a proved plan (`harden --flows`): what each rule of the plan would
// have carried in the window, and what the plan would cut. The store's allowed conversations are
// decided again, at the side that logged them, in the estate with the plan applied: those it
// allows are counted on the rules that allow them; those it denies are traffic the plan would stop
// (with an intent, exactly the observed traffic the intent does not name: look before deploying).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ztnet/harden/harden.h"
#include "ztnet/observed/flow_check.h"

namespace ztnet::harden {

/// What one rule of the plan would have allowed of the observed traffic.
struct RuleTraffic {
    std::string nsg_id;
    std::string rule;
    std::uint64_t conversations = 0;
    std::uint64_t tuples = 0;
};

/// An observed flow the plan would deny, and where.
struct CutFlow {
    observed::ObservedFlow flow; ///< its conversations summed over the window
    std::string denied_by;       ///< "nsg-web/DenyAllInbound"
};

struct ObservedUse {
    std::uint64_t conversations = 0; ///< allowed conversations in the window
    std::uint64_t tuples = 0;
    std::vector<RuleTraffic> rules; ///< in plan order, those that carried something
    std::vector<CutFlow> cut;       ///< the busiest first
    std::uint64_t cut_conversations = 0;
    std::uint64_t cut_tuples = 0;
    /// Not decided again: logged by a NIC the estate does not hold, or undecidable there.
    std::uint64_t not_decided = 0;
};

/// Decides the allowed conversations of `rows` (in the options' window) in the estate with the
/// plan applied, with the analysis' service tags.
Result<ObservedUse> observed_use(const analysis::Analysis& analysis, const HardenPlan& plan,
                                 std::span<const flows::store::ConversationRow> rows,
                                 const observed::FlowCheckOptions& options, Diagnostics& diagnostics);

} // namespace ztnet::harden
