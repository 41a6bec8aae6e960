// Reading an attack policy file (YAML, documented in docs/paths.md):
//
//   version: 1
//   management:            # replaces SSH, RDP, WinRM and SMB when given
//     - { name: SSH, protocol: tcp, ports: 22 }
//   exploitable:           # application services that count as a way in
//     - { name: web, protocol: tcp, ports: [80, 443] }
//   crown-jewels: [data, kv-orders]
//   internet-hops: 3
//
// Every key is optional but `version`; a problem is a diagnostic with the file's line and column.
#pragma once

#include <optional>
#include <string>

#include "ztnet/model/attack_policy.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/source.h"

namespace ztnet::load {

struct AttackPolicyLimits {
    std::size_t max_bytes = std::size_t{1} << 20;
    int max_depth = 16;
    std::size_t max_items = 10000;
};

/// nullopt when the file has any error (each reported to `diagnostics`).
std::optional<model::AttackPolicy> read_attack_policy(const SourceSet& sources, FileId file,
                                                      Diagnostics& diagnostics,
                                                      const AttackPolicyLimits& limits = {});
std::optional<model::AttackPolicy> read_attack_policy_file(const std::string& path, SourceSet& sources,
                                                           Diagnostics& diagnostics,
                                                           const AttackPolicyLimits& limits = {});

} // namespace ztnet::load
