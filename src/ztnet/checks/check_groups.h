// Internal to the checks module: each group of checks adds its checks to the registry. One file per
// group, so that each stays short and reviewable.
#pragma once

#include <vector>

#include "ztnet/checks/check.h"

namespace ztnet::checks::groups {

void add_identity_and_governance(std::vector<Check>& out); // ZT-IAM-*, ZT-GOV-*, ZT-MON-*
void add_spoke_network(std::vector<Check>& out);           // ZT-NET-*, ZT-LOG-*
void add_management_rules(std::vector<Check>& out);        // ZT-NET-005 (rule by rule)
void add_hub(std::vector<Check>& out);                     // ZT-HUB-*
void add_storage(std::vector<Check>& out);                 // ZT-STG-*
void add_virtual_machines(std::vector<Check>& out);        // ZT-VM-*, ZT-APP-* (App Gateway, WAF)
void add_segmentation(std::vector<Check>& out);            // ZT-SEG-* (reachability-based)
void add_secrets(std::vector<Check>& out);                 // ZT-SEC-* (secrets in templates)

} // namespace ztnet::checks::groups
