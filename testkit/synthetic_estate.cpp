// The synthetic estate generator. Everything is planned first (VNets, subnets, ASGs, NICs, NSGs,
// routes, firewall, load balancers), then rendered as export JSON, so that later choices can refer
// to earlier ones (a NIC's ASGs, a rule's prefixes, a backend pool's members).
#include "testkit/synthetic_estate.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "testkit/sample_tags.h"

namespace ztnet::testkit {
namespace {

constexpr std::string_view kSubscription = "3c1f6e2a-8b4d-4f7e-9a15-2d6c0b8e7f41";
constexpr std::string_view kLocation = "westeurope";
constexpr std::string_view kFirewallAddress = "10.0.1.4";
constexpr std::string_view kApplianceAddress =
    "10.0.5.4";                      // a network virtual appliance, not an Azure Firewall
constexpr int kHostsPerSubnet = 240; // .4 to .243; frontends of load balancers take .250 downwards
constexpr int kMaxSpokes = 199;      // spokes use 10.1-10.199; 10.200 and above are "on-premises"

const std::vector<std::string> kRoles{"web", "app", "data", "api", "cache", "batch", "mgmt", "queue"};
const std::vector<int> kWellKnownPorts{22,   80,   443, 1433, 3389, 5432, 6379,
                                       8080, 8443, 53,  123,  445,  3306, 9000};
const std::vector<std::string> kPortRanges{"8000-8100", "1024-65535", "49152-65535",
                                           "5985-5986", "20-21",      "6000-6999"};

// ---- JSON text: values are rendered strings, objects skip fields whose value is empty ----

using Field = std::pair<std::string_view, std::string>;

std::string object(std::initializer_list<Field> fields) {
    std::string out = "{";
    for (const Field& f : fields) {
        if (f.second.empty())
            continue;
        if (out.size() > 1)
            out += ", ";
        out += '"';
        out += f.first;
        out += "\": ";
        out += f.second;
    }
    out += '}';
    return out;
}

std::string str(std::string_view text) {
    return fmt::format("\"{}\"", text); // generated names and ids never need escaping
}

std::string array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += ", ";
        out += items[i];
    }
    out += ']';
    return out;
}

std::string strings(const std::vector<std::string>& values) {
    std::vector<std::string> quoted;
    quoted.reserve(values.size());
    for (const std::string& v : values)
        quoted.push_back(str(v));
    return array(quoted);
}

std::string id_ref(const std::string& id) {
    return id.empty() ? std::string() : object({{"id", str(id)}});
}

std::string id_refs(const std::vector<std::string>& ids) {
    std::vector<std::string> items;
    items.reserve(ids.size());
    for (const std::string& id : ids)
        items.push_back(id_ref(id));
    return array(items);
}

std::string num(long long value) {
    return std::to_string(value);
}

std::string boolean(bool value) {
    return value ? "true" : "false";
}

std::string resource_id(std::string_view group, std::string_view type, std::string_view name) {
    return fmt::format("/subscriptions/{}/resourceGroups/{}/providers/{}/{}", kSubscription, group, type,
                       name);
}

// The head of every resource: id, name, type, location.
std::string resource(const std::string& id, const std::string& name, std::string_view type, std::string sku,
                     std::string properties) {
    return object({{"id", str(id)},
                   {"name", str(name)},
                   {"type", str(type)},
                   {"location", str(kLocation)},
                   {"sku", std::move(sku)},
                   {"properties", std::move(properties)}});
}

// ---- the plan ----

struct SubnetPlan {
    std::string name;
    std::string id;
    std::string prefix;
    std::string prefix_v6; // empty unless dual-stack
    std::string role;
    int vnet = 0;
    int octet2 = 0; // 10.<octet2>.<octet3>.0/24
    int octet3 = 0;
    bool workload = false;
    int hosts = 0;     // NICs placed
    int frontends = 0; // load balancer frontends placed
    std::string nsg_id;
    std::string route_table_id;
};

struct VnetPlan {
    std::string name;
    std::string short_name; // "hub", "s3"
    std::string id;
    std::string group;
    std::string space;
    std::string space_v6;
    int spoke = 0; // 0 for the hub
    std::vector<int> subnets;
    std::vector<int> asgs;
    std::vector<int> nics;
    std::vector<std::string> subnet_nsgs; // NSG ids for subnets
    std::vector<std::string> nic_nsgs;    // NSG ids for NICs
    bool forwarded_allowed = true;        // the spoke's peering to the hub accepts forwarded traffic
};

struct AsgPlan {
    std::string name;
    std::string id;
    std::string role;
    int vnet = 0;
    int members = 0;
};

struct NicPlan {
    std::string vm;
    std::string name;
    std::string id;
    std::string vm_id;
    std::string group;
    int subnet = 0;
    std::string address;
    std::string address_v6;
    std::vector<int> asgs;
    std::string nsg_id;
    std::string public_ip_id;
    std::string pool_id;
    bool second = false; // the second NIC of its VM, which the first one renders
};

std::string ipv6_subnet(int spoke, int index) {
    return fmt::format("fd12:3456:{:x}:{:x}::/64", spoke, index);
}

// ---- rules ----

// Draws rule fields: what an NSG of one VNet plausibly names, from the estate's own vocabulary.
class RuleMaker {
  public:
    RuleMaker(Random& random, const SyntheticEstate& estate) : random_(random), estate_(estate) {
        for (const SyntheticVnet& v : estate.vnets) {
            for (const std::string& p : v.subnet_prefixes)
                all_prefixes_.push_back(p);
            for (const std::string& a : v.host_addresses)
                all_hosts_.push_back(a);
        }
        for (const std::string& p : estate.public_prefixes)
            (p.find(':') == std::string::npos ? public_v4_ : public_v6_).push_back(p);
    }

    SyntheticRule make(int vnet, bool inbound) {
        const SyntheticVnet& v = estate_.vnets[static_cast<std::size_t>(vnet)];
        SyntheticRule r;
        r.inbound = inbound;
        r.allow = random_.chance(70);
        r.protocol = protocol();
        auto& local_prefixes = inbound ? r.destination_prefixes : r.source_prefixes;
        auto& local_asgs = inbound ? r.destination_asgs : r.source_asgs;
        auto& remote_prefixes = inbound ? r.source_prefixes : r.destination_prefixes;
        auto& remote_asgs = inbound ? r.source_asgs : r.destination_asgs;
        local_side(v, local_prefixes, local_asgs);
        remote_side(v, inbound, remote_prefixes, remote_asgs);
        if (r.protocol != "Icmp") {
            r.destination_ports = destination_ports();
            r.source_ports = source_ports();
        }
        return r;
    }

    std::vector<std::string> destination_ports() {
        int roll = static_cast<int>(random_.below(100));
        if (roll < 45)
            return {single_port()};
        if (roll < 60)
            return {port_range()};
        if (roll < 80) {
            std::vector<std::string> list;
            int n = random_.between(2, 4);
            for (int i = 0; i < n; ++i)
                list.push_back(random_.chance(75) ? single_port() : port_range());
            return list;
        }
        return {"*"};
    }

  private:
    std::string protocol() {
        int roll = static_cast<int>(random_.below(100));
        return roll < 55   ? "Tcp"
               : roll < 70 ? "Udp"
               : roll < 85 ? "*"
               : roll < 95 ? "Icmp"
               : roll < 98 ? "Esp"
                           : "Ah";
    }

    std::string single_port() {
        if (random_.chance(90))
            return std::to_string(random_.pick(kWellKnownPorts));
        return std::to_string(random_.between(1024, 65535));
    }

    std::string port_range() {
        if (random_.chance(60))
            return random_.pick(kPortRanges);
        int lo = random_.between(1, 60000);
        int hi = std::min(65535, lo + random_.between(0, 2000));
        return fmt::format("{}-{}", lo, hi);
    }

    std::vector<std::string> source_ports() {
        if (random_.chance(90))
            return {"*"};
        int roll = static_cast<int>(random_.below(10));
        if (roll < 4)
            return {"1024-65535"};
        if (roll < 7)
            return {"53"};
        return {"80", "443"};
    }

    // The side that lies in the NSG's own VNet: destination of an inbound rule, source of an outbound one.
    void local_side(const SyntheticVnet& v, std::vector<std::string>& prefixes,
                    std::vector<std::string>& asgs) {
        int roll = static_cast<int>(random_.below(100));
        if (roll < 35 && !v.asg_ids.empty()) {
            asgs.push_back(random_.pick(v.asg_ids));
            if (random_.chance(10) && v.asg_ids.size() > 1) {
                const std::string& second = random_.pick(v.asg_ids);
                if (second != asgs[0])
                    asgs.push_back(second);
            }
        } else if (roll < 60 && !v.subnet_prefixes.empty()) {
            prefixes.push_back(random_.pick(v.subnet_prefixes));
            if (random_.chance(25)) {
                const std::string& second = random_.pick(v.subnet_prefixes);
                if (second != prefixes[0])
                    prefixes.push_back(second);
            }
        } else if (roll < 75) {
            prefixes.push_back("*");
        } else if (roll < 90 || v.host_addresses.empty()) {
            prefixes.push_back("VirtualNetwork");
        } else {
            prefixes.push_back(random_.pick(v.host_addresses));
        }
    }

    // The far side: source of an inbound rule, destination of an outbound one.
    void remote_side(const SyntheticVnet& v, bool inbound, std::vector<std::string>& prefixes,
                     std::vector<std::string>& asgs) {
        int roll = static_cast<int>(random_.below(100));
        if (roll < 25 && !v.asg_ids.empty()) {
            asgs.push_back(random_.pick(v.asg_ids));
            return;
        }
        if (roll < (inbound ? 50 : 55)) {
            int tag = static_cast<int>(random_.below(100));
            if (inbound)
                prefixes.push_back(tag < 35   ? "Internet"
                                   : tag < 70 ? "VirtualNetwork"
                                   : tag < 85 ? "AzureLoadBalancer"
                                              : "*");
            else
                prefixes.push_back(tag < 50 ? "Internet" : tag < 80 ? "VirtualNetwork" : "*");
            return;
        }
        int n = random_.between(1, 3);
        bool dual_stack = std::any_of(v.subnet_prefixes.begin(), v.subnet_prefixes.end(),
                                      [](const std::string& p) { return p.find(':') != std::string::npos; });
        for (int i = 0; i < n; ++i) {
            std::string entry = dual_stack && random_.chance(20) ? ipv6_entry(v) : ipv4_entry();
            if (std::find(prefixes.begin(), prefixes.end(), entry) == prefixes.end())
                prefixes.push_back(std::move(entry));
        }
    }

    std::string ipv4_entry() {
        int roll = static_cast<int>(random_.below(100));
        if (roll < 30 && !all_prefixes_.empty()) {
            const std::string& p = random_.pick(all_prefixes_);
            if (p.find(':') == std::string::npos)
                return p;
        }
        if (roll < 60 && !public_v4_.empty())
            return random_.pick(public_v4_);
        if (roll < 85) {
            switch (random_.below(3)) {
            case 0:
                return fmt::format("10.{}.{}.0/24", random_.between(200, 250), random_.between(0, 255));
            case 1:
                return fmt::format("172.16.{}.{}/28", random_.between(0, 255), 16 * random_.between(0, 15));
            default:
                return fmt::format("192.168.{}.{}", random_.between(0, 255), random_.between(1, 254));
            }
        }
        if (!all_hosts_.empty())
            return random_.pick(all_hosts_);
        return "10.250.0.0/16";
    }

    std::string ipv6_entry(const SyntheticVnet& v) {
        if (!public_v6_.empty() && random_.chance(50))
            return random_.pick(public_v6_);
        std::vector<std::string> own;
        for (const std::string& p : v.subnet_prefixes) {
            if (p.find(':') != std::string::npos)
                own.push_back(p);
        }
        return random_.pick(own);
    }

    Random& random_;
    const SyntheticEstate& estate_;
    std::vector<std::string> all_prefixes_;
    std::vector<std::string> all_hosts_;
    std::vector<std::string> public_v4_;
    std::vector<std::string> public_v6_;
};

// The rules Azure Bastion's documentation asks its subnet's NSG for.
std::vector<SyntheticRule> bastion_rules() {
    auto rule = [](std::string name, int priority, bool inbound, std::string source, std::string destination,
                   std::vector<std::string> ports) {
        SyntheticRule r;
        r.name = std::move(name);
        r.priority = priority;
        r.inbound = inbound;
        r.source_prefixes = {std::move(source)};
        r.destination_prefixes = {std::move(destination)};
        r.destination_ports = std::move(ports);
        return r;
    };
    return {
        rule("AllowHttpsInbound", 120, true, "Internet", "*", {"443"}),
        rule("AllowGatewayManagerInbound", 130, true, "GatewayManager", "*", {"443"}),
        rule("AllowAzureLoadBalancerInbound", 140, true, "AzureLoadBalancer", "*", {"443"}),
        rule("AllowBastionHostCommunication", 150, true, "VirtualNetwork", "VirtualNetwork",
             {"8080", "5701"}),
        rule("AllowSshRdpOutbound", 100, false, "*", "VirtualNetwork", {"22", "3389"}),
        rule("AllowAzureCloudOutbound", 110, false, "*", "AzureCloud", {"443"}),
        rule("AllowBastionCommunication", 120, false, "VirtualNetwork", "VirtualNetwork", {"8080", "5701"}),
        rule("AllowHttpOutbound", 130, false, "*", "Internet", {"80"}),
    };
}

class Generator {
  public:
    explicit Generator(const EstateParameters& parameters) : p_(parameters), random_(parameters.seed) {
        p_.spokes = std::clamp(p_.spokes, 0, kMaxSpokes);
        p_.subnets_per_spoke = std::clamp(p_.subnets_per_spoke, 1, 200);
        out_.parameters = p_;
    }

    SyntheticEstate run() {
        plan_network();
        plan_asgs();
        plan_nics();
        plan_public_prefixes();
        describe_vnets();
        plan_nsgs();
        plan_load_balancers();
        render();
        return std::move(out_);
    }

  private:
    // ---- planning ----

    int add_vnet(int spoke) {
        VnetPlan v;
        v.spoke = spoke;
        v.short_name = spoke == 0 ? "hub" : fmt::format("s{}", spoke);
        v.name = spoke == 0 ? "vnet-hub" : fmt::format("vnet-spoke-{}", spoke);
        v.group = spoke == 0 ? "rg-hub" : fmt::format("rg-spoke-{}", spoke);
        v.id = resource_id(v.group, "Microsoft.Network/virtualNetworks", v.name);
        v.space = fmt::format("10.{}.0.0/16", spoke);
        if (p_.ipv6 && spoke % 3 == 1)
            v.space_v6 = fmt::format("fd12:3456:{:x}::/48", spoke);
        v.forwarded_allowed = spoke == 0 || random_.chance(80);
        vnets_.push_back(std::move(v));
        return static_cast<int>(vnets_.size()) - 1;
    }

    void add_subnet(int vnet, std::string name, int octet3, bool workload, std::string role,
                    int prefix_length) {
        VnetPlan& v = vnets_[static_cast<std::size_t>(vnet)];
        SubnetPlan s;
        s.name = std::move(name);
        s.id = v.id + "/subnets/" + s.name;
        s.vnet = vnet;
        s.octet2 = v.spoke;
        s.octet3 = octet3;
        s.prefix = fmt::format("10.{}.{}.0/{}", v.spoke, octet3, prefix_length);
        if (!v.space_v6.empty() && workload)
            s.prefix_v6 = ipv6_subnet(v.spoke, octet3);
        s.workload = workload;
        s.role = std::move(role);
        v.subnets.push_back(static_cast<int>(subnets_.size()));
        subnets_.push_back(std::move(s));
    }

    void plan_network() {
        int hub = add_vnet(0);
        if (p_.with_firewall)
            add_subnet(hub, "AzureFirewallSubnet", 1, false, "", 26);
        if (p_.with_bastion)
            add_subnet(hub, "AzureBastionSubnet", 2, false, "", 26);
        if (p_.hub_workloads)
            add_subnet(hub, "snet-hub-shared", 3, true, "shared", 24);
        for (int s = 1; s <= p_.spokes; ++s) {
            int v = add_vnet(s);
            for (int k = 0; k < p_.subnets_per_spoke; ++k) {
                const std::string& role = kRoles[static_cast<std::size_t>(k) % kRoles.size()];
                std::size_t round = static_cast<std::size_t>(k) / kRoles.size();
                std::string name = round == 0 ? fmt::format("snet-s{}-{}", s, role)
                                              : fmt::format("snet-s{}-{}-{}", s, role, round + 1);
                add_subnet(v, std::move(name), k, true, role, 24);
            }
        }
        for (std::size_t i = 0; i < subnets_.size(); ++i) {
            if (subnets_[i].workload)
                workload_subnets_.push_back(static_cast<int>(i));
        }
        for (std::size_t v = 0; v < vnets_.size(); ++v) {
            bool has_workloads = std::any_of(vnets_[v].subnets.begin(), vnets_[v].subnets.end(), [&](int s) {
                return subnets_[static_cast<std::size_t>(s)].workload;
            });
            if (has_workloads)
                workload_vnets_.push_back(static_cast<int>(v));
        }
    }

    void plan_asgs() {
        if (workload_vnets_.empty())
            return;
        std::vector<int> per_vnet(vnets_.size(), 0);
        for (int a = 0; a < p_.asgs; ++a) {
            int vnet = workload_vnets_[static_cast<std::size_t>(a) % workload_vnets_.size()];
            VnetPlan& v = vnets_[static_cast<std::size_t>(vnet)];
            int n = per_vnet[static_cast<std::size_t>(vnet)]++;
            AsgPlan asg;
            asg.vnet = vnet;
            asg.role = kRoles[static_cast<std::size_t>(n) % kRoles.size()];
            std::size_t round = static_cast<std::size_t>(n) / kRoles.size();
            asg.name = round == 0 ? fmt::format("asg-{}-{}", asg.role, v.short_name)
                                  : fmt::format("asg-{}-{}-{}", asg.role, v.short_name, round + 1);
            asg.id = resource_id(v.group, "Microsoft.Network/applicationSecurityGroups", asg.name);
            v.asgs.push_back(static_cast<int>(asgs_.size()));
            asgs_.push_back(std::move(asg));
        }
    }

    void plan_nics() {
        if (workload_subnets_.empty())
            return;
        std::vector<int> open = workload_subnets_; // subnets with room
        for (int n = 0; n < p_.nics && !open.empty(); ++n) {
            std::size_t slot = static_cast<std::size_t>(random_.below(open.size()));
            int s = open[slot];
            SubnetPlan& subnet = subnets_[static_cast<std::size_t>(s)];
            VnetPlan& v = vnets_[static_cast<std::size_t>(subnet.vnet)];
            NicPlan nic;
            nic.subnet = s;
            nic.group = v.group;
            // A VM's second NIC: drawn only when asked for, so that other estates stay as they were.
            const NicPlan* first = p_.second_nic_percent > 0 && random_.chance(p_.second_nic_percent)
                                       ? single_nic_vm(v)
                                       : nullptr;
            if (first) {
                nic.vm = first->vm;
                nic.name = nic.vm + "-nic2";
                nic.second = true;
                second_nic_[nic.vm] = resource_id(v.group, "Microsoft.Network/networkInterfaces", nic.name);
            } else {
                nic.vm = fmt::format("vm-{}-{}-{}", v.short_name, subnet.role, n + 1);
                nic.name = nic.vm + "-nic";
            }
            nic.id = resource_id(v.group, "Microsoft.Network/networkInterfaces", nic.name);
            nic.vm_id = resource_id(v.group, "Microsoft.Compute/virtualMachines", nic.vm);
            int host = 4 + subnet.hosts++;
            nic.address = fmt::format("10.{}.{}.{}", subnet.octet2, subnet.octet3, host);
            if (!subnet.prefix_v6.empty())
                nic.address_v6 = fmt::format("fd12:3456:{:x}:{:x}::{:x}", subnet.octet2, subnet.octet3, host);
            if (subnet.hosts >= kHostsPerSubnet) {
                open[slot] = open.back();
                open.pop_back();
            }
            choose_asgs(nic, v, subnet.role);
            if (random_.chance(p_.public_ip_percent)) {
                std::string name = "pip-" + nic.vm;
                nic.public_ip_id = resource_id(v.group, "Microsoft.Network/publicIPAddresses", name);
                int i = static_cast<int>(public_ips_.size());
                bool standard = random_.chance(60);
                public_ips_.push_back(resource(
                    nic.public_ip_id, name, "Microsoft.Network/publicIPAddresses",
                    object({{"name", str(standard ? "Standard" : "Basic")}, {"tier", str("Regional")}}),
                    object({{"provisioningState", str("Succeeded")},
                            {"ipAddress", str(fmt::format("20.61.{}.{}", i / 250, i % 250 + 1))},
                            {"publicIPAddressVersion", str("IPv4")},
                            {"publicIPAllocationMethod", str("Static")},
                            {"ipConfiguration", id_ref(nic.id + "/ipConfigurations/ipconfig1")}})));
            }
            v.nics.push_back(static_cast<int>(nics_.size()));
            nics_.push_back(std::move(nic));
        }
    }

    // A VM of the VNet with one NIC so far (the most recent one), or null.
    const NicPlan* single_nic_vm(const VnetPlan& v) const {
        for (auto it = v.nics.rbegin(); it != v.nics.rend(); ++it) {
            const NicPlan& candidate = nics_[static_cast<std::size_t>(*it)];
            if (!candidate.second && !second_nic_.contains(candidate.vm))
                return &candidate;
        }
        return nullptr;
    }

    void choose_asgs(NicPlan& nic, const VnetPlan& v, const std::string& role) {
        if (v.asgs.empty() || !random_.chance(85))
            return;
        int first = random_.pick(v.asgs);
        if (random_.chance(60)) {
            for (int a : v.asgs) {
                if (asgs_[static_cast<std::size_t>(a)].role == role)
                    first = a;
            }
        }
        nic.asgs.push_back(first);
        if (random_.chance(25)) {
            int second = random_.pick(v.asgs);
            if (second != first)
                nic.asgs.push_back(second);
        }
        for (int a : nic.asgs)
            ++asgs_[static_cast<std::size_t>(a)].members;
    }

    void plan_public_prefixes() {
        for (int i = 0; i < p_.public_prefixes; ++i) {
            int a = random_.between(0, 255);
            int b = random_.between(0, 255);
            std::string prefix;
            switch (random_.below(p_.ipv6 ? 5 : 4)) {
            case 0:
                prefix = fmt::format("52.{}.{}.0/24", a, b);
                break;
            case 1:
                prefix = fmt::format("13.{}.{}.{}", a, b, random_.between(1, 254));
                break;
            case 2:
                prefix = fmt::format("20.{}.{}.{}/28", a, b, 16 * random_.between(0, 15));
                break;
            case 3:
                prefix = fmt::format("40.{}.0.0/16", a);
                break;
            default:
                prefix = fmt::format("2603:10{:02x}:{:x}::/48", a % 64, b);
                break;
            }
            if (std::find(out_.public_prefixes.begin(), out_.public_prefixes.end(), prefix) ==
                out_.public_prefixes.end())
                out_.public_prefixes.push_back(std::move(prefix));
        }
    }

    // What rules may name, per VNet, and what intents may select.
    void describe_vnets() {
        for (const VnetPlan& v : vnets_) {
            SyntheticVnet d;
            d.name = v.name;
            for (int s : v.subnets) {
                if (subnets_[static_cast<std::size_t>(s)].workload)
                    d.subnet_prefixes.push_back(subnets_[static_cast<std::size_t>(s)].prefix);
            }
            for (int s : v.subnets) {
                if (!subnets_[static_cast<std::size_t>(s)].prefix_v6.empty())
                    d.subnet_prefixes.push_back(subnets_[static_cast<std::size_t>(s)].prefix_v6);
            }
            std::vector<int> hosts = v.nics;
            random_.shuffle(hosts);
            hosts.resize(std::min<std::size_t>(hosts.size(), 16));
            for (int n : hosts)
                d.host_addresses.push_back(nics_[static_cast<std::size_t>(n)].address);
            for (int a : v.asgs)
                d.asg_ids.push_back(asgs_[static_cast<std::size_t>(a)].id);
            out_.vnets.push_back(std::move(d));
        }
        for (const SubnetPlan& s : subnets_) {
            if (s.workload && s.hosts > 0) {
                out_.subnet_names.push_back(vnets_[static_cast<std::size_t>(s.vnet)].name + "/" + s.name);
                out_.subnet_prefixes.push_back(s.prefix);
            }
        }
        for (const AsgPlan& a : asgs_) {
            if (a.members > 0)
                out_.asg_names.push_back(a.name);
        }
        for (const NicPlan& n : nics_) {
            out_.vm_names.push_back(n.vm);
            out_.nic_addresses.push_back(n.address);
        }
    }

    // NSGs: the Bastion subnet's, then the rest spread over the VNets with workloads, most on subnets,
    // some on NICs; the rules spread over them unevenly.
    void plan_nsgs() {
        int rules_left = p_.rules_total;
        int nsgs_left = p_.nsgs;
        if (p_.with_bastion && nsgs_left > 0) {
            SyntheticNsg bastion;
            bastion.name = "nsg-bastion";
            bastion.id = resource_id("rg-hub", "Microsoft.Network/networkSecurityGroups", bastion.name);
            bastion.vnet = 0;
            bastion.rules = bastion_rules();
            rules_left -= static_cast<int>(bastion.rules.size());
            for (SubnetPlan& s : subnets_) {
                if (s.name == "AzureBastionSubnet")
                    s.nsg_id = bastion.id;
            }
            out_.nsgs.push_back(std::move(bastion));
            --nsgs_left;
        }
        if (workload_vnets_.empty() || nsgs_left <= 0)
            return;
        std::vector<int> counts = apportion(std::max(rules_left, 0), nsgs_left);
        for (int i = 0; i < nsgs_left; ++i) {
            int vnet = workload_vnets_[static_cast<std::size_t>(i) % workload_vnets_.size()];
            VnetPlan& v = vnets_[static_cast<std::size_t>(vnet)];
            bool for_nics = !v.subnet_nsgs.empty() && random_.chance(25);
            SyntheticNsg nsg;
            nsg.vnet = vnet;
            nsg.name = fmt::format("nsg-{}-{}{}", v.short_name, for_nics ? "nic-" : "", i + 1);
            nsg.id = resource_id(v.group, "Microsoft.Network/networkSecurityGroups", nsg.name);
            (for_nics ? v.nic_nsgs : v.subnet_nsgs).push_back(nsg.id);
            out_.nsgs.push_back(std::move(nsg));
        }
        associate_nsgs();
        RuleMaker maker(random_, out_);
        std::size_t first = out_.nsgs.size() - static_cast<std::size_t>(nsgs_left);
        for (int i = 0; i < nsgs_left; ++i)
            fill_rules(out_.nsgs[first + static_cast<std::size_t>(i)], counts[static_cast<std::size_t>(i)],
                       maker);
    }

    // `total` split over `parts` with random weights 1-3, exactly.
    std::vector<int> apportion(int total, int parts) {
        std::vector<int> weights(static_cast<std::size_t>(parts));
        long long sum = 0;
        for (int& w : weights) {
            w = random_.between(1, 3);
            sum += w;
        }
        std::vector<int> out(weights.size());
        int given = 0;
        for (std::size_t i = 0; i < weights.size(); ++i) {
            out[i] = static_cast<int>(static_cast<long long>(total) * weights[i] / sum);
            given += out[i];
        }
        for (; given < total; ++given)
            ++out[static_cast<std::size_t>(random_.below(out.size()))];
        return out;
    }

    void associate_nsgs() {
        for (VnetPlan& v : vnets_) {
            std::vector<int> workload;
            for (int s : v.subnets) {
                if (subnets_[static_cast<std::size_t>(s)].workload)
                    workload.push_back(s);
            }
            // Subnet NSGs beyond the number of subnets protect NICs instead.
            while (v.subnet_nsgs.size() > workload.size()) {
                v.nic_nsgs.push_back(v.subnet_nsgs.back());
                v.subnet_nsgs.pop_back();
            }
            for (std::size_t i = 0; i < workload.size() && !v.subnet_nsgs.empty(); ++i) {
                SubnetPlan& s = subnets_[static_cast<std::size_t>(workload[i])];
                if (i < v.subnet_nsgs.size())
                    s.nsg_id = v.subnet_nsgs[i];
                else if (random_.chance(85))
                    s.nsg_id = random_.pick(v.subnet_nsgs);
            }
            for (int n : v.nics) {
                if (!v.nic_nsgs.empty() && random_.chance(40))
                    nics_[static_cast<std::size_t>(n)].nsg_id = random_.pick(v.nic_nsgs);
            }
        }
    }

    void fill_rules(SyntheticNsg& nsg, int count, RuleMaker& maker) {
        if (count >= 3 && random_.chance(60)) {
            nsg.rules.push_back(deny_all(true));
            --count;
            if (count >= 4 && random_.chance(40)) {
                nsg.rules.push_back(deny_all(false));
                --count;
            }
        }
        int inbound = 0;
        std::vector<bool> directions;
        for (int i = 0; i < count; ++i) {
            directions.push_back(random_.chance(60));
            inbound += directions.back() ? 1 : 0;
        }
        std::vector<int> in_priorities = priorities(inbound);
        std::vector<int> out_priorities = priorities(count - inbound);
        std::size_t next_in = 0;
        std::size_t next_out = 0;
        std::vector<SyntheticRule> rules;
        for (bool in : directions) {
            SyntheticRule r = maker.make(nsg.vnet, in);
            r.priority = in ? in_priorities[next_in++] : out_priorities[next_out++];
            r.name = fmt::format("{}-{}-{}", r.allow ? "allow" : "deny", in ? "in" : "out", r.priority);
            rules.push_back(std::move(r));
        }
        // The portal lists rules by priority; exports keep that order.
        std::stable_sort(rules.begin(), rules.end(), [](const SyntheticRule& a, const SyntheticRule& b) {
            return a.priority < b.priority;
        });
        rules.insert(rules.end(), std::make_move_iterator(nsg.rules.begin()),
                     std::make_move_iterator(nsg.rules.end()));
        nsg.rules = std::move(rules);
    }

    static SyntheticRule deny_all(bool inbound) {
        SyntheticRule r;
        r.name = inbound ? "DenyAllInbound" : "DenyAllOutbound";
        r.priority = 4096;
        r.inbound = inbound;
        r.allow = false;
        r.protocol = "*";
        r.source_prefixes = {"*"};
        r.destination_prefixes = {"*"};
        return r;
    }

    // `n` increasing priorities between 100 and 4000, spaced like people space them.
    std::vector<int> priorities(int n) {
        std::vector<int> out;
        if (n <= 0)
            return out;
        int spacing = std::clamp(3900 / n, 1, 20);
        for (int i = 0; i < n; ++i)
            out.push_back(100 + i * spacing +
                          static_cast<int>(random_.below(static_cast<std::uint64_t>(spacing))));
        return out;
    }

    void plan_load_balancers() {
        if (p_.spokes == 0)
            return;
        for (int l = 0; l < p_.load_balancers; ++l) {
            const VnetPlan& v = vnets_[static_cast<std::size_t>(1 + l % p_.spokes)];
            std::vector<int> free_nics;
            for (int n : v.nics) {
                if (nics_[static_cast<std::size_t>(n)].pool_id.empty())
                    free_nics.push_back(n);
            }
            if (free_nics.empty())
                continue;
            random_.shuffle(free_nics);
            free_nics.resize(
                std::min<std::size_t>(free_nics.size(), static_cast<std::size_t>(random_.between(2, 4))));
            load_balancers_.push_back(render_load_balancer(v, l, free_nics));
        }
    }

    std::string render_load_balancer(const VnetPlan& v, int index, const std::vector<int>& backends) {
        std::string name = fmt::format("lbi-{}-{}", v.short_name, index + 1);
        std::string id = resource_id(v.group, "Microsoft.Network/loadBalancers", name);
        SubnetPlan& subnet = subnets_[static_cast<std::size_t>(random_.pick(v.subnets))];
        std::string frontend_id = id + "/frontendIPConfigurations/fe-" + std::to_string(index + 1);
        std::string pool_id = id + "/backendAddressPools/bep-" + std::to_string(index + 1);
        std::string address =
            fmt::format("10.{}.{}.{}", subnet.octet2, subnet.octet3, 250 - subnet.frontends++);
        std::vector<std::string> members;
        for (int n : backends) {
            nics_[static_cast<std::size_t>(n)].pool_id = pool_id;
            members.push_back(nics_[static_cast<std::size_t>(n)].id + "/ipConfigurations/ipconfig1");
        }
        std::vector<std::string> rules;
        std::vector<std::string> probes;
        std::set<int> frontend_ports;
        int count = random_.between(1, 2);
        for (int r = 0; r < count; ++r) {
            bool ha_ports = random_.chance(15);
            int frontend = ha_ports ? 0 : random_.pick(std::vector<int>{443, 80, 1433, 8080, 6379});
            if (!frontend_ports.insert(frontend).second)
                continue;
            int backend = ha_ports             ? 0
                          : random_.chance(60) ? frontend
                                               : random_.pick(std::vector<int>{8443, 8080, 5000});
            std::string rule_name = ha_ports ? "lbr-ha-ports" : fmt::format("lbr-{}", frontend);
            std::string probe_id = id + "/probes/hp-" + rule_name;
            probes.push_back(object({{"name", str("hp-" + rule_name)},
                                     {"id", str(probe_id)},
                                     {"properties", object({{"protocol", str("Tcp")},
                                                            {"port", num(backend == 0 ? 443 : backend)},
                                                            {"intervalInSeconds", num(5)},
                                                            {"numberOfProbes", num(1)}})}}));
            rules.push_back(object({{"name", str(rule_name)},
                                    {"id", str(id + "/loadBalancingRules/" + rule_name)},
                                    {"properties", object({{"frontendIPConfiguration", id_ref(frontend_id)},
                                                           {"frontendPort", num(frontend)},
                                                           {"backendPort", num(backend)},
                                                           {"protocol", str(ha_ports ? "All" : "Tcp")},
                                                           {"enableFloatingIP", boolean(false)},
                                                           {"idleTimeoutInMinutes", num(4)},
                                                           {"backendAddressPool", id_ref(pool_id)},
                                                           {"probe", id_ref(probe_id)}})}}));
        }
        std::string frontend = object({{"name", str("fe-" + std::to_string(index + 1))},
                                       {"id", str(frontend_id)},
                                       {"properties", object({{"privateIPAddress", str(address)},
                                                              {"privateIPAllocationMethod", str("Static")},
                                                              {"privateIPAddressVersion", str("IPv4")},
                                                              {"subnet", id_ref(subnet.id)}})}});
        std::string pool = object({{"name", str("bep-" + std::to_string(index + 1))},
                                   {"id", str(pool_id)},
                                   {"properties", object({{"backendIPConfigurations", id_refs(members)}})}});
        return resource(id, name, "Microsoft.Network/loadBalancers",
                        object({{"name", str("Standard")}, {"tier", str("Regional")}}),
                        object({{"provisioningState", str("Succeeded")},
                                {"frontendIPConfigurations", array({frontend})},
                                {"backendAddressPools", array({pool})},
                                {"loadBalancingRules", array(rules)},
                                {"probes", array(probes)},
                                {"inboundNatRules", "[]"}}));
    }

    // ---- rendering ----

    void render() {
        std::vector<std::string>& out = out_.resources;
        std::set<std::string> groups{"rg-hub"};
        for (const VnetPlan& v : vnets_)
            groups.insert(v.group);
        for (const std::string& g : groups)
            out.push_back(
                object({{"id", str(fmt::format("/subscriptions/{}/resourceGroups/{}", kSubscription, g))},
                        {"name", str(g)},
                        {"type", str("Microsoft.Resources/resourceGroups")},
                        {"location", str(kLocation)},
                        {"properties", object({{"provisioningState", str("Succeeded")}})}}));
        for (const AsgPlan& a : asgs_)
            out.push_back(resource(a.id, a.name, "Microsoft.Network/applicationSecurityGroups", "",
                                   object({{"provisioningState", str("Succeeded")}})));
        render_routes();
        for (std::size_t v = 0; v < vnets_.size(); ++v)
            out.push_back(render_vnet(vnets_[v]));
        if (p_.with_firewall)
            render_firewall();
        if (p_.with_bastion)
            render_bastion();
        for (std::string& pip : public_ips_)
            out.push_back(std::move(pip));
        for (std::string& lb : load_balancers_)
            out.push_back(std::move(lb));
        for (const NicPlan& n : nics_) {
            out.push_back(render_nic(n));
            if (!n.second)
                out.push_back(render_vm(n));
        }
    }

    std::string route(const std::string& table_id, const std::string& name, const std::string& prefix,
                      std::string_view next_hop, std::string_view appliance = kFirewallAddress) {
        return object(
            {{"name", str(name)},
             {"id", str(table_id + "/routes/" + name)},
             {"properties", object({{"addressPrefix", str(prefix)},
                                    {"nextHopType", str(next_hop)},
                                    {"nextHopIpAddress",
                                     next_hop == "VirtualAppliance" ? str(appliance) : std::string()}})}});
    }

    // Now and then (host_route_percent), a route for one NIC's IPv4 address alone: dropped, or sent
    // to the firewall. It splits that NIC's subnet for routing.
    void add_host_route(const std::string& table_id, std::vector<std::string>& routes) {
        if (p_.host_route_percent == 0 || nics_.empty() || !random_.chance(p_.host_route_percent))
            return;
        const NicPlan& nic = random_.pick(nics_);
        const bool to_firewall = p_.with_firewall && random_.chance(50);
        routes.push_back(route(table_id, "host-" + nic.name, nic.address + "/32",
                               to_firewall ? "VirtualAppliance" : "None"));
    }

    // A prefix some subnet may be told to drop: a public prefix, another VNet, or on-premises space.
    std::string drop_prefix(int vnet) {
        int roll = static_cast<int>(random_.below(3));
        std::vector<std::string> public_v4;
        for (const std::string& p : out_.public_prefixes) {
            if (p.find(':') == std::string::npos)
                public_v4.push_back(p);
        }
        if (roll == 0 && !public_v4.empty())
            return random_.pick(public_v4);
        if (roll == 1 && vnets_.size() > 1) {
            const VnetPlan& other = random_.pick(vnets_);
            if (other.spoke != vnets_[static_cast<std::size_t>(vnet)].spoke)
                return other.space;
        }
        return fmt::format("10.{}.{}.0/24", random_.between(200, 250), random_.between(0, 255));
    }

    void add_route_table(const std::string& group, const std::string& name,
                         const std::vector<std::string>& routes, const std::vector<std::string>& subnet_ids) {
        std::string id = resource_id(group, "Microsoft.Network/routeTables", name);
        out_.resources.push_back(resource(id, name, "Microsoft.Network/routeTables", "",
                                          object({{"provisioningState", str("Succeeded")},
                                                  {"disableBgpRoutePropagation", boolean(false)},
                                                  {"routes", array(routes)},
                                                  {"subnets", id_refs(subnet_ids)}})));
    }

    // With a firewall, most spoke subnets send everything to it and the hub's shared subnet sends
    // the spokes there; without one, some subnets drop a prefix, name the Internet explicitly or send a
    // prefix to a third-party appliance.
    void render_routes() {
        for (std::size_t vi = 0; vi < vnets_.size(); ++vi) {
            VnetPlan& v = vnets_[vi];
            if (p_.with_firewall && v.spoke > 0) {
                std::string name = "rt-spoke-" + std::to_string(v.spoke);
                std::string id = resource_id(v.group, "Microsoft.Network/routeTables", name);
                std::vector<std::string> routes{route(id, "to-firewall", "0.0.0.0/0", "VirtualAppliance")};
                if (random_.chance(15))
                    routes.push_back(route(id, "drop-1", drop_prefix(static_cast<int>(vi)), "None"));
                add_host_route(id, routes);
                std::vector<std::string> members;
                for (int s : v.subnets) {
                    if (random_.chance(85)) {
                        subnets_[static_cast<std::size_t>(s)].route_table_id = id;
                        members.push_back(subnets_[static_cast<std::size_t>(s)].id);
                    }
                }
                add_route_table(v.group, name, routes, members);
                continue;
            }
            for (int s : v.subnets) {
                SubnetPlan& subnet = subnets_[static_cast<std::size_t>(s)];
                if (!subnet.workload)
                    continue;
                std::vector<std::string> routes;
                std::string name = "rt-" + subnet.name;
                std::string id = resource_id(v.group, "Microsoft.Network/routeTables", name);
                if (p_.with_firewall) { // the hub's shared subnet
                    if (!random_.chance(50))
                        continue;
                    for (const VnetPlan& spoke : vnets_) {
                        if (spoke.spoke > 0)
                            routes.push_back(
                                route(id, "to-" + spoke.short_name, spoke.space, "VirtualAppliance"));
                    }
                } else {
                    if (!random_.chance(30))
                        continue;
                    if (random_.chance(50))
                        routes.push_back(route(id, "default-internet", "0.0.0.0/0", "Internet"));
                    routes.push_back(route(id, "drop-1", drop_prefix(static_cast<int>(vi)), "None"));
                    // Now and then a third-party appliance, whose filtering the estate cannot show.
                    if (random_.chance(15))
                        routes.push_back(route(id, "to-nva", drop_prefix(static_cast<int>(vi)),
                                               "VirtualAppliance", kApplianceAddress));
                }
                add_host_route(id, routes);
                if (routes.empty())
                    continue;
                subnet.route_table_id = id;
                add_route_table(v.group, name, routes, {subnet.id});
            }
        }
    }

    std::string render_vnet(const VnetPlan& v) {
        std::vector<std::string> subnets;
        for (int si : v.subnets) {
            const SubnetPlan& s = subnets_[static_cast<std::size_t>(si)];
            bool dual = !s.prefix_v6.empty();
            subnets.push_back(
                object({{"name", str(s.name)},
                        {"id", str(s.id)},
                        {"type", str("Microsoft.Network/virtualNetworks/subnets")},
                        {"properties",
                         object({{"provisioningState", str("Succeeded")},
                                 {"addressPrefix", dual ? std::string() : str(s.prefix)},
                                 {"addressPrefixes", dual ? strings({s.prefix, s.prefix_v6}) : std::string()},
                                 {"networkSecurityGroup", id_ref(s.nsg_id)},
                                 {"routeTable", id_ref(s.route_table_id)},
                                 {"privateEndpointNetworkPolicies", str("Disabled")},
                                 {"privateLinkServiceNetworkPolicies", str("Enabled")}})}}));
        }
        std::vector<std::string> peerings;
        for (const VnetPlan& other : vnets_) {
            bool linked = (v.spoke == 0) != (other.spoke == 0); // hub <-> spoke only
            if (!linked)
                continue;
            std::string name = fmt::format("peer-{}-to-{}", v.short_name, other.short_name);
            std::vector<std::string> remote{other.space};
            if (!other.space_v6.empty())
                remote.push_back(other.space_v6);
            peerings.push_back(
                object({{"name", str(name)},
                        {"id", str(v.id + "/virtualNetworkPeerings/" + name)},
                        {"type", str("Microsoft.Network/virtualNetworks/virtualNetworkPeerings")},
                        {"properties",
                         object({{"provisioningState", str("Succeeded")},
                                 {"peeringState", str("Connected")},
                                 {"remoteVirtualNetwork", id_ref(other.id)},
                                 {"allowVirtualNetworkAccess", boolean(true)},
                                 {"allowForwardedTraffic", boolean(v.forwarded_allowed)},
                                 {"allowGatewayTransit", boolean(false)},
                                 {"useRemoteGateways", boolean(false)},
                                 {"remoteAddressSpace", object({{"addressPrefixes", strings(remote)}})}})}}));
        }
        std::vector<std::string> space{v.space};
        if (!v.space_v6.empty())
            space.push_back(v.space_v6);
        return resource(v.id, v.name, "Microsoft.Network/virtualNetworks", "",
                        object({{"provisioningState", str("Succeeded")},
                                {"addressSpace", object({{"addressPrefixes", strings(space)}})},
                                {"subnets", array(subnets)},
                                {"virtualNetworkPeerings", array(peerings)},
                                {"enableDdosProtection", boolean(false)}}));
    }

    std::string network_rule(const std::string& name, const std::vector<std::string>& protocols,
                             const std::vector<std::string>& sources,
                             const std::vector<std::string>& destinations,
                             const std::vector<std::string>& ports) {
        return object({{"ruleType", str("NetworkRule")},
                       {"name", str(name)},
                       {"ipProtocols", strings(protocols)},
                       {"sourceAddresses", strings(sources)},
                       {"sourceIpGroups", "[]"},
                       {"destinationAddresses", strings(destinations)},
                       {"destinationIpGroups", "[]"},
                       {"destinationFqdns", "[]"},
                       {"destinationPorts", strings(ports)}});
    }

    // A network rule between spokes (or out to the Internet) as a hub team writes them.
    std::string random_network_rule(const std::string& name) {
        std::vector<std::string> spaces;
        for (const VnetPlan& v : vnets_) {
            if (v.spoke > 0)
                spaces.push_back(v.space);
        }
        auto addresses = [&](bool destination) -> std::vector<std::string> {
            int roll = static_cast<int>(random_.below(100));
            if (roll < 10 || spaces.empty())
                return {"*"};
            if (destination && roll < 30 && !out_.public_prefixes.empty()) {
                const std::string& p = random_.pick(out_.public_prefixes);
                if (p.find(':') == std::string::npos)
                    return {p};
            }
            if (destination && roll < 45) {
                const SubnetPlan& s = subnets_[static_cast<std::size_t>(random_.pick(workload_subnets_))];
                return {s.prefix};
            }
            std::vector<std::string> out{random_.pick(spaces)};
            if (random_.chance(30)) {
                const std::string& second = random_.pick(spaces);
                if (second != out[0])
                    out.push_back(second);
            }
            return out;
        };
        static const std::vector<std::vector<std::string>> kProtocols{
            {"TCP"}, {"UDP"}, {"ICMP"}, {"TCP", "UDP"}, {"Any"}};
        static const std::vector<std::vector<std::string>> kPorts{{"443"},          {"53"}, {"8000-8100"},
                                                                  {"1433", "3306"}, {"*"},  {"22"}};
        std::vector<std::string> protocols = random_.pick(kProtocols);
        std::vector<std::string> ports =
            protocols[0] == "ICMP" ? std::vector<std::string>{"*"} : random_.pick(kPorts);
        std::vector<std::string> sources = addresses(false);
        std::vector<std::string> destinations = addresses(true);
        return network_rule(name, protocols, sources, destinations, ports);
    }

    void render_firewall() {
        std::string policy_id = resource_id("rg-hub", "Microsoft.Network/firewallPolicies", "afwp-hub");
        std::string firewall_id = resource_id("rg-hub", "Microsoft.Network/azureFirewalls", "afw-hub");
        std::string pip_id = resource_id("rg-hub", "Microsoft.Network/publicIPAddresses", "pip-afw-hub");
        std::string group_id = policy_id + "/ruleCollectionGroups/rcg-network";
        out_.resources.push_back(resource(pip_id, "pip-afw-hub", "Microsoft.Network/publicIPAddresses",
                                          object({{"name", str("Standard")}, {"tier", str("Regional")}}),
                                          object({{"ipAddress", str("20.62.0.4")},
                                                  {"publicIPAddressVersion", str("IPv4")},
                                                  {"publicIPAllocationMethod", str("Static")}})));
        out_.resources.push_back(resource(policy_id, "afwp-hub", "Microsoft.Network/firewallPolicies", "",
                                          object({{"provisioningState", str("Succeeded")},
                                                  {"sku", object({{"tier", str("Standard")}})},
                                                  {"threatIntelMode", str("Alert")},
                                                  {"ruleCollectionGroups", id_refs({group_id})}})));
        std::vector<std::string> deny_rules;
        int denies = random_.between(1, 2);
        for (int i = 0; i < denies; ++i)
            deny_rules.push_back(random_network_rule(fmt::format("deny-{}", i + 1)));
        std::vector<std::string> allow_rules;
        int allows = random_.between(3, 6);
        for (int i = 0; i < allows; ++i)
            allow_rules.push_back(random_network_rule(fmt::format("allow-{}", i + 1)));
        auto collection = [](const std::string& name, int priority, std::string_view action,
                             const std::vector<std::string>& rules) {
            return object({{"ruleCollectionType", str("FirewallPolicyFilterRuleCollection")},
                           {"name", str(name)},
                           {"priority", num(priority)},
                           {"action", object({{"type", str(action)}})},
                           {"rules", array(rules)}});
        };
        out_.resources.push_back(
            object({{"id", str(group_id)},
                    {"name", str("rcg-network")},
                    {"type", str("Microsoft.Network/firewallPolicies/ruleCollectionGroups")},
                    {"properties",
                     object({{"provisioningState", str("Succeeded")},
                             {"priority", num(200)},
                             {"ruleCollections",
                              array({collection("rc-deny-network", 100, "Deny", deny_rules),
                                     collection("rc-allow-network", 200, "Allow", allow_rules)})}})}}));
        std::string subnet_id = vnets_[0].id + "/subnets/AzureFirewallSubnet";
        std::string ip_configuration =
            object({{"name", str("ipconfig-afw")},
                    {"id", str(firewall_id + "/azureFirewallIpConfigurations/ipconfig-afw")},
                    {"properties", object({{"privateIPAddress", str(kFirewallAddress)},
                                           {"privateIPAllocationMethod", str("Dynamic")},
                                           {"publicIPAddress", id_ref(pip_id)},
                                           {"subnet", id_ref(subnet_id)}})}});
        out_.resources.push_back(
            resource(firewall_id, "afw-hub", "Microsoft.Network/azureFirewalls", "",
                     object({{"provisioningState", str("Succeeded")},
                             {"sku", object({{"name", str("AZFW_VNet")}, {"tier", str("Standard")}})},
                             {"ipConfigurations", array({ip_configuration})},
                             {"networkRuleCollections", "[]"},
                             {"applicationRuleCollections", "[]"},
                             {"natRuleCollections", "[]"},
                             {"firewallPolicy", id_ref(policy_id)}})));
    }

    void render_bastion() {
        std::string id = resource_id("rg-hub", "Microsoft.Network/bastionHosts", "bas-hub");
        std::string pip_id = resource_id("rg-hub", "Microsoft.Network/publicIPAddresses", "pip-bas-hub");
        out_.resources.push_back(resource(pip_id, "pip-bas-hub", "Microsoft.Network/publicIPAddresses",
                                          object({{"name", str("Standard")}, {"tier", str("Regional")}}),
                                          object({{"ipAddress", str("20.62.0.5")},
                                                  {"publicIPAddressVersion", str("IPv4")},
                                                  {"publicIPAllocationMethod", str("Static")}})));
        std::string ip_configuration = object(
            {{"name", str("ipconfig-bas")},
             {"id", str(id + "/bastionHostIpConfigurations/ipconfig-bas")},
             {"properties", object({{"privateIPAllocationMethod", str("Dynamic")},
                                    {"publicIPAddress", id_ref(pip_id)},
                                    {"subnet", id_ref(vnets_[0].id + "/subnets/AzureBastionSubnet")}})}});
        out_.resources.push_back(resource(id, "bas-hub", "Microsoft.Network/bastionHosts",
                                          object({{"name", str("Standard")}}),
                                          object({{"provisioningState", str("Succeeded")},
                                                  {"scaleUnits", num(2)},
                                                  {"ipConfigurations", array({ip_configuration})}})));
    }

    std::string render_nic(const NicPlan& n) {
        const SubnetPlan& subnet = subnets_[static_cast<std::size_t>(n.subnet)];
        std::vector<std::string> asg_ids;
        for (int a : n.asgs)
            asg_ids.push_back(asgs_[static_cast<std::size_t>(a)].id);
        std::string asg_refs = asg_ids.empty() ? std::string() : id_refs(asg_ids);
        std::vector<std::string> configurations{
            object({{"name", str("ipconfig1")},
                    {"id", str(n.id + "/ipConfigurations/ipconfig1")},
                    {"type", str("Microsoft.Network/networkInterfaces/ipConfigurations")},
                    {"properties", object({{"provisioningState", str("Succeeded")},
                                           {"privateIPAddress", str(n.address)},
                                           {"privateIPAllocationMethod", str("Static")},
                                           {"privateIPAddressVersion", str("IPv4")},
                                           {"primary", boolean(true)},
                                           {"subnet", id_ref(subnet.id)},
                                           {"publicIPAddress", id_ref(n.public_ip_id)},
                                           {"applicationSecurityGroups", asg_refs},
                                           {"loadBalancerBackendAddressPools",
                                            n.pool_id.empty() ? std::string() : id_refs({n.pool_id})}})}})};
        if (!n.address_v6.empty())
            configurations.push_back(
                object({{"name", str("ipconfig-v6")},
                        {"id", str(n.id + "/ipConfigurations/ipconfig-v6")},
                        {"type", str("Microsoft.Network/networkInterfaces/ipConfigurations")},
                        {"properties", object({{"provisioningState", str("Succeeded")},
                                               {"privateIPAddress", str(n.address_v6)},
                                               {"privateIPAllocationMethod", str("Static")},
                                               {"privateIPAddressVersion", str("IPv6")},
                                               {"primary", boolean(false)},
                                               {"subnet", id_ref(subnet.id)},
                                               {"applicationSecurityGroups", asg_refs}})}}));
        return resource(n.id, n.name, "Microsoft.Network/networkInterfaces", "",
                        object({{"provisioningState", str("Succeeded")},
                                {"ipConfigurations", array(configurations)},
                                {"networkSecurityGroup", id_ref(n.nsg_id)},
                                {"enableIPForwarding", boolean(false)},
                                {"enableAcceleratedNetworking", boolean(true)},
                                {"primary", boolean(!n.second)},
                                {"virtualMachine", id_ref(n.vm_id)}}));
    }

    std::vector<std::string> nic_ids_of(const NicPlan& first) const {
        std::vector<std::string> ids{first.id};
        if (auto second = second_nic_.find(first.vm); second != second_nic_.end())
            ids.push_back(second->second);
        return ids;
    }

    std::string render_vm(const NicPlan& n) {
        return resource(
            n.vm_id, n.vm, "Microsoft.Compute/virtualMachines", "",
            object(
                {{"provisioningState", str("Succeeded")},
                 {"hardwareProfile", object({{"vmSize", str("Standard_D2s_v5")}})},
                 {"storageProfile", object({{"osDisk", object({{"osType", str("Linux")},
                                                               {"createOption", str("FromImage")}})}})},
                 {"osProfile", object({{"computerName", str(n.vm)},
                                       {"linuxConfiguration",
                                        object({{"disablePasswordAuthentication", boolean(true)}})}})},
                 {"networkProfile", object({{"networkInterfaces", id_refs(nic_ids_of(n))}})},
                 {"securityProfile", object({{"securityType", str("TrustedLaunch")},
                                             {"uefiSettings", object({{"secureBootEnabled", boolean(true)},
                                                                      {"vTpmEnabled", boolean(true)}})}})}}));
    }

    EstateParameters p_;
    Random random_;
    SyntheticEstate out_;
    std::vector<VnetPlan> vnets_;
    std::vector<SubnetPlan> subnets_;
    std::vector<AsgPlan> asgs_;
    std::vector<NicPlan> nics_;
    std::map<std::string, std::string> second_nic_; // VM name -> its second NIC's id
    std::vector<int> workload_subnets_;
    std::vector<int> workload_vnets_;
    std::vector<std::string> public_ips_;
    std::vector<std::string> load_balancers_;
};

std::string render_rule(const SyntheticNsg& nsg, const SyntheticRule& r) {
    auto side = [](const std::vector<std::string>& prefixes, const std::vector<std::string>& asgs,
                   std::string& singular, std::string& plural, std::string& groups) {
        if (!asgs.empty()) {
            groups = id_refs(asgs);
            plural = "[]";
        } else if (prefixes.size() == 1) {
            singular = str(prefixes[0]);
            plural = "[]";
        } else {
            plural = strings(prefixes);
        }
    };
    auto ports = [](const std::vector<std::string>& list, std::string& singular, std::string& plural) {
        if (list.size() == 1) {
            singular = str(list[0]);
            plural = "[]";
        } else {
            plural = strings(list);
        }
    };
    std::string source, sources, source_asgs, destination, destinations, destination_asgs;
    side(r.source_prefixes, r.source_asgs, source, sources, source_asgs);
    side(r.destination_prefixes, r.destination_asgs, destination, destinations, destination_asgs);
    std::string source_port, source_ports, destination_port, destination_ports;
    ports(r.source_ports, source_port, source_ports);
    ports(r.destination_ports, destination_port, destination_ports);
    return object({{"name", str(r.name)},
                   {"id", str(nsg.id + "/securityRules/" + r.name)},
                   {"type", str("Microsoft.Network/networkSecurityGroups/securityRules")},
                   {"properties", object({{"provisioningState", str("Succeeded")},
                                          {"protocol", str(r.protocol)},
                                          {"sourcePortRange", source_port},
                                          {"destinationPortRange", destination_port},
                                          {"sourceAddressPrefix", source},
                                          {"destinationAddressPrefix", destination},
                                          {"sourceApplicationSecurityGroups", source_asgs},
                                          {"destinationApplicationSecurityGroups", destination_asgs},
                                          {"access", str(r.allow ? "Allow" : "Deny")},
                                          {"priority", num(r.priority)},
                                          {"direction", str(r.inbound ? "Inbound" : "Outbound")},
                                          {"sourcePortRanges", source_ports},
                                          {"destinationPortRanges", destination_ports},
                                          {"sourceAddressPrefixes", sources},
                                          {"destinationAddressPrefixes", destinations}})}});
}

std::string render_nsg(const SyntheticNsg& nsg) {
    std::vector<std::string> rules;
    rules.reserve(nsg.rules.size());
    for (const SyntheticRule& r : nsg.rules)
        rules.push_back(render_rule(nsg, r));
    return resource(nsg.id, nsg.name, "Microsoft.Network/networkSecurityGroups", "",
                    object({{"provisioningState", str("Succeeded")}, {"securityRules", array(rules)}}));
}

} // namespace

EstateParameters small(std::uint64_t seed) {
    Random random(seed ^ 0x5eed5eed5eed5eedULL);
    EstateParameters p;
    p.seed = seed;
    p.spokes = random.between(1, 2);
    p.hub_workloads = random.chance(50);
    int workload_subnets = random.between(3, 6);
    p.subnets_per_spoke = std::max(1, (workload_subnets - (p.hub_workloads ? 1 : 0)) / p.spokes);
    p.nics = random.between(4, 10);
    p.nsgs = random.between(2, 5);
    p.rules_total = 0;
    for (int i = 0; i < p.nsgs; ++i)
        p.rules_total += random.between(3, 12);
    p.asgs = random.between(2, 4);
    p.load_balancers = random.chance(50) ? 1 : 0;
    p.public_prefixes = random.between(2, 5);
    p.public_ip_percent = 30;
    p.with_firewall = seed % 5 == 0;
    p.with_bastion = random.chance(25);
    if (p.with_bastion)
        p.rules_total += 8; // the Bastion NSG's own rules, on top of the others
    p.ipv6 = random.chance(30);
    p.host_route_percent = 35;
    return p;
}

EstateParameters medium(std::uint64_t seed) {
    EstateParameters p;
    p.seed = seed;
    p.spokes = 3;
    p.subnets_per_spoke = 4;
    p.nics = 120;
    p.second_nic_percent = 15;
    p.nsgs = 10;
    p.rules_total = 200;
    p.asgs = 8;
    p.load_balancers = 2;
    p.public_prefixes = 6;
    p.ipv6 = true;
    p.host_route_percent = 35;
    return p;
}

EstateParameters enterprise() {
    EstateParameters p;
    p.seed = 20250917;
    p.spokes = 50;
    p.subnets_per_spoke = 10;
    p.nics = 10000;
    p.nsgs = 500;
    p.rules_total = 50000;
    p.asgs = 300;
    p.load_balancers = 50;
    p.public_prefixes = 300;
    p.public_ip_percent = 3;
    p.with_firewall = true;
    p.with_bastion = true;
    p.hub_workloads = true;
    p.ipv6 = true;
    return p;
}

std::string SyntheticEstate::to_json() const {
    std::string out = "[\n";
    bool first = true;
    auto add = [&](const std::string& text) {
        if (!first)
            out += ",\n";
        first = false;
        out += text;
    };
    for (const SyntheticNsg& nsg : nsgs)
        add(render_nsg(nsg));
    for (const std::string& r : resources)
        add(r);
    out += "\n]\n";
    return out;
}

SyntheticEstate generate_estate(const EstateParameters& parameters) {
    return Generator(parameters).run();
}

std::string mutate(SyntheticEstate& estate, Mutation mutation, Random& random) {
    std::vector<std::size_t> with_rules;
    for (std::size_t i = 0; i < estate.nsgs.size(); ++i) {
        if (!estate.nsgs[i].rules.empty())
            with_rules.push_back(i);
    }
    switch (mutation) {
    case Mutation::RemoveRule: {
        if (with_rules.empty())
            return {};
        SyntheticNsg& nsg = estate.nsgs[random.pick(with_rules)];
        std::size_t r = static_cast<std::size_t>(random.below(nsg.rules.size()));
        std::string name = nsg.rules[r].name;
        nsg.rules.erase(nsg.rules.begin() + static_cast<std::ptrdiff_t>(r));
        return fmt::format("{}: removed rule {}", nsg.name, name);
    }
    case Mutation::AddAllowRule: {
        if (estate.nsgs.empty())
            return {};
        SyntheticNsg& nsg = estate.nsgs[static_cast<std::size_t>(random.below(estate.nsgs.size()))];
        bool inbound = random.chance(60);
        std::set<int> taken;
        for (const SyntheticRule& r : nsg.rules) {
            if (r.inbound == inbound)
                taken.insert(r.priority);
        }
        int priority = random.between(100, 4095);
        while (taken.count(priority) > 0)
            priority = random.between(100, 4095);
        RuleMaker maker(random, estate);
        SyntheticRule rule = maker.make(nsg.vnet, inbound);
        rule.allow = true;
        rule.priority = priority;
        rule.name = fmt::format("added-allow-{}-{}", inbound ? "in" : "out", priority);
        std::string name = rule.name;
        nsg.rules.push_back(std::move(rule));
        return fmt::format("{}: added rule {}", nsg.name, name);
    }
    case Mutation::ChangePort: {
        if (with_rules.empty())
            return {};
        SyntheticNsg& nsg = estate.nsgs[random.pick(with_rules)];
        SyntheticRule& rule = nsg.rules[static_cast<std::size_t>(random.below(nsg.rules.size()))];
        RuleMaker maker(random, estate);
        std::vector<std::string> ports = maker.destination_ports();
        for (int attempt = 0; attempt < 8 && ports == rule.destination_ports; ++attempt)
            ports = maker.destination_ports();
        std::string before = fmt::format("{}", fmt::join(rule.destination_ports, ","));
        rule.destination_ports = std::move(ports);
        return fmt::format("{}: rule {} destination ports {} -> {}", nsg.name, rule.name, before,
                           fmt::join(rule.destination_ports, ","));
    }
    }
    return {};
}

std::string add_admin_rules(SyntheticEstate& estate, int rules, bool policy_members, Random& random) {
    const std::string manager = resource_id("rg-hub", "Microsoft.Network/networkManagers", "avnm");
    const std::string group = manager + "/networkGroups/landing-zone";
    const std::string collection =
        manager + "/securityAdminConfigurations/baseline/ruleCollections/guardrails";
    estate.resources.push_back(fmt::format(
        R"({{"id": "{}", "type": "Microsoft.Network/networkManagers", "name": "avnm", "location": "westeurope",
  "properties": {{"networkManagerScopes": {{"subscriptions": ["/subscriptions/{}"]}},
    "networkManagerScopeAccesses": ["SecurityAdmin"]}}}})",
        manager, kSubscription));
    estate.resources.push_back(
        fmt::format(R"({{"id": "{}", "type": "Microsoft.Network/networkManagers/networkGroups",
  "name": "landing-zone", "properties": {{"memberType": "VirtualNetwork"}}}})",
                    group));
    estate.resources.push_back(fmt::format(
        R"({{"id": "{}/securityAdminConfigurations/baseline", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations",
  "name": "baseline", "properties": {{}}}})",
        manager));
    estate.resources.push_back(fmt::format(
        R"({{"id": "{}", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
  "name": "guardrails", "properties": {{"appliesToGroups": [{{"networkGroupId": "{}"}}]}}}})",
        collection, group));
    for (std::size_t v = 0; v < estate.vnets.size(); ++v) {
        if (v > 0 && random.chance(50))
            continue;
        const std::string& name = estate.vnets[v].name; // vnet-hub, vnet-spoke-N in rg-hub, rg-spoke-N
        const std::string vnet =
            resource_id("rg-" + name.substr(5), "Microsoft.Network/virtualNetworks", name);
        estate.resources.push_back(fmt::format(
            R"({{"id": "{}/staticMembers/{}", "type": "Microsoft.Network/networkManagers/networkGroups/staticMembers",
  "name": "{}", "properties": {{"resourceId": "{}"}}}})",
            group, name, name, vnet));
    }
    if (policy_members)
        estate.resources.push_back(fmt::format(
            R"({{"id": "/subscriptions/{}/providers/Microsoft.Authorization/policyDefinitions/landing-zone-members",
  "type": "Microsoft.Authorization/policyDefinitions", "name": "landing-zone-members", "properties": {{
    "mode": "Microsoft.Network.Data", "policyRule": {{"if": {{"field": "type", "equals": "Microsoft.Network/virtualNetworks"}},
    "then": {{"effect": "addToNetworkGroup", "details": {{"networkGroupId": "{}"}}}}}}}}}})",
            kSubscription, group));
    RuleMaker maker(random, estate);
    std::set<int> taken;
    std::string written;
    constexpr std::string_view kActions[] = {"Allow", "AlwaysAllow", "Deny"};
    for (int i = 0; i < rules; ++i) {
        const bool inbound = random.chance(50);
        SyntheticRule r = maker.make(static_cast<int>(random.below(estate.vnets.size())), inbound);
        int priority = random.between(1, 4096);
        while (!taken.insert(priority).second)
            priority = random.between(1, 4096);
        const std::string_view action = kActions[random.below(3)];
        auto side = [](const std::vector<std::string>& prefixes, const std::vector<std::string>& asgs) {
            std::vector<std::string> entries;
            for (const std::string& p :
                 asgs.empty() ? prefixes : std::vector<std::string>{"VirtualNetwork"}) {
                const bool tag = !p.empty() && p != "*" && !std::isdigit(static_cast<unsigned char>(p[0])) &&
                                 p.find(':') == std::string::npos;
                entries.push_back(fmt::format(R"({{"addressPrefix": "{}", "addressPrefixType": "{}"}})", p,
                                              tag ? "ServiceTag" : "IPPrefix"));
            }
            return fmt::format("[{}]", fmt::join(entries, ", "));
        };
        auto ports = [](const std::vector<std::string>& list) {
            std::vector<std::string> quoted;
            for (const std::string& p : list)
                if (p != "*")
                    quoted.push_back("\"" + p + "\"");
            return fmt::format("[{}]", fmt::join(quoted, ", "));
        };
        const std::string name = fmt::format("admin-{}-{}", inbound ? "in" : "out", priority);
        estate.resources.push_back(fmt::format(
            R"({{"id": "{}/rules/{}", "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
  "name": "{}", "kind": "Custom", "properties": {{"access": "{}", "priority": {}, "direction": "{}", "protocol": "{}",
    "sources": {}, "destinations": {}, "sourcePortRanges": {}, "destinationPortRanges": {}}}}})",
            collection, name, name, action, priority, inbound ? "Inbound" : "Outbound",
            r.protocol == "*" ? "Any" : r.protocol, side(r.source_prefixes, r.source_asgs),
            side(r.destination_prefixes, r.destination_asgs), ports(r.source_ports),
            ports(r.destination_ports)));
        written += fmt::format("{}{} {} {}", written.empty() ? "" : "; ", name, action, r.protocol);
    }
    return written;
}

load::LoadResult load_export_text(std::string text, const std::string& name, SourceSet& sources,
                                  Diagnostics& diagnostics, const load::LoadOptions& options) {
    FileId file = sources.add(name, std::move(text));
    return load::load_sources(sources, {file}, options, diagnostics);
}

std::unique_ptr<LoadedEstate> load_generated(const EstateParameters& parameters) {
    auto out = std::make_unique<LoadedEstate>();
    out->tags = sample_service_tags();
    out->estate = load_export_text(generate_estate(parameters).to_json(), "synthetic.json", out->sources,
                                   out->diagnostics)
                      .estate;
    return out;
}

} // namespace ztnet::testkit
