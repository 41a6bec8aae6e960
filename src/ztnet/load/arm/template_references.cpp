// reference(): the runtime state of a resource, which offline is what the template declares for
// it. A resource declared in this run (or an element of a parent's collection, such as a subnet
// written inside its virtual network) resolves to its evaluated declaration; anything else is
// Unknown with the reason.
#include <string>

#include <fmt/format.h>

#include "ztnet/load/arm/evaluator_ids.h"
#include "ztnet/load/arm/template_instance.h"

namespace ztnet::load::arm {
namespace {

std::string label_of(std::string_view target) {
    return "resource '" + std::string(target) + "'";
}

// "{namespace}/{type}/{name}[/{type}/{name}…]" (ARM accepts this relative form): the provider part
// of an id, or nothing when the text has another shape (it is then taken as a resource name, such
// as a child's "vnet/subnet").
std::optional<std::string> relative_id_path(std::string_view target) {
    std::vector<std::string> segments = split_name(target);
    if (segments.size() < 3 || segments.size() % 2 == 0 || segments[0].find('.') == std::string::npos)
        return std::nullopt;
    for (const auto& segment : segments)
        if (segment.empty())
            return std::nullopt;
    return std::string(target);
}

} // namespace

ReferenceLookup TemplateInstance::reference(std::string_view target, const Instance* from) {
    ReferenceLookup lookup;
    Instance* found = nullptr;
    std::string id; // the id named, when the target is one
    if (!target.empty() && target.front() == '/') {
        id = std::string(target);
    } else if (auto path = relative_id_path(target)) {
        id = scope_id(expression_scope()) + "/providers/" + *path;
    }
    if (!id.empty()) {
        found = run_.registry().find_by_id(id);
        lookup.label = label_of(id);
    } else {
        bool ambiguous = false;
        found = find_by_name(target, ambiguous);
        lookup.label = label_of(target);
        if (ambiguous) {
            lookup.unknown_reason =
                "the name '" + std::string(target) +
                "' matches several resources of the template; reference() needs a resource id";
            return lookup;
        }
    }
    if (found == nullptr) {
        if (!id.empty())
            if (const json::Value* child = find_inline_child(id, lookup.label)) {
                lookup.declared = child;
                return lookup;
            }
        lookup.unknown_reason =
            lookup.label + " is not deployed by this template; its state is only known in Azure";
        return lookup;
    }
    if (found->id.is_string())
        lookup.label = label_of(found->id.as_string());
    if (found == from) {
        lookup.unknown_reason =
            "reference() to the resource being declared reads its state before this deployment, "
            "only known in Azure (" +
            lookup.label + ")";
    } else if (found->existing) {
        lookup.unknown_reason = lookup.label + " is an existing resource; its state is only known in Azure";
    } else if (found->condition_false) {
        lookup.unknown_reason = lookup.label +
                                " is not deployed (its condition is false); its state, if it exists, "
                                "is only known in Azure";
    } else if (found->deployment) {
        lookup.unknown_reason =
            "the outputs of nested deployment " + lookup.label + " are not evaluated by ztnet";
    } else if (const json::Value* declared = body(*found)) {
        lookup.declared = declared;
    } else {
        lookup.unknown_reason =
            "reference() to " + lookup.label + " is circular: its declaration depends on itself";
    }
    return lookup;
}

// By symbolic name (languageVersion 2.0) or by resource name, in this template and, for outer-scope
// nested templates, in the templates whose expressions it shares.
Instance* TemplateInstance::find_by_name(std::string_view name, bool& ambiguous) {
    Instance* found = nullptr;
    for (TemplateInstance* scope = this; scope != nullptr; scope = scope->setup_.outer) {
        for (Instance* instance : scope->instances_) {
            bool match = instance->symbolic_name == name ||
                         (instance->name.is_string() && equals_ci(instance->name.as_string(), name));
            if (!match)
                continue;
            if (found != nullptr && !(found->id == instance->id)) {
                ambiguous = true;
                return nullptr;
            }
            if (found == nullptr || (!found->deployed() && instance->deployed()))
                found = instance;
        }
        if (found != nullptr)
            return found;
    }
    return nullptr;
}

// ".../virtualNetworks/vnet/subnets/a" when the template writes subnet "a" inside vnet's
// properties.subnets: the element of the parent's collection named after the child type.
const json::Value* TemplateInstance::find_inline_child(std::string_view id, std::string& label) {
    std::size_t providers = id.rfind("/providers/");
    if (providers == std::string_view::npos)
        return nullptr;
    std::vector<std::string> segments = split_name(id.substr(providers + 11));
    if (segments.size() < 5 || segments.size() % 2 == 0)
        return nullptr;
    const std::string& child_type = segments[segments.size() - 2];
    const std::string& child_name = segments.back();
    std::string parent_id(id.substr(0, id.size() - child_type.size() - child_name.size() - 2));
    Instance* parent = run_.registry().find_by_id(parent_id);
    if (parent == nullptr || !parent->deployed() || parent->deployment)
        return nullptr;
    const json::Value* parent_body = body(*parent);
    if (parent_body == nullptr)
        return nullptr;
    const json::Value* properties = parent_body->find("properties");
    if (properties == nullptr)
        return nullptr;
    Member collection = find_member_ci(*properties, child_type);
    if (!collection || !collection.value->is_array())
        return nullptr;
    for (const auto& element : collection.value->as_array()) {
        Member element_name = find_member_ci(element, "name");
        if (element_name && element_name.value->is_string() &&
            equals_ci(element_name.value->as_string(), child_name)) {
            label = fmt::format("'{}' in {} of {}", child_name, child_type, label_of(parent_id));
            return &element;
        }
    }
    return nullptr;
}

} // namespace ztnet::load::arm
