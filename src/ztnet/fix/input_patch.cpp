// Writing changes into the input that declares the resources. A template is patched where it
// declares the resource, which must be written there literally: a place computed by an expression
// or a copy loop cannot take a literal change without changing what else it computes. An export is
// patched in the resource's own object, so that loading it again gives the changed resource.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "ztnet/fix/document_patch.h"
#include "ztnet/fix/fix.h"
#include "ztnet/json/reader.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/support/ascii.h"

namespace ztnet::fix {
namespace {

using ascii::lower;

Error unwritable(std::string message) {
    Error e = fail(std::move(message));
    e.code = "fix-unwritable";
    return e;
}

// The names of a resource id's type segments, as resourceId() takes them:
// ".../virtualNetworks/vnet/subnets/web" -> "'vnet', 'web'".
std::string resource_id_expression(const std::string& id, const load::arm::DeploymentScope& scope) {
    const model::ResourceIdParts parts = model::parse_resource_id(id);
    std::string names;
    std::size_t at = 0;
    while (at <= parts.name.size()) {
        std::size_t slash = parts.name.find('/', at);
        if (slash == std::string::npos)
            slash = parts.name.size();
        names += fmt::format(", '{}'", parts.name.substr(at, slash - at));
        at = slash + 1;
    }
    const bool same_group =
        parts.subscription == scope.subscription_id &&
        std::equal(parts.resource_group.begin(), parts.resource_group.end(), scope.resource_group.begin(),
                   scope.resource_group.end(),
                   [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); });
    if (same_group)
        return fmt::format("[resourceId('{}'{})]", parts.type, names);
    return fmt::format("[resourceId('{}', '{}', '{}'{})]", parts.subscription, parts.resource_group,
                       parts.type, names);
}

// A literal string that starts with '[' would be read by ARM as an expression: "[[" escapes it.
void escape_literals(json::Value& value) {
    if (std::string* s = value.is_string() ? &value.as_string() : nullptr) {
        if (s->starts_with('['))
            s->insert(0, "[");
    } else if (value.is_array()) {
        for (json::Value& e : value.as_array())
            escape_literals(e);
    } else if (value.is_object()) {
        for (auto& [key, member] : value.as_object().members())
            escape_literals(member);
    }
}

json::Value* mutable_at(json::Value& root, const std::string& path) {
    json::Value* at = &root;
    for (const std::string& token : path_tokens(path)) {
        if (at->is_object()) {
            at = at->as_object().find(token);
        } else if (at->is_array()) {
            std::size_t index = static_cast<std::size_t>(std::stoul(token));
            at = index < at->as_array().size() ? &at->as_array()[index] : nullptr;
        } else {
            at = nullptr;
        }
        if (at == nullptr)
            return nullptr;
    }
    return at;
}

// The value a change writes into a template: literals escaped, resource ids as resourceId().
json::Value template_value(const Change& change, const load::arm::DeploymentScope& scope) {
    json::Value value = change.value;
    escape_literals(value);
    for (const std::string& path : change.id_paths)
        if (json::Value* id = mutable_at(value, path); id != nullptr && id->is_string())
            *id = json::Value(resource_id_expression(id->as_string(), scope));
    return value;
}

// The pointer's tokens, and the prefix that names the deepest `resources` element on it: the
// template's declaration of a resource, or of the parent that holds it inline.
std::optional<std::string> declaration_of(const std::string& pointer) {
    std::vector<std::string> tokens = path_tokens(pointer);
    for (std::size_t i = tokens.size(); i-- > 1;) {
        if (tokens[i - 1] != "resources")
            continue;
        std::string prefix;
        for (std::size_t j = 0; j <= i; ++j)
            prefix += "/" + json::pointer_token(tokens[j]);
        return prefix;
    }
    return std::nullopt;
}

// Whether an object on the way from the root to `path` holds a copy loop (a resource copy, or a
// property copy that computes arrays in it).
std::optional<std::string> copy_on_the_way(const json::Value& root, const std::string& path) {
    const json::Value* at = &root;
    std::string walked;
    for (const std::string& token : path_tokens(path)) {
        if (at->is_object() && at->find("copy") != nullptr)
            return walked.empty() ? std::string("/") : walked;
        if (at->is_object())
            at = at->find(token);
        else if (at->is_array() &&
                 std::all_of(token.begin(), token.end(),
                             [](unsigned char c) { return std::isdigit(c) != 0; }) &&
                 !token.empty() && std::stoul(token) < at->as_array().size())
            at = &at->as_array()[std::stoul(token)];
        else
            return std::nullopt;
        if (at == nullptr)
            return std::nullopt;
        walked += "/" + json::pointer_token(token);
    }
    if (at->is_object() && at->find("copy") != nullptr)
        return walked;
    return std::nullopt;
}

// The ids of every resource declared at `where` (several when a copy loop declares them).
std::vector<std::string> declared_at(const model::Estate& estate, const SourceLocation& where) {
    std::vector<std::string> ids;
    auto scan = [&](const auto& table) {
        for (const auto& r : table)
            if (r.where.file == where.file && r.where.pointer == where.pointer)
                ids.push_back(lower(r.id));
    };
    scan(estate.resource_groups), scan(estate.virtual_networks), scan(estate.subnets), scan(estate.peerings);
    scan(estate.network_security_groups), scan(estate.application_security_groups), scan(estate.route_tables);
    scan(estate.network_interfaces), scan(estate.public_ip_addresses), scan(estate.load_balancers);
    scan(estate.application_gateways), scan(estate.waf_policies), scan(estate.azure_firewalls);
    scan(estate.firewall_policies), scan(estate.ip_groups), scan(estate.bastion_hosts);
    scan(estate.virtual_network_gateways), scan(estate.ddos_protection_plans), scan(estate.private_endpoints);
    scan(estate.virtual_machines), scan(estate.storage_accounts), scan(estate.network_watchers);
    scan(estate.flow_logs), scan(estate.diagnostic_settings), scan(estate.role_definitions);
    scan(estate.role_assignments), scan(estate.others);
    for (const model::NetworkSecurityGroup& nsg : estate.network_security_groups) // rules inside a looped NSG
        scan(nsg.rules);
    return ids;
}

class Patcher {
  public:
    Patcher(const Inputs& inputs, const model::Estate& estate) : inputs_(inputs), estate_(estate) {}

    Result<bool> apply(const Change& change) {
        const std::string& anchor_id =
            change.kind == Change::Kind::Add ? change.beside_id : change.resource_id;
        const std::optional<model::ResourceRef> ref = estate_.find(anchor_id);
        if (!ref && !change.where.has_file())
            return unwritable(fmt::format("{} is not in the estate", anchor_id));
        const SourceLocation& where = change.kind != Change::Kind::Add && change.where.has_file()
                                          ? change.where
                                          : estate_.resource(*ref).where;
        if (!where.has_file() || where.file >= inputs_.sources->size())
            return unwritable(fmt::format("the input does not say where {} is declared", anchor_id));
        // A plan is what Terraform printed, not what a person edits: the change belongs in the .tf.
        if (!where.address.empty())
            return unwritable(
                fmt::format("{} is {} in a Terraform plan: make the change in its configuration "
                            "({}); `ztnet fix --format terraform` on a template or export writes "
                            "azurerm code for it",
                            anchor_id.substr(anchor_id.rfind('/') + 1), where.address, change.summary));
        Result<DocumentPatch*> document = open(where.file);
        if (!document)
            return document.error();
        const bool is_template = this->is_template(where.file);
        if (change.kind == Change::Kind::Add)
            return is_template ? add_to_template(**document, change, where.pointer)
                               : add_to_export(**document, change, where.pointer);
        const std::string path = where.pointer + change.path;
        if (is_template)
            if (std::optional<std::string> loop = copy_on_the_way((*document)->root(), path)) {
                Result<bool> whole = whole_loop(change, where, *loop);
                if (!whole || !*whole)
                    return whole;
            }
        Result<bool> done =
            change.kind == Change::Kind::Remove
                ? (*document)->remove(path)
                : (*document)->set(path,
                                   is_template ? template_value(change, inputs_.load.scope) : change.value);
        if (!done)
            return unwritable(fmt::format("{}: {}: {}", inputs_.sources->name(where.file), change.summary,
                                          done.error().message));
        if (!*done) // nothing there to remove: the input writes it elsewhere
            return unwritable(fmt::format("{}: {}: the input holds nothing at {}",
                                          inputs_.sources->name(where.file), change.summary, path));
        return true;
    }

    std::vector<PatchedFile> files() const {
        std::vector<PatchedFile> out;
        for (const auto& [file, document] : documents_) {
            const std::string_view before = inputs_.sources->text(file);
            if (document.text() == before)
                continue;
            out.push_back(
                {file, inputs_.sources->name(file), is_template(file), std::string(before), document.text()});
        }
        return out;
    }

    /// Every change of the run, so that a change of one resource of a copy loop can see whether
    /// the loop's other resources change alike.
    void set_batch(const std::vector<const Change*>& batch) { batch_ = &batch; }

  private:
    // A change inside a copy loop can be written into the loop when the loop is the resource's own
    // (or its parent's) and every resource the loop declares changes alike: true to go on and
    // write it, false when it is already written (for another resource of the loop).
    Result<bool> whole_loop(const Change& change, const SourceLocation& where, const std::string& loop) {
        const std::string file = inputs_.sources->name(where.file);
        const bool around = loop == "/" || where.pointer == loop || where.pointer.starts_with(loop + "/");
        // A change of the whole declaration (a rule removed) needs the declaration to be the rule's own.
        const bool whole = change.path.empty() && !change.where.has_file();
        if (!around || change.kind == Change::Kind::Add || whole)
            return unwritable(
                fmt::format("{}: {} computes the place of this change with a copy loop (at {}): "
                            "change the loop by hand",
                            file, change.summary, loop));
        const std::vector<std::string> instances = declared_at(estate_, where);
        std::size_t alike = 0;
        for (const std::string& id : instances) {
            alike += std::any_of(batch_->begin(), batch_->end(), [&](const Change* c) {
                return lower(c->resource_id) == id && c->kind == change.kind && c->path == change.path &&
                       c->value == change.value;
            });
        }
        if (alike < instances.size())
            return unwritable(fmt::format(
                "{} declares {} with {} others in one copy loop (at {}), and the change "
                "is for {} of them: change the loop by hand",
                file, model::parse_resource_id(change.resource_id).name, instances.size() - 1, loop, alike));
        return written_.insert(fmt::format("{}:{}{}", where.file, where.pointer, change.path)).second;
    }

    bool is_template(FileId file) const {
        return std::find(inputs_.templates.begin(), inputs_.templates.end(), file) != inputs_.templates.end();
    }

    Result<DocumentPatch*> open(FileId file) {
        auto found = documents_.find(file);
        if (found != documents_.end())
            return &found->second;
        Result<DocumentPatch> opened = DocumentPatch::open(std::string(inputs_.sources->text(file)));
        if (!opened)
            return unwritable(fmt::format("{} cannot be read again: {}", inputs_.sources->name(file),
                                          opened.error().message));
        return &documents_.emplace(file, std::move(*opened)).first->second;
    }

    // A new resource goes into the template's resources array just before the declaration that
    // holds the resource it belongs beside, takes that declaration's location as written, and that
    // declaration depends on it.
    Result<bool> add_to_template(DocumentPatch& document, const Change& change, const std::string& anchor) {
        std::optional<std::string> declaration = declaration_of(anchor);
        const json::Value* declared = declaration ? json::at_pointer(document.root(), *declaration) : nullptr;
        if (declared == nullptr || !declared->is_object())
            return unwritable(
                fmt::format("{}: no resources array declares {}", change.summary, change.beside_id));
        if (copy_on_the_way(document.root(), *declaration))
            return unwritable(
                fmt::format("{}: {} is declared in a copy loop", change.summary, change.beside_id));
        json::Value body = template_value(change, inputs_.load.scope);
        if (const json::Value* location = declared->find("location"); location != nullptr && body.is_object())
            body.as_object().set("location", *location);
        std::vector<std::string> tokens = path_tokens(*declaration);
        const std::size_t index = static_cast<std::size_t>(std::stoul(tokens.back()));
        const std::string array = declaration->substr(0, declaration->rfind('/'));
        Result<bool> added = document.insert(array, index, body);
        if (!added)
            return unwritable(fmt::format("{}: {}", change.summary, added.error().message));
        // The anchor moved one place down.
        const std::string moved = array + "/" + std::to_string(index + 1);
        json::Value depends(resource_id_expression(change.resource_id, inputs_.load.scope));
        Result<bool> linked = document.append(moved + "/dependsOn", depends);
        if (!linked)
            return unwritable(fmt::format("{}: {}", change.summary, linked.error().message));
        return true;
    }

    // A new resource goes into the export's array, beside the resource it belongs with.
    Result<bool> add_to_export(DocumentPatch& document, const Change& change, const std::string& anchor) {
        // The export's list of resources: the document itself, or its "value" or "data" member; the
        // anchor may be a child written inside one of them (a subnet in its VNet).
        const std::vector<std::string> tokens = path_tokens(anchor);
        const std::string array = document.root().is_array() || tokens.empty()
                                      ? std::string()
                                      : "/" + json::pointer_token(tokens[0]);
        const json::Value* holder = json::at_pointer(document.root(), array);
        if (holder == nullptr || !holder->is_array())
            return unwritable(
                fmt::format("{}: the export does not hold {} in an array", change.summary, change.beside_id));
        json::Value body = change.value;
        if (body.is_object())
            body.as_object().set("id", change.resource_id);
        Result<bool> added = document.append(array, body);
        if (!added)
            return unwritable(fmt::format("{}: {}", change.summary, added.error().message));
        return true;
    }

    const Inputs& inputs_;
    const model::Estate& estate_;
    std::map<FileId, DocumentPatch> documents_;
    const std::vector<const Change*>* batch_ = nullptr;
    std::set<std::string> written_; // loop bodies already changed, as file:pointer
};

// Orders two places in one document so that the later comes first: array indices compare as
// numbers, so that removing or inserting at one place leaves the places still to be done as they were.
bool later(const SourceLocation& a, const SourceLocation& b) {
    if (a.file != b.file)
        return a.file > b.file;
    const std::vector<std::string> x = path_tokens(a.pointer), y = path_tokens(b.pointer);
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (x[i] == y[i])
            continue;
        const bool numbers =
            !x[i].empty() && !y[i].empty() &&
            std::all_of(x[i].begin(), x[i].end(), [](unsigned char c) { return std::isdigit(c); }) &&
            std::all_of(y[i].begin(), y[i].end(), [](unsigned char c) { return std::isdigit(c); });
        if (numbers && x[i].size() != y[i].size())
            return x[i].size() > y[i].size();
        return x[i] > y[i];
    }
    return x.size() > y.size();
}

} // namespace

Result<std::vector<PatchedFile>> patch_inputs(const Inputs& inputs, const model::Estate& estate,
                                              const std::vector<const Change*>& changes) {
    // Values first (they move nothing), then what removes or inserts array elements, from the end of
    // each document backwards, so that no change shifts the place of one still to be made.
    // A change two fixes share (a new group both NSGs' rules name) is made once.
    std::vector<const Change*> once;
    for (const Change* change : changes) {
        const bool seen = std::any_of(once.begin(), once.end(), [&](const Change* c) {
            return c->kind == change->kind && lower(c->resource_id) == lower(change->resource_id) &&
                   c->path == change->path && c->value == change->value &&
                   lower(c->beside_id) == lower(change->beside_id) && c->where.file == change->where.file &&
                   c->where.pointer == change->where.pointer;
        });
        if (!seen)
            once.push_back(change);
    }
    std::vector<const Change*> values, moves;
    for (const Change* change : once)
        (change->kind == Change::Kind::Set ? values : moves).push_back(change);
    auto place = [&](const Change* c) {
        const std::string& id = c->kind == Change::Kind::Add ? c->beside_id : c->resource_id;
        SourceLocation where =
            c->kind != Change::Kind::Add && c->where.has_file() ? c->where : SourceLocation{};
        if (!where.has_file())
            if (const auto ref = estate.find(id))
                where = estate.resource(*ref).where;
        if (c->kind == Change::Kind::Add)
            where.pointer = declaration_of(where.pointer).value_or(where.pointer);
        else
            where.pointer += c->path;
        return where;
    };
    std::stable_sort(moves.begin(), moves.end(),
                     [&](const Change* a, const Change* b) { return later(place(a), place(b)); });
    Patcher patcher(inputs, estate);
    patcher.set_batch(once);
    for (const std::vector<const Change*>* batch : {&values, &moves}) {
        for (const Change* change : *batch) {
            Result<bool> done = patcher.apply(*change);
            if (!done)
                return done.error();
        }
    }
    return patcher.files();
}

} // namespace ztnet::fix
