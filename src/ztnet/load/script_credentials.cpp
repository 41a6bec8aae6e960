#include "ztnet/load/script_credentials.h"

#include <algorithm>
#include <array>

#include "ztnet/load/arm/functions_common.h"
#include "ztnet/support/ascii.h"

namespace ztnet::load {
namespace {

// Keys whose assigned value is a credential: "DB_PASSWORD=...", "client_secret: ...".
constexpr std::array<std::string_view, 9> kCredentialWords{
    "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "accesskey", "access_key"};

bool is_key_char(char c) {
    return ascii::is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' ||
           c == '.';
}

// A key that names where a secret is, not the secret: token_endpoint, password_file, secret_name.
bool names_a_place(std::string_view key) {
    for (std::string_view suffix : {"id", "ids", "uri", "url", "name", "file", "path", "endpoint", "length"})
        if (key.ends_with(suffix))
            return true;
    return false;
}

// A value that stands for something else rather than being the secret.
bool is_placeholder(std::string_view value) {
    if (value.empty() || value.find("://") != std::string_view::npos)
        return true;
    const char first = value.front();
    if (first == '$' || first == '%' || first == '<' || first == '{' || first == '(' || first == '[' ||
        first == '/')
        return true;
    const std::string lower = ascii::lower(value);
    for (std::string_view word : {"changeme", "example", "xxxx", "****", "none", "null", "false", "true"})
        if (lower.find(word) != std::string::npos)
            return true;
    return false;
}

// The value after an assignment operator at `at`: quotes and spaces stripped, up to the end of the
// line or the closing quote.
std::string_view assigned_value(std::string_view text, std::size_t at) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t'))
        ++at;
    char quote = 0;
    if (at < text.size() && (text[at] == '"' || text[at] == '\''))
        quote = text[at++];
    std::size_t end = at;
    while (end < text.size() && text[end] != '\n' && text[end] != '\r' &&
           (quote ? text[end] != quote : text[end] != ' ' && text[end] != ';' && text[end] != ','))
        ++end;
    return text.substr(at, end - at);
}

// Each "KEY=value" or "key: value" whose key names a credential and whose value is a literal.
void find_assignments(std::string_view text, std::vector<std::string>& out) {
    const std::string lower = ascii::lower(text);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '=' && text[i] != ':')
            continue;
        if (text[i] == '=' && i + 1 < text.size() && text[i + 1] == '=')
            continue; // a comparison
        std::size_t key_end = i;
        while (key_end > 0 &&
               (text[key_end - 1] == ' ' || text[key_end - 1] == '"' || text[key_end - 1] == '\''))
            --key_end;
        std::size_t key_start = key_end;
        while (key_start > 0 && is_key_char(text[key_start - 1]))
            --key_start;
        const std::string_view key = std::string_view(lower).substr(key_start, key_end - key_start);
        if (key.empty() || names_a_place(key) ||
            std::none_of(kCredentialWords.begin(), kCredentialWords.end(),
                         [&](std::string_view w) { return key.find(w) != std::string_view::npos; }))
            continue;
        const std::string_view value = assigned_value(text, i + 1);
        if (value.size() < 4 || is_placeholder(value))
            continue;
        std::string what =
            "a credential assignment (" + std::string(text.substr(key_start, key_end - key_start)) + ")";
        if (std::find(out.begin(), out.end(), what) == out.end())
            out.push_back(std::move(what));
    }
}

} // namespace

std::vector<std::string> credentials_in_script(std::string_view text) {
    std::vector<std::string> out;
    const std::string lower = ascii::lower(text);
    const auto has = [&](std::string_view word) { return lower.find(word) != std::string::npos; };
    if (has("-----begin") && has("private key-----"))
        out.emplace_back("a private key");
    if (has("accountkey="))
        out.emplace_back("a storage account key");
    if (has("sharedaccesskey="))
        out.emplace_back("a shared access key");
    if (has("sig=") && has("sv="))
        out.emplace_back("a SAS token");
    find_assignments(text, out);
    return out;
}

std::string custom_data_text(std::string_view value) {
    if (std::optional<std::string> decoded = arm::detail::base64_decode(value)) {
        const bool readable = std::all_of(decoded->begin(), decoded->end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u >= 0x20 || c == '\n' || c == '\r' || c == '\t';
        });
        if (readable)
            return *decoded;
    }
    return std::string(value);
}

} // namespace ztnet::load
