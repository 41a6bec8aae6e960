#include "ztnet/load/arm/evaluator_ids.h"

#include <cstddef>
#include <optional>

#include "ztnet/support/ascii.h"

namespace ztnet::load::arm {
namespace {

// Every argument of the id functions must be a string, and an Unknown argument makes the id Unknown.
// Returns what the function must return instead of an id, or nothing when all arguments are strings.
std::optional<Result<json::Value>> non_string_argument(std::string_view function, Arguments arguments) {
    for (const auto& argument : arguments) {
        if (argument.is_unknown())
            return Result<json::Value>(argument);
        if (!argument.is_string())
            return Result<json::Value>(fail(std::string(function) + "() expects string arguments, got " +
                                            std::string(json::to_string(argument.kind()))));
    }
    return std::nullopt;
}

bool has_slash(const json::Value& value) {
    return value.as_string().find('/') != std::string::npos;
}

// The type argument is the one argument with a slash in it; arguments before it are the scope
// (subscription id, resource group name), the rest one name per type segment.
struct IdArguments {
    ResourceType type;
    std::vector<std::string> leading; // before the type
    std::vector<std::string> names;
};

Result<IdArguments> split_id_arguments(std::string_view function, Arguments arguments,
                                       std::size_t max_leading) {
    std::size_t type_index = arguments.size();
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        if (!has_slash(arguments[i]))
            continue;
        if (type_index != arguments.size())
            return fail(
                std::string(function) +
                "() takes exactly one argument with '/' (the resource type including its namespace); '" +
                arguments[i].as_string() + "' is a second one");
        type_index = i;
    }
    if (type_index == arguments.size())
        return fail(
            std::string(function) +
            "() needs a resource type including its namespace, such as 'Microsoft.Network/virtualNetworks'");
    if (type_index > max_leading)
        return fail(std::string(function) + "() takes at most " + std::to_string(max_leading) +
                    " argument(s) before the resource type, got " + std::to_string(type_index));
    auto type = parse_resource_type(arguments[type_index].as_string());
    if (!type)
        return fail(std::string(function) + "(): " + type.error().message);
    IdArguments result{std::move(*type), {}, {}};
    for (std::size_t i = 0; i < type_index; ++i)
        result.leading.push_back(arguments[i].as_string());
    for (std::size_t i = type_index + 1; i < arguments.size(); ++i)
        result.names.push_back(arguments[i].as_string());
    if (result.names.size() != result.type.types.size())
        return fail(std::string(function) + "(): the type '" + result.type.full() + "' needs " +
                    std::to_string(result.type.types.size()) + " resource name argument(s), got " +
                    std::to_string(result.names.size()));
    return result;
}

} // namespace

std::string ResourceType::full() const {
    std::string out = name_space;
    for (const auto& type : types) {
        out.push_back('/');
        out += type;
    }
    return out;
}

Result<ResourceType> parse_resource_type(std::string_view text) {
    if (!text.empty() && text.back() == '/')
        text.remove_suffix(1);
    std::vector<std::string> segments = split_name(text);
    if (segments.size() < 2)
        return fail("'" + std::string(text) + "' is not a resource type: expected '{namespace}/{type}'");
    for (const auto& segment : segments)
        if (segment.empty())
            return fail("the resource type '" + std::string(text) + "' has an empty segment");
    ResourceType type;
    type.name_space = segments.front();
    type.types.assign(segments.begin() + 1, segments.end());
    return type;
}

std::vector<std::string> split_name(std::string_view name) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t slash = name.find('/', start);
        if (slash == std::string_view::npos) {
            parts.emplace_back(name.substr(start));
            return parts;
        }
        parts.emplace_back(name.substr(start, slash - start));
        start = slash + 1;
    }
}

std::string provider_path(const ResourceType& type, const std::vector<std::string>& names) {
    std::string out = type.name_space;
    for (std::size_t i = 0; i < type.types.size(); ++i) {
        out.push_back('/');
        out += type.types[i];
        out.push_back('/');
        if (i < names.size())
            out += names[i];
    }
    return out;
}

std::string subscription_scope_id(std::string_view subscription) {
    return "/subscriptions/" + std::string(subscription);
}

std::string resource_group_scope_id(std::string_view subscription, std::string_view group) {
    return subscription_scope_id(subscription) + "/resourceGroups/" + std::string(group);
}

std::string scope_id(const ScopeInfo& scope) {
    if (scope.level == ScopeLevel::ResourceGroup)
        return resource_group_scope_id(scope.subscription_id, scope.resource_group);
    return subscription_scope_id(scope.subscription_id);
}

Result<json::Value> resource_id_function(Arguments arguments, const ScopeInfo& scope) {
    if (auto early = non_string_argument("resourceId", arguments))
        return std::move(*early);
    auto parts = split_id_arguments("resourceId", arguments, 2);
    if (!parts)
        return parts.error();
    std::string subscription = scope.subscription_id;
    std::string group = scope.level == ScopeLevel::ResourceGroup ? scope.resource_group : std::string();
    bool uses_current_scope = true;
    if (parts->leading.size() == 2) {
        subscription = parts->leading[0];
        group = parts->leading[1];
        uses_current_scope = false;
    } else if (parts->leading.size() == 1) {
        group = parts->leading[0];
    }
    if (uses_current_scope && !scope.unknown_reason.empty())
        return json::Value::unknown(scope.unknown_reason);
    std::string path = provider_path(parts->type, parts->names);
    if (group.empty())
        return json::Value(subscription_scope_id(subscription) + "/providers/" + path);
    return json::Value(resource_group_scope_id(subscription, group) + "/providers/" + path);
}

Result<json::Value> subscription_resource_id_function(Arguments arguments, const ScopeInfo& scope) {
    if (auto early = non_string_argument("subscriptionResourceId", arguments))
        return std::move(*early);
    auto parts = split_id_arguments("subscriptionResourceId", arguments, 1);
    if (!parts)
        return parts.error();
    if (parts->leading.empty() && !scope.unknown_reason.empty())
        return json::Value::unknown(scope.unknown_reason);
    std::string subscription = parts->leading.empty() ? scope.subscription_id : parts->leading[0];
    return json::Value(subscription_scope_id(subscription) + "/providers/" +
                       provider_path(parts->type, parts->names));
}

Result<json::Value> tenant_resource_id_function(Arguments arguments) {
    if (auto early = non_string_argument("tenantResourceId", arguments))
        return std::move(*early);
    auto parts = split_id_arguments("tenantResourceId", arguments, 0);
    if (!parts)
        return parts.error();
    return json::Value("/providers/" + provider_path(parts->type, parts->names));
}

Result<json::Value> extension_resource_id_function(Arguments arguments) {
    if (auto early = non_string_argument("extensionResourceId", arguments))
        return std::move(*early);
    if (arguments.size() < 3)
        return fail("extensionResourceId() expects (baseResourceId, resourceType, resourceName1, …)");
    std::string base = arguments[0].as_string();
    auto parts = split_id_arguments("extensionResourceId", arguments.subspan(1), 0);
    if (!parts)
        return parts.error();
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return json::Value(base + "/providers/" + provider_path(parts->type, parts->names));
}

Result<json::Value> management_group_resource_id_function(Arguments arguments) {
    if (auto early = non_string_argument("managementGroupResourceId", arguments))
        return std::move(*early);
    auto parts = split_id_arguments("managementGroupResourceId", arguments, 1);
    if (!parts)
        return parts.error();
    if (parts->leading.empty())
        return json::Value::unknown(
            "managementGroupResourceId() without a group name needs the deployment's management group, which "
            "ztnet does not know");
    return json::Value("/providers/Microsoft.Management/managementGroups/" + parts->leading[0] +
                       "/providers/" + provider_path(parts->type, parts->names));
}

bool equals_ci(std::string_view a, std::string_view b) {
    return ascii::iequals(a, b);
}

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

} // namespace ztnet::load::arm
