// Governance (ZT-GOV-*): how the spoke is laid out and audited. Network resources in a resource
// group of their own, and the subscription's activity log exported. These checks read resource
// groups and diagnostic settings; none needs reachability.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/families.h"
#include "ztnet/checks/families/subscriptions.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::checks::families {
namespace {

using model::Index;
using model::ResourceKind;
using support::finding_on;
using support::finding_on_subscription;
using support::setting;

// ---- ZT-GOV-001 ----

/// A resource group, keyed by subscription and name (lower case).
struct GroupContents {
    std::string subscription;
    std::string name;
    std::vector<const model::Resource*> network;   // VNets, NSGs, route tables
    std::vector<const model::Resource*> workloads; // VMs, storage accounts
    bool hub = false;                              // holds a firewall, a gateway or a hub VNet
};

bool is_hub_network(const model::Estate& estate, const model::VirtualNetwork& vnet) {
    return std::any_of(vnet.subnets.begin(), vnet.subnets.end(), [&](model::SubnetIndex s) {
        const std::string& name = estate.subnets[s].name;
        return model::same_id(name, "AzureFirewallSubnet") || model::same_id(name, "GatewaySubnet") ||
               model::same_id(name, "RouteServerSubnet");
    });
}

class ResourceGroupIndex {
  public:
    GroupContents& of(const model::Resource& r) {
        model::ResourceIdParts parts = model::parse_resource_id(r.id);
        GroupContents& group =
            groups_[model::id_key(parts.subscription) + "/" + model::id_key(parts.resource_group)];
        if (group.name.empty()) {
            group.subscription = parts.subscription;
            group.name = parts.resource_group;
        }
        return group;
    }
    std::map<std::string, GroupContents>& all() { return groups_; }

  private:
    std::map<std::string, GroupContents> groups_;
};

ResourceGroupIndex index_resource_groups(const model::Estate& estate) {
    ResourceGroupIndex groups;
    for (const model::VirtualNetwork& v : estate.virtual_networks) {
        GroupContents& group = groups.of(v);
        group.network.push_back(&v);
        group.hub = group.hub || is_hub_network(estate, v);
    }
    for (const model::NetworkSecurityGroup& n : estate.network_security_groups)
        groups.of(n).network.push_back(&n);
    for (const model::RouteTable& t : estate.route_tables)
        groups.of(t).network.push_back(&t);
    for (const model::AzureFirewall& f : estate.azure_firewalls)
        groups.of(f).hub = true;
    for (const model::VirtualNetworkGateway& g : estate.virtual_network_gateways)
        groups.of(g).hub = true;
    for (const model::VirtualMachine& vm : estate.virtual_machines)
        groups.of(vm).workloads.push_back(&vm);
    for (const model::StorageAccount& s : estate.storage_accounts)
        groups.of(s).workloads.push_back(&s);
    return groups;
}

std::string names_of(const std::vector<const model::Resource*>& resources) {
    std::string out;
    for (const model::Resource* r : resources)
        out += (out.empty() ? "" : ", ") + r->name;
    return out;
}

std::vector<Finding> network_shares_resource_group(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    ResourceGroupIndex groups = index_resource_groups(estate);
    std::vector<Finding> out;
    for (auto& [key, group] : groups.all()) {
        if (group.hub || group.network.empty() || group.workloads.empty() || group.name.empty())
            continue;
        std::string id = "/subscriptions/" + group.subscription + "/resourceGroups/" + group.name;
        std::string message = fmt::format("resource group {} holds network resources ({}) together with "
                                          "workloads ({})",
                                          group.name, names_of(group.network), names_of(group.workloads));
        Finding f;
        if (auto ref = estate.find(id); ref && ref->kind == ResourceKind::ResourceGroup) {
            f = finding_on(estate.resource(*ref), std::move(message));
        } else {
            f.resource_id = id; // the group itself is not in the input
            f.resource_name = group.name;
            f.message = std::move(message);
        }
        for (const model::Resource* workload : group.workloads)
            f.evidence.push_back(setting(*workload, fmt::format("{} {} is in {}, beside the spoke's network",
                                                                workload->type, workload->name, group.name)));
        out.push_back(std::move(f));
    }
    return out;
}

// ---- ZT-GOV-002 ----

bool exports_security_events(const model::DiagnosticSetting& d) {
    return std::any_of(d.enabled_categories.begin(), d.enabled_categories.end(), [](const std::string& c) {
        return model::same_id(c, "Security") || model::same_id(c, "allLogs") || model::same_id(c, "audit");
    });
}

std::vector<Finding> activity_log_not_exported(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const std::string& subscription : subscriptions_in(estate)) {
        std::vector<const model::DiagnosticSetting*> at_subscription;
        for (const model::DiagnosticSetting& d : estate.diagnostic_settings) {
            if (model::same_id(d.scope_id, "/subscriptions/" + subscription))
                at_subscription.push_back(&d);
        }
        if (std::any_of(at_subscription.begin(), at_subscription.end(),
                        [](const model::DiagnosticSetting* d) { return exports_security_events(*d); }))
            continue;
        Finding f = finding_on_subscription(
            subscription,
            fmt::format("the activity log of subscription {} is not exported with its Security category",
                        subscription));
        for (const model::DiagnosticSetting* d : at_subscription) {
            std::string categories;
            for (const std::string& c : d->enabled_categories)
                categories += (categories.empty() ? "" : ", ") + c;
            f.evidence.push_back(setting(*d, fmt::format("diagnostic setting {} exports only: {}", d->name,
                                                         categories.empty() ? "nothing" : categories)));
        }
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace

void add_gov(std::vector<Check>& out) {
    out.push_back(Check{
        .id = "ZT-GOV-001",
        .title = "Spoke network resources in their own resource group",
        .principles = {Principle::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Spoke step 2: spoke network resources isolated in their own resource group",
        .rationale = R"(
            When virtual networks, security groups and route tables share a resource group with
            virtual machines or storage, whoever manages the workloads can also change the network
            that contains them, and the network role reaches the workloads. Hub resource groups
            (holding a firewall, a gateway or a hub virtual network) belong to the platform team and
            are not judged here.)",
        .remediation = R"(
            Move the virtual machines and storage accounts (or the network resources) to a separate
            resource group (az resource move), so that roles can be granted on the spoke's network
            alone.)",
        .run = network_shares_resource_group,
    });
    out.push_back(Check{
        .id = "ZT-GOV-002",
        .title = "Subscription activity log exported with the Security category",
        .principles = {Principle::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Spoke step 2: the subscription activity log exported, security category included",
        .rationale = R"(
            The activity log records who changed which network rule and the Security events raised
            by Defender; Azure keeps it for 90 days only and outside the security team's workspace.
            Exporting it lets changes to the spoke be audited and correlated with alerts.)",
        .remediation = R"(
            Add a subscription-scope Microsoft.Insights/diagnosticSettings resource with a
            workspaceId (or storageAccountId) and logs enabled for the categories Administrative and
            Security (or the categoryGroup allLogs).)",
        .run = activity_log_not_exported,
        .reads = {{model::ResourceKind::DiagnosticSetting, "/properties/logs",
                   SettingRead::Findings::Anywhere}},
        .needs = {"Microsoft.Insights/diagnosticSettings"},
    });
}

} // namespace ztnet::checks::families
