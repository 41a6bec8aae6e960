// Identity, governance and monitoring: who may change the network (ZT-IAM-*), how the spoke is laid
// out and audited (ZT-GOV-*), and whether threat detection is on (ZT-MON-*). These checks read role
// assignments, resource groups, diagnostic settings and Defender plans; none needs reachability.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "ztnet/checks/check_groups.h"
#include "ztnet/checks/check_support.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::checks::groups {
namespace {

using model::Index;
using model::kNone;
using model::ResourceKind;
using support::finding_on;
using support::finding_on_subscription;
using support::setting;

// ---- subscriptions and scopes ----

std::string subscription_of(std::string_view id) {
    return model::parse_resource_id(id).subscription;
}

/// Every subscription some loaded resource lives in, once each (ids compare case-insensitively), in
/// a stable order, spelt as first met.
std::vector<std::string> subscriptions_in(const model::Estate& estate) {
    std::map<std::string, std::string> by_key;
    for (int k = 0; k < model::kResourceKindCount; ++k) {
        auto kind = static_cast<ResourceKind>(k);
        for (Index i = 0; i < estate.count(kind); ++i) {
            std::string subscription = subscription_of(estate.resource({kind, i}).id);
            if (!subscription.empty())
                by_key.emplace(model::id_key(subscription), subscription);
        }
    }
    std::vector<std::string> out;
    out.reserve(by_key.size());
    for (auto& entry : by_key)
        out.push_back(entry.second);
    return out;
}

template <class Resources>
bool any_in_subscription(const Resources& resources, const std::string& subscription) {
    return std::any_of(resources.begin(), resources.end(), [&](const model::Resource& r) {
        return model::same_id(subscription_of(r.id), subscription);
    });
}

/// How much of the hierarchy a role assignment (or an assignable scope) reaches.
enum class ScopeLevel : std::uint8_t { Unknown, ManagementGroup, Subscription, ResourceGroup, Resource };

ScopeLevel scope_level(std::string_view scope) {
    std::string key = model::id_key(scope);
    if (key.empty())
        return scope == "/" ? ScopeLevel::ManagementGroup : ScopeLevel::Unknown; // "/" is the tenant root
    if (key.rfind("/providers/microsoft.management/managementgroups/", 0) == 0)
        return ScopeLevel::ManagementGroup;
    if (key.rfind("/subscriptions/", 0) != 0)
        return ScopeLevel::Unknown;
    model::ResourceIdParts parts = model::parse_resource_id(scope);
    std::size_t segments = static_cast<std::size_t>(std::count(key.begin(), key.end(), '/'));
    if (segments == 2)
        return ScopeLevel::Subscription;
    if (segments == 4 && !parts.resource_group.empty())
        return ScopeLevel::ResourceGroup;
    return ScopeLevel::Resource;
}

std::string_view scope_level_name(ScopeLevel level) {
    switch (level) {
    case ScopeLevel::ManagementGroup:
        return "management group";
    case ScopeLevel::Subscription:
        return "subscription";
    case ScopeLevel::ResourceGroup:
        return "resource group";
    case ScopeLevel::Resource:
        return "resource";
    case ScopeLevel::Unknown:
        break;
    }
    return "unknown";
}

bool is_broad(ScopeLevel level) {
    return level == ScopeLevel::ManagementGroup || level == ScopeLevel::Subscription ||
           level == ScopeLevel::ResourceGroup;
}

// ---- roles ----

/// The role an assignment grants, as people name it: the built-in role, the custom role's name, or
/// the definition's GUID when the definition is not loaded.
std::string role_name(const model::Estate& estate, const model::RoleAssignment& a) {
    if (!a.built_in_role.empty())
        return a.built_in_role;
    if (a.role_definition != kNone && !estate.role_definitions[a.role_definition].role_name.empty())
        return estate.role_definitions[a.role_definition].role_name;
    return a.role_definition_id.substr(a.role_definition_id.rfind('/') + 1);
}

bool has_action(const std::vector<std::string>& actions, std::string_view wanted) {
    return std::any_of(actions.begin(), actions.end(),
                       [&](const std::string& a) { return model::same_id(a, wanted); });
}

/// Owner, Contributor and User Access Administrator (which can grant itself the other two), or a
/// custom role that allows every action.
bool grants_everything(const model::Estate& estate, const model::RoleAssignment& a) {
    for (std::string_view role : {"Owner", "Contributor", "User Access Administrator"}) {
        if (a.built_in_role == role)
            return true;
    }
    return a.role_definition != kNone && has_action(estate.role_definitions[a.role_definition].actions, "*");
}

Evidence assignment_evidence(const model::Estate& estate, const model::RoleAssignment& a) {
    return setting(a, fmt::format("role {} (roleDefinitionId {}) at scope {} to {} {}", role_name(estate, a),
                                  a.role_definition_id, a.scope,
                                  a.principal_type.empty() ? "principal" : a.principal_type, a.principal_id));
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && model::same_id(text.substr(0, prefix.size()), prefix);
}

bool ends_with_ci(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && model::same_id(text.substr(text.size() - suffix.size()), suffix);
}

/// Why a custom role is not the least-privilege network role of the guidance (network provider
/// actions, read-only elsewhere, no data actions, assignable no higher than a resource group), or an
/// empty string when it is.
std::string network_role_flaw(const model::RoleDefinition& role) {
    if (!role.custom)
        return "it is a built-in role";
    bool manages_network = false;
    for (const std::string& action : role.actions) {
        if (starts_with_ci(action, "Microsoft.Network/"))
            manages_network = true;
        else if (!ends_with_ci(action, "/read"))
            return fmt::format("action {} is neither a network action nor read-only", action);
    }
    if (!manages_network)
        return "it grants no Microsoft.Network action";
    if (!role.data_actions.empty())
        return fmt::format("it grants data action {}", role.data_actions.front());
    if (role.assignable_scopes.empty())
        return "it has no assignable scope";
    for (const std::string& scope : role.assignable_scopes) {
        ScopeLevel level = scope_level(scope);
        if (level != ScopeLevel::ResourceGroup && level != ScopeLevel::Resource)
            return fmt::format("it is assignable at {} scope {}", scope_level_name(level), scope);
    }
    return {};
}

bool touches_network(const model::RoleDefinition& role) {
    return has_action(role.actions, "*") ||
           std::any_of(role.actions.begin(), role.actions.end(),
                       [](const std::string& a) { return starts_with_ci(a, "Microsoft.Network/"); });
}

bool assigned_to_group_in(const model::Estate& estate, Index role, const std::string& subscription) {
    return std::any_of(estate.role_assignments.begin(), estate.role_assignments.end(),
                       [&](const model::RoleAssignment& a) {
                           return a.role_definition == role && model::same_id(a.principal_type, "Group") &&
                                  model::same_id(subscription_of(a.scope), subscription);
                       });
}

// ---- ZT-IAM-001 ----

std::vector<Finding> broad_role_at_broad_scope(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::RoleAssignment& a : estate.role_assignments) {
        ScopeLevel level = scope_level(a.scope);
        if (!grants_everything(estate, a) || !is_broad(level))
            continue;
        Finding f = finding_on(a, fmt::format("role assignment {} grants {} on the whole {} {}", a.name,
                                              role_name(estate, a), scope_level_name(level), a.scope));
        f.evidence.push_back(assignment_evidence(estate, a));
        out.push_back(std::move(f));
    }
    return out;
}

// ---- ZT-IAM-002 ----

std::vector<Finding> role_assigned_to_user(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::RoleAssignment& a : estate.role_assignments) {
        if (!model::same_id(a.principal_type, "User"))
            continue;
        Finding f =
            finding_on(a, fmt::format("role assignment {} grants {} to an individual user ({}), not a group",
                                      a.name, role_name(estate, a), a.principal_id));
        f.evidence.push_back(assignment_evidence(estate, a));
        out.push_back(std::move(f));
    }
    return out;
}

// ---- ZT-IAM-003 ----

/// Why each custom role that touches the network does not serve as the network operators' role: the
/// evidence for a subscription that has none.
std::vector<Evidence> network_role_candidates(const model::Estate& estate) {
    std::vector<Evidence> out;
    for (Index r = 0; r < estate.role_definitions.size(); ++r) {
        const model::RoleDefinition& role = estate.role_definitions[r];
        if (!role.custom || !touches_network(role))
            continue;
        std::string flaw = network_role_flaw(role);
        if (flaw.empty())
            flaw = "it is not assigned to a group in this subscription";
        out.push_back(setting(role, fmt::format("custom role {} ({}): {}", role.role_name, role.name, flaw)));
    }
    return out;
}

std::vector<Finding> no_network_operator_role(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const std::string& subscription : subscriptions_in(estate)) {
        if (!any_in_subscription(estate.virtual_networks, subscription))
            continue; // no network to operate here
        bool met = false;
        for (Index r = 0; r < estate.role_definitions.size() && !met; ++r)
            met = network_role_flaw(estate.role_definitions[r]).empty() &&
                  assigned_to_group_in(estate, r, subscription);
        if (met)
            continue;
        Finding f = finding_on_subscription(
            subscription,
            fmt::format("subscription {} has no least-privilege custom network role assigned to a "
                        "group: network resources are managed with broader roles",
                        subscription));
        f.evidence = network_role_candidates(estate);
        out.push_back(std::move(f));
    }
    return out;
}

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
    return std::any_of(vnet.subnets.begin(), vnet.subnets.end(), [&](Index s) {
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

// ---- ZT-MON-001 ----

struct DefenderPlan {
    std::string_view pricing; // the Microsoft.Security/pricings name
    std::string_view title;
};

constexpr DefenderPlan kServersPlan{"VirtualMachines", "Defender for Servers"};
constexpr DefenderPlan kStoragePlan{"StorageAccounts", "Defender for Storage"};

const model::OtherResource* find_pricing(const model::Estate& estate, const std::string& subscription,
                                         std::string_view plan) {
    for (const model::OtherResource& r : estate.others) {
        if (model::same_id(r.type, "Microsoft.Security/pricings") && model::same_id(r.name, plan) &&
            model::same_id(subscription_of(r.id), subscription))
            return &r;
    }
    return nullptr;
}

std::vector<Finding> defender_plans_off(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const std::string& subscription : subscriptions_in(estate)) {
        // A plan is asked for only where there is something for it to protect.
        std::vector<DefenderPlan> needed;
        if (any_in_subscription(estate.virtual_machines, subscription))
            needed.push_back(kServersPlan);
        if (any_in_subscription(estate.storage_accounts, subscription))
            needed.push_back(kStoragePlan);
        std::vector<Evidence> evidence;
        std::string missing;
        for (const DefenderPlan& plan : needed) {
            const model::OtherResource* pricing = find_pricing(estate, subscription, plan.pricing);
            if (pricing && model::same_id(pricing->pricing_tier, "Standard"))
                continue;
            missing += fmt::format("{}{} ({})", missing.empty() ? "" : ", ", plan.title, plan.pricing);
            evidence.push_back(
                pricing
                    ? setting(*pricing,
                              fmt::format("{}: pricingTier {}", plan.pricing,
                                          pricing->pricing_tier.empty() ? "absent" : pricing->pricing_tier))
                    : Evidence{fmt::format("{}: no Microsoft.Security/pricings resource", plan.pricing),
                               {},
                               std::nullopt});
        }
        if (evidence.empty())
            continue;
        Finding f = finding_on_subscription(
            subscription, fmt::format("subscription {} lacks threat detection: {} not on the Standard tier",
                                      subscription, missing));
        f.evidence = std::move(evidence);
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace

void add_identity_and_governance(std::vector<Check>& out) {
    out.push_back(Check{
        "ZT-IAM-001",
        "No Owner or Contributor at subscription or resource group scope",
        {Principle::LeastPrivilege},
        Severity::High,
        "Spoke step 1: network resources managed through a least-privilege custom role",
        "Owner, Contributor, User Access Administrator and custom roles with the action '*' can change every "
        "network security group, route and firewall setting within their scope. Granted on a whole "
        "subscription, resource group or management group, one stolen credential undoes the segmentation.",
        "Remove the role assignment (Microsoft.Authorization/roleAssignments) and grant a custom role "
        "limited "
        "to the actions the holder needs, assigned at the narrowest scope, for network operators one with "
        "Microsoft.Network/* actions and */read elsewhere.",
        broad_role_at_broad_scope,
        {{model::ResourceKind::RoleAssignment, "/properties/roleDefinitionId"},
         {model::ResourceKind::RoleAssignment, "/properties/scope"}},
        {"Microsoft.Authorization/roleAssignments"}});
    out.push_back(Check{
        "ZT-IAM-002",
        "Roles assigned to groups, not individual users",
        {Principle::LeastPrivilege, Principle::VerifyExplicitly},
        Severity::Medium,
        "Spoke step 1: roles assigned to groups, not individuals",
        "A role given to a person directly outlives their job and escapes the group's access reviews and "
        "entitlement management. Assigning roles to Microsoft Entra groups keeps who may change the network "
        "visible and revocable in one place.",
        "Create a security group for the role, add the user to it, assign the role to the group "
        "(principalType Group in the role assignment) and delete the assignment to the user.",
        role_assigned_to_user,
        {{model::ResourceKind::RoleAssignment, "/properties/principalType"}},
        {"Microsoft.Authorization/roleAssignments"}});
    out.push_back(Check{
        "ZT-IAM-003",
        "A least-privilege custom role manages the network",
        {Principle::LeastPrivilege},
        Severity::Medium,
        "Spoke step 1: a least-privilege custom role for network operators, assigned to a group",
        "Network operators need to manage virtual networks, security groups and routes, not compute or data. "
        "A custom role with Microsoft.Network actions, read-only actions elsewhere and assignable scopes no "
        "wider than the spoke's resource group gives them exactly that; without one, they hold broad "
        "built-in roles. The role counts when it is assigned to a group in the subscription.",
        "Create a Microsoft.Authorization/roleDefinitions custom role with actions ['Microsoft.Network/*', "
        "'Microsoft.Resources/subscriptions/resourceGroups/read', '*/read' as needed], no dataActions, "
        "assignableScopes set to the spoke's resource group, and assign it there to the operators' group.",
        no_network_operator_role,
        {{model::ResourceKind::RoleDefinition, "/properties/permissions", SettingRead::Findings::Anywhere},
         {model::ResourceKind::RoleDefinition, "/properties/assignableScopes",
          SettingRead::Findings::Anywhere},
         {model::ResourceKind::RoleAssignment, "/properties/principalType", SettingRead::Findings::Anywhere},
         {model::ResourceKind::RoleAssignment, "/properties/roleDefinitionId",
          SettingRead::Findings::Anywhere}},
        {"Microsoft.Authorization/roleAssignments"}});
    out.push_back(Check{
        "ZT-GOV-001",
        "Spoke network resources in their own resource group",
        {Principle::AssumeBreach},
        Severity::Medium,
        "Spoke step 2: spoke network resources isolated in their own resource group",
        "When virtual networks, security groups and route tables share a resource group with virtual "
        "machines or storage, whoever manages the workloads can also change the network that contains them, "
        "and the network role reaches the workloads. Hub resource groups (holding a firewall, a gateway or "
        "a hub virtual network) belong to the platform team and are not judged here.",
        "Move the virtual machines and storage accounts (or the network resources) to a separate resource "
        "group (az resource move), so that roles can be granted on the spoke's network alone.",
        network_shares_resource_group,
    });
    out.push_back(Check{
        "ZT-GOV-002",
        "Subscription activity log exported with the Security category",
        {Principle::VerifyExplicitly},
        Severity::Medium,
        "Spoke step 2: the subscription activity log exported, security category included",
        "The activity log records who changed which network rule and the Security events raised by Defender; "
        "Azure keeps it for 90 days only and outside the security team's workspace. Exporting it lets "
        "changes "
        "to the spoke be audited and correlated with alerts.",
        "Add a subscription-scope Microsoft.Insights/diagnosticSettings resource with a workspaceId (or "
        "storageAccountId) and logs enabled for the categories Administrative and Security (or the "
        "categoryGroup allLogs).",
        activity_log_not_exported,
        {{model::ResourceKind::DiagnosticSetting, "/properties/logs", SettingRead::Findings::Anywhere}},
        {"Microsoft.Insights/diagnosticSettings"}});
    out.push_back(Check{
        "ZT-MON-001",
        "Microsoft Defender plans on for servers and storage",
        {Principle::AssumeBreach},
        Severity::Medium,
        "Spoke step 7: threat detection enabled with Microsoft Defender for Cloud plans",
        "Segmentation limits what an intruder can reach; threat detection notices that one is there. "
        "Defender "
        "for Servers and Defender for Storage raise alerts on suspicious processes, logons and data access. "
        "A plan is required only where the subscription holds virtual machines or storage accounts.",
        "Set properties.pricingTier to 'Standard' on Microsoft.Security/pricings 'VirtualMachines' (subPlan "
        "P2) and, when the subscription holds storage accounts, on 'StorageAccounts'.",
        defender_plans_off,
        {},
        {"Microsoft.Security/pricings"}});
}

} // namespace ztnet::checks::groups
