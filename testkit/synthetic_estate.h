// A seeded generator of realistic Azure estates, written as the JSON array of resources that `az`
// and Resource Graph export: a hub VNet (Azure Firewall with a policy of network rules, Bastion,
// shared services), spokes peered both ways with the hub, subnets with NSGs and route tables, VMs
// with one NIC each, ASGs per role, public IPs, internal load balancers. Tests draw hundreds of
// small estates from it; benchmarks draw one enterprise-sized estate. The same parameters always
// give the same bytes, on every standard library.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ztnet/load/loader.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/source.h"

namespace ztnet::testkit {

/// Random numbers that are the same for a seed everywhere: std::mt19937_64 is specified exactly,
/// the standard distributions are not, so the few needed here are written out.
class Random {
  public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}

    /// Uniform in [0, n); n must be positive. Rejects the incomplete top block, so no value is
    /// favoured.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t rest = (std::numeric_limits<std::uint64_t>::max() % n + 1) % n; // 2^64 mod n
        std::uint64_t x = engine_();
        while (rest != 0 && x >= std::uint64_t{0} - rest)
            x = engine_();
        return x % n;
    }
    /// Uniform in [lo, hi], lo <= hi.
    int between(int lo, int hi) {
        return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }
    /// True with probability percent / 100.
    bool chance(int percent) { return static_cast<int>(below(100)) < percent; }
    /// A uniformly chosen element of a non-empty vector.
    template <class T>
    const T& pick(const std::vector<T>& values) {
        return values[static_cast<std::size_t>(below(values.size()))];
    }
    /// Fisher-Yates.
    template <class T>
    void shuffle(std::vector<T>& values) {
        for (std::size_t i = values.size(); i > 1; --i)
            std::swap(values[i - 1], values[static_cast<std::size_t>(below(i))]);
    }

  private:
    std::mt19937_64 engine_;
};

/// What to generate. Counts are totals over the estate.
struct EstateParameters {
    std::uint64_t seed = 1;
    int spokes = 2;             // spoke VNets, each peered both ways with the hub
    int subnets_per_spoke = 3;  // workload subnets per spoke, each a /24
    int nics = 8;               // NICs, spread over the workload subnets (at most 240 per subnet)
    int second_nic_percent = 0; // NICs that join an earlier VM of their VNet as its second NIC; the
                                // others each have a VM of their own
    int nsgs = 4;               // every NSG, the Bastion subnet's included
    int rules_total = 30;       // every custom rule of every NSG, explicit DenyAll rules included
    int asgs = 3;               // spread over the VNets with workloads, one role each (web, app, data, ...)
    int load_balancers = 1;     // internal load balancers with a backend pool in one spoke
    int public_prefixes = 4;    // public prefixes rules may name (each may cut the Internet into a piece)
    int public_ip_percent = 15; // NICs with a public IP (Basic or Standard SKU)
    bool with_firewall = true;  // Azure Firewall in the hub; most spoke subnets route 0.0.0.0/0 to it
    bool with_bastion = true;   // Azure Bastion in the hub, with the NSG its documentation asks for
    bool hub_workloads = true;  // a shared-services subnet with VMs in the hub
    bool ipv6 = false; // dual-stack subnets (and NICs with an IPv6 configuration) in every third spoke
    // Route tables that also route one NIC's address alone (a /32 inside its subnet): dropped, or
    // sent to the firewall when there is one. Such a route treats two NICs of one subnet apart.
    int host_route_percent = 0;
};

/// For tests: 2-3 VNets, 3-6 workload subnets, 4-10 NICs, 2-5 NSGs of 3-12 rules (Bastion's, in a
/// quarter of the seeds, has the 8 its documentation asks for), 2-4 ASGs, a load balancer in half of
/// them, dual-stack in 30%, a route to one NIC's address in a third of the route tables. A firewall in one
/// seed of five (seed % 5 == 0), so that most pairs of endpoints are decided by NSGs and routing alone.
EstateParameters small(std::uint64_t seed);

/// For tests that need more classes than a thread takes rows at a time: 3 spokes of 4 subnets, 120
/// NICs (15% of them a VM's second NIC), 10 NSGs of 200 rules, 8 ASGs, 2 load balancers, a firewall,
/// dual-stack spokes, a route to one NIC's address in a third of the route tables.
EstateParameters medium(std::uint64_t seed);

/// For benchmarks: 10,000 NICs, 500 NSGs, 50,000 rules, 300 ASGs; besides, 50 spokes of 10 subnets,
/// 50 internal load balancers, 300 public prefixes named by rules, 3% of NICs with a public IP, a
/// hub firewall that most spoke subnets route through, Bastion, and dual-stack spokes.
EstateParameters enterprise();

/// One custom NSG rule, with each field as the export writes it.
struct SyntheticRule {
    std::string name;
    int priority = 100;
    bool inbound = true;
    bool allow = true;
    std::string protocol = "Tcp";                  // Tcp, Udp, Icmp, Esp, Ah or *
    std::vector<std::string> source_prefixes;      // "*", a service tag, or prefixes and addresses
    std::vector<std::string> source_asgs;          // ASG ids (instead of prefixes)
    std::vector<std::string> destination_prefixes; // as source_prefixes
    std::vector<std::string> destination_asgs;
    std::vector<std::string> source_ports{"*"}; // "*", "443" or "1024-65535"; several: the plural field
    std::vector<std::string> destination_ports{"*"};
};

struct SyntheticNsg {
    std::string id;
    std::string name;
    int vnet = 0; // index into SyntheticEstate::vnets: where the NSG is used
    std::vector<SyntheticRule> rules;
};

/// What rules of one VNet's NSGs may name.
struct SyntheticVnet {
    std::string name;
    std::vector<std::string> subnet_prefixes; // IPv4, then IPv6 for dual-stack subnets
    std::vector<std::string> host_addresses;  // addresses of some of its NICs
    std::vector<std::string> asg_ids;         // ASGs with members in this VNet
};

/// A generated estate: the NSGs as data (tests mutate them), everything else already rendered.
struct SyntheticEstate {
    EstateParameters parameters;
    std::vector<SyntheticNsg> nsgs;
    std::vector<std::string> resources; // every other resource, as JSON objects
    std::vector<SyntheticVnet> vnets;
    std::vector<std::string> public_prefixes; // the public prefixes rules draw from

    // Names an intent can select (each selects at least one NIC).
    std::vector<std::string> subnet_names;    // "vnet/subnet" of subnets holding VMs
    std::vector<std::string> subnet_prefixes; // their IPv4 prefixes, in the same order
    std::vector<std::string> asg_names;       // ASGs with members
    std::vector<std::string> vm_names;        // a VM with two NICs is named twice
    std::vector<std::string> nic_addresses;   // every NIC's IPv4 address

    /// The export: a JSON array of every resource.
    std::string to_json() const;
};

/// Generates the estate `parameters` describe.
SyntheticEstate generate_estate(const EstateParameters& parameters);

/// Small changes to an estate's rules, for semantic diff tests.
enum class Mutation : std::uint8_t {
    RemoveRule,   // a custom rule disappears
    AddAllowRule, // a new Allow rule at a free priority
    ChangePort,   // a rule's destination ports change
};

/// Applies `mutation` at a place `random` chooses; returns what changed, for messages ("nsg-x:
/// removed rule y"), or an empty string when the estate has no place for it (no rule to remove).
std::string mutate(SyntheticEstate& estate, Mutation mutation, Random& random);

/// Adds Azure Virtual Network Manager to the estate: a manager over its subscription, a network
/// group, a security admin configuration and one rule collection of `rules` rules (any action,
/// either direction, protocols, prefixes, tags and ports drawn as for NSG rules; priorities
/// distinct). Each VNet is a static member of the group with probability 1/2 (the first one always).
/// With `policy_members`, an Azure Policy definition also adds members to the group, so the rules
/// may apply to every other VNet: undecidable wherever they would decide. Returns the rules
/// written, for messages.
std::string add_admin_rules(SyntheticEstate& estate, int rules, bool policy_members, Random& random);

/// Loads export text as the loader would load a file of that name holding it.
load::LoadResult load_export_text(std::string text, const std::string& name, SourceSet& sources,
                                  Diagnostics& diagnostics, const load::LoadOptions& options = {});

/// A generated estate loaded as an export, with what analyses of it need beside it.
struct LoadedEstate {
    policy::ServiceTags tags;
    SourceSet sources;
    Diagnostics diagnostics;
    model::Estate estate;
};

/// Generates an estate and loads it; the service tags are the bundled sample.
std::unique_ptr<LoadedEstate> load_generated(const EstateParameters& parameters);

} // namespace ztnet::testkit
