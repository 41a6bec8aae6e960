// Template resources: copy loops and conditions expanded, child resources given their full type
// and name, every instance given its id (as Azure computes it) and, when deployed, its evaluated body.
#include <algorithm>
#include <cstddef>
#include <unordered_set>

#include "ztnet/load/arm/evaluator_ids.h"
#include "ztnet/load/arm/template_instance.h"

namespace ztnet::load::arm {
namespace {

// The members of a resource declaration that its body keeps; the others (dependsOn, copy, condition,
// comments, metadata, …) only steer the deployment.
constexpr std::string_view kBodyMembers[] = {"location", "sku",      "kind", "tags",
                                             "zones",    "identity", "plan", "properties"};

// A child declared inside its parent may give its type relative to the parent ("subnets") or in full
// ("Microsoft.Network/virtualNetworks/subnets", then with the full name too).
bool is_full_type(std::string_view type) {
    std::size_t slash = type.find('/');
    return slash != std::string_view::npos && type.substr(0, slash).find('.') != std::string_view::npos;
}

json::Value join_names(const json::Value& parent, const json::Value& child) {
    if (parent.is_unknown())
        return parent;
    if (child.is_unknown())
        return child;
    if (!parent.is_string() || !child.is_string())
        return json::Value::unknown(std::string(kFailedReason));
    return json::Value(parent.as_string() + "/" + child.as_string());
}

std::string join(const std::vector<std::string>& parts, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        if (i > from)
            out.push_back('/');
        out += parts[i];
    }
    return out;
}

std::string describe(const Instance& instance) {
    if (instance.id.is_string())
        return "resource '" + instance.id.as_string() + "'";
    if (instance.name.is_string())
        return "resource '" + instance.name.as_string() + "' (" + instance.type + ")";
    return "a resource of type " + instance.type;
}

} // namespace

void TemplateInstance::declare_resources() {
    Member resources = find_member_ci(*setup_.root, "resources");
    if (!resources)
        return;
    std::string pointer = child_pointer(setup_.pointer, resources.key);
    if (resources.value->is_array()) {
        const auto& items = resources.value->as_array();
        for (std::size_t i = 0; i < items.size(); ++i)
            declare(items[i], child_pointer(pointer, i), nullptr, "");
    } else if (resources.value->is_object()) {
        // languageVersion 2.0: resources keyed by symbolic name.
        for (const auto& [symbolic_name, item] : resources.value->as_object())
            declare(item, child_pointer(pointer, symbolic_name), nullptr, symbolic_name);
    } else {
        reporter().error("arm-template-shape",
                         "'resources' must be an array (or an object of symbolic names)",
                         reporter().at(resources.value->offset(), pointer));
    }
}

void TemplateInstance::declare(const json::Value& declaration, const std::string& pointer,
                               const Parent* parent, const std::string& symbolic_name) {
    auto where = reporter().at(declaration.offset(), pointer);
    if (!declaration.is_object()) {
        reporter().error("arm-resource-shape", "a resource must be an object", where);
        return;
    }
    Member type = find_member_ci(declaration, "type");
    if (!type || !type.value->is_string()) {
        reporter().error("arm-resource-shape", "a resource needs a string 'type'", where);
        return;
    }
    if (is_expression(type.value->as_string())) {
        reporter().error("arm-resource-type",
                         "a resource's type must be a literal string, not an expression: ARM needs it before "
                         "evaluating the template",
                         reporter().at(type.value->offset(), child_pointer(pointer, type.key)));
        return;
    }
    CopyFrames frames = parent != nullptr ? parent->frames : CopyFrames{};
    Member copy = find_member_ci(declaration, "copy");
    if (!copy) {
        declare_instance(declaration, pointer, std::move(frames), parent, symbolic_name);
        return;
    }
    std::string copy_pointer = child_pointer(pointer, copy.key);
    auto copy_where = reporter().at(copy.value->offset(), copy_pointer);
    if (parent != nullptr) {
        reporter().error(
            "arm-copy-child",
            "a child resource declared inside its parent can't have a copy loop; declare it at the top "
            "level (type 'parent/child', name 'parentName/childName') to repeat it",
            copy_where);
        return;
    }
    Member loop_name = find_member_ci(*copy.value, "name");
    if (!copy.value->is_object() || !loop_name || !loop_name.value->is_string()) {
        reporter().error("arm-copy-shape", "a resource's copy needs a string 'name' and a 'count'",
                         copy_where);
        return;
    }
    ExpressionContext context(*this, Site::ResourceHeader, frames);
    // ARM takes an expression as the loop's name too (it evaluates it like the resource's name);
    // the name only matters to copyIndex('name') and dependsOn, so an unknown one stays as written.
    std::string name = loop_name.value->as_string();
    if (is_expression(name)) {
        auto evaluated = run_.evaluate_text(*loop_name.value, context);
        if (evaluated && evaluated.value().is_string())
            name = evaluated.value().as_string();
    }
    auto [count, error, why] = copy_count(*copy.value, copy_pointer, context);
    if (!count)
        return; // the warning says why (`why`), and that the loop's resources are left out
    for (std::int64_t i = 0; i < *count; ++i) {
        CopyFrames inner = frames;
        inner.push_back(CopyFrame{name, i, true});
        declare_instance(declaration, pointer, std::move(inner), parent, symbolic_name);
    }
}

void TemplateInstance::declare_instance(const json::Value& declaration, const std::string& pointer,
                                        CopyFrames frames, const Parent* parent,
                                        const std::string& symbolic_name) {
    if (declared_count_ >= kMaxResourcesPerTemplate) {
        if (!resource_limit_reported_)
            reporter().error("arm-resource-limit",
                             "the template declares more than " + std::to_string(kMaxResourcesPerTemplate) +
                                 " resources (copies included), ARM's limit; the rest are left out",
                             reporter().at(declaration.offset(), pointer));
        resource_limit_reported_ = true;
        return;
    }
    ++declared_count_;
    ExpressionContext context(*this, Site::ResourceHeader, frames);
    TreeEvaluator evaluator(context, {.warn_unknown = true});
    TreeEvaluator quiet(context, {});

    Instance instance;
    instance.owner = this;
    instance.declaration = &declaration;
    instance.pointer = pointer;
    instance.symbolic_name = symbolic_name;
    instance.frames = std::move(frames);

    if (Member existing = find_member_ci(declaration, "existing"); existing && existing.value->is_bool())
        instance.existing = existing.value->as_bool();
    if (Member condition = find_member_ci(declaration, "condition")) {
        json::Value value = quiet.evaluate(*condition.value, child_pointer(pointer, condition.key));
        if (const json::Unknown* unknown = value.is_unknown() ? &value.as_unknown() : nullptr) {
            instance.condition_unknown = unknown->reason != kFailedReason;
            instance.condition_reason = unknown->reason;
        } else if (value.is_bool()) {
            instance.condition_false = !value.as_bool();
        } else {
            reporter().error("arm-resource-condition",
                             "a resource condition must be a boolean, got " +
                                 std::string(json::to_string(value.kind())),
                             reporter().at(condition.value->offset(), child_pointer(pointer, condition.key)));
        }
    }

    Member type = find_member_ci(declaration, "type");
    Member name = find_member_ci(declaration, "name");
    json::Value name_value = json::Value::unknown(std::string(kFailedReason));
    if (!name) {
        reporter().error("arm-resource-shape", "a resource needs a 'name'",
                         reporter().at(declaration.offset(), pointer));
    } else {
        name_value = evaluator.evaluate(*name.value, child_pointer(pointer, name.key));
        if (!name_value.is_string() && !name_value.is_unknown()) {
            reporter().error("arm-resource-name",
                             "a resource name must be a string, got " +
                                 std::string(json::to_string(name_value.kind())),
                             reporter().at(name.value->offset(), child_pointer(pointer, name.key)));
            name_value = json::Value::unknown(std::string(kFailedReason));
        }
    }
    if (Member api = find_member_ci(declaration, "apiVersion"); !api || !api.value->is_string())
        reporter().error("arm-resource-shape", "a resource needs a string 'apiVersion'",
                         reporter().at(declaration.offset(), pointer));

    std::string full_type = type.value->as_string();
    if (parent != nullptr && !is_full_type(full_type)) {
        full_type = parent->type + "/" + full_type;
        name_value = join_names(parent->name, name_value);
    }
    std::optional<json::Value> scope;
    if (Member scope_member = find_member_ci(declaration, "scope"))
        scope = evaluator.evaluate(*scope_member.value, child_pointer(pointer, scope_member.key));

    Identity identity = identify(full_type, name_value, scope ? &*scope : nullptr, declaration, pointer);
    instance.type = std::move(identity.type);
    instance.name = std::move(identity.name);
    instance.id = std::move(identity.id);
    instance.deployment = equals_ci(instance.type, "Microsoft.Resources/deployments");

    Instance& added = run_.registry().add(std::move(instance));
    instances_.push_back(&added);

    Member children = find_member_ci(declaration, "resources");
    if (!children || !children.value->is_array())
        return;
    Parent self{added.type, added.name, added.frames};
    std::string children_pointer = child_pointer(pointer, children.key);
    const auto& items = children.value->as_array();
    for (std::size_t j = 0; j < items.size(); ++j)
        declare(items[j], child_pointer(children_pointer, j), &self, "");
}

// The id Azure gives a resource: "/subscriptions/{s}/resourceGroups/{g}/providers/{namespace}/{type}/{name}…"
// (no group at subscription level), under its "scope" for extension resources. The older extension
// form, type "{ns}/{type}/providers/{extType}" with name "{name}/{extNamespace}/{extName}", is
// understood too; such a resource's own type and name are then the extension's.
TemplateInstance::Identity TemplateInstance::identify(const std::string& type, const json::Value& name,
                                                      const json::Value* scope,
                                                      const json::Value& declaration,
                                                      const std::string& pointer) {
    Identity identity{type, name, name};
    auto where = reporter().at(declaration.offset(), pointer);
    auto parsed = parse_resource_type(type);
    if (!parsed) {
        reporter().error("arm-resource-type", parsed.error().message, where);
        identity.id = json::Value::unknown(std::string(kFailedReason));
        return identity;
    }
    if (!name.is_string())
        return identity; // Unknown name, unknown id
    std::vector<std::string> names = split_name(name.as_string());
    const ScopeInfo& target = setup_.target_scope;

    std::size_t providers = parsed->types.size();
    for (std::size_t i = 1; i + 1 < parsed->types.size(); ++i)
        if (equals_ci(parsed->types[i], "providers")) {
            providers = i;
            break;
        }
    std::size_t extension_types = providers < parsed->types.size() ? parsed->types.size() - providers - 1 : 0;
    std::size_t needed =
        providers < parsed->types.size() ? providers + 1 + extension_types : parsed->types.size();
    if (names.size() != needed) {
        reporter().error("arm-resource-name",
                         "the resource name '" + name.as_string() + "' has " + std::to_string(names.size()) +
                             " segment(s) but the type '" + type + "' needs " + std::to_string(needed),
                         where);
        identity.id = json::Value::unknown(std::string(kFailedReason));
        return identity;
    }
    if (scope != nullptr && scope->is_unknown()) {
        identity.id = *scope;
        return identity;
    }
    if (scope == nullptr && !target.unknown_reason.empty()) {
        identity.id = json::Value::unknown(target.unknown_reason);
        return identity;
    }

    if (scope == nullptr && target.level == ScopeLevel::Subscription &&
        equals_ci(type, "Microsoft.Resources/resourceGroups")) {
        identity.id = json::Value(resource_group_scope_id(target.subscription_id, name.as_string()));
        return identity;
    }
    // The scope the resource (or the resource it extends) lives in.
    std::optional<std::string> base = scope != nullptr ? explicit_scope(*scope, where) : scope_id(target);
    if (!base) {
        identity.id = json::Value::unknown(std::string(kFailedReason));
        return identity;
    }
    if (providers == parsed->types.size()) {
        identity.id = json::Value(*base + "/providers/" + provider_path(*parsed, names));
        return identity;
    }
    ResourceType base_type{
        parsed->name_space,
        {parsed->types.begin(), parsed->types.begin() + static_cast<std::ptrdiff_t>(providers)}};
    ResourceType extension{
        names[providers],
        {parsed->types.begin() + static_cast<std::ptrdiff_t>(providers) + 1, parsed->types.end()}};
    std::vector<std::string> base_names(names.begin(),
                                        names.begin() + static_cast<std::ptrdiff_t>(providers));
    std::vector<std::string> extension_names(names.begin() + static_cast<std::ptrdiff_t>(providers) + 1,
                                             names.end());
    identity.id = json::Value(*base + "/providers/" + provider_path(base_type, base_names) + "/providers/" +
                              provider_path(extension, extension_names));
    identity.type = extension.full();
    identity.name = json::Value(join(names, providers + 1, names.size()));
    return identity;
}

// A resource's "scope": a resource id, "/" (the tenant), "{namespace}/{type}/{name}" in the
// current resource group, or (languageVersion 2.0) the symbolic name of a resource declared before.
std::optional<std::string> TemplateInstance::explicit_scope(const json::Value& scope,
                                                            const SourceLocation& where) {
    if (!scope.is_string()) {
        reporter().error("arm-resource-scope", "a resource's scope must be a string (a resource id)", where);
        return std::nullopt;
    }
    std::string text = scope.as_string();
    while (!text.empty() && text.back() == '/')
        text.pop_back();
    if (text.empty() || text.front() == '/')
        return text;
    if (text.find('/') != std::string::npos)
        return scope_id(setup_.target_scope) + "/providers/" + text;
    bool ambiguous = false;
    Instance* scoped = find_by_name(text, ambiguous);
    if (scoped == nullptr || !scoped->id.is_string()) {
        reporter().error("arm-resource-scope",
                         "the scope '" + text + "' is neither a resource id nor a resource declared before",
                         where);
        return std::nullopt;
    }
    return scoped->id.as_string();
}

void TemplateInstance::emit_resources(std::vector<RawResource>& out) {
    std::unordered_set<std::string> emitted; // ids of resources certainly deployed
    for (Instance* instance : instances_) {
        if (!instance->deployed())
            continue;
        const json::Value& declaration = *instance->declaration;
        if (instance->condition_unknown) {
            Member condition = find_member_ci(declaration, "condition");
            reporter().warning(
                "arm-condition-unknown",
                "whether " + describe(*instance) + " is deployed is uncertain: its condition is unknown (" +
                    instance->condition_reason + "); it is kept",
                reporter().at(condition.value->offset(), child_pointer(instance->pointer, condition.key)));
        }
        if (instance->deployment) {
            expand_deployment(*instance, out);
            continue;
        }
        if (!instance->condition_unknown && instance->id.is_string() &&
            !emitted.insert(lower_ascii(instance->id.as_string())).second) {
            // A copy loop over equal values, or two parameters given the same name: ARM refuses the
            // deployment, and reading on with the first declaration loses nothing it would deploy.
            reporter().rejected_by_arm("arm-duplicate-resource",
                                       describe(*instance) +
                                           " is declared more than once in the template; the first "
                                           "declaration is used",
                                       reporter().at(declaration.offset(), instance->pointer));
            continue;
        }
        const json::Value* evaluated = body(*instance);
        if (evaluated == nullptr)
            continue;
        RawResource resource{*evaluated,
                             SourceLocation{reporter().file(), declaration.offset(), instance->pointer}};
        if (!instance->id.is_string() && !give_placeholder_id(*instance, resource.body))
            continue;
        out.push_back(std::move(resource));
    }
}

// A resource whose name is unknown offline (a parameter without a value names it) is still deployed,
// and what it holds still matters: it keeps a placeholder id, unique to its declaration and copy
// index, and its name stays Unknown. References to it are unknown too, since their ids are computed
// from the same unknown name.
bool TemplateInstance::give_placeholder_id(const Instance& instance, json::Value& body) {
    const json::Unknown* unknown = first_unknown(instance.id);
    if (unknown == nullptr || unknown->reason == kFailedReason)
        return false; // the failure is reported where it happened
    auto parsed = parse_resource_type(instance.type);
    if (!parsed)
        return false;
    // Braces cannot appear in an Azure resource name, and '/' would split the id: the pointer's
    // slashes become dots ("{unknown name at resources.2[0]}").
    std::string where = instance.pointer.substr(instance.pointer.starts_with('/') ? 1 : 0);
    std::replace(where.begin(), where.end(), '/', '.');
    std::string placeholder = "{unknown name at " + where;
    for (const CopyFrame& frame : instance.frames)
        placeholder += "[" + std::to_string(frame.index) + "]";
    placeholder += "}";
    const ScopeInfo& target = setup_.target_scope;
    std::string base = target.unknown_reason.empty() ? scope_id(target) : std::string("/{unknown scope}");
    std::vector<std::string> names(parsed->types.size(), placeholder);
    body.as_object().set("id", json::Value(base + "/providers/" + provider_path(*parsed, names)));
    reporter().unknown_value(*unknown, instance.declaration->offset(),
                             child_pointer(instance.pointer, "name"));
    return true;
}

const json::Value* TemplateInstance::body(Instance& instance) {
    if (instance.owner != this)
        return instance.owner->body(instance);
    if (instance.state == Instance::State::Done)
        return &instance.body;
    if (instance.state == Instance::State::Evaluating)
        return nullptr;
    instance.state = Instance::State::Evaluating;
    const json::Value& declaration = *instance.declaration;
    json::Object body;
    body.set("id", instance.id);
    body.set("type", instance.type);
    body.set("name", instance.name);
    if (Member api = find_member_ci(declaration, "apiVersion"))
        body.set("apiVersion", *api.value);
    for (std::string_view key : kBodyMembers) {
        Member member = find_member_ci(declaration, key);
        if (!member)
            continue;
        bool properties = key == "properties";
        ExpressionContext context(*this, properties ? Site::ResourceProperties : Site::ResourceHeader,
                                  instance.frames, &instance);
        TreeEvaluator evaluator(context, {.warn_unknown = true, .property_copy = properties});
        json::Value value = evaluator.evaluate(*member.value, child_pointer(instance.pointer, member.key));
        // ARM treats a null top-level member as absent.
        if (value.is_null() && !properties)
            continue;
        body.set(std::string(key), std::move(value));
    }
    instance.body = json::Value(std::move(body));
    instance.body.set_offset(declaration.offset());
    instance.state = Instance::State::Done;
    return &instance.body;
}

} // namespace ztnet::load::arm
