// Microsoft's worked example of how NSGs combine (network-security-group-how-it-works): VM1 and VM2 in
// Subnet1 with NSG1 on the subnet; NSG2 on the NICs of VM1 and VM3; VM3 in Subnet2 without a subnet NSG;
// VM4 in Subnet3 without any NSG. The per-NSG decisions are the policy module's; the small helper below
// applies Azure's order (inbound: subnet NSG then NIC NSG; outbound: NIC NSG then subnet NSG; an absent
// NSG allows) so the example's end results can be checked too.
#include <optional>

#include <gtest/gtest.h>

#include "ztnet/policy/nsg_policy.h"

#include "export_builder.h"

namespace ztnet::policy {
namespace {

using testing::ExportBuilder;
using testing::flow;
using testing::index_of;
using testing::RuleSpec;

constexpr std::uint8_t kTcp = 6;

struct Vm {
    const char* name;
    const char* subnet;
    const char* ip;
    const char* nic_nsg;
};

constexpr Vm kVms[] = {
    {"VM1", "Subnet1", "10.0.1.4", "NSG2"},
    {"VM2", "Subnet1", "10.0.1.5", ""},
    {"VM3", "Subnet2", "10.0.2.4", "NSG2"},
    {"VM4", "Subnet3", "10.0.3.4", ""},
};

struct Outcome {
    bool allowed = true;
    std::string decided_by; // "NSG1/DenyAllInBound", or empty when allowed
};

class WorkedExample : public ::testing::Test {
  protected:
    // Builds the estate with extra custom rules for NSG1 and NSG2.
    void build(const std::vector<RuleSpec>& nsg1_rules, const std::vector<RuleSpec>& nsg2_rules) {
        ExportBuilder b;
        b.vnet("VNet1", {"10.0.0.0/16"},
               {{"Subnet1", "10.0.1.0/24", "NSG1"},
                {"Subnet2", "10.0.2.0/24", ""},
                {"Subnet3", "10.0.3.0/24", ""}});
        b.nsg("NSG1", nsg1_rules).nsg("NSG2", nsg2_rules);
        for (const Vm& vm : kVms)
            b.nic(std::string(vm.name) + "-nic", "VNet1", vm.subnet, vm.ip, vm.nic_nsg);
        Diagnostics load;
        estate_ = b.build(load);
        ASSERT_FALSE(load.has_errors());
        engine_.emplace(estate_, tags_, diagnostics_);
    }

    const model::NetworkInterface& nic(const Vm& vm) const {
        return estate_.network_interfaces.at(
            index_of(estate_.network_interfaces, std::string(vm.name) + "-nic").value());
    }

    // One NSG's decision, checked against the linear reference; nullopt when there is no NSG.
    std::optional<std::pair<std::string, NsgDecision>> at(model::NsgIndex nsg, net::Direction direction,
                                                          const net::Flow& f) {
        if (nsg == model::kNone)
            return std::nullopt;
        const CompiledNsg& compiled = engine_->nsg(nsg, model::VnetIndex(0u));
        const NsgDecision fast = compiled.decide(direction, f);
        const NsgDecision slow = compiled.decide_linear(direction, f);
        EXPECT_EQ(fast.rule, slow.rule) << f;
        EXPECT_EQ(fast.access, slow.access) << f;
        return std::make_pair(estate_.network_security_groups[nsg].name + "/" +
                                  compiled.rules(direction)[fast.rule].name,
                              fast);
    }

    // Azure's order for a VM's NIC: inbound subnet NSG then NIC NSG, outbound the reverse.
    Outcome evaluate(const Vm& vm, net::Direction direction, const net::Flow& f) {
        const model::NetworkInterface& n = nic(vm);
        const model::NsgIndex subnet_nsg =
            estate_.subnets.at(n.ip_configurations.at(0).subnet.value()).network_security_group;
        const model::NsgIndex order[2] = {
            direction == net::Direction::Inbound ? subnet_nsg : n.network_security_group,
            direction == net::Direction::Inbound ? n.network_security_group : subnet_nsg};
        for (model::NsgIndex nsg : order) {
            auto decision = at(nsg, direction, f);
            if (decision && decision->second.access == model::Access::Deny)
                return {false, decision->first};
        }
        return {};
    }

    model::NsgIndex nsg_index(const char* name) const {
        return index_of(estate_.network_security_groups, name);
    }

    model::Estate estate_;
    ServiceTags tags_;
    Diagnostics diagnostics_;
    std::optional<PolicyEngine> engine_;
};

net::Flow internet_to(const Vm& vm) {
    return flow(kTcp, "203.0.113.50", 50123, vm.ip, 80);
}

net::Flow to_internet(const Vm& vm) {
    return flow(kTcp, vm.ip, 50123, "93.184.216.34", 80);
}

RuleSpec internet_80(const char* name, const char* direction, const char* access) {
    RuleSpec r;
    r.name = name;
    r.priority = 100;
    r.direction = direction;
    r.access = access;
    r.protocol = "Tcp";
    if (std::string(direction) == "Inbound")
        r.source.addresses = {"Internet"};
    else
        r.destination.addresses = {"Internet"};
    r.destination_ports = {"80"};
    return r;
}

TEST_F(WorkedExample, DefaultRulesOnlyPerNsg) {
    build({}, {});
    const model::NsgIndex nsg1 = nsg_index("NSG1");
    const model::NsgIndex nsg2 = nsg_index("NSG2");
    // NSG1 (Subnet1) denies Internet TCP 80 to VM1 and VM2; NSG2 denies it to VM3 (and VM1).
    for (const Vm* vm : {&kVms[0], &kVms[1]}) {
        auto d = at(nsg1, net::Direction::Inbound, internet_to(*vm));
        ASSERT_TRUE(d);
        EXPECT_EQ(d->first, "NSG1/DenyAllInBound") << vm->name;
        EXPECT_EQ(d->second.access, model::Access::Deny);
    }
    for (const Vm* vm : {&kVms[0], &kVms[2]}) {
        auto d = at(nsg2, net::Direction::Inbound, internet_to(*vm));
        ASSERT_TRUE(d);
        EXPECT_EQ(d->first, "NSG2/DenyAllInBound") << vm->name;
    }
    EXPECT_FALSE(evaluate(kVms[0], net::Direction::Inbound, internet_to(kVms[0])).allowed);
    EXPECT_EQ(evaluate(kVms[0], net::Direction::Inbound, internet_to(kVms[0])).decided_by,
              "NSG1/DenyAllInBound");
    EXPECT_FALSE(evaluate(kVms[1], net::Direction::Inbound, internet_to(kVms[1])).allowed);
    EXPECT_EQ(evaluate(kVms[2], net::Direction::Inbound, internet_to(kVms[2])).decided_by,
              "NSG2/DenyAllInBound");
    EXPECT_TRUE(evaluate(kVms[3], net::Direction::Inbound, internet_to(kVms[3])).allowed); // VM4: no NSG
    // Outbound to the Internet is allowed by default for every VM (AllowInternetOutBound).
    for (const Vm& vm : kVms) {
        EXPECT_TRUE(evaluate(vm, net::Direction::Outbound, to_internet(vm)).allowed) << vm.name;
        if (auto d = at(nsg1, net::Direction::Outbound, to_internet(vm))) {
            EXPECT_EQ(d->first, "NSG1/AllowInternetOutBound");
        }
    }
    // Traffic inside the VNet is allowed by AllowVnetInBound.
    auto d = at(nsg1, net::Direction::Inbound, flow(kTcp, kVms[3].ip, 40000, kVms[1].ip, 22));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->first, "NSG1/AllowVnetInBound");
}

TEST_F(WorkedExample, Nsg1AllowsPort80) {
    build({internet_80("Allow-HTTP-From-Internet", "Inbound", "Allow")}, {});
    auto d = at(nsg_index("NSG1"), net::Direction::Inbound, internet_to(kVms[1]));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->first, "NSG1/Allow-HTTP-From-Internet");
    EXPECT_TRUE(evaluate(kVms[1], net::Direction::Inbound, internet_to(kVms[1])).allowed); // VM2
    // VM1 passes NSG1 and is still denied by NSG2 on its NIC.
    const Outcome vm1 = evaluate(kVms[0], net::Direction::Inbound, internet_to(kVms[0]));
    EXPECT_FALSE(vm1.allowed);
    EXPECT_EQ(vm1.decided_by, "NSG2/DenyAllInBound");
    EXPECT_FALSE(evaluate(kVms[2], net::Direction::Inbound, internet_to(kVms[2])).allowed); // VM3: NSG2
    // Another port is still denied by NSG1.
    net::Flow ssh = internet_to(kVms[1]);
    ssh.destination_port = 22;
    EXPECT_EQ(evaluate(kVms[1], net::Direction::Inbound, ssh).decided_by, "NSG1/DenyAllInBound");
}

TEST_F(WorkedExample, BothNsgsAllowPort80) {
    build({internet_80("Allow-HTTP-From-Internet", "Inbound", "Allow")},
          {internet_80("Allow-HTTP-From-Internet", "Inbound", "Allow")});
    EXPECT_TRUE(evaluate(kVms[0], net::Direction::Inbound, internet_to(kVms[0])).allowed);
    EXPECT_TRUE(evaluate(kVms[1], net::Direction::Inbound, internet_to(kVms[1])).allowed);
    EXPECT_TRUE(evaluate(kVms[2], net::Direction::Inbound, internet_to(kVms[2])).allowed);
    EXPECT_TRUE(evaluate(kVms[3], net::Direction::Inbound, internet_to(kVms[3])).allowed);
}

TEST_F(WorkedExample, Nsg2DeniesPort80Outbound) {
    build({}, {internet_80("Deny-HTTP-To-Internet", "Outbound", "Deny")});
    EXPECT_EQ(evaluate(kVms[0], net::Direction::Outbound, to_internet(kVms[0])).decided_by,
              "NSG2/Deny-HTTP-To-Internet");
    EXPECT_TRUE(evaluate(kVms[1], net::Direction::Outbound, to_internet(kVms[1])).allowed);
    EXPECT_EQ(evaluate(kVms[2], net::Direction::Outbound, to_internet(kVms[2])).decided_by,
              "NSG2/Deny-HTTP-To-Internet");
    EXPECT_TRUE(evaluate(kVms[3], net::Direction::Outbound, to_internet(kVms[3])).allowed);
}

TEST_F(WorkedExample, Nsg1DeniesPort80Outbound) {
    build({internet_80("Deny-HTTP-To-Internet", "Outbound", "Deny")}, {});
    EXPECT_EQ(evaluate(kVms[0], net::Direction::Outbound, to_internet(kVms[0])).decided_by,
              "NSG1/Deny-HTTP-To-Internet");
    EXPECT_EQ(evaluate(kVms[1], net::Direction::Outbound, to_internet(kVms[1])).decided_by,
              "NSG1/Deny-HTTP-To-Internet");
    EXPECT_TRUE(evaluate(kVms[2], net::Direction::Outbound, to_internet(kVms[2])).allowed);
    EXPECT_TRUE(evaluate(kVms[3], net::Direction::Outbound, to_internet(kVms[3])).allowed);
    // Other ports still leave.
    net::Flow https = to_internet(kVms[0]);
    https.destination_port = 443;
    EXPECT_TRUE(evaluate(kVms[0], net::Direction::Outbound, https).allowed);
}

} // namespace
} // namespace ztnet::policy
