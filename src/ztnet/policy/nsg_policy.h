// NSG semantics: an NSG's custom and default rules resolved to concrete address, port and protocol
// sets for one VNet, a compiled classifier that decides a flow in well under a microsecond, and a
// plain linear first-match reference kept beside it for tests.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/net/address_set.h"
#include "ztnet/net/flow.h"
#include "ztnet/net/port.h"
#include "ztnet/net/protocol.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::policy {

/// One rule with every field resolved to sets: what matching needs, nothing else.
struct ResolvedRule {
    std::string name;
    int priority = 0;
    model::Access access = model::Access::Deny;
    bool is_default = false;
    /// Index of the custom rule in model::NetworkSecurityGroup::rules, or -1 for a default rule.
    int custom_index = -1;
    net::ProtocolSet protocols;
    net::AddressSet sources;
    net::AddressSet destinations;
    net::PortSet source_ports;      // all ports when the protocol has none
    net::PortSet destination_ports; // all ports when the protocol has none

    /// Whether this rule matches the flow (ports compared only for TCP and UDP).
    bool matches(const net::Flow& flow) const;

    /// For a rule the input cannot fully tell (model::SecurityRule::unknowns): the sets above are
    /// what it may match, each unknown field at its widest; `narrowest` is what it surely matches,
    /// each unknown field at its known entries only (often nothing). Null for a known rule.
    std::shared_ptr<const ResolvedRule> narrowest;
    /// Whether the rule's access is unknown too (`access` is then meaningless).
    bool access_unknown = false;
    /// Why the rule is uncertain, for people ("source: parameter 'x' has no value").
    std::string unknown;
    bool uncertain() const { return narrowest != nullptr; }
};

/// The two extreme readings of what the input cannot tell. A flow's outcome only grows toward Allow
/// as an Allow rule matches more or a Deny rule matches less, so a flow the restrictive reading
/// allows is allowed by every value the unknowns may take, a flow the permissive reading denies is
/// denied by every value, and the flows in between are undecidable. (Exact when the unknowns are
/// independent; one parameter used by two rules of opposite access may make a flow undecidable that
/// no single value decides both ways, the conservative side.)
enum class Reading : std::uint8_t { Restrictive, Permissive };

/// The plain rule `rule` becomes in `reading`: uncertain Allow rules at their narrowest and uncertain
/// Deny rules at their widest (restrictive), or the other way round (permissive); a rule of unknown
/// access takes the reading's access at its widest. A known rule stays as it is.
ResolvedRule in_reading(const ResolvedRule& rule, Reading reading);

/// Whether the rule matches every flow of its direction (all protocols, addresses and ports): a
/// catch-all such as the DenyAll rule at priority 4096 the Zero Trust guidance asks for.
bool matches_every_flow(const ResolvedRule& rule);

/// Written rules that are not an NSG's (Virtual Network Manager's security admin rules) resolved in
/// `vnet` as an NSG's rules there would be: tags, the VirtualNetwork tag, uncertain fields. `owner`
/// names where they are written in diagnostics. Access and priority are taken as written.
std::vector<ResolvedRule> resolve_rules(const model::Estate& estate,
                                        std::span<const model::SecurityRule* const> rules,
                                        model::VnetIndex vnet, const ServiceTags& tags,
                                        Diagnostics& diagnostics, std::string owner);

/// A rule matching every flow, marked as a default rule: what ends a rule list given to from_rules.
ResolvedRule catch_all_rule(std::string name, int priority, model::Access access);

/// The six default rules of every NSG for one direction, with Azure's names, priorities and fields.
/// `virtual_network` is the VirtualNetwork tag of the VNet the NSG applies in.
std::vector<ResolvedRule> default_rules(net::Direction direction, const net::AddressSet& virtual_network);

/// The outcome of one NSG for one flow in one direction.
struct NsgDecision {
    model::Access access = model::Access::Deny;
    /// Index into CompiledNsg::rules(direction) of the rule that decided (there always is one:
    /// the default rules end with DenyAll*). For an undecidable flow, the rule that decides in the
    /// restrictive reading.
    std::uint32_t rule = 0;
    /// Whether the outcome depends on what the input cannot tell (`access` is then Deny).
    bool undecidable = false;
    /// For an undecidable flow, the rule that allows it in the permissive reading.
    std::uint32_t permissive_rule = 0;
};

/// One NSG, compiled for one VNet (the VirtualNetwork tag and ASG membership depend on it).
class CompiledNsg {
  public:
    /// Resolves and compiles `nsg` for evaluation inside `vnet`. Unresolvable service tags, ASG
    /// members without a known private IP and ASGs from another VNet are reported to `diagnostics`
    /// with the rule's place; such a side then matches nothing (the rule is inert) and the
    /// diagnostic is an error, so callers know the answer is incomplete.
    static CompiledNsg compile(const model::Estate& estate, model::NsgIndex nsg, model::VnetIndex vnet,
                               const ServiceTags& tags, Diagnostics& diagnostics);

    /// Custom rules of the direction by priority, followed by the default rules.
    const std::vector<ResolvedRule>& rules(net::Direction direction) const;

    /// The compiled classifier: the first rule by priority that matches, in both readings when some
    /// rule is uncertain (undecidable where they differ).
    NsgDecision decide(net::Direction direction, const net::Flow& flow) const;
    /// The reference: a plain linear scan over rules(direction) that collects the accesses of every
    /// rule that may match up to the first that surely does; undecidable when both are possible.
    NsgDecision decide_linear(net::Direction direction, const net::Flow& flow) const;

    /// Whether some rule is uncertain (in either direction).
    bool uncertain() const { return readings_[0] != nullptr; }
    /// This NSG as `reading` has it: plain rules only, at the same positions as rules() (a rule
    /// that matches nothing in the reading keeps its place with empty sets). Itself when no rule is
    /// uncertain.
    const CompiledNsg& in(Reading reading) const;

    model::NsgIndex nsg() const { return nsg_; }
    model::VnetIndex vnet() const { return vnet_; }

    /// Builds a compiled NSG directly from resolved rules (tests, benchmarks). `inbound` and
    /// `outbound` must be sorted by priority and end with the default rules.
    static CompiledNsg from_rules(std::vector<ResolvedRule> inbound, std::vector<ResolvedRule> outbound);

    CompiledNsg();
    ~CompiledNsg();
    CompiledNsg(CompiledNsg&&) noexcept;
    CompiledNsg& operator=(CompiledNsg&&) noexcept;

  private:
    friend class PolicyEngine; // places the NSGs it stands in for unknown ones
    struct Classifier;         // the compiled form of one direction (see nsg_classifier.cpp)
    model::NsgIndex nsg_ = model::kNone;
    model::VnetIndex vnet_ = model::kNone;
    std::vector<ResolvedRule> rules_[2];
    std::unique_ptr<Classifier> classifiers_[2];
    std::unique_ptr<CompiledNsg> readings_[2]; // restrictive, permissive; null when nothing is uncertain
};

/// The VirtualNetwork tag as seen from `vnet`: its address space, every peered VNet's address
/// space (remote address space as recorded on the peering, when the remote VNet is not loaded),
/// the on-premises prefixes of the gateways that serve it and what BGP taught its subnets
/// (--routes), the prefixes of user-defined routes on its subnets, and the platform address
/// 168.63.129.16.
net::AddressSet virtual_network_tag(const model::Estate& estate, model::VnetIndex vnet);

/// The addresses of an ASG's members (their private IPs), and the VNet they live in (kNone when
/// the ASG has no member). Members in different VNets are an error reported to `diagnostics`.
struct AsgAddresses {
    net::AddressSet addresses;
    model::VnetIndex vnet = model::kNone;
};
AsgAddresses resolve_asg(const model::Estate& estate, model::AsgIndex asg, Diagnostics& diagnostics);

class AdminRules; // admin_rules.h

/// Every NSG compiled for every VNet it applies in (through subnets or NICs' ip configurations),
/// the stand-ins for NSGs the input refers to but cannot tell, and the security admin rules of
/// every VNet: the policy every later analysis asks. All of it is compiled when the engine is made
/// (each diagnostic reported once, however many VNets share the rule); afterwards the engine only
/// reads, so any number of threads may ask it at once.
class PolicyEngine {
  public:
    PolicyEngine(const model::Estate& estate, const ServiceTags& tags, Diagnostics& diagnostics);
    ~PolicyEngine();
    PolicyEngine(const PolicyEngine&) = delete;
    const PolicyEngine& operator=(const PolicyEngine&) = delete;

    /// The security admin rules of Virtual Network Manager that apply in `vnet`; null when none do.
    const AdminRules* admin_rules(model::VnetIndex vnet) const;

    /// The NSG as compiled for a VNet it applies in. An NSG that applies nowhere is compiled for
    /// kNone. Asking for a VNet it does not apply in is the caller's mistake: std::out_of_range.
    const CompiledNsg& nsg(model::NsgIndex nsg, model::VnetIndex vnet) const;
    /// The NSG as compiled for the first VNet it applies in: its rule lists (names, order,
    /// priorities, what the input cannot tell) are the same in every VNet.
    const CompiledNsg& nsg(model::NsgIndex nsg) const;
    /// An NSG the input refers to but cannot tell (model::Subnet::network_security_group_unknown,
    /// model::NetworkInterface::network_security_group_unknown): custom rules of unknown content
    /// before the default rules of `vnet`, so that every flow through it is undecidable. `why`
    /// names it, as the subnet or NIC does.
    const CompiledNsg& unknown_nsg(model::VnetIndex vnet, const std::string& why) const;

    const model::Estate& estate() const { return estate_; }
    const ServiceTags& tags() const { return tags_; }

  private:
    // Compiled NSGs by key (nsg << 32 | vnet), sorted.
    using Compiled = std::vector<std::pair<std::uint64_t, std::unique_ptr<CompiledNsg>>>;
    Compiled::const_iterator position(std::uint64_t key) const; // where `key` is or would go
    const CompiledNsg* find(std::uint64_t key) const;
    void keep_diagnostics(const Diagnostics& found); // each diagnostic once
    void compile_admin_rules();
    void compile_nsgs();
    void compile_unknown_nsgs();

    const model::Estate& estate_;
    const ServiceTags& tags_;
    Diagnostics& diagnostics_;
    Compiled compiled_;
    std::map<std::pair<model::VnetIndex, std::string>, std::unique_ptr<CompiledNsg>> unknown_;
    std::map<model::VnetIndex, std::unique_ptr<AdminRules>> admin_rules_;
};

} // namespace ztnet::policy
