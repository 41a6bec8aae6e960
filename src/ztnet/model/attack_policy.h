// What an attacker is assumed to use once inside, for the attack-path analysis (docs/paths.md): the
// services to move laterally on, the application services that count as exploitable, the crown
// jewels, and how few hops from the Internet make a path an audit finding. Plain data, read from a
// small YAML file (load/attack_policy_reader.h) or the defaults.
#pragma once

#include <string>
#include <vector>

#include "ztnet/net/port.h"
#include "ztnet/net/protocol.h"
#include "ztnet/support/source.h"

namespace ztnet::model {

/// A service an attacker can use to take over the machine that answers it.
struct AttackService {
    std::string name; // "SSH", "RDP", "web"
    net::ProtocolSet protocols;
    net::PortSet ports; // destination ports
    SourceLocation where;
};

struct AttackPolicy {
    /// The file it was read from; empty for the defaults.
    std::string path;
    /// Management services: remote shells and file shares (SSH, RDP, WinRM, SMB by default).
    std::vector<AttackService> management;
    /// Application services the user says can be exploited to run code (none by default): they
    /// move an attacker as management services do, and also through App Gateways and load
    /// balancers to the backends behind them.
    std::vector<AttackService> exploitable;
    /// What to protect, by name: intent groups, VMs, NICs, subnets, private endpoints, PaaS
    /// services, service tags (docs/paths.md#crown-jewels). Empty: the defaults.
    std::vector<std::string> crown_jewels;
    /// A path from the Internet to a crown jewel through management services in at most this
    /// many hops is an audit finding.
    int internet_hops = 3;

    /// SSH (TCP 22), RDP (TCP 3389), WinRM (TCP 5985-5986), SMB (TCP 445); nothing exploitable;
    /// the default crown jewels; three hops.
    static AttackPolicy defaults();
};

} // namespace ztnet::model
