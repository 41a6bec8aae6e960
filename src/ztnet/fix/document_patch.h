// Editing a JSON document as text: a value set, a member or element removed, an element added,
// with everything else left byte for byte as it was (formatting, comments, key order), so that a
// patched template reads like the original with a few lines changed. New values are written in the
// document's own indentation.
#pragma once

#include <string>
#include <string_view>

#include "ztnet/json/value.h"
#include "ztnet/support/result.h"

namespace ztnet::fix {

/// A JSON document (ARM's dialect: comments and trailing commas allowed) and edits to it. Each edit
/// takes a path of reference tokens like a JSON pointer's, where an object's key matches ignoring
/// ASCII case (ARM property names are case-insensitive) and an array's token is an index or
/// `[name]`: the element whose "name" member is that string. A failed edit leaves the text as it was.
class DocumentPatch {
  public:
    /// Errors: the text is not JSON (offset and message say where), or repeats a key in an object
    /// (the reader keeps one of the values; an edit would leave the other in the text).
    static Result<DocumentPatch> open(std::string text);

    const std::string& text() const { return text_; }
    const json::Value& root() const { return root_; }

    /// Sets the value at `path`, replacing what is there or adding the member (and the objects on
    /// the way to it that are missing). Errors: something on the way is not an object or array
    /// (an ARM expression string: "is computed by an expression"), or an index is out of range.
    Result<bool> set(std::string_view path, const json::Value& value);
    /// Removes the member or element at `path`; false when there is none.
    Result<bool> remove(std::string_view path);
    /// Adds `value` as the last element of the array at `path`, creating the array when the member
    /// is missing.
    Result<bool> append(std::string_view path, const json::Value& value);
    /// Adds `value` to the array at `path` just before its element `before` (an index).
    Result<bool> insert(std::string_view path, std::size_t before, const json::Value& value);

    /// The exact RFC 6901 pointer `path` resolves to in the document (keys as written, `[name]`
    /// as an index), or an error naming the token that does not resolve.
    Result<std::string> resolve(std::string_view path) const;

  private:
    DocumentPatch(std::string text, json::Value root) : text_(std::move(text)), root_(std::move(root)) {}
    Result<bool> replace_span(std::size_t begin, std::size_t end, std::string_view with);

    std::string text_;
    json::Value root_;
};

/// The reference tokens of a path ("/a/b~1c" -> {"a", "b/c"}).
std::vector<std::string> path_tokens(std::string_view path);

} // namespace ztnet::fix
