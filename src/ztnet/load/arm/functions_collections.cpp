// Array and object functions, and the functions that work on strings and arrays alike: array,
// coalesce, concat, contains, createArray, createObject, empty, first, flatten, indexOf, intersection,
// items, last, lastIndexOf, length, null, shallowMerge, skip, take, union. Functions that only move
// values around keep Unknown elements in their result; those that must look inside return Unknown.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "ztnet/load/arm/functions_common.h"

namespace ztnet::load::arm::detail {

namespace {

Result<json::Value> fn_array(Arguments arguments) {
    if (auto error = check_signature("array", "(any)", arguments, 1, 1, {kAny}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("array");
    if (arguments[0].is_array())
        return arguments[0];
    return value_result(json::Array{arguments[0]});
}

Result<json::Value> fn_create_array(Arguments arguments) {
    return value_result(json::Array(arguments.begin(), arguments.end()));
}

Result<json::Value> fn_create_object(Arguments arguments) {
    constexpr std::string_view kExpected = "(string, any, string, any, ...)";
    if (arguments.size() % 2 != 0)
        return signature_error("createObject", kExpected, arguments);
    json::Object out;
    for (std::size_t i = 0; i < arguments.size(); i += 2) {
        if (!arguments[i].is_string() && !arguments[i].is_unknown())
            return signature_error("createObject", kExpected, arguments);
    }
    for (std::size_t i = 0; i < arguments.size(); i += 2) {
        if (arguments[i].is_unknown())
            return unknown_result("createObject");
        const std::string& key = arguments[i].as_string();
        if (out.find_ci(key) != nullptr)
            return function_error("createObject", "the key '" + key + "' is given more than once");
        out.set(key, arguments[i + 1]);
    }
    return value_result(std::move(out));
}

Result<json::Value> fn_null(Arguments arguments) {
    if (auto error = check_signature("null", "()", arguments, 0, 0, {}))
        return *error;
    return value_result(json::Value());
}

Result<json::Value> fn_coalesce(Arguments arguments) {
    if (auto error = check_signature("coalesce", "(any, ...)", arguments, 1, SIZE_MAX, {}))
        return *error;
    for (const json::Value& argument : arguments) {
        if (argument.is_unknown())
            return unknown_result("coalesce"); // it might be null
        if (!argument.is_null())
            return argument;
    }
    return value_result(json::Value());
}

// concat(): all arrays (concatenated), or strings; ints and booleans join strings as their text,
// as in the documented concat('examplecopy-', copyIndex()).
Result<json::Value> fn_concat(Arguments arguments) {
    constexpr std::string_view kExpected = "(string, ...) or (array, ...)";
    if (auto error = check_signature("concat", kExpected, arguments, 1, SIZE_MAX, {},
                                     kString | kInt | kFloat | kBool | kNull | kArray))
        return *error;
    bool arrays = false;
    bool scalars = false;
    for (const json::Value& argument : arguments) {
        if (argument.is_array())
            arrays = true;
        else if (!argument.is_unknown() && !argument.is_null())
            scalars = true;
    }
    if (arrays && scalars)
        return signature_error("concat", kExpected, arguments);
    if (any_unknown(arguments))
        return unknown_result("concat");
    if (arrays) {
        json::Array out;
        for (const json::Value& argument : arguments) {
            if (argument.is_array())
                out.insert(out.end(), argument.as_array().begin(), argument.as_array().end());
        }
        return value_result(std::move(out));
    }
    std::string out;
    for (const json::Value& argument : arguments)
        out += display_string(argument);
    return value_result(std::move(out));
}

Result<json::Value> fn_contains(Arguments arguments) {
    constexpr std::string_view kExpected = "(array, object or string, any)";
    if (auto error =
            check_signature("contains", kExpected, arguments, 2, 2, {kArray | kObject | kString, kAny}))
        return *error;
    const json::Value& container = arguments[0];
    const json::Value& item = arguments[1];
    if (container.is_unknown())
        return unknown_result("contains");
    if (container.is_array()) {
        bool unknown = false;
        for (const json::Value& element : container.as_array()) {
            const Tri equal = equals3(element, item);
            if (equal == Tri::True)
                return value_result(true);
            unknown = unknown || equal == Tri::Unknown;
        }
        if (unknown)
            return unknown_result("contains");
        return value_result(false);
    }
    if (item.is_unknown())
        return unknown_result("contains");
    if (!item.is_string() && !item.is_integer() && !item.is_bool())
        return signature_error("contains", "(array, any) or (object or string, string)", arguments);
    const std::string needle = display_string(item);
    if (container.is_object())
        return value_result(container.as_object().find_ci(needle) != nullptr);    // keys: case-insensitive
    return value_result(container.as_string().find(needle) != std::string::npos); // strings: case-sensitive
}

Result<json::Value> fn_empty(Arguments arguments) {
    if (auto error = check_signature("empty", "(array, object or string)", arguments, 1, 1,
                                     {kArray | kObject | kString | kNull}))
        return *error;
    const json::Value& value = arguments[0];
    switch (value.kind()) {
    case json::Kind::Null:
        return value_result(true);
    case json::Kind::String:
        return value_result(value.as_string().empty());
    case json::Kind::Array:
        return value_result(value.as_array().empty());
    case json::Kind::Object:
        return value_result(value.as_object().empty());
    default:
        return unknown_result("empty");
    }
}

Result<json::Value> fn_length(Arguments arguments) {
    if (auto error = check_signature("length", "(array, object or string)", arguments, 1, 1,
                                     {kArray | kObject | kString}))
        return *error;
    const json::Value& value = arguments[0];
    switch (value.kind()) {
    case json::Kind::String:
        return value_result(static_cast<std::int64_t>(to_utf16(value.as_string()).size()));
    case json::Kind::Array:
        return value_result(static_cast<std::int64_t>(value.as_array().size()));
    case json::Kind::Object:
        return value_result(static_cast<std::int64_t>(value.as_object().size()));
    default:
        return unknown_result("length");
    }
}

// first()/last(): the element of an array (null when empty) or the character of a string.
Result<json::Value> end_element(std::string_view name, Arguments arguments, bool last) {
    if (auto error = check_signature(name, "(array or string)", arguments, 1, 1, {kArray | kString}))
        return *error;
    const json::Value& value = arguments[0];
    if (value.is_unknown())
        return unknown_result(name);
    if (value.is_array()) {
        const json::Array& array = value.as_array();
        if (array.empty())
            return value_result(json::Value());
        return last ? array.back() : array.front();
    }
    const std::u16string text = to_utf16(value.as_string());
    if (text.empty())
        return value_result(std::string());
    return value_result(to_utf8(std::u16string_view(text).substr(last ? text.size() - 1 : 0, 1)));
}

Result<json::Value> fn_first(Arguments arguments) {
    return end_element("first", arguments, false);
}
Result<json::Value> fn_last(Arguments arguments) {
    return end_element("last", arguments, true);
}

// skip()/take(): a count at or below zero skips (takes) nothing; beyond the end, everything.
Result<json::Value> slice(std::string_view name, Arguments arguments, bool take) {
    if (auto error =
            check_signature(name, "(array or string, int)", arguments, 2, 2, {kArray | kString, kInt}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result(name);
    const std::int64_t count = arguments[1].as_integer();
    const auto clamp = [count](std::size_t size) {
        return count <= 0 ? std::size_t{0}
                          : static_cast<std::size_t>(
                                std::min<std::uint64_t>(static_cast<std::uint64_t>(count), size));
    };
    if (arguments[0].is_array()) {
        const json::Array& array = arguments[0].as_array();
        const std::size_t n = clamp(array.size());
        if (take)
            return value_result(json::Array(array.begin(), array.begin() + static_cast<std::ptrdiff_t>(n)));
        return value_result(json::Array(array.begin() + static_cast<std::ptrdiff_t>(n), array.end()));
    }
    const std::u16string text = to_utf16(arguments[0].as_string());
    const std::size_t n = clamp(text.size());
    const std::u16string_view view(text);
    return value_result(to_utf8(take ? view.substr(0, n) : view.substr(n)));
}

Result<json::Value> fn_skip(Arguments arguments) {
    return slice("skip", arguments, false);
}
Result<json::Value> fn_take(Arguments arguments) {
    return slice("take", arguments, true);
}

// indexOf()/lastIndexOf(): in an array by ARM equality (case-sensitive), in a string case-insensitively.
Result<json::Value> find_position(std::string_view name, Arguments arguments, bool from_end) {
    constexpr std::string_view kExpected = "(array, any) or (string, string)";
    if (auto error = check_signature(name, kExpected, arguments, 2, 2, {kArray | kString, kAny}))
        return *error;
    const json::Value& container = arguments[0];
    const json::Value& item = arguments[1];
    if (container.is_unknown())
        return unknown_result(name);
    if (container.is_array()) {
        const json::Array& array = container.as_array();
        for (std::size_t k = 0; k < array.size(); ++k) {
            const std::size_t i = from_end ? array.size() - 1 - k : k;
            switch (equals3(array[i], item)) {
            case Tri::True:
                return value_result(static_cast<std::int64_t>(i));
            case Tri::Unknown:
                return unknown_result(name); // an earlier match cannot be ruled out
            case Tri::False:
                break;
            }
        }
        return value_result(std::int64_t{-1});
    }
    if (!item.is_string() && !item.is_unknown())
        return signature_error(name, kExpected, arguments);
    if (item.is_unknown())
        return unknown_result(name);
    const std::size_t at =
        find_ignore_case(to_utf16(container.as_string()), to_utf16(item.as_string()), from_end);
    return value_result(at == std::u16string_view::npos ? std::int64_t{-1} : static_cast<std::int64_t>(at));
}

Result<json::Value> fn_index_of(Arguments arguments) {
    return find_position("indexOf", arguments, false);
}
Result<json::Value> fn_last_index_of(Arguments arguments) {
    return find_position("lastIndexOf", arguments, true);
}

// Where `value` is in `array` by ARM equality: True, False, or Unknown when unknowns prevent telling.
Tri array_has(const json::Array& array, const json::Value& value) {
    bool unknown = false;
    for (const json::Value& element : array) {
        const Tri equal = equals3(element, value);
        if (equal == Tri::True)
            return Tri::True;
        unknown = unknown || equal == Tri::Unknown;
    }
    return unknown ? Tri::Unknown : Tri::False;
}

// Checks that union()/intersection() got two or more arrays, or two or more objects.
std::optional<Error> check_same_collections(std::string_view name, Arguments arguments) {
    constexpr std::string_view kExpected = "(array, array, ...) or (object, object, ...)";
    if (auto error = check_signature(name, kExpected, arguments, 2, SIZE_MAX, {}, kArray | kObject))
        return error;
    bool arrays = false;
    bool objects = false;
    for (const json::Value& argument : arguments) {
        arrays = arrays || argument.is_array();
        objects = objects || argument.is_object();
    }
    if (arrays && objects)
        return signature_error(name, kExpected, arguments);
    return std::nullopt;
}

// Deep merge of union() (documented): nested objects merge, anything else is replaced by the later value.
json::Value merge_objects(const json::Value& earlier, const json::Value& later) {
    json::Object out = earlier.as_object();
    for (const auto& [key, value] : later.as_object()) {
        json::Value* existing = out.find_ci(key);
        if (existing == nullptr) {
            out.set(key, value);
        } else if (existing->is_object() && value.is_object()) {
            *existing = merge_objects(*existing, value);
        } else if ((existing->is_object() && value.is_unknown()) ||
                   (existing->is_unknown() && value.is_object())) {
            *existing = json::Value::unknown("union() of an unknown value at '" + key + "'");
        } else {
            *existing = value;
        }
    }
    return json::Value(std::move(out));
}

Result<json::Value> fn_union(Arguments arguments) {
    if (auto error = check_same_collections("union", arguments))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("union");
    if (arguments[0].is_object()) {
        json::Value out = arguments[0];
        for (const json::Value& argument : arguments.subspan(1))
            out = merge_objects(out, argument);
        return out;
    }
    json::Array out;
    for (const json::Value& argument : arguments) {
        for (const json::Value& element : argument.as_array()) {
            switch (array_has(out, element)) {
            case Tri::False:
                out.push_back(element);
                break;
            case Tri::Unknown:
                return unknown_result("union");
            case Tri::True:
                break;
            }
        }
    }
    return value_result(std::move(out));
}

Result<json::Value> fn_intersection(Arguments arguments) {
    if (auto error = check_same_collections("intersection", arguments))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("intersection");
    if (arguments[0].is_object()) {
        json::Object out;
        for (const auto& [key, value] : arguments[0].as_object()) {
            bool everywhere = true;
            for (const json::Value& other : arguments.subspan(1)) {
                const json::Value* match = other.as_object().find_ci(key);
                const Tri equal = match == nullptr ? Tri::False : equals3(value, *match);
                if (equal == Tri::Unknown)
                    return unknown_result("intersection");
                everywhere = everywhere && equal == Tri::True;
            }
            if (everywhere)
                out.set(key, value);
        }
        return value_result(std::move(out));
    }
    json::Array out;
    for (const json::Value& element : arguments[0].as_array()) {
        bool everywhere = true;
        for (const json::Value& other : arguments.subspan(1)) {
            const Tri has = array_has(other.as_array(), element);
            if (has == Tri::Unknown)
                return unknown_result("intersection");
            everywhere = everywhere && has == Tri::True;
        }
        if (!everywhere)
            continue;
        switch (array_has(out, element)) {
        case Tri::False:
            out.push_back(element);
            break;
        case Tri::Unknown:
            return unknown_result("intersection");
        case Tri::True:
            break;
        }
    }
    return value_result(std::move(out));
}

// items(): [{key, value}, ...] in alphabetical key order (ordinal, ignoring case; ties by ordinal).
Result<json::Value> fn_items(Arguments arguments) {
    if (auto error = check_signature("items", "(object)", arguments, 1, 1, {kObject}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("items");
    std::vector<const json::Object::Member*> members;
    for (const auto& member : arguments[0].as_object())
        members.push_back(&member);
    std::stable_sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
        const std::u16string x = to_upper_invariant(to_utf16(a->first));
        const std::u16string y = to_upper_invariant(to_utf16(b->first));
        if (x != y)
            return x < y;
        return a->first < b->first;
    });
    json::Array out;
    out.reserve(members.size());
    for (const auto* member : members) {
        json::Object item;
        item.set("key", json::Value(member->first));
        item.set("value", member->second);
        out.emplace_back(std::move(item));
    }
    return value_result(std::move(out));
}

// flatten(): one level; every element must be an array.
Result<json::Value> fn_flatten(Arguments arguments) {
    if (auto error = check_signature("flatten", "(array of arrays)", arguments, 1, 1, {kArray}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("flatten");
    json::Array out;
    for (const json::Value& element : arguments[0].as_array()) {
        if (element.is_unknown())
            return unknown_result("flatten");
        if (!element.is_array())
            return function_error("flatten",
                                  "expects an array of arrays, found " + std::string(kind_name(element)));
        out.insert(out.end(), element.as_array().begin(), element.as_array().end());
    }
    return value_result(std::move(out));
}

// shallowMerge(): the objects of an array merged at the top level, later values winning.
Result<json::Value> fn_shallow_merge(Arguments arguments) {
    if (auto error = check_signature("shallowMerge", "(array of objects)", arguments, 1, 1, {kArray}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("shallowMerge");
    json::Object out;
    for (const json::Value& element : arguments[0].as_array()) {
        if (element.is_unknown())
            return unknown_result("shallowMerge");
        if (!element.is_object())
            return function_error("shallowMerge",
                                  "expects an array of objects, found " + std::string(kind_name(element)));
        for (const auto& [key, value] : element.as_object()) {
            if (json::Value* existing = out.find_ci(key))
                *existing = value;
            else
                out.set(key, value);
        }
    }
    return value_result(std::move(out));
}

// objectKeys(): the keys of an object, in the object's order.
Result<json::Value> fn_object_keys(Arguments arguments) {
    if (auto error = check_signature("objectKeys", "(object)", arguments, 1, 1, {kObject}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("objectKeys");
    json::Array out;
    for (const auto& member : arguments[0].as_object())
        out.emplace_back(member.first);
    return value_result(std::move(out));
}

// tryGet(): the value under each key (object, case-insensitive) or index (array) in turn, or null as
// soon as one is absent.
Result<json::Value> fn_try_get(Arguments arguments) {
    if (auto error = check_signature("tryGet", "(object or array, string or int...)", arguments, 2, 64,
                                     {kObject | kArray}, kString | kInt))
        return *error;
    const json::Value* current = &arguments[0];
    for (std::size_t i = 1; i < arguments.size(); ++i) {
        if (current->is_unknown() || arguments[i].is_unknown())
            return unknown_result("tryGet");
        const json::Value& key = arguments[i];
        if (current->is_object() && key.is_string()) {
            current = current->as_object().find_ci(key.as_string());
        } else if (current->is_array() && key.is_integer()) {
            const json::Array& array = current->as_array();
            std::int64_t index = key.as_integer();
            current = index >= 0 && static_cast<std::uint64_t>(index) < array.size()
                          ? &array[static_cast<std::size_t>(index)]
                          : nullptr;
        } else {
            current = nullptr;
        }
        if (current == nullptr)
            return value_result(json::Value());
    }
    return value_result(*current);
}

// indexFromEnd() / tryIndexFromEnd(): the element `n` from the end (1 is the last); out of range is
// an error for the first and null for the second.
Result<json::Value> index_from_end(std::string_view name, Arguments arguments, bool lenient) {
    if (auto error = check_signature(name, "(array, int)", arguments, 2, 2, {kArray, kInt}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result(name);
    const json::Array& array = arguments[0].as_array();
    std::int64_t n = arguments[1].as_integer();
    if (n >= 1 && static_cast<std::uint64_t>(n) <= array.size())
        return value_result(array[array.size() - static_cast<std::size_t>(n)]);
    if (lenient)
        return value_result(json::Value());
    return function_error(name, "index " + std::to_string(n) + " from the end is outside an array of " +
                                    std::to_string(array.size()) + " elements");
}
Result<json::Value> fn_index_from_end(Arguments arguments) {
    return index_from_end("indexFromEnd", arguments, false);
}
Result<json::Value> fn_try_index_from_end(Arguments arguments) {
    return index_from_end("tryIndexFromEnd", arguments, true);
}

constexpr FunctionEntry kCollectionFunctions[] = {
    {"array", fn_array},
    {"coalesce", fn_coalesce},
    {"concat", fn_concat},
    {"contains", fn_contains},
    {"createArray", fn_create_array},
    {"createObject", fn_create_object},
    {"empty", fn_empty},
    {"first", fn_first},
    {"flatten", fn_flatten},
    {"indexFromEnd", fn_index_from_end},
    {"indexOf", fn_index_of},
    {"intersection", fn_intersection},
    {"items", fn_items},
    {"last", fn_last},
    {"lastIndexOf", fn_last_index_of},
    {"length", fn_length},
    {"null", fn_null},
    {"objectKeys", fn_object_keys},
    {"shallowMerge", fn_shallow_merge},
    {"skip", fn_skip},
    {"take", fn_take},
    {"tryGet", fn_try_get},
    {"tryIndexFromEnd", fn_try_index_from_end},
    {"union", fn_union},
};

} // namespace

std::span<const FunctionEntry> collection_functions() {
    return kCollectionFunctions;
}

} // namespace ztnet::load::arm::detail
