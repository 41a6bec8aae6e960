#include "ztnet/json/value.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <numeric>

#include "ztnet/support/ascii.h"

namespace ztnet::json {
namespace {

template <class Members>
auto find_member(Members& members, std::string_view key) -> decltype(&members.front().second) {
    for (auto& member : members) {
        if (member.first == key)
            return &member.second;
    }
    return nullptr;
}

template <class Members>
auto find_member_ci(Members& members, std::string_view key) -> decltype(&members.front().second) {
    for (auto& member : members) {
        if (ascii::iequals(member.first, key))
            return &member.second;
    }
    return nullptr;
}

// Member indices ordered by key; ties keep their stored order.
std::vector<std::size_t> sorted_by_key(const std::vector<Object::Member>& members) {
    std::vector<std::size_t> order(members.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return members[x].first < members[y].first; });
    return order;
}

} // namespace

std::string_view to_string(Kind kind) {
    switch (kind) {
    case Kind::Null:
        return "null";
    case Kind::Bool:
        return "boolean";
    case Kind::Integer:
        return "integer";
    case Kind::Double:
        return "number";
    case Kind::String:
        return "string";
    case Kind::Array:
        return "array";
    case Kind::Object:
        return "object";
    case Kind::Unknown:
        return "unknown";
    }
    return "invalid kind";
}

const Value* Object::find(std::string_view key) const {
    return find_member(members_, key);
}
Value* Object::find(std::string_view key) {
    return find_member(members_, key);
}
const Value* Object::find_ci(std::string_view key) const {
    return find_member_ci(members_, key);
}
Value* Object::find_ci(std::string_view key) {
    return find_member_ci(members_, key);
}

void Object::set(std::string key, Value value) {
    if (Value* existing = find(key)) {
        *existing = std::move(value);
        return;
    }
    members_.emplace_back(std::move(key), std::move(value));
}

bool Object::erase(std::string_view key) {
    auto it = std::find_if(members_.begin(), members_.end(),
                           [&](const Member& member) { return member.first == key; });
    if (it == members_.end())
        return false;
    members_.erase(it);
    return true;
}

bool operator==(const Object& a, const Object& b) {
    if (a.members_.size() != b.members_.size())
        return false;
    if (a.members_ == b.members_) // the common case: same order
        return true;
    const std::vector<std::size_t> order_a = sorted_by_key(a.members_);
    const std::vector<std::size_t> order_b = sorted_by_key(b.members_);
    for (std::size_t i = 0; i < order_a.size(); ++i) {
        if (a.members_[order_a[i]] != b.members_[order_b[i]])
            return false;
    }
    return true;
}

bool Value::contains_unknown() const {
    switch (kind()) {
    case Kind::Unknown:
        return true;
    case Kind::Array:
        return std::any_of(as_array().begin(), as_array().end(),
                           [](const Value& element) { return element.contains_unknown(); });
    case Kind::Object:
        return std::any_of(as_object().begin(), as_object().end(),
                           [](const Object::Member& member) { return member.second.contains_unknown(); });
    default:
        return false;
    }
}

double Value::as_double() const {
    assert(is_number());
    if (const auto* integer = std::get_if<std::int64_t>(&data_))
        return static_cast<double>(*integer);
    return std::get<double>(data_);
}

const Value* Value::find(std::string_view key) const {
    return is_object() ? as_object().find(key) : nullptr;
}

const Value* Value::find_ci(std::string_view key) const {
    return is_object() ? as_object().find_ci(key) : nullptr;
}

Value string_array(const std::vector<std::string>& items) {
    Array out;
    out.reserve(items.size());
    for (const std::string& item : items)
        out.emplace_back(item);
    return out;
}

std::string pointer_token(std::string_view key) {
    std::string token;
    token.reserve(key.size());
    for (char c : key) {
        if (c == '~')
            token += "~0";
        else if (c == '/')
            token += "~1";
        else
            token += c;
    }
    return token;
}

} // namespace ztnet::json
