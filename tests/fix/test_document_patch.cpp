// The JSON text patcher: each edit changes exactly what it says (checked against the same edit on
// the parsed tree, on random documents in both layouts) and leaves every other byte alone.
#include <random>

#include <gtest/gtest.h>

#include "ztnet/fix/document_patch.h"
#include "ztnet/json/reader.h"

namespace ztnet::fix {
namespace {

json::Value parsed(const std::string& text) {
    auto value = json::read(text, {.allow_comments = true, .allow_trailing_commas = true});
    EXPECT_TRUE(value) << text;
    return value ? *value : json::Value();
}

DocumentPatch open(const std::string& text) {
    auto patch = DocumentPatch::open(text);
    EXPECT_TRUE(patch) << patch.error().message;
    return std::move(*patch);
}

TEST(DocumentPatch, ReplacesAValueAndNothingElse) {
    const std::string text = "{\n  // keep me\n  \"a\": 1,\n  \"B\": {\"c\": [1, 2]}\n}\n";
    DocumentPatch p = open(text);
    ASSERT_TRUE(p.set("/b/c", json::Value("x"))); // keys match ignoring case
    EXPECT_EQ(p.text(), "{\n  // keep me\n  \"a\": 1,\n  \"B\": {\"c\": \"x\"}\n}\n");
}

TEST(DocumentPatch, AddsMissingMembersInTheDocumentsIndentation) {
    DocumentPatch p = open("{\n    \"properties\": {\n        \"x\": true\n    }\n}");
    ASSERT_TRUE(p.set("/properties/networkAcls/defaultAction", json::Value("Deny")));
    EXPECT_EQ(p.text(), "{\n    \"properties\": {\n        \"x\": true,\n        \"networkAcls\": {\n"
                        "            \"defaultAction\": \"Deny\"\n        }\n    }\n}");
}

TEST(DocumentPatch, AddsToACompactObjectOnItsLine) {
    DocumentPatch p = open("{\"subnet\": { \"addressPrefix\": \"10.0.0.0/24\" }}");
    ASSERT_TRUE(p.set("/subnet/nsg", json::Value(json::Object{})));
    EXPECT_EQ(p.text(), "{\"subnet\": { \"addressPrefix\": \"10.0.0.0/24\", \"nsg\": {} }}");
}

TEST(DocumentPatch, FillsAnEmptyObject) {
    DocumentPatch p = open("{\n  \"p\": {}\n}");
    ASSERT_TRUE(p.set("/p/k", json::Value(1)));
    EXPECT_EQ(parsed(p.text()), parsed("{\"p\": {\"k\": 1}}"));
}

TEST(DocumentPatch, RemovesFirstMiddleLastAndOnlyElements) {
    const std::string text = "[\n  1,\n  2,\n  3\n]";
    for (auto [path, expected] : {std::pair{"/0", "[\n  2,\n  3\n]"}, std::pair{"/1", "[\n  1,\n  3\n]"},
                                  std::pair{"/2", "[\n  1,\n  2\n]"}}) {
        DocumentPatch p = open(text);
        ASSERT_TRUE(p.remove(path));
        EXPECT_EQ(p.text(), expected) << path;
    }
    DocumentPatch only = open("{\"a\": [ 7 ]}");
    ASSERT_TRUE(only.remove("/a/0"));
    EXPECT_EQ(only.text(), "{\"a\": []}");
}

TEST(DocumentPatch, RemovesAMemberWithItsKey) {
    DocumentPatch p = open("{\n  \"a\": 1,\n  \"b\\\"q\": {\"x\": 2},\n  \"c\": 3\n}");
    ASSERT_TRUE(p.remove("/b\"q"));
    EXPECT_EQ(p.text(), "{\n  \"a\": 1,\n  \"c\": 3\n}");
    auto missing = p.remove("/nothing");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(*missing);
}

TEST(DocumentPatch, NamesArrayElementsByName) {
    DocumentPatch p = open(R"({"rules": [{"name": "a", "v": 1}, {"name": "b", "v": 2}]})");
    ASSERT_TRUE(p.set("/rules/[b]/v", json::Value(3)));
    EXPECT_EQ(parsed(p.text()), parsed(R"({"rules": [{"name": "a", "v": 1}, {"name": "b", "v": 3}]})"));
    auto resolved = p.resolve("/RULES/[b]");
    ASSERT_TRUE(resolved);
    EXPECT_EQ(*resolved, "/rules/1");
    EXPECT_FALSE(p.set("/rules/[c]/v", json::Value(1)));
}

TEST(DocumentPatch, InsertsAndAppendsInTheArraysLayout) {
    DocumentPatch p = open("{\n  \"r\": [\n    {\"n\": 1}\n  ]\n}");
    ASSERT_TRUE(p.insert("/r", 0, json::Value(0)));
    ASSERT_TRUE(p.append("/r", json::Value(2)));
    EXPECT_EQ(p.text(), "{\n  \"r\": [\n    0,\n    {\"n\": 1},\n    2\n  ]\n}");
    ASSERT_TRUE(p.append("/dependsOn", json::Value("x"))); // a missing array is made
    EXPECT_EQ(parsed(p.text()), parsed(R"({"r": [0, {"n": 1}, 2], "dependsOn": ["x"]})"));
}

TEST(DocumentPatch, DoesNotWriteIntoAnExpression) {
    const std::string text = R"({"properties": "[variables('p')]"})";
    DocumentPatch p = open(text);
    auto set = p.set("/properties/x", json::Value(1));
    ASSERT_FALSE(set);
    EXPECT_NE(set.error().message.find("computed by an expression"), std::string::npos);
    EXPECT_EQ(p.text(), text);
}

TEST(DocumentPatch, RefusesADocumentThatRepeatsAKey) {
    // The reader keeps one of the two values; removing "a" would leave the other in the text.
    auto patch = DocumentPatch::open(R"({"a": 1, "b": 2, "a": 3})");
    ASSERT_FALSE(patch);
    EXPECT_NE(patch.error().message.find("cannot be edited safely"), std::string::npos)
        << patch.error().message;
}

// ---- the same edit on the text and on the tree, on random documents ----

json::Value random_value(std::mt19937& rng, int depth) {
    const int kind = static_cast<int>(rng() % (depth > 2 ? 4 : 6));
    switch (kind) {
    case 0:
        return json::Value(static_cast<std::int64_t>(rng() % 100));
    case 1:
        return json::Value(rng() % 2 == 0);
    case 2:
        return json::Value(std::string(1 + rng() % 3, static_cast<char>('a' + rng() % 26)));
    case 3:
        return json::Value();
    case 4: {
        json::Array a;
        for (std::uint32_t i = rng() % 4; i > 0; --i)
            a.push_back(random_value(rng, depth + 1));
        return json::Value(std::move(a));
    }
    default: {
        json::Object o;
        for (std::uint32_t i = rng() % 4; i > 0; --i)
            o.set(std::string(1, static_cast<char>('k' + i)), random_value(rng, depth + 1));
        return json::Value(std::move(o));
    }
    }
}

// A random path to an existing value (empty when the root is a scalar).
std::vector<std::string> random_path(std::mt19937& rng, const json::Value& root) {
    std::vector<std::string> path;
    const json::Value* at = &root;
    while (rng() % 3 != 0) {
        if (at->is_object() && !at->as_object().empty()) {
            const auto& members = at->as_object().members();
            const auto& m = members[rng() % members.size()];
            path.push_back(m.first);
            at = &m.second;
        } else if (at->is_array() && !at->as_array().empty()) {
            std::size_t i = rng() % at->as_array().size();
            path.push_back(std::to_string(i));
            at = &at->as_array()[i];
        } else {
            break;
        }
    }
    return path;
}

json::Value* at(json::Value& root, const std::vector<std::string>& path, std::size_t length) {
    json::Value* v = &root;
    for (std::size_t i = 0; i < length; ++i)
        v = v->is_object() ? v->as_object().find(path[i]) : &v->as_array()[std::stoul(path[i])];
    return v;
}

std::string pointer(const std::vector<std::string>& path) {
    std::string out;
    for (const std::string& t : path)
        out += "/" + json::pointer_token(t);
    return out;
}

TEST(DocumentPatch, AgreesWithTheSameEditOnTheTree) {
    std::mt19937 rng(20261207);
    int edits = 0;
    for (int round = 0; round < 5000; ++round) {
        json::Object top;
        top.set("root", random_value(rng, 0));
        json::Value tree(std::move(top));
        const std::string text = json::write(tree, {.indent = rng() % 3 == 0 ? 0 : 2});
        DocumentPatch patch = open(text);
        std::vector<std::string> path = random_path(rng, tree);
        const json::Value value = random_value(rng, 2);
        const int op = static_cast<int>(rng() % 3);
        if (op == 0) { // replace a value, or add a member to an object
            json::Value* target = at(tree, path, path.size());
            if (target->is_object() && rng() % 2 == 0) {
                path.push_back("new");
                target->as_object().set("new", value);
            } else {
                *target = value;
            }
            ASSERT_TRUE(patch.set(pointer(path), value)) << text << " " << pointer(path);
        } else if (op == 1) { // remove a member or element
            if (path.empty())
                continue;
            json::Value* parent = at(tree, path, path.size() - 1);
            if (parent->is_object())
                parent->as_object().erase(path.back());
            else
                parent->as_array().erase(parent->as_array().begin() +
                                         static_cast<long>(std::stoul(path.back())));
            ASSERT_TRUE(patch.remove(pointer(path))) << text << " " << pointer(path);
        } else { // insert into an array
            json::Value* target = at(tree, path, path.size());
            if (!target->is_array())
                continue;
            const std::size_t before = rng() % (target->as_array().size() + 1);
            target->as_array().insert(target->as_array().begin() + static_cast<long>(before), value);
            ASSERT_TRUE(patch.insert(pointer(path), before, value)) << text << " " << pointer(path);
        }
        ++edits;
        EXPECT_EQ(parsed(patch.text()), tree) << "before:\n" << text << "\nafter:\n" << patch.text();
    }
    EXPECT_GT(edits, 2500);
}

} // namespace
} // namespace ztnet::fix
