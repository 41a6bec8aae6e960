// ZT-SEC-001: secrets in plain text. A template that writes a password, or a parameters file that
// gives a secure parameter's value, leaves the secret in the repository and in the deployment
// history; a secure value copied into a property that is not secret (a tag, a name) is shown to
// everyone who can read the resource. Findings name the place, never the value (the loader keeps the
// values out of every output).
#include <fmt/format.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/families.h"

namespace ztnet::checks::families {
namespace {

using model::SecretExposure;

std::string message_of(const SecretExposure& e) {
    switch (e.kind) {
    case SecretExposure::Kind::LiteralDefault:
        return fmt::format("secure parameter '{}' has a default value written in the template {}",
                           e.parameter, e.file);
    case SecretExposure::Kind::PlainTextParameter:
        return fmt::format("secure parameter '{}' is given in plain text in the parameters file {}",
                           e.parameter, e.file);
    case SecretExposure::Kind::LiteralSecretProperty:
        return fmt::format("{}: {} is written in the template as plain text (directly, or through a variable "
                           "or a parameter that is not secure)",
                           e.resource_name, e.property);
    case SecretExposure::Kind::CopiedToPublicProperty:
        return fmt::format("{}: {} holds the value of secure parameter '{}', and that property is not secret",
                           e.resource_name, e.property, e.parameter);
    }
    return "a secret is exposed";
}

std::vector<Finding> plain_text_secrets(const CheckContext& context) {
    std::vector<Finding> out;
    for (const SecretExposure& e : context.estate.secret_exposures) {
        Finding f;
        // A parameter is no resource: the file and the place stand for it, stably.
        f.resource_id = e.resource_id.empty() ? e.file + "#" + e.property : e.resource_id;
        f.resource_name = e.resource_id.empty() ? e.file : e.resource_name;
        f.where = e.where;
        f.message = message_of(e);
        f.discriminator = e.property;
        f.evidence.push_back(
            Evidence{fmt::format("{} (value not shown)", e.property), e.where, std::nullopt});
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace

void add_sec(std::vector<Check>& out) {
    out.push_back(Check{
        .id = "ZT-SEC-001",
        .title = "No secret in plain text in templates or parameters files",
        .principles = {Principle::VerifyExplicitly, Principle::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Secure the deployment: secrets only through secure parameters fed from Key Vault",
        .rationale = R"(
            A password or key written in a template or a parameters file lives on in the repository,
            its history and every clone; a secure parameter's value copied into a tag or a name is
            shown to everyone who can read the resource. Secure parameters without defaults, fed by
            a Key Vault reference, keep the secret out of both.)",
        .remediation = R"(
            Declare the value as a securestring (or secureObject) parameter without a defaultValue;
            in the parameters file give it as {"reference": {"keyVault": {"id": VAULT_ID},
            "secretName": NAME}}; never copy it into tags, names or other properties that are not
            secret; then rotate the secret that was exposed.)",
        .run = plain_text_secrets,
    });
}

} // namespace ztnet::checks::families
