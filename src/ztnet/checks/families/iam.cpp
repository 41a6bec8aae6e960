// Identity (ZT-IAM-*): who may change the network. Roles granted broadly, roles given to people
// rather than groups, and whether a least-privilege custom role serves the network operators. These
// checks read role assignments and role definitions; none needs reachability.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/families.h"
#include "ztnet/checks/families/subscriptions.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::checks::families {
namespace {

using model::Index;
using model::kNone;
using support::finding_on;
using support::finding_on_subscription;
using support::setting;

// ---- scopes ----

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
    return setting(
        a, fmt::format("role {} (roleDefinitionId {}) at scope {} to {} {}", role_name(estate, a),
                       a.role_definition_id, a.scope,
                       a.principal_type ? model::name_of(*a.principal_type) : std::string_view("principal"),
                       a.principal_id));
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

bool assigned_to_group_in(const model::Estate& estate, model::RoleDefinitionIndex role,
                          const std::string& subscription) {
    return std::any_of(
        estate.role_assignments.begin(), estate.role_assignments.end(), [&](const model::RoleAssignment& a) {
            return a.role_definition == role && a.principal_type == model::PrincipalType::Group &&
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
        if (a.principal_type != model::PrincipalType::User)
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
    for (model::RoleDefinitionIndex r : estate.role_definitions.indices()) {
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
        for (model::RoleDefinitionIndex r : estate.role_definitions.indices()) {
            met = network_role_flaw(estate.role_definitions[r]).empty() &&
                  assigned_to_group_in(estate, r, subscription);
            if (met)
                break;
        }
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

} // namespace

void add_iam(std::vector<Check>& out) {
    out.push_back(Check{
        .id = "ZT-IAM-001",
        .title = "No Owner or Contributor at subscription or resource group scope",
        .principles = {Principle::LeastPrivilege},
        .severity = Severity::High,
        .guidance = "Spoke step 1: network resources managed through a least-privilege custom role",
        .rationale = R"(
            Owner, Contributor, User Access Administrator and custom roles with the action '*' can
            change every network security group, route and firewall setting within their scope.
            Granted on a whole subscription, resource group or management group, one stolen
            credential undoes the segmentation.)",
        .remediation = R"(
            Remove the role assignment (Microsoft.Authorization/roleAssignments) and grant a custom
            role limited to the actions the holder needs, assigned at the narrowest scope, for
            network operators one with Microsoft.Network/* actions and */read elsewhere.)",
        .run = broad_role_at_broad_scope,
        .reads = {{model::ResourceKind::RoleAssignment, "/properties/roleDefinitionId"},
                  {model::ResourceKind::RoleAssignment, "/properties/scope"}},
        .needs = {"Microsoft.Authorization/roleAssignments"},
    });
    out.push_back(Check{
        .id = "ZT-IAM-002",
        .title = "Roles assigned to groups, not individual users",
        .principles = {Principle::LeastPrivilege, Principle::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Spoke step 1: roles assigned to groups, not individuals",
        .rationale = R"(
            A role given to a person directly outlives their job and escapes the group's access
            reviews and entitlement management. Assigning roles to Microsoft Entra groups keeps who
            may change the network visible and revocable in one place.)",
        .remediation = R"(
            Create a security group for the role, add the user to it, assign the role to the group
            (principalType Group in the role assignment) and delete the assignment to the user.)",
        .run = role_assigned_to_user,
        .reads = {{model::ResourceKind::RoleAssignment, "/properties/principalType"}},
        .needs = {"Microsoft.Authorization/roleAssignments"},
    });
    out.push_back(Check{
        .id = "ZT-IAM-003",
        .title = "A least-privilege custom role manages the network",
        .principles = {Principle::LeastPrivilege},
        .severity = Severity::Medium,
        .guidance = "Spoke step 1: a least-privilege custom role for network operators, assigned to a group",
        .rationale = R"(
            Network operators need to manage virtual networks, security groups and routes, not
            compute or data. A custom role with Microsoft.Network actions, read-only actions
            elsewhere and assignable scopes no wider than the spoke's resource group gives them
            exactly that; without one, they hold broad built-in roles. The role counts when it is
            assigned to a group in the subscription.)",
        .remediation = R"(
            Create a Microsoft.Authorization/roleDefinitions custom role with actions
            ['Microsoft.Network/*', 'Microsoft.Resources/subscriptions/resourceGroups/read',
            '*/read' as needed], no dataActions, assignableScopes set to the spoke's resource group,
            and assign it there to the operators' group.)",
        .run = no_network_operator_role,
        .reads = {{model::ResourceKind::RoleDefinition, "/properties/permissions",
                   SettingRead::Findings::Anywhere},
                  {model::ResourceKind::RoleDefinition, "/properties/assignableScopes",
                   SettingRead::Findings::Anywhere},
                  {model::ResourceKind::RoleAssignment, "/properties/principalType",
                   SettingRead::Findings::Anywhere},
                  {model::ResourceKind::RoleAssignment, "/properties/roleDefinitionId",
                   SettingRead::Findings::Anywhere}},
        .needs = {"Microsoft.Authorization/roleAssignments"},
    });
}

} // namespace ztnet::checks::families
