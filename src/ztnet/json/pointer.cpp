// RFC 6901 JSON pointers: resolving "/a/0/b~1c" against a tree.
#include <string>

#include "ztnet/json/reader.h"

namespace ztnet::json {
namespace {

// Undoes pointer_token ("~1" -> "/", "~0" -> "~"); false for a '~' followed by anything else.
bool unescape_token(std::string_view token, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] != '~') {
            out += token[i];
            continue;
        }
        if (i + 1 == token.size())
            return false;
        const char next = token[++i];
        if (next == '0')
            out += '~';
        else if (next == '1')
            out += '/';
        else
            return false;
    }
    return true;
}

// A decimal array index without leading zeros ("0", "17"), or false.
bool parse_index(std::string_view token, std::size_t& index) {
    if (token.empty() || token.size() > 18 || (token.size() > 1 && token[0] == '0'))
        return false;
    index = 0;
    for (char c : token) {
        if (c < '0' || c > '9')
            return false;
        index = index * 10 + static_cast<std::size_t>(c - '0');
    }
    return true;
}

} // namespace

const Value* at_pointer(const Value& root, std::string_view pointer) {
    if (pointer.empty())
        return &root;
    if (pointer.front() != '/')
        return nullptr;
    const Value* current = &root;
    std::string key;
    std::size_t start = 1;
    for (;;) {
        const std::size_t slash = pointer.find('/', start);
        const std::string_view token =
            pointer.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (current->is_object()) {
            if (!unescape_token(token, key))
                return nullptr;
            current = current->find(key);
        } else if (current->is_array()) {
            std::size_t index = 0;
            if (!parse_index(token, index) || index >= current->as_array().size())
                return nullptr;
            current = &current->as_array()[index];
        } else {
            return nullptr;
        }
        if (current == nullptr || slash == std::string_view::npos)
            return current;
        start = slash + 1;
    }
}

} // namespace ztnet::json
