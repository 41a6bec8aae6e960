// json::Value: a JSON tree whose every value remembers where it came from (a byte offset in its
// file), so that any later diagnostic can name file:line:col. The ARM evaluator produces the same
// tree, with one extra kind, Unknown, for values that cannot be determined offline.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "ztnet/support/source.h"

namespace ztnet::json {

class Value;

enum class Kind : std::uint8_t { Null, Bool, Integer, Double, String, Array, Object, Unknown };

/// The kind's name as used in messages ("null", "boolean", "integer", "number", ...).
std::string_view to_string(Kind kind);

using Array = std::vector<Value>;

/// An object's members in document order. Keys are unique when produced by the parser (a duplicate
/// key is reported, and the last one kept, as ARM does).
class Object {
  public:
    using Member = std::pair<std::string, Value>;

    /// The member with exactly this key, or nullptr.
    const Value* find(std::string_view key) const;
    Value* find(std::string_view key);
    /// The member whose key equals `key` ignoring ASCII case (ARM property names are
    /// case-insensitive), or nullptr.
    const Value* find_ci(std::string_view key) const;
    Value* find_ci(std::string_view key);
    /// Replaces the member with this exact key, or appends it.
    void set(std::string key, Value value);
    /// Removes the member with this exact key; false when there was none.
    bool erase(std::string_view key);

    std::vector<Member>& members() { return members_; }
    const std::vector<Member>& members() const { return members_; }
    // size() and empty() are defined after Value: they need it complete (clang instantiates eagerly).
    std::size_t size() const;
    bool empty() const;
    auto begin() const { return members_.begin(); }
    auto end() const { return members_.end(); }
    auto begin() { return members_.begin(); }
    auto end() { return members_.end(); }

    /// Same members regardless of order (JSON objects are unordered): equal sizes, and each key
    /// maps to equal values. Keys are assumed unique; duplicates are compared in stored order.
    friend bool operator==(const Object& a, const Object& b);

  private:
    std::vector<Member> members_;
};

/// Why a value is unknown: shown to the user in a warning.
struct Unknown {
    std::string reason;
    friend bool operator==(const Unknown&, const Unknown&) = default;
};

class Value {
  public:
    Value() = default; // null
    Value(std::nullptr_t) {}
    Value(bool b) : data_(b) {}
    Value(int i) : data_(std::int64_t{i}) {}
    Value(std::int64_t i) : data_(i) {}
    Value(double d) : data_(d) {}
    Value(std::string s) : data_(std::move(s)) {}
    Value(std::string_view s) : data_(std::string(s)) {}
    Value(const char* s) : data_(std::string(s)) {}
    Value(Array a) : data_(std::move(a)) {}
    Value(Object o) : data_(std::move(o)) {}
    Value(Unknown u) : data_(std::move(u)) {}

    static Value unknown(std::string reason) { return Value(Unknown{std::move(reason)}); }

    Kind kind() const { return static_cast<Kind>(data_.index()); }
    bool is_null() const { return kind() == Kind::Null; }
    bool is_bool() const { return kind() == Kind::Bool; }
    bool is_integer() const { return kind() == Kind::Integer; }
    bool is_number() const { return kind() == Kind::Integer || kind() == Kind::Double; }
    bool is_string() const { return kind() == Kind::String; }
    bool is_array() const { return kind() == Kind::Array; }
    bool is_object() const { return kind() == Kind::Object; }
    bool is_unknown() const { return kind() == Kind::Unknown; }
    /// True when this value or anything inside it is Unknown.
    bool contains_unknown() const;

    // Accessors: the caller checks the kind first (asserted).
    bool as_bool() const { return std::get<bool>(data_); }
    std::int64_t as_integer() const { return std::get<std::int64_t>(data_); }
    /// Integer or double, as a double.
    double as_double() const;
    const std::string& as_string() const { return std::get<std::string>(data_); }
    std::string& as_string() { return std::get<std::string>(data_); }
    const Array& as_array() const { return std::get<Array>(data_); }
    Array& as_array() { return std::get<Array>(data_); }
    const Object& as_object() const { return std::get<Object>(data_); }
    Object& as_object() { return std::get<Object>(data_); }
    const Unknown& as_unknown() const { return std::get<Unknown>(data_); }

    /// Member lookup on objects; nullptr when this is not an object or the key is absent.
    const Value* find(std::string_view key) const;
    const Value* find_ci(std::string_view key) const;
    /// The string if this is a string, else nullptr.
    const std::string* if_string() const { return std::get_if<std::string>(&data_); }

    /// Byte offset of the value's first character in its file (kNoOffset for computed values).
    std::uint32_t offset() const { return offset_; }
    void set_offset(std::uint32_t offset) { offset_ = offset; }

    /// Deep equality of content (offsets are ignored).
    friend bool operator==(const Value& a, const Value& b) { return a.data_ == b.data_; }

  private:
    std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object, Unknown> data_;
    std::uint32_t offset_ = kNoOffset;
};

inline std::size_t Object::size() const {
    return members_.size();
}
inline bool Object::empty() const {
    return members_.empty();
}

/// An array of the strings, in order.
Value string_array(const std::vector<std::string>& items);

/// Escapes one reference token for a JSON pointer ("~" -> "~0", "/" -> "~1").
std::string pointer_token(std::string_view key);

} // namespace ztnet::json
