// The estate: every Azure resource ztnet reasons about, as Azure sees it, with cross-references
// resolved to indices. Built once by the loader, read-only afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ztnet/model/azure_enums.h"
#include "ztnet/model/index.h"
#include "ztnet/model/setting.h"
#include "ztnet/net/address.h"
#include "ztnet/net/flow.h"
#include "ztnet/net/port.h"
#include "ztnet/net/prefix.h"
#include "ztnet/net/protocol.h"
#include "ztnet/support/source.h"

namespace ztnet::model {

/// Position of a resource in its kind's table, whatever the kind (ResourceRef); references between
/// resources are typed (IndexOf, below), and kNone stands for an absent one.
using Index = std::uint32_t;
/// A plain position that names nothing.
inline constexpr Index kNoPosition = static_cast<Index>(-1);

struct ResourceGroup;
struct VirtualNetwork;
struct Subnet;
struct Peering;
struct NetworkSecurityGroup;
struct ApplicationSecurityGroup;
struct RouteTable;
struct NetworkInterface;
struct PublicIpAddress;
struct LoadBalancer;
struct ApplicationGateway;
struct WafPolicy;
struct AzureFirewall;
struct FirewallPolicy;
struct BastionHost;
struct VirtualNetworkGateway;
struct DdosProtectionPlan;
struct PrivateEndpoint;
struct VirtualMachine;
struct StorageAccount;
struct RoleDefinition;
struct PaasService;
struct PrivateDnsZone;

using VnetIndex = IndexOf<VirtualNetwork>;
using SubnetIndex = IndexOf<Subnet>;
using PeeringIndex = IndexOf<Peering>;
using NsgIndex = IndexOf<NetworkSecurityGroup>;
using AsgIndex = IndexOf<ApplicationSecurityGroup>;
using RouteTableIndex = IndexOf<RouteTable>;
using NicIndex = IndexOf<NetworkInterface>;
using PublicIpIndex = IndexOf<PublicIpAddress>;
using LoadBalancerIndex = IndexOf<LoadBalancer>;
using AppGatewayIndex = IndexOf<ApplicationGateway>;
using WafPolicyIndex = IndexOf<WafPolicy>;
using FirewallIndex = IndexOf<AzureFirewall>;
using FirewallPolicyIndex = IndexOf<FirewallPolicy>;
using BastionIndex = IndexOf<BastionHost>;
using GatewayIndex = IndexOf<VirtualNetworkGateway>;
using DdosPlanIndex = IndexOf<DdosProtectionPlan>;
using PrivateEndpointIndex = IndexOf<PrivateEndpoint>;
using VmIndex = IndexOf<VirtualMachine>;
using StorageAccountIndex = IndexOf<StorageAccount>;
using RoleDefinitionIndex = IndexOf<RoleDefinition>;

enum class ResourceKind : std::uint8_t {
    ResourceGroup,
    VirtualNetwork,
    Subnet,
    Peering,
    NetworkSecurityGroup,
    ApplicationSecurityGroup,
    RouteTable,
    NetworkInterface,
    PublicIpAddress,
    LoadBalancer,
    ApplicationGateway,
    WafPolicy,
    AzureFirewall,
    FirewallPolicy,
    IpGroup,
    BastionHost,
    VirtualNetworkGateway,
    DdosProtectionPlan,
    PrivateEndpoint,
    VirtualMachine,
    StorageAccount,
    NetworkWatcher,
    FlowLog,
    DiagnosticSetting,
    RoleDefinition,
    RoleAssignment,
    PaasService,
    PrivateDnsZone,
    Other,
};
inline constexpr int kResourceKindCount = static_cast<int>(ResourceKind::Other) + 1;

/// The ARM type of a kind ("Microsoft.Network/virtualNetworks"); "other" for Other.
std::string_view arm_type(ResourceKind kind);
/// A short plural name for counts ("virtualNetworks").
std::string_view kind_name(ResourceKind kind);

/// What every resource has: its identity, its place in the input, and the fields an ARM template
/// could not determine offline (JSON pointers relative to the resource body).
struct Resource {
    std::string id;
    std::string name; // last segment of the id (a subnet's own name, not "vnet/subnet")
    std::string type; // full ARM type
    std::string location;
    /// The API version a template deploys it with (a child written inline, its parent's): Azure's
    /// defaults for absent settings may depend on it. Empty in an export, which shows what Azure holds.
    std::string api_version;
    SourceLocation where;
    std::vector<std::string> unknown_fields;
};

struct ResourceGroup : Resource {};

struct SecurityAdminRule; // below, with the NSG rules it resembles

/// A site-to-site connection of a VPN gateway (Microsoft.Network/connections, or a link of a Virtual
/// WAN VPN gateway's connection), read for the cryptography it lets the tunnel negotiate.
struct GatewayConnection {
    std::string name;
    std::string protocol; ///< connectionProtocol: "IKEv2" (Azure's default) or "IKEv1"
    /// What its custom IPsec/IKE policies allow that is weak ("IKE encryption DES3"); empty when
    /// it uses Azure's default policy or only strong algorithms.
    std::vector<std::string> weak_crypto;
    SourceLocation where;
};

/// What a Virtual WAN hub (Microsoft.Network/virtualHubs) does with the traffic of the VNets
/// connected to it. ztnet stands the hub for a VNet of its address prefix with one subnet,
/// AzureFirewallSubnet, where a secured hub's firewall sits and the hub's router forwards; each
/// hub connection for a peering each way (load/build_virtual_wan.cpp, docs/semantics.md).
struct VirtualHubRouting {
    /// A prefix the hub sends to its firewall, and what in the input says so.
    struct FirewallRoute {
        net::Prefix prefix;
        std::string source; ///< "routing intent ri policy PrivateTraffic", "defaultRouteTable route r1"
        SourceLocation where;
        /// Routing intent's private traffic replaces the routes to the other connections' address
        /// spaces; a static route is one route among them, and a longer one wins over it.
        bool routing_intent = false;
    };
    FirewallIndex firewall = kNone; ///< the Azure Firewall of a secured hub
    /// What goes to the firewall: routing intent's private traffic (the RFC 1918 ranges), its
    /// Internet traffic (0.0.0.0/0, to the connections that propagate the default route), or the
    /// static routes of the hub's defaultRouteTable whose next hop is the firewall.
    std::vector<FirewallRoute> to_firewall;
    /// The hub's VPN, ExpressRoute and point-to-site gateways (their names): what they learn from
    /// the branches is not in the input, so private space they may carry is undecidable.
    std::vector<std::string> branch_gateways;
    /// The site-to-site links of its VPN gateways ("gateway/connection/link"), for their cryptography.
    std::vector<GatewayConnection> branch_connections;
};

struct VirtualNetwork : Resource {
    std::vector<net::Prefix> address_space;
    std::vector<SubnetIndex> subnets;
    std::vector<PeeringIndex> peerings;
    /// Virtual network encryption (properties.encryption.enabled), and what it does with traffic a
    /// VM cannot encrypt (enforcement: "AllowUnencrypted" or "DropUnencrypted").
    bool encryption_enabled = false;
    std::string encryption_enforcement;
    SourceLocation encryption_where;
    bool ddos_protection_enabled = false;
    DdosPlanIndex ddos_protection_plan = kNone;
    std::vector<std::string> dns_servers;
    /// Why routing out of this VNet is unknown (it is connected to a Virtual WAN hub, whose routing
    /// ztnet does not model yet): every flow that leaves the VNet is then undecidable.
    std::string routing_unknown;
    /// Why the security admin rules that apply to this VNet are unknown (a Virtual Network Manager
    /// with security admin configurations covers it, which ztnet does not model yet). Azure applies
    /// them before the NSGs, and they may deny a flow, allow it for the NSGs to decide, or allow it
    /// whatever the NSGs say: every flow to or from the VNet's endpoints is then undecidable.
    std::string admin_rules_unknown;
    /// The security admin rules of Virtual Network Manager that apply to this VNet (every rule
    /// collection whose network groups hold it), in no particular order: policy::AdminRules sorts
    /// them. Azure evaluates them before the NSGs, in both directions.
    std::vector<SecurityAdminRule> admin_rules;
    /// Why the VNet may reach other VNets by ways the input does not show (a Virtual Network
    /// Manager's connectivity configuration, not modelled yet): a flow from it to another such VNet
    /// that no peering carries is then undecidable rather than unrouted.
    std::string connectivity_unknown;
    /// Set when this "VNet" stands for a Virtual WAN hub: its routing.
    std::optional<VirtualHubRouting> virtual_hub;
};

struct Subnet : Resource {
    VnetIndex virtual_network = kNone;
    std::vector<net::Prefix> address_prefixes;
    NsgIndex network_security_group = kNone;
    RouteTableIndex route_table = kNone;
    /// Why the subnet's NSG or route table is unknown, when it refers to one the input lacks (or
    /// the reference itself is unknown): every verdict that passes it is then undecidable.
    std::string network_security_group_unknown;
    std::string route_table_unknown;
    std::vector<std::string> service_endpoints; // service names, e.g. "Microsoft.Storage"
    std::vector<std::string> delegations;       // service names
    PrivateEndpointPolicies private_endpoint_network_policies = PrivateEndpointPolicies::Disabled;
    bool default_outbound_access = true; // properties.defaultOutboundAccess (absent: azure_defaults.cpp)
    /// The NAT gateway on the subnet (its id, whether or not the input holds it), empty when none;
    /// `nat_gateway_unknown` says why the input cannot tell whether there is one.
    std::string nat_gateway;
    std::string nat_gateway_unknown;
    /// What the gateways teach this subnet by BGP, as the user supplied it (`--routes NIC=FILE`,
    /// the output of `az network nic show-effective-route-table` for a NIC in it): the prefixes of
    /// its active routes whose source is VirtualNetworkGateway. `learned_from` names the file;
    /// empty when nothing was supplied (what BGP may teach is then unknown where a gateway learns).
    std::vector<net::Prefix> learned_prefixes;
    std::string learned_from;
};

struct Peering : Resource {
    VnetIndex virtual_network = kNone; // the VNet that holds this peering
    VnetIndex remote_virtual_network = kNone;
    std::string remote_virtual_network_id; // kept when the remote VNet is outside the estate
    std::vector<net::Prefix> remote_address_space;
    bool allow_virtual_network_access = true;
    bool allow_forwarded_traffic = false;
    bool allow_gateway_transit = false;
    bool use_remote_gateways = false;
    /// One side of a Virtual WAN hub connection (virtualHubs/hubVirtualNetworkConnections): the
    /// hub's router forwards between its connections, so both sides allow forwarded traffic.
    bool virtual_hub_connection = false;
    /// enableInternetSecurity of the hub connection ("propagate default route"): whether the
    /// hub's 0.0.0.0/0 route reaches the VNet. Absent reads false, a boolean's ARM default.
    bool propagates_default_route = false;
    /// On the VNet's side of a hub connection: the hub's other connections whose address spaces the
    /// hub teaches this VNet (those that propagate to the route table its connection is associated
    /// with: every one, in a hub with only the default route table).
    std::vector<VnetIndex> hub_routes_to;
};

/// Rule direction: the net module's, so flows and rules share one type.
using Direction = net::Direction;
enum class Access : std::uint8_t { Allow, Deny };

/// One entry of a rule's address side, as Azure reads it: `*`, a prefix or address, or a tag.
struct AddressEntry {
    enum class Kind : std::uint8_t { Any, Prefix, ServiceTag };
    Kind kind = Kind::Any;
    net::Prefix prefix{};
    std::string tag; // service tag as written (compare case-insensitively)
    std::string text() const;
};

/// A rule's source or destination: address entries, or application security groups.
struct RuleEndpoint {
    std::vector<AddressEntry> addresses;
    std::vector<AsgIndex> application_security_groups;
};

/// A field of a security rule, for saying which one the input cannot tell.
enum class RuleField : std::uint8_t {
    Priority,
    InboundOrOutbound,
    AllowOrDeny,
    Protocol,
    Source,
    Destination,
    SourcePorts,
    DestinationPorts,
};
std::string_view rule_field_name(RuleField field);

/// A field (or part of one) whose value the input cannot tell: a parameter without a value, an
/// application security group outside the input. The rest of the field, where given, is kept.
struct UnknownRuleField {
    RuleField field = RuleField::Source;
    std::string reason; // for people: "parameter 'allowedSourceCidr' has no value"
};

struct SecurityRule {
    std::string id;
    std::string name;
    std::string description;
    int priority = 0;
    Direction direction = Direction::Inbound;
    Access access = Access::Deny;
    std::string protocol; // as Azure spells it: Tcp, Udp, Icmp, Esp, Ah, *
    net::ProtocolSet protocols;
    RuleEndpoint source;
    RuleEndpoint destination;
    std::vector<std::string> source_ports; // as written ("*", "80", "1024-65535")
    std::vector<std::string> destination_ports;
    net::PortSet source_port_set;
    net::PortSet destination_port_set;
    bool is_default = false; // one of the six default rules
    SourceLocation where;
    /// What the input cannot tell about this rule; empty when every field is known. An unknown
    /// side or port list may still have known entries (kept above): the rule matches at least those.
    std::vector<UnknownRuleField> unknowns;

    bool is_unknown(RuleField field) const;
    /// One line for people: "source: parameter 'x' has no value; priority: ...".
    std::string unknowns_text() const;
};

/// What a security admin rule does with a flow it matches: Deny ends evaluation, AlwaysAllow
/// allows the flow whatever the NSGs say, Allow hands it over to the NSGs.
enum class AdminAction : std::uint8_t { Allow, AlwaysAllow, Deny };
std::string_view admin_action_name(AdminAction action);

/// A security admin rule of Azure Virtual Network Manager, as it applies to one VNet. Its fields
/// are an NSG rule's (without application security groups); `rule.access` is Deny for a Deny rule
/// and Allow otherwise, so that the rule reads like an NSG rule where only the access matters.
struct SecurityAdminRule {
    SecurityRule rule;
    AdminAction action = AdminAction::Deny;
    bool action_unknown = false; // the input cannot tell the action (rule.unknowns says why)
    std::string collection;      // "manager/configuration/collection", for people
    /// Why the rule may not apply to the VNet at all (its network group's members are unknown);
    /// empty when it surely applies.
    std::string applies_unknown;
};

struct NetworkSecurityGroup : Resource {
    std::vector<SecurityRule> rules; // custom rules, in input order
    /// Why the custom rules themselves cannot be told (the whole `securityRules` list is a parameter
    /// without a value); empty when they are known. Any flow may then meet a rule of either access.
    std::string rules_unknown;
    std::vector<SubnetIndex> subnets; // associations, filled from the subnets' side
    std::vector<NicIndex> network_interfaces;
};

struct ApplicationSecurityGroup : Resource {
    std::vector<std::pair<NicIndex, Index>> members; // (network interface, its ip configuration)
};

struct Route {
    std::string name;
    std::string address_prefix;               // a prefix or a service tag, as written
    std::optional<UserNextHop> next_hop_type; // nullopt when the input cannot tell it
    std::optional<net::Address> next_hop_ip;
    SourceLocation where;
};

struct RouteTable : Resource {
    std::vector<Route> routes;
    bool disable_bgp_route_propagation = false;
    std::vector<SubnetIndex> subnets;
};

struct IpConfiguration {
    std::string id;
    std::string name;
    SubnetIndex subnet = kNone;
    std::optional<net::Address> private_ip;
    IpAllocation private_ip_allocation = IpAllocation::Dynamic;
    IpVersion private_ip_version = IpVersion::IPv4;
    /// The input does not say the address (a template with dynamic allocation): private_ip is one of
    /// the subnet's free addresses, all of which every rule and route treats alike, so it stands in
    /// for whichever Azure assigns and every verdict about it is exact.
    bool address_stand_in = false;
    /// When rules or routes tell the subnet's free addresses apart, one address can stand in for
    /// none of them: the free addresses are cut into pieces that every condition treats alike and
    /// each piece gives one candidate here (private_ip stays empty). A verdict about the NIC holds
    /// when it holds for every candidate, is denied when denied for every one, and is undecidable
    /// otherwise. Candidates of different NICs are distinct addresses.
    std::vector<net::Address> candidate_ips;
    /// What tells the free addresses apart, for people, when candidate_ips is set.
    std::string candidates_reason;
    /// Why the address stays unknown when neither a stand-in nor candidates can be given (the
    /// subnet is outside the input, it has no free address): verdicts about it are undecidable.
    std::string address_undecidable;
    bool primary = false;
    PublicIpIndex public_ip = kNone;
    std::vector<AsgIndex> application_security_groups;
    std::vector<std::string> load_balancer_backend_pools; // backend pool ids
    std::vector<std::string> application_gateway_backend_pools;
};

struct NetworkInterface : Resource {
    std::vector<IpConfiguration> ip_configurations;
    NsgIndex network_security_group = kNone;
    std::string network_security_group_unknown; // as Subnet's
    VmIndex virtual_machine = kNone;
    /// The private endpoint this NIC belongs to (its id), empty for other NICs: Azure creates it
    /// with the endpoint, and the endpoint, not the NIC, is what traffic is decided for.
    std::string private_endpoint;
    bool ip_forwarding = false;
    bool accelerated_networking = false;
    /// The MAC address Azure gave the NIC (an export's properties.macAddress) as twelve upper-case
    /// hex digits, the way flow logs write it; empty when the input does not say (templates).
    std::string mac_address;
};

/// A MAC address as twelve upper-case hex digits ("00-0D-3A-1B-2C-3D", "000d3a1b2c3d" and
/// "00:0d:3a:1b:2c:3d" are all "000D3A1B2C3D"); empty when `text` is not one.
std::string normalise_mac(std::string_view text);

struct PublicIpAddress : Resource {
    Setting<PublicIpSku> sku; // sku.name
    IpAllocation allocation = IpAllocation::Dynamic;
    std::optional<net::Address> ip_address;
    IpVersion ip_version = IpVersion::IPv4;
    std::string attached_to; // id of the ip configuration that uses it, when known
};

/// A frontend of a load balancer or an application gateway.
struct Frontend {
    std::string id;
    std::string name;
    SubnetIndex subnet = kNone;
    std::optional<net::Address> private_ip;
    PublicIpIndex public_ip = kNone;
};

struct LoadBalancingRule {
    std::string name;
    std::string frontend; // frontend id
    std::string backend_pool;
    /// nullopt when the input cannot tell: the rule is then taken to carry TCP and UDP alike.
    std::optional<LoadBalancerProtocol> protocol;
    int frontend_port = 0;
    int backend_port = 0;
    std::string probe;
};

struct Probe {
    std::string name;
    std::optional<ProbeProtocol> protocol; // nullopt when the input cannot tell
    int port = 0;
};

struct LoadBalancer : Resource {
    Setting<LoadBalancerSku> sku; // sku.name
    std::vector<Frontend> frontends;
    std::vector<std::string> backend_pools; // pool ids
    std::vector<LoadBalancingRule> rules;
    std::vector<Probe> probes;
    std::vector<LoadBalancingRule> inbound_nat_rules;
    /// Backend pools an outbound rule gives a way to the Internet (properties.outboundRules).
    std::vector<std::string> outbound_pools;
};

struct ApplicationGateway : Resource {
    std::optional<AppGatewaySku> sku_name; // properties.sku.name; nullopt when the input cannot tell
    std::optional<AppGatewayTier> sku_tier;
    std::vector<SubnetIndex> subnets; // gateway ip configurations
    std::vector<Frontend> frontends;
    std::vector<int> frontend_ports;
    std::vector<std::vector<std::string>> backend_pool_addresses; // per pool: IPs or FQDNs
    bool waf_enabled = false;        // inline webApplicationFirewallConfiguration
    std::optional<WafMode> waf_mode; // inline configuration's firewallMode, when given
    std::string waf_rule_set;        // inline configuration's "ruleSetType ruleSetVersion"
    WafPolicyIndex waf_policy = kNone;
    /// The TLS policy of its listeners (properties.sslPolicy) as written ("Predefined
    /// AppGwSslPolicy20150501", "CustomV2 TLSv1_2"), or Azure's default for the API version.
    Setting<std::string> ssl_policy;
    /// The oldest TLS version that policy accepts, as its minor number (TLS 1.0 is 0); nullopt when
    /// the policy names a version ztnet does not know.
    std::optional<int> ssl_minimum_minor;
};

struct WafPolicy : Resource {
    Setting<WafMode> mode;
    Setting<WafState> state;
    std::vector<std::string> managed_rule_sets; // "OWASP 3.2"
};

/// A firewall rule, in the fields the decision engine needs, for both classic collections and
/// firewall policies.
struct FirewallRule {
    std::string name;
    /// ruleType, or the classic collection's; nullopt when the input cannot tell (then "ruleType" is
    /// among unknown_fields).
    std::optional<FirewallRuleType> rule_type;
    std::vector<std::string> protocols; // network: TCP/UDP/ICMP/Any; application: "Https:443"
    std::vector<std::string> source_addresses;
    std::vector<std::string> source_ip_groups;
    std::vector<std::string> destination_addresses;
    std::vector<std::string> destination_ip_groups;
    std::vector<std::string> destination_fqdns;
    std::vector<std::string> destination_ports;
    std::vector<std::string> target_fqdns;
    std::vector<std::string> fqdn_tags;
    std::vector<std::string> web_categories;
    std::string translated_address;
    std::string translated_port;
    /// Fields the input cannot tell (their JSON names: "sourceAddresses", "destinationPorts", …; "*"
    /// for a rule of unknown content), and why the first is unknown. The rule may match whatever
    /// they hold, so a flow it may match is undecidable at the firewall unless the outcome is the
    /// same either way.
    std::vector<std::string> unknown_fields;
    std::string unknown_reason;
};

struct FirewallRuleCollection {
    std::string name;
    int priority = 0;
    FirewallCollectionKind kind = FirewallCollectionKind::Filter;
    std::optional<FirewallAction> action; // nullopt when the input cannot tell: it may allow or deny
    std::vector<FirewallRule> rules;
};

struct FirewallRuleCollectionGroup {
    std::string id;
    std::string name;
    int priority = 0;
    std::vector<FirewallRuleCollection> collections;
    SourceLocation where;
};

struct AzureFirewall : Resource {
    Setting<FirewallTier> sku_tier;
    Setting<FirewallAlertMode> threat_intel_mode;
    SubnetIndex subnet = kNone; // the AzureFirewallSubnet
    std::optional<net::Address> private_ip;
    std::vector<PublicIpIndex> public_ips;
    FirewallPolicyIndex firewall_policy = kNone;
    std::vector<FirewallRuleCollection> classic_collections; // nat, network and application
};

struct FirewallPolicy : Resource {
    Setting<FirewallTier> sku_tier;
    Setting<FirewallAlertMode> threat_intel_mode;
    Setting<FirewallAlertMode> intrusion_detection_mode;
    bool tls_inspection = false;
    FirewallPolicyIndex base_policy = kNone;
    std::vector<FirewallRuleCollectionGroup> rule_collection_groups; // sorted by priority
};

struct IpGroup : Resource {
    std::vector<std::string> ip_addresses;
};

struct BastionHost : Resource {
    SubnetIndex subnet = kNone;
    PublicIpIndex public_ip = kNone;
    Setting<BastionSku> sku; // sku.name
};

struct VirtualNetworkGateway : Resource {
    std::optional<GatewayType> gateway_type; // nullopt when the input cannot tell
    SubnetIndex subnet = kNone;
    bool bgp_enabled = false;
    /// The on-premises prefixes its connections reach (the local network gateways' address spaces).
    std::vector<net::Prefix> on_premises_prefixes;
    /// Why it may also carry prefixes the input does not list (BGP, ExpressRoute, a connection to a
    /// local network gateway outside the input); empty when its prefixes are all known.
    std::string learns_unknown;
    /// Its IPsec connections to on-premises sites (connectionType IPsec).
    std::vector<GatewayConnection> connections;
};

struct DdosProtectionPlan : Resource {};

struct PrivateEndpoint : Resource {
    SubnetIndex subnet = kNone;
    std::vector<std::string> target_resource_ids;
    std::vector<std::string> group_ids; // e.g. "blob"
    std::vector<net::Address> private_ips;
    /// The address is one Azure picks at deployment, stood in by a free address of the subnet that
    /// every rule and route treats like the others (load/dynamic_addresses.h).
    bool address_stand_in = false;
    /// Why the address Azure will pick cannot be stood in for (rules tell the free addresses apart).
    std::string address_undecidable;
    /// The private DNS zones its zone groups register it in (privateDnsZoneGroups), as written.
    std::vector<std::string> dns_zone_ids;
};

struct VirtualMachine : Resource {
    /// A virtual machine scale set (uniform or flexible), whose instances share one profile: its
    /// network interface configurations are network interfaces of the estate standing for every
    /// instance, and every check about VMs judges the profile.
    bool scale_set = false;
    std::int64_t instances = 1; // a scale set's capacity (sku.capacity)
    std::vector<NicIndex> network_interfaces;
    Setting<VmSecurityType> security_type;
    Setting<bool> secure_boot;
    Setting<bool> vtpm;
    Setting<bool> encryption_at_host;
    std::optional<OsType> os_type; // nullopt when the input cannot tell
    /// Linux only: osProfile.linuxConfiguration.disablePasswordAuthentication.
    Setting<bool> disable_password_authentication;
    /// A disk encryption set (customer-managed keys) on the OS disk or a data disk
    /// (storageProfile.*.managedDisk.diskEncryptionSet.id), as written; empty when none.
    std::string disk_encryption_set_id;
    /// An Azure Disk Encryption extension (AzureDiskEncryption, AzureDiskEncryptionForLinux), as a
    /// child resource or in a scale set's extension profile.
    bool azure_disk_encryption = false;
    /// A confidential VM whose OS disk is encrypted with its guest state
    /// (osDisk.managedDisk.securityProfile.securityEncryptionType DiskWithVMGuestState).
    bool confidential_disk_encryption = false;
    /// How the guest OS is patched (osProfile.windowsConfiguration or linuxConfiguration
    /// .patchSettings.patchMode), with Azure's default for the OS when absent; empty when the OS
    /// cannot be told.
    Setting<std::string> patch_mode;
    /// A scale set's upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade.
    bool automatic_os_upgrade = false;
    /// What in osProfile.customData or userData (decoded from base64) looks like a credential: a
    /// description of each ("a password assignment"), never the value.
    std::vector<std::string> custom_data_secrets;
    SourceLocation custom_data_where;
    /// An Azure Virtual Desktop session host: the id of its host pool (a sessionHosts child of the
    /// pool naming the VM, or the DSC extension that registers it, hostPoolName); empty otherwise.
    std::string host_pool;
};

struct StorageAccount : Resource {
    std::optional<StorageKind> kind; // nullopt when the input cannot tell
    std::optional<StorageSku> sku;   // sku.name
    // Absent settings hold Azure's defaults (model/azure_defaults.h).
    Setting<bool> https_only; // supportsHttpsTrafficOnly
    Setting<TlsVersion> minimum_tls_version;
    Setting<bool> allow_blob_public_access;
    Setting<bool> allow_shared_key_access;
    Setting<PublicNetworkAccess> public_network_access;
    Setting<NetworkAclAction> network_default_action; // networkAcls.defaultAction
    Setting<KeySource> encryption_key_source;
    Setting<bool> infrastructure_encryption;             // encryption.requireInfrastructureEncryption
    std::vector<PrivateEndpointIndex> private_endpoints; // filled from the endpoints' side
};

struct NetworkWatcher : Resource {};

struct FlowLog : Resource {
    std::string target_resource_id;
    NsgIndex target_nsg = kNone;
    VnetIndex target_vnet = kNone;
    std::string storage_id;
    StorageAccountIndex storage_account = kNone;
    bool enabled = false;
    bool retention_enabled = false;
    int retention_days = 0;
    int format_version = 1;
    bool traffic_analytics = false;
};

struct DiagnosticSetting : Resource {
    std::string scope_id; // the resource (or subscription) it is attached to
    std::string workspace_id;
    std::string storage_account_id;
    std::vector<std::string> enabled_categories; // log categories and category groups enabled
};

struct RoleDefinition : Resource {
    std::string role_name;
    bool custom = true;
    std::vector<std::string> actions;
    std::vector<std::string> not_actions;
    std::vector<std::string> data_actions;
    std::vector<std::string> assignable_scopes;
};

struct RoleAssignment : Resource {
    std::string scope;
    std::string role_definition_id;
    RoleDefinitionIndex role_definition = kNone; // when the definition is in the estate
    std::string built_in_role;                   // the name of a well-known built-in role, when recognised
    std::string principal_id;
    std::optional<PrincipalType> principal_type; // nullopt when the input does not say
};

/// Which PaaS service a PaasService is.
enum class PaasServiceType : std::uint8_t {
    KeyVault,          ///< Microsoft.KeyVault/vaults
    SqlServer,         ///< Microsoft.Sql/servers (its firewallRules and azureADOnlyAuthentications children)
    WebApp,            ///< Microsoft.Web/sites (its config/web child)
    Kubernetes,        ///< Microsoft.ContainerService/managedClusters (its API server)
    CosmosDb,          ///< Microsoft.DocumentDB/databaseAccounts
    ContainerRegistry, ///< Microsoft.ContainerRegistry/registries
    EventHubs,         ///< Microsoft.EventHub/namespaces (its networkRuleSets/default child)
    ServiceBus,        ///< Microsoft.ServiceBus/namespaces (its networkRuleSets/default child)
    /// Microsoft.DBforPostgreSQL/flexibleServers (its firewallRules and configurations children)
    PostgreSqlFlexible,
    /// Microsoft.DBforMySQL/flexibleServers (its firewallRules and configurations children)
    MySqlFlexible,
};
/// "Key Vault", "SQL server", "App Service", "AKS cluster", "Cosmos DB account", ...
std::string_view service_label(PaasServiceType type);
/// The property that says whether the service accepts only Entra ID, as the input writes it:
/// "azureADOnlyAuthentication", "disableLocalAuth", ...; empty for a service without one.
std::string_view entra_only_property(PaasServiceType type);

/// A firewall rule of a PaaS service: the addresses it admits, as written and as a range.
struct PaasFirewallRule {
    std::string name;
    std::string text; ///< "10.0.0.0/24", "0.0.0.0-255.255.255.255"
    net::Address first;
    net::Address last;
    SourceLocation where;
};

/// A PaaS service with its own endpoint, reached from the Internet unless its network settings
/// close it: what decides who reaches it, and the settings the guidance asks of it. Absent settings
/// hold Azure's defaults (model/azure_defaults.h), keyed by the service's type.
struct PaasService : Resource {
    PaasServiceType service = PaasServiceType::KeyVault;
    /// properties.publicNetworkAccess (Key Vault, SQL, App Service; an AKS cluster's API server).
    Setting<PublicNetworkAccess> public_network_access;
    /// What the firewall does with addresses no rule names: Key Vault's networkAcls.defaultAction,
    /// App Service's siteConfig.ipSecurityRestrictionsDefaultAction. A SQL server denies them.
    Setting<NetworkAclAction> default_action;
    /// The address ranges the firewall admits: SQL server firewall rules, Key Vault ipRules, App
    /// Service Allow restrictions with an address, an AKS API server's authorized IP ranges. A SQL
    /// rule from 0.0.0.0 to 0.0.0.0 ("allow Azure services") is in `azure_services_rule` instead.
    std::vector<PaasFirewallRule> firewall_rules;
    /// A SQL server's rule that admits every Azure service, any tenant's, when it has one.
    std::optional<PaasFirewallRule> azure_services_rule;
    /// Private endpoints that target it; filled from the endpoints' side.
    std::vector<PrivateEndpointIndex> private_endpoints;

    // Key Vault.
    Setting<bool> purge_protection;   ///< properties.enablePurgeProtection
    Setting<bool> rbac_authorization; ///< properties.enableRbacAuthorization
    /// Only Entra ID authentication, no keys, passwords or admin user: a SQL server's
    /// azureADOnlyAuthentication, a Cosmos DB account's or a namespace's disableLocalAuth, a registry
    /// without its admin user, a flexible server without password authentication. Nullopt when the
    /// input does not say (Azure's default is then false for every service).
    std::optional<bool> entra_only_authentication;
    SourceLocation entra_only_where;
    /// The property as written ("adminUserEnabled: true"); empty when the input leaves it out.
    std::string entra_only_evidence;
    // The minimum TLS version as written ("1.2", "Tls12", "TLSv1.2"; "None" for a SQL server that
    // accepts any; a MySQL tls_version list "TLSv1.2,TLSv1.3"), with where it is set; the default's
    // text when absent. Empty for a service whose TLS floor is not configurable.
    Setting<std::string> minimum_tls;
    /// Flexible servers: the server parameter require_secure_transport (unencrypted connections are
    /// refused when on).
    Setting<bool> require_secure_transport;
    /// Flexible servers deployed into a delegated subnet (private access, VNet integration): the
    /// subnet as written; such a server has no public endpoint.
    std::string delegated_subnet_id;
    // App Service.
    Setting<bool> https_only; ///< properties.httpsOnly
    /// Regional VNet integration: the subnet its outbound calls leave from (properties.
    /// virtualNetworkSubnetId, or the networkConfig/virtualNetwork child's subnetResourceId), as
    /// written; empty when the app is not integrated.
    std::string vnet_integration_subnet_id;
    /// Whether every outbound call goes through that subnet, not only calls to private ranges
    /// (siteConfig.vnetRouteAllEnabled, or the WEBSITE_VNET_ROUTE_ALL app setting).
    Setting<bool> vnet_route_all;
    // AKS.
    bool private_cluster = false;          ///< apiServerAccessProfile.enablePrivateCluster
    std::string network_policy;            ///< networkProfile.networkPolicy; empty when none
    Setting<bool> local_accounts_disabled; ///< properties.disableLocalAccounts
};

/// A private DNS zone ("privatelink.vaultcore.azure.net"): a private endpoint's name resolves to its
/// private address only in the virtual networks the zone is linked to.
struct PrivateDnsZone : Resource {
    std::vector<std::string> linked_vnet_ids; ///< its virtualNetworkLinks' virtual networks, as written
};

/// Any other resource, kept by identity. Defender plans (Microsoft.Security/pricings) also keep their
/// tier, since whether threat detection is on is a checklist item.
struct OtherResource : Resource {
    /// Microsoft.Security/pricings: the plan's tier; nullopt for other resources, or when the input
    /// cannot tell.
    std::optional<PricingTier> pricing_tier;
};

/// Where the input exposes a secret: named by its place, never by its value.
struct SecretExposure {
    enum class Kind : std::uint8_t {
        LiteralDefault,         // a secure parameter's defaultValue written in the template
        PlainTextParameter,     // a secure parameter's value written in a parameters file
        LiteralSecretProperty,  // a property Azure treats as a secret, written as a literal
        CopiedToPublicProperty, // a secure parameter's value copied into a property that is not secret
    };
    Kind kind = Kind::LiteralDefault;
    std::string parameter;   // the secure parameter involved, when one is
    std::string resource_id; // the resource holding the property; empty for parameters
    std::string resource_name;
    std::string property; // JSON pointer into the resource body, or into the file for parameters
    std::string file;     // the template or parameters file
    SourceLocation where;
};

/// A physical link of an ExpressRoute Direct port (Microsoft.Network/expressRoutePorts links[]):
/// MACsec encrypts it when the port's link has its connectivity key (macSecConfig
/// .cknSecretIdentifier) and a cipher. The port itself stays an OtherResource.
struct ExpressRouteLink {
    Index port = kNoPosition; ///< the port, in Estate::others
    std::string name;         ///< the link's name (link1, link2)
    bool macsec = false;      ///< a MACsec key and cipher are configured
    std::string cipher;       ///< macSecConfig.cipher, as written ("GcmAes256")
    SourceLocation where;
};

/// An Azure Virtual Desktop host pool (Microsoft.DesktopVirtualization/hostPools); the pool itself
/// stays an OtherResource, its session hosts are VirtualMachine::host_pool.
struct HostPool {
    Index resource = kNoPosition; ///< the pool, in Estate::others
    /// publicNetworkAccess: "Enabled" (Azure's default), "Disabled", "EnabledForSessionHostsOnly"
    /// or "EnabledForClientsOnly".
    std::string public_network_access;
    /// RDP Shortpath for managed networks (managedPrivateUDP) and for public networks (publicUDP):
    /// "Default", "Enabled" or "Disabled"; empty when the input does not say.
    std::string shortpath_managed;
    std::string shortpath_public;
    /// allowRdpShortPathWithPrivateLink: "Enabled" lets RDP Shortpath bypass the Private Link the
    /// pool otherwise requires; empty when not said ("Disabled" is Azure's default).
    std::string shortpath_with_private_link;
    SourceLocation where;
};

/// A resource the input refers to but does not hold: an existing VNet, subnet, NSG or public IP
/// deployed before, or in another resource group. Its content is unknown, so every verdict that
/// depends on it is undecidable; loading its export beside the template makes them exact.
struct ExternalReference {
    std::string id;
    ResourceKind kind = ResourceKind::Other; // what the reference expects it to be
    SourceLocation where;                    // the first place that refers to it
    std::size_t references = 0;              // how many places refer to it
    /// A scope the inputs cover whole (an export whose manifest says it collected that scope) and
    /// that holds the id: the resource does not exist there, or the export was filtered. Empty
    /// when the reference points outside everything the inputs cover whole.
    std::string inside_covered_scope;
};

/// A part of Azure the inputs show, and on what grounds.
struct CoveredScope {
    enum class Basis : std::uint8_t {
        Collected,  // an export whose manifest names the scope: all of its resources were collected
        Seen,       // an export without a manifest: its resources are in the scope, maybe not all of them
        Deployment, // a template deploys into it: only what the template deploys, nothing already there
    };
    /// "/subscriptions/<id>", "/subscriptions/<id>/resourceGroups/<name>", or
    /// "/providers/Microsoft.Management/managementGroups/<name>".
    std::string scope;
    Basis basis = Basis::Seen;
    std::string source; // the input file that establishes it
};
std::string_view basis_name(CoveredScope::Basis basis);

/// The kind of a resource type: kKindOf<Subnet> is ResourceKind::Subnet.
template <class T>
inline constexpr ResourceKind kKindOf = ResourceKind::Other;
template <>
inline constexpr ResourceKind kKindOf<ResourceGroup> = ResourceKind::ResourceGroup;
template <>
inline constexpr ResourceKind kKindOf<VirtualNetwork> = ResourceKind::VirtualNetwork;
template <>
inline constexpr ResourceKind kKindOf<Subnet> = ResourceKind::Subnet;
template <>
inline constexpr ResourceKind kKindOf<Peering> = ResourceKind::Peering;
template <>
inline constexpr ResourceKind kKindOf<NetworkSecurityGroup> = ResourceKind::NetworkSecurityGroup;
template <>
inline constexpr ResourceKind kKindOf<ApplicationSecurityGroup> = ResourceKind::ApplicationSecurityGroup;
template <>
inline constexpr ResourceKind kKindOf<RouteTable> = ResourceKind::RouteTable;
template <>
inline constexpr ResourceKind kKindOf<NetworkInterface> = ResourceKind::NetworkInterface;
template <>
inline constexpr ResourceKind kKindOf<PublicIpAddress> = ResourceKind::PublicIpAddress;
template <>
inline constexpr ResourceKind kKindOf<LoadBalancer> = ResourceKind::LoadBalancer;
template <>
inline constexpr ResourceKind kKindOf<ApplicationGateway> = ResourceKind::ApplicationGateway;
template <>
inline constexpr ResourceKind kKindOf<WafPolicy> = ResourceKind::WafPolicy;
template <>
inline constexpr ResourceKind kKindOf<AzureFirewall> = ResourceKind::AzureFirewall;
template <>
inline constexpr ResourceKind kKindOf<FirewallPolicy> = ResourceKind::FirewallPolicy;
template <>
inline constexpr ResourceKind kKindOf<IpGroup> = ResourceKind::IpGroup;
template <>
inline constexpr ResourceKind kKindOf<BastionHost> = ResourceKind::BastionHost;
template <>
inline constexpr ResourceKind kKindOf<VirtualNetworkGateway> = ResourceKind::VirtualNetworkGateway;
template <>
inline constexpr ResourceKind kKindOf<DdosProtectionPlan> = ResourceKind::DdosProtectionPlan;
template <>
inline constexpr ResourceKind kKindOf<PrivateEndpoint> = ResourceKind::PrivateEndpoint;
template <>
inline constexpr ResourceKind kKindOf<VirtualMachine> = ResourceKind::VirtualMachine;
template <>
inline constexpr ResourceKind kKindOf<StorageAccount> = ResourceKind::StorageAccount;
template <>
inline constexpr ResourceKind kKindOf<NetworkWatcher> = ResourceKind::NetworkWatcher;
template <>
inline constexpr ResourceKind kKindOf<FlowLog> = ResourceKind::FlowLog;
template <>
inline constexpr ResourceKind kKindOf<DiagnosticSetting> = ResourceKind::DiagnosticSetting;
template <>
inline constexpr ResourceKind kKindOf<RoleDefinition> = ResourceKind::RoleDefinition;
template <>
inline constexpr ResourceKind kKindOf<RoleAssignment> = ResourceKind::RoleAssignment;
template <>
inline constexpr ResourceKind kKindOf<PaasService> = ResourceKind::PaasService;
template <>
inline constexpr ResourceKind kKindOf<PrivateDnsZone> = ResourceKind::PrivateDnsZone;

/// Where a resource of any kind sits: its kind and its index in that kind's vector.
struct ResourceRef {
    ResourceKind kind = ResourceKind::Other;
    Index index = kNoPosition;

    /// The position as a typed index of its kind's table. Precondition: `kind` is T's kind.
    template <class T>
    IndexOf<T> as() const {
        return IndexOf<T>(index);
    }
};

class Estate {
  public:
    Table<ResourceGroup> resource_groups;
    Table<VirtualNetwork> virtual_networks;
    Table<Subnet> subnets;
    Table<Peering> peerings;
    Table<NetworkSecurityGroup> network_security_groups;
    Table<ApplicationSecurityGroup> application_security_groups;
    Table<RouteTable> route_tables;
    Table<NetworkInterface> network_interfaces;
    Table<PublicIpAddress> public_ip_addresses;
    Table<LoadBalancer> load_balancers;
    Table<ApplicationGateway> application_gateways;
    Table<WafPolicy> waf_policies;
    Table<AzureFirewall> azure_firewalls;
    Table<FirewallPolicy> firewall_policies;
    Table<IpGroup> ip_groups;
    Table<BastionHost> bastion_hosts;
    Table<VirtualNetworkGateway> virtual_network_gateways;
    Table<DdosProtectionPlan> ddos_protection_plans;
    Table<PrivateEndpoint> private_endpoints;
    Table<VirtualMachine> virtual_machines;
    Table<StorageAccount> storage_accounts;
    Table<NetworkWatcher> network_watchers;
    Table<FlowLog> flow_logs;
    Table<DiagnosticSetting> diagnostic_settings;
    Table<RoleDefinition> role_definitions;
    Table<RoleAssignment> role_assignments;
    Table<PaasService> paas_services;
    Table<PrivateDnsZone> private_dns_zones;
    Table<OtherResource> others;
    /// Resources referred to and not loaded, in the order first referred to.
    std::vector<ExternalReference> external_references;
    std::vector<SecretExposure> secret_exposures;
    std::vector<ExpressRouteLink> express_route_links;
    std::vector<HostPool> host_pools;
    /// Resource types an export's manifest says were collected: none of them in the input means
    /// there are none, not that they were left out.
    std::vector<std::string> collected_types;
    /// The scopes the inputs cover, each once per basis, in input order.
    std::vector<CoveredScope> covered_scopes;

    /// The external reference with this id (case-insensitive), if any.
    const ExternalReference* find_external(std::string_view id) const;

    /// The resource with this id (case-insensitive), if loaded.
    std::optional<ResourceRef> find(std::string_view id) const;
    /// Registers an id; returns false when the id is already taken.
    bool index(std::string_view id, ResourceRef ref);
    /// The common fields of any resource.
    const Resource& resource(ResourceRef ref) const;
    Resource& resource(ResourceRef ref);
    /// Number of resources of a kind.
    std::size_t count(ResourceKind kind) const;

  private:
    std::unordered_map<std::string, ResourceRef> by_id_;
};

/// The virtual network gateways whose routes reach the subnets of `vnet`, and through which
/// on-premises traffic reaches it: those in it, and those of the peers it uses through
/// useRemoteGateways (gateway transit).
std::vector<GatewayIndex> gateways_reaching(const Estate& estate, VnetIndex vnet);

} // namespace ztnet::model
