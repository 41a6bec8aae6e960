// Internal to the checks module: each family of checks adds its checks to the registry. A family is
// the checks of one id prefix (ZT-<PREFIX>-NNN), in one file named after the prefix, so that each
// stays short and reviewable.
#pragma once

#include <vector>

#include "ztnet/checks/check.h"

namespace ztnet::checks::families {

void add_iam(std::vector<Check>& out);  // ZT-IAM-*: who may change the network (roles)
void add_gov(std::vector<Check>& out);  // ZT-GOV-*: resource groups and the activity log
void add_mon(std::vector<Check>& out);  // ZT-MON-*: threat detection (Defender plans)
void add_net(std::vector<Check>& out);  // ZT-NET-*: the spoke network's configuration as written
void add_log(std::vector<Check>& out);  // ZT-LOG-*: flow logging
void add_sec(std::vector<Check>& out);  // ZT-SEC-*: secrets in templates
void add_hub(std::vector<Check>& out);  // ZT-HUB-*: the hub firewall, DDoS protection, routing
void add_stg(std::vector<Check>& out);  // ZT-STG-*: storage accounts
void add_vm(std::vector<Check>& out);   // ZT-VM-*: virtual machines
void add_app(std::vector<Check>& out);  // ZT-APP-*: the App Gateway (WAF, listeners)
void add_seg(std::vector<Check>& out);  // ZT-SEG-*: segmentation, judged by exact reachability
void add_paas(std::vector<Check>& out); // ZT-PAAS-*: PaaS services (Key Vault, SQL, App Service, AKS)
void add_avd(std::vector<Check>& out);  // ZT-AVD-*: Azure Virtual Desktop session hosts and host pools

} // namespace ztnet::checks::families
