#include "ztnet/flows/store/store_location.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <utility>

#include "ztnet/flows/store/postgres_flow_store.h"
#include "ztnet/flows/store/sqlite_flow_store.h"

namespace ztnet::flows::store {

namespace {

constexpr std::string_view kMask = "***";
constexpr std::string_view kUriPrefixes[] = {"postgresql://", "postgres://"};

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// libpq's keywords whose values are secrets: the server's password and the client key's.
bool is_secret_keyword(std::string_view keyword) {
    return keyword == "password" || keyword == "sslpassword";
}

std::size_t uri_prefix(std::string_view store) {
    for (const std::string_view prefix : kUriPrefixes)
        if (store.starts_with(prefix))
            return prefix.size();
    return 0;
}

// A password found in a connection string: where its text is, and its value as libpq reads it.
struct Secret {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string value;
};

int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

std::string percent_decoded(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const int high = i + 2 < text.size() && text[i] == '%' ? hex_digit(text[i + 1]) : -1;
        const int low = high >= 0 ? hex_digit(text[i + 2]) : -1;
        if (low >= 0) {
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// The secrets of a URI, read as libpq does: the user information ends at the first '@' before any
// '/', its password after its first ':'; then `password=` parameters of the query.
std::vector<Secret> uri_secrets(std::string_view uri, std::size_t start) {
    std::vector<Secret> secrets;
    const std::size_t stop = uri.find_first_of("@/", start);
    std::size_t query_from = start;
    if (stop != std::string_view::npos && uri[stop] == '@') {
        const std::size_t colon = uri.find(':', start);
        if (colon < stop)
            secrets.push_back({colon + 1, stop, percent_decoded(uri.substr(colon + 1, stop - colon - 1))});
        query_from = stop + 1;
    }
    const std::size_t query = uri.find('?', query_from);
    for (std::size_t at = query; at != std::string_view::npos && at < uri.size();) {
        const std::size_t begin = at + 1;
        const std::size_t end = std::min(uri.find('&', begin), uri.size());
        const std::size_t equals = uri.find('=', begin);
        if (equals < end && is_secret_keyword(percent_decoded(uri.substr(begin, equals - begin))))
            secrets.push_back({equals + 1, end, percent_decoded(uri.substr(equals + 1, end - equals - 1))});
        at = end;
    }
    return secrets;
}

// A keyword/value value as libpq reads it from `at`: quoted ('...', with \' and \\) or up to the
// next space (with backslash escapes). Returns the value and moves `at` past it.
std::string conninfo_value(std::string_view text, std::size_t& at) {
    std::string value;
    const bool quoted = at < text.size() && text[at] == '\'';
    at += quoted ? 1 : 0;
    while (at < text.size()) {
        const char c = text[at];
        if (quoted ? c == '\'' : is_space(c)) {
            at += quoted ? 1 : 0;
            break;
        }
        if (c == '\\' && at + 1 < text.size())
            ++at;
        value += text[at++];
    }
    return value;
}

// The secrets of a keyword/value string, read as libpq does (a keyword, spaces, '=', spaces, a
// value). A secret keyword without its '=' still hides what follows it: libpq quotes it when
// it complains.
std::vector<Secret> conninfo_secrets(std::string_view text) {
    std::vector<Secret> secrets;
    std::size_t at = 0;
    auto skip_spaces = [&] {
        while (at < text.size() && is_space(text[at]))
            ++at;
    };
    while (skip_spaces(), at < text.size()) {
        const std::size_t keyword = at;
        while (at < text.size() && text[at] != '=' && !is_space(text[at]))
            ++at;
        const std::string_view name = text.substr(keyword, at - keyword);
        skip_spaces();
        at += at < text.size() && text[at] == '=' ? 1 : 0;
        skip_spaces();
        const std::size_t begin = at;
        std::string value = conninfo_value(text, at);
        if (is_secret_keyword(name)) {
            secrets.push_back({begin, at, std::move(value)});
        }
    }
    return secrets;
}

std::vector<Secret> secrets_of(std::string_view store) {
    if (const std::size_t prefix = uri_prefix(store); prefix > 0)
        return uri_secrets(store, prefix);
    return is_postgres_location(store) ? conninfo_secrets(store) : std::vector<Secret>{};
}

} // namespace

bool is_postgres_location(std::string_view store) {
    if (uri_prefix(store) > 0)
        return true;
    std::size_t at = 0;
    while (at < store.size() && is_space(store[at]))
        ++at;
    const std::size_t word = at;
    while (at < store.size() &&
           (std::isalnum(static_cast<unsigned char>(store[at])) != 0 || store[at] == '_'))
        ++at;
    if (at == word)
        return false;
    while (at < store.size() && is_space(store[at]))
        ++at;
    return at < store.size() && store[at] == '=';
}

std::string redact_password(std::string_view store) {
    std::string out;
    std::size_t copied = 0;
    for (const Secret& secret : secrets_of(store)) {
        out += store.substr(copied, secret.begin - copied);
        out += kMask;
        copied = secret.end;
    }
    out += store.substr(copied);
    return out;
}

std::vector<std::string> passwords_in(std::string_view store) {
    std::vector<std::string> out;
    for (Secret& secret : secrets_of(store)) {
        out.emplace_back(store.substr(secret.begin, secret.end - secret.begin));
        out.push_back(std::move(secret.value));
    }
    std::erase_if(out, [](const std::string& text) { return text.empty() || text == kMask; });
    // Longest first: a password that holds another is masked whole.
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return out;
}

std::string scrub_passwords(std::string message, std::string_view store) {
    for (const std::string& password : passwords_in(store))
        for (std::size_t at = message.find(password); at != std::string::npos;
             at = message.find(password, at + kMask.size()))
            message.replace(at, password.size(), kMask);
    return message;
}

Result<std::unique_ptr<FlowStore>> open_store(std::string_view store, const OpenOptions& options) {
    if (is_postgres_location(store))
        return open_postgres_store(std::string(store), options);
    return open_sqlite_store(std::filesystem::path(std::string(store)), options);
}

} // namespace ztnet::flows::store
