#include "ztnet/load/terraform/plan_document.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace ztnet::load::terraform {
namespace {

constexpr std::string_view kAfterApply = "known only after apply";

const std::string* string_member(const json::Value& object, std::string_view key) {
    const json::Value* v = object.find(key);
    return v != nullptr ? v->if_string() : nullptr;
}

// "module.a[0].module.b[\"x\"]" -> "module.a.module.b": a module address without instance keys, as
// the configuration names it.
std::string without_keys(std::string_view address) {
    std::string out;
    int depth = 0;
    bool quoted = false;
    for (char c : address) {
        if (c == '"' && depth > 0)
            quoted = !quoted;
        else if (c == '[' && !quoted)
            ++depth;
        else if (c == ']' && !quoted && depth > 0)
            --depth;
        else if (depth == 0)
            out += c;
    }
    return out;
}

// The resource a reference names ("azurerm_subnet.web" of "azurerm_subnet.web[0].id"), relative to
// its module; empty for what is not a managed resource (variables, locals, data sources, modules).
std::string referenced_resource(std::string_view reference) {
    const std::string plain = without_keys(reference);
    const std::size_t first = plain.find('.');
    if (first == std::string::npos)
        return {};
    const std::string_view head = std::string_view(plain).substr(0, first);
    static const std::set<std::string_view, std::less<>> kNotResources = {
        "var", "local", "each", "count", "path", "terraform", "data", "module", "self"};
    if (kNotResources.contains(head))
        return {};
    const std::size_t second = plain.find('.', first + 1);
    return plain.substr(0, second);
}

// The strings of `values` where `marks` (after_sensitive, sensitive_values) says true.
void collect_sensitive(const json::Value& values, const json::Value& marks, std::vector<std::string>& out) {
    if (marks.is_bool()) {
        if (!marks.as_bool())
            return;
        if (const std::string* text = values.if_string()) {
            out.push_back(*text);
        } else if (values.is_array() || values.is_object()) { // everything below it
            std::vector<const json::Value*> stack{&values};
            while (!stack.empty()) {
                const json::Value* v = stack.back();
                stack.pop_back();
                if (const std::string* t = v->if_string())
                    out.push_back(*t);
                else if (v->is_array())
                    for (const json::Value& e : v->as_array())
                        stack.push_back(&e);
                else if (v->is_object())
                    for (const auto& [key, member] : v->as_object())
                        stack.push_back(&member);
            }
        }
        return;
    }
    if (marks.is_object() && values.is_object()) {
        for (const auto& [key, inner] : marks.as_object())
            if (const json::Value* member = values.find(key))
                collect_sensitive(*member, inner, out);
    } else if (marks.is_array() && values.is_array()) {
        for (std::size_t i = 0; i < marks.as_array().size() && i < values.as_array().size(); ++i)
            collect_sensitive(values.as_array()[i], marks.as_array()[i], out);
    }
}

class Reader {
  public:
    Reader(FileId file, Diagnostics& diagnostics, std::vector<std::string>* sensitive)
        : file_(file), diagnostics_(diagnostics), sensitive_(sensitive) {}

    void malformed(const json::Value& at, const std::string& pointer, std::string message) {
        diagnostics_.warning("terraform-malformed", std::move(message), {file_, at.offset(), pointer});
    }

    // Every managed resource of a module and the modules below it.
    void walk_module(const json::Value& module, const std::string& pointer,
                     std::vector<ResourceInstance>& out, std::vector<std::string>* data_sources) {
        if (!module.is_object()) {
            malformed(module, pointer, "a module must be an object");
            return;
        }
        const std::string* module_address = string_member(module, "address");
        if (const json::Value* resources = module.find("resources")) {
            if (!resources->is_array()) {
                malformed(*resources, pointer + "/resources", "a module's resources must be an array");
            } else {
                for (std::size_t i = 0; i < resources->as_array().size(); ++i)
                    read_resource(resources->as_array()[i], fmt::format("{}/resources/{}", pointer, i),
                                  module_address != nullptr ? *module_address : std::string(), out,
                                  data_sources);
            }
        }
        if (const json::Value* children = module.find("child_modules");
            children != nullptr && children->is_array())
            for (std::size_t i = 0; i < children->as_array().size(); ++i)
                walk_module(children->as_array()[i], fmt::format("{}/child_modules/{}", pointer, i), out,
                            data_sources);
    }

    // Per configuration address ("module.spoke.azurerm_subnet.web"), the references of each attribute.
    void read_configuration(const json::Value& module, const std::string& prefix) {
        if (!module.is_object())
            return;
        if (const json::Value* resources = module.find("resources");
            resources != nullptr && resources->is_array()) {
            for (const json::Value& r : resources->as_array()) {
                const std::string* address = string_member(r, "address");
                const json::Value* expressions = r.find("expressions");
                if (address == nullptr || expressions == nullptr || !expressions->is_object())
                    continue;
                auto& attributes = configuration_[prefix.empty() ? *address : prefix + "." + *address];
                for (const auto& [attribute, expression] : expressions->as_object()) {
                    collect_references(expression, prefix, attributes[attribute]);
                    collect_block_references(attribute, expression, prefix, attributes);
                }
            }
        }
        if (const json::Value* calls = module.find("module_calls"); calls != nullptr && calls->is_object())
            for (const auto& [name, call] : calls->as_object())
                if (const json::Value* child = call.find("module"))
                    read_configuration(*child,
                                       fmt::format("{}{}module.{}", prefix, prefix.empty() ? "" : ".", name));
    }

    // Each instance's references, from the configuration of its resource.
    void attach_references(std::vector<ResourceInstance>& instances) const {
        for (ResourceInstance& r : instances) {
            const std::string module = without_keys(r.module);
            const std::string key = (module.empty() ? "" : module + ".") + r.type + "." + r.name;
            if (auto found = configuration_.find(key); found != configuration_.end())
                r.references = found->second;
        }
    }

  private:
    void read_resource(const json::Value& r, const std::string& pointer, const std::string& module,
                       std::vector<ResourceInstance>& out, std::vector<std::string>* data_sources) {
        if (!r.is_object()) {
            malformed(r, pointer, "a resource must be an object");
            return;
        }
        const std::string* address = string_member(r, "address");
        const std::string* type = string_member(r, "type");
        const std::string* name = string_member(r, "name");
        if (address == nullptr || type == nullptr || name == nullptr) {
            malformed(r, pointer, "a resource needs a string address, type and name");
            return;
        }
        const std::string* mode = string_member(r, "mode");
        if (mode != nullptr && *mode == "data") {
            if (data_sources != nullptr)
                data_sources->push_back(*address);
            return;
        }
        ResourceInstance instance;
        instance.address = *address;
        instance.module = module;
        instance.type = *type;
        instance.name = *name;
        if (const json::Value* index = r.find("index"))
            instance.index = *index;
        if (const std::string* provider = string_member(r, "provider_name"))
            instance.provider = *provider;
        const json::Value* values = r.find("values");
        instance.values = values != nullptr && values->is_object() ? *values : json::Value(json::Object{});
        if (const json::Value* marks = r.find("sensitive_values"); marks != nullptr && sensitive_ != nullptr)
            collect_sensitive(instance.values, *marks, *sensitive_);
        instance.where = {file_, r.offset(), pointer, *address};
        out.push_back(std::move(instance));
    }

    // A block attribute's references per block, under "ATTRIBUTE[NAME]" for each block whose `name`
    // is a constant, and per attribute of the block, under "ATTRIBUTE[NAME].INNER": blocks such as
    // security_rule are sets, so their order in the configuration need not be the plan's, while their names
    // are theirs.
    static void collect_block_references(const std::string& attribute, const json::Value& expression,
                                         const std::string& prefix,
                                         std::map<std::string, std::vector<std::string>>& attributes) {
        if (!expression.is_array())
            return;
        for (const json::Value& block : expression.as_array()) {
            const json::Value* name = block.is_object() ? block.find("name") : nullptr;
            const json::Value* constant = name != nullptr ? name->find("constant_value") : nullptr;
            if (constant == nullptr || !constant->is_string())
                continue;
            const std::string key = fmt::format("{}[{}]", attribute, constant->as_string());
            for (const auto& [inner_attribute, inner] : block.as_object()) {
                collect_references(inner, prefix, attributes[key]);
                std::vector<std::string> own;
                collect_references(inner, prefix, own);
                if (!own.empty())
                    attributes[fmt::format("{}.{}", key, inner_attribute)] = std::move(own);
            }
        }
    }

    // The resources an expression refers to, nested blocks included.
    static void collect_references(const json::Value& expression, const std::string& prefix,
                                   std::vector<std::string>& out) {
        if (expression.is_array()) { // a nested block, once per occurrence
            for (const json::Value& block : expression.as_array())
                if (block.is_object())
                    for (const auto& [attribute, inner] : block.as_object())
                        collect_references(inner, prefix, out);
            return;
        }
        if (!expression.is_object())
            return;
        const json::Value* references = expression.find("references");
        if (references == nullptr || !references->is_array()) {
            for (const auto& [attribute, inner] : expression.as_object()) // a nested block written once
                if (attribute != "constant_value")
                    collect_references(inner, prefix, out);
            return;
        }
        for (const json::Value& reference : references->as_array()) {
            if (!reference.is_string())
                continue;
            std::string resource = referenced_resource(reference.as_string());
            if (resource.empty())
                continue;
            if (!prefix.empty())
                resource = fmt::format("{}.{}", prefix, resource);
            if (std::find(out.begin(), out.end(), resource) == out.end())
                out.push_back(std::move(resource));
        }
    }

    FileId file_;
    Diagnostics& diagnostics_;
    std::map<std::string, std::map<std::string, std::vector<std::string>>> configuration_;
    std::vector<std::string>* sensitive_; // where the resources' sensitive strings go
};

// The subscription the azurerm provider is configured with, when the configuration writes it as a
// constant (provider "azurerm" { subscription_id = "..." }).
std::string configured_subscription(const json::Value& configuration) {
    const json::Value* providers = configuration.find("provider_config");
    if (providers == nullptr || !providers->is_object())
        return {};
    for (const auto& [key, provider] : providers->as_object()) {
        const json::Value* name = provider.find("name");
        if (name == nullptr || !name->is_string() || name->as_string() != "azurerm")
            continue;
        const json::Value* expressions = provider.find("expressions");
        const json::Value* id = expressions != nullptr ? expressions->find("subscription_id") : nullptr;
        const json::Value* constant = id != nullptr ? id->find("constant_value") : nullptr;
        if (constant != nullptr && constant->is_string() && !constant->as_string().empty())
            return constant->as_string();
    }
    return {};
}

// Marks in `values` what `unknown` (a change's after_unknown) says is known only after apply.
void mark_unknown(json::Value& values, const json::Value& unknown) {
    if (unknown.is_bool()) {
        if (unknown.as_bool())
            values = json::Value::unknown(std::string(kAfterApply));
        return;
    }
    if (unknown.is_object() && values.is_object()) {
        for (const auto& [key, inner] : unknown.as_object()) {
            json::Value* member = values.as_object().find(key);
            if (member != nullptr)
                mark_unknown(*member, inner);
            else if (inner.is_bool() && inner.as_bool())
                values.as_object().set(key, json::Value::unknown(std::string(kAfterApply)));
        }
        return;
    }
    if (unknown.is_array() && values.is_array()) {
        json::Array& items = values.as_array();
        for (std::size_t i = 0; i < unknown.as_array().size() && i < items.size(); ++i)
            mark_unknown(items[i], unknown.as_array()[i]);
    }
}

// The plan's changes, merged into the planned instances: the actions, and what is unknown.
void merge_changes(const json::Value& changes, std::vector<ResourceInstance>& instances,
                   std::vector<std::string>& sensitive) {
    if (!changes.is_array())
        return;
    std::map<std::string, const json::Value*> by_address;
    for (const json::Value& c : changes.as_array())
        if (const std::string* address = string_member(c, "address"))
            by_address.emplace(*address, &c);
    for (ResourceInstance& r : instances) {
        auto found = by_address.find(r.address);
        if (found == by_address.end())
            continue;
        const json::Value* change = found->second->find("change");
        if (change == nullptr || !change->is_object())
            continue;
        if (const json::Value* actions = change->find("actions"); actions != nullptr && actions->is_array())
            for (const json::Value& a : actions->as_array())
                if (a.is_string())
                    r.actions.push_back(a.as_string());
        if (const json::Value* marks = change->find("after_sensitive"))
            if (const json::Value* after = change->find("after"))
                collect_sensitive(*after, *marks, sensitive);
        if (const json::Value* unknown = change->find("after_unknown"))
            mark_unknown(r.values, *unknown);
    }
}

} // namespace

bool is_terraform_json(const json::Value& root) {
    if (!root.is_object() || string_member(root, "format_version") == nullptr ||
        string_member(root, "terraform_version") == nullptr)
        return false;
    return root.find("planned_values") != nullptr || root.find("values") != nullptr ||
           root.find("resource_changes") != nullptr;
}

Result<PlanDocument> read_plan_document(const json::Value& root, FileId file, Diagnostics& diagnostics) {
    if (!is_terraform_json(root))
        return fail_with("terraform-malformed",
                         "not Terraform's plan or state JSON: it needs a format_version, a "
                         "terraform_version, and planned values or values");
    PlanDocument doc;
    doc.format_version = *string_member(root, "format_version");
    doc.terraform_version = *string_member(root, "terraform_version");
    // Terraform: "Reject any input which reports an unsupported major version."
    const std::string major = doc.format_version.substr(0, doc.format_version.find('.'));
    if (major != "0" && major != "1")
        return fail_with(
            "terraform-format-version",
            fmt::format("format version {} of Terraform's JSON is not one ztnet reads (it reads 0.x "
                        "and 1.x; a new major version may change what the fields mean)",
                        doc.format_version));
    Reader reader(file, diagnostics, &doc.sensitive);
    const json::Value* planned = root.find("planned_values");
    doc.kind = planned != nullptr ? PlanDocument::Kind::Plan : PlanDocument::Kind::State;
    const json::Value* values = planned != nullptr ? planned : root.find("values");
    const std::string base = planned != nullptr ? "/planned_values" : "/values";
    if (values != nullptr && values->is_object())
        if (const json::Value* module = values->find("root_module"))
            reader.walk_module(*module, base + "/root_module", doc.resources, &doc.data_sources);
    if (const json::Value* prior = root.find("prior_state"); prior != nullptr && prior->is_object())
        if (const json::Value* prior_values = prior->find("values");
            prior_values != nullptr && prior_values->is_object())
            if (const json::Value* module = prior_values->find("root_module"))
                reader.walk_module(*module, "/prior_state/values/root_module", doc.prior, nullptr);
    if (const json::Value* changes = root.find("resource_changes"))
        merge_changes(*changes, doc.resources, doc.sensitive);
    if (const json::Value* configuration = root.find("configuration"); configuration != nullptr) {
        if (const json::Value* module = configuration->find("root_module"))
            reader.read_configuration(*module, "");
        doc.subscription_id = configured_subscription(*configuration);
    }
    reader.attach_references(doc.resources);
    reader.attach_references(doc.prior);
    return doc;
}

} // namespace ztnet::load::terraform
