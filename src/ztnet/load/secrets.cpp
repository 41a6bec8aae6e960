#include "ztnet/load/secrets.h"

#include <algorithm>
#include <cctype>

#include "ztnet/model/resource_id.h"
#include "ztnet/support/ascii.h"

namespace ztnet::load {
namespace {

using model::SecretExposure;

bool contains(std::string_view text, std::string_view word) {
    return text.find(word) != std::string_view::npos;
}

// Names of credentials: a literal one is an exposure. Other secret places (custom data, protected
// settings) often hold scripts, so a literal there is kept out of the output but not reported.
bool is_credential(std::string_view name) {
    const std::string n = ascii::lower(name);
    // A name that points at a secret holds no secret: keyVaultSecretId, secretUri, secretName, and
    // a Key Vault access policy's "secrets" permissions list (get, list, ...).
    for (std::string_view reference : {"id", "ids", "uri", "url", "name", "names"})
        if (n.ends_with(reference) && n != "sasurl")
            return false;
    if (n == "secrets")
        return false;
    for (std::string_view word :
         {"password", "secret", "token", "connectionstring", "credential", "privatekey", "accountkey",
          "sharedkey", "primarykey", "secondarykey", "saskey"})
        if (contains(n, word))
            return true;
    return n == "key";
}

bool is_expression(const json::Value& v) {
    const std::string* s = v.if_string();
    return s && s->size() >= 2 && s->front() == '[' && s->back() == ']' && (*s)[1] != '[';
}

// Secrets shorter than this are not tracked: they would match ordinary text.
constexpr std::size_t kShortest = 4;

void collect_strings(const json::Value& v, std::vector<std::string>& out) {
    if (const std::string* s = v.if_string()) {
        if (s->size() >= kShortest)
            out.push_back(*s);
    } else if (v.is_array()) {
        for (const json::Value& e : v.as_array())
            collect_strings(e, out);
    } else if (v.is_object()) {
        for (const auto& [key, member] : v.as_object())
            collect_strings(member, out);
    }
}

struct SecureParameter {
    std::string name;
    std::vector<std::string> values; // what it holds, when the input says
};

class Finder {
  public:
    Finder(const SourceSet& sources, FileId template_file)
        : sources_(sources), template_file_(template_file) {}

    void declarations(const json::Value& root) {
        const json::Value* declared = root.find_ci("parameters");
        if (!declared || !declared->is_object())
            return;
        for (const auto& [name, declaration] : declared->as_object()) {
            const json::Value* type = declaration.find_ci("type");
            if (!type || !type->is_string())
                continue;
            const std::string t = ascii::lower(type->as_string());
            if (t != "securestring" && t != "secureobject")
                continue;
            SecureParameter& p = secure_.emplace_back(SecureParameter{name, {}});
            const json::Value* fallback = declaration.find_ci("defaultValue");
            if (fallback && !is_expression(*fallback) &&
                !(fallback->is_string() && fallback->as_string().empty())) {
                collect_strings(*fallback, p.values);
                expose(SecretExposure::Kind::LiteralDefault, name, {},
                       "/parameters/" + name + "/defaultValue", template_file_,
                       {template_file_, fallback->offset(), "/parameters/" + name + "/defaultValue"});
            }
        }
    }

    void parameters_file(FileId file, const json::Value* root) {
        const json::Value* given = root ? root->find_ci("parameters") : nullptr;
        if (!given || !given->is_object())
            return;
        for (const auto& [name, entry] : given->as_object()) {
            SecureParameter* p = find(name);
            const json::Value* value = entry.find_ci("value");
            if (!p || !value)
                continue; // a Key Vault reference ("reference") is how a secret should be given
            collect_strings(*value, p->values);
            expose(SecretExposure::Kind::PlainTextParameter, p->name, {}, "/parameters/" + name + "/value",
                   file, {file, value->offset(), "/parameters/" + name + "/value"});
        }
    }

    void overrides(const std::vector<std::pair<std::string, std::string>>& given) {
        for (const auto& [name, text] : given)
            if (SecureParameter* p = find(name); p && text.size() >= kShortest)
                p->values.push_back(text);
    }

    void resource(const RawResource& r) {
        const json::Value* id = r.body.find("id");
        const json::Value* name = r.body.find("name");
        const json::Value* type = r.body.find("type");
        current_ = &r;
        current_id_ = id && id->is_string() ? id->as_string() : std::string();
        current_name_ = name && name->is_string() ? name->as_string() : std::string();
        current_type_ = type && type->is_string() ? ascii::lower(type->as_string()) : std::string();
        walk(r.body, "", false, false);
    }

    TemplateSecrets finish() {
        for (const SecureParameter& p : secure_)
            out_.values.insert(out_.values.end(), p.values.begin(), p.values.end());
        std::sort(out_.values.begin(), out_.values.end());
        out_.values.erase(std::unique(out_.values.begin(), out_.values.end()), out_.values.end());
        return std::move(out_);
    }

  private:
    SecureParameter* find(std::string_view name) {
        for (SecureParameter& p : secure_)
            if (model::same_id(p.name, name))
                return &p;
        return nullptr;
    }

    // The secure parameter whose value `text` holds, if any.
    const SecureParameter* holder_of(std::string_view text) const {
        for (const SecureParameter& p : secure_)
            for (const std::string& value : p.values)
                if (value.size() >= 6 && contains(text, value))
                    return &p;
        return nullptr;
    }

    // The secure parameter an unknown value stands for ("parameter 'adminPassword' has no value").
    const SecureParameter* unknown_from(const json::Unknown& unknown) const {
        for (const SecureParameter& p : secure_)
            if (contains(unknown.reason, "parameter '" + p.name + "'"))
                return &p;
        return nullptr;
    }

    // Whether the place is one Azure keeps secret beyond the property names: a nested deployment's
    // parameters, a Key Vault secret's value.
    bool secret_place(const std::string& pointer) const {
        return (current_type_ == "microsoft.resources/deployments" &&
                pointer.starts_with("/properties/parameters")) ||
               (current_type_.ends_with("/secrets") && pointer == "/properties/value");
    }

    void walk(const json::Value& v, const std::string& pointer, bool secret, bool credential) {
        if (v.is_object()) {
            for (const auto& [key, member] : v.as_object())
                walk(member, pointer + "/" + json::pointer_token(key), secret || is_secret_property(key),
                     credential || is_credential(key));
            return;
        }
        if (v.is_array()) {
            for (std::size_t i = 0; i < v.as_array().size(); ++i)
                walk(v.as_array()[i], pointer + "/" + std::to_string(i), secret, credential);
            return;
        }
        secret = secret || secret_place(pointer);
        if (v.is_unknown()) {
            if (const SecureParameter* p = unknown_from(v.as_unknown()); p && !secret)
                copied(*p, pointer);
            return;
        }
        const std::string* text = v.if_string();
        if (!text || text->empty())
            return;
        const SecureParameter* holder = holder_of(*text);
        if (holder && !secret)
            copied(*holder, pointer);
        if (secret && !holder && text->size() >= kShortest) {
            out_.values.push_back(*text);
            if (credential)
                expose(SecretExposure::Kind::LiteralSecretProperty, {}, current_, pointer,
                       current_->where.file, place(pointer));
        }
    }

    void copied(const SecureParameter& p, const std::string& pointer) {
        expose(SecretExposure::Kind::CopiedToPublicProperty, p.name, current_, pointer, current_->where.file,
               place(pointer));
    }

    SourceLocation place(const std::string& pointer) const {
        SourceLocation at = current_->where;
        at.pointer += pointer;
        return at;
    }

    void expose(SecretExposure::Kind kind, std::string parameter, const RawResource* resource,
                std::string property, FileId file, SourceLocation where) {
        SecretExposure e;
        e.kind = kind;
        e.parameter = std::move(parameter);
        if (resource) {
            e.resource_id = current_id_;
            e.resource_name = model::parse_resource_id(current_id_).name;
            if (e.resource_name.empty())
                e.resource_name = current_name_;
        }
        e.property = std::move(property);
        e.file = file == kNoFile ? std::string() : std::string(sources_.name(file));
        e.where = std::move(where);
        out_.exposures.push_back(std::move(e));
    }

    const SourceSet& sources_;
    FileId template_file_;
    std::vector<SecureParameter> secure_;
    TemplateSecrets out_;
    const RawResource* current_ = nullptr;
    std::string current_id_;
    std::string current_name_;
    std::string current_type_;
};

} // namespace

bool is_secret_property(std::string_view name) {
    if (is_credential(name))
        return true;
    const std::string n = ascii::lower(name);
    return n == "customdata" || n == "userdata" || n == "protectedsettings" || n == "sasurl";
}

std::vector<std::string> secret_values_in(const SourceSet& sources,
                                          const std::vector<RawResource>& resources) {
    Finder finder(sources, kNoFile);
    for (const RawResource& r : resources)
        finder.resource(r);
    return finder.finish().values; // an export's literal is what Azure holds, not a template's exposure
}

TemplateSecrets find_template_secrets(const SourceSet& sources, FileId template_file, const json::Value& root,
                                      FileId parameters_file, const json::Value* parameters,
                                      const std::vector<std::pair<std::string, std::string>>& overrides,
                                      const std::vector<RawResource>& resources) {
    Finder finder(sources, template_file);
    finder.declarations(root);
    finder.parameters_file(parameters_file, parameters);
    finder.overrides(overrides);
    for (const RawResource& r : resources)
        finder.resource(r);
    return finder.finish();
}

} // namespace ztnet::load
