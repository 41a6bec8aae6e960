#include "ztnet/model/attack_policy.h"

namespace ztnet::model {

namespace {

AttackService tcp(std::string name, std::uint16_t lo, std::uint16_t hi) {
    return {std::move(name), net::ProtocolSet::single(6), net::PortSet::range(lo, hi), {}};
}

} // namespace

AttackPolicy AttackPolicy::defaults() {
    AttackPolicy policy;
    policy.management = {tcp("SSH", 22, 22), tcp("RDP", 3389, 3389), tcp("WinRM", 5985, 5986),
                         tcp("SMB", 445, 445)};
    return policy;
}

} // namespace ztnet::model
