// Fuzz target for the JSON text patcher: on any document the reader accepts (ARM's dialect), an
// edit at a place the input's first bytes choose either fails cleanly or gives a document whose tree
// is the original tree with the same edit; and the diff between the two texts is never empty.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/fix/document_patch.h"
#include "ztnet/fix/unified_diff.h"
#include "ztnet/json/reader.h"
#include "ztnet/support/ascii.h"

namespace {

using ztnet::json::Value;

// A path to an existing value, each step chosen by the next control byte.
std::vector<std::string> choose_path(const Value& root, std::string_view control) {
    std::vector<std::string> path;
    const Value* at = &root;
    for (unsigned char c : control) {
        if (at->is_object() && !at->as_object().empty()) {
            const auto& member = at->as_object().members()[c % at->as_object().size()];
            path.push_back(member.first);
            at = &member.second;
        } else if (at->is_array() && !at->as_array().empty()) {
            const std::size_t i = c % at->as_array().size();
            path.push_back(std::to_string(i));
            at = &at->as_array()[i];
        } else {
            break;
        }
    }
    return path;
}

Value* walk(Value& root, const std::vector<std::string>& path, std::size_t length) {
    Value* v = &root;
    for (std::size_t i = 0; i < length; ++i)
        v = v->is_object() ? v->as_object().find(path[i]) : &v->as_array()[std::stoul(path[i])];
    return v;
}

std::string pointer(const std::vector<std::string>& path) {
    std::string out;
    for (const std::string& token : path)
        out += "/" + ztnet::json::pointer_token(token);
    return out;
}

bool duplicate_keys(const Value& v) {
    if (v.is_array()) {
        for (const Value& e : v.as_array())
            if (duplicate_keys(e))
                return true;
    } else if (v.is_object()) {
        const auto& members = v.as_object().members();
        for (std::size_t i = 0; i < members.size(); ++i) {
            for (std::size_t j = i + 1; j < members.size(); ++j)
                if (ztnet::ascii::iequals(members[i].first, members[j].first))
                    return true;
            if (duplicate_keys(members[i].second))
                return true;
        }
    }
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 4)
        return 0;
    const int op = data[0] % 3;
    const std::string_view control(reinterpret_cast<const char*>(data + 1), 3);
    const std::string text(reinterpret_cast<const char*>(data + 4), size - 4);
    auto opened = ztnet::fix::DocumentPatch::open(text);
    if (!opened)
        return 0;
    ztnet::fix::DocumentPatch patch = std::move(*opened);
    Value tree = patch.root();
    // The patcher matches keys ignoring case (ARM's rule): with two keys alike but for case, the
    // tree oracle, which walks exact keys, would pick the other one.
    if (duplicate_keys(tree))
        return 0;
    std::vector<std::string> path = choose_path(tree, control);
    const Value value(std::string("x"));
    ztnet::Result<bool> done = false;
    if (op == 0) {
        *walk(tree, path, path.size()) = value;
        done = patch.set(pointer(path), value);
    } else if (op == 1) {
        if (path.empty())
            return 0;
        Value* parent = walk(tree, path, path.size() - 1);
        if (parent->is_object())
            parent->as_object().erase(path.back());
        else
            parent->as_array().erase(parent->as_array().begin() + static_cast<long>(std::stoul(path.back())));
        done = patch.remove(pointer(path));
    } else {
        Value* target = walk(tree, path, path.size());
        if (!target->is_array())
            return 0;
        target->as_array().push_back(value);
        done = patch.append(pointer(path), value);
    }
    if (!done)
        return 0; // refused (a place computed by an expression, say): the text stays as it was
    auto reread = ztnet::json::read(
        patch.text(),
        {.allow_comments = true, .allow_trailing_commas = true, .allow_control_characters = true});
    if (!reread || !(*reread == tree))
        std::abort();
    if (patch.text() != text && ztnet::fix::unified_diff(text, patch.text(), "t").empty())
        std::abort();
    return 0;
}
