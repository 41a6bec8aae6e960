// Array and object functions. The "documented" tests are the worked examples of Microsoft's "Array
// functions" and "Object functions" references for ARM templates.
#include "test_functions_helpers.h"

namespace ztnet::load::arm {
namespace {

using testing::Case;
using testing::ErrorCase;
using testing::run_cases;
using testing::run_error_cases;

TEST(ArmCollectionFunctions, DocumentedArrayExamples) {
    run_cases({
        {"array", "[1]", "[1]"},
        {"array", R"(["efgh"])", R"(["efgh"])"},
        {"array", R"([{"a": "b", "c": "d"}])", R"([{"a":"b","c":"d"}])"},
        {"concat", R"([["1-1", "1-2", "1-3"], ["2-1", "2-2", "2-3"]])",
         R"(["1-1","1-2","1-3","2-1","2-2","2-3"])"},
        {"contains", R"(["OneTwoThree", "e"])", "true"},
        {"contains", R"(["OneTwoThree", "z"])", "false"},
        {"contains", R"([{"one": "a", "two": "b", "three": "c"}, "one"])", "true"},
        {"contains", R"([{"one": "a", "two": "b", "three": "c"}, "a"])", "false"},
        {"contains", R"([["one", "two", "three"], "three"])", "true"},
        {"contains", R"([["one", "two", "three"], "four"])", "false"},
        {"createArray", R"(["a", "b", "c"])", R"(["a","b","c"])"},
        {"createArray", "[1, 2, 3]", "[1,2,3]"},
        {"createArray", R"([{"one": "a", "two": "b", "three": "c"}])",
         R"([{"one":"a","two":"b","three":"c"}])"},
        {"createArray", R"([["one", "two", "three"]])", R"([["one","two","three"]])"},
        {"createArray", "[]", "[]"},
        {"empty", "[[]]", "true"},
        {"empty", "[{}]", "true"},
        {"empty", R"([""])", "true"},
        {"first", R"([["one", "two", "three"]])", R"("one")"},
        {"first", R"(["One Two Three"])", R"("O")"},
        {"intersection",
         R"([{"one": "a", "two": "b", "three": "c"}, {"one": "a", "two": "z", "three": "c"}])",
         R"({"one":"a","three":"c"})"},
        {"intersection", R"([["one", "two", "three"], ["two", "three"]])", R"(["two","three"])"},
        {"last", R"([["one", "two", "three"]])", R"("three")"},
        {"last", R"(["One Two Three"])", R"("e")"},
        {"length", R"([["one", "two", "three"]])", "3"},
        {"length", R"(["One Two Three"])", "13"},
        {"length",
         R"([{"propA": "one", "propB": "two", "propC": "three", "propD": {"propD-1": "sub", "propD-2": "sub"}}])",
         "4"},
        {"skip", R"([["one", "two", "three"], 2])", R"(["three"])"},
        {"skip", R"(["one two three", 4])", R"("two three")"},
        {"take", R"([["one", "two", "three"], 2])", R"(["one","two"])"},
        {"take", R"(["one two three", 2])", R"("on")"},
        {"union", R"([{"one": "a", "two": "b", "three": "c1"}, {"three": "c2", "four": "d", "five": "e"}])",
         R"({"one":"a","two":"b","three":"c2","four":"d","five":"e"})"},
        {"union", R"([["one", "two", "three"], ["three", "four"]])", R"(["one","two","three","four"])"},
    });
}

// indexOf/lastIndexOf on arrays: the example of the array functions page.
TEST(ArmCollectionFunctions, DocumentedIndexOfExamples) {
    run_cases({
        {"lastIndexOf", R"([["one", "two", "three"], "two"])", "1"},
        {"indexOf", R"([["one", "two", "three"], "one"])", "0"},
        {"lastIndexOf", R"([["one", "two", "three"], "Three"])", "-1"},
        {"lastIndexOf", "[[4, 5, 6], 4]", "0"},
        {"indexOf", "[[4, 5, 6], 6]", "2"},
        {"lastIndexOf", R"([[4, 5, 6], "5"])", "-1"},
        {"indexOf", R"([[["one", "two", "three"], [4, 5, 6]], [4, 5, 6]])", "1"},
        {"indexOf", "[[1, 2, 3, 1], 1]", "0"},
        {"lastIndexOf", "[[1, 2, 3, 1], 1]", "3"},
    });
}

TEST(ArmCollectionFunctions, DocumentedObjectExamples) {
    // createobject.json: createObject('intProp', 1, 'stringProp', 'abc', 'boolProp', true(),
    //   'arrayProp', createArray('a', 'b', 'c'), 'objectProp', createObject('key1', 'value1'))
    run_cases({
        {"createObject",
         R"(["intProp", 1, "stringProp", "abc", "boolProp", true, "arrayProp", ["a", "b", "c"], "objectProp", {"key1": "value1"}])",
         R"({"intProp":1,"stringProp":"abc","boolProp":true,"arrayProp":["a","b","c"],"objectProp":{"key1":"value1"}})"},
        {"items",
         R"([{"item002": {"enabled": false, "displayName": "Example item 2", "number": 200},
              "item001": {"enabled": true, "displayName": "Example item 1", "number": 300}}])",
         R"([{"key":"item001","value":{"enabled":true,"displayName":"Example item 1","number":300}},)"
         R"({"key":"item002","value":{"enabled":false,"displayName":"Example item 2","number":200}}])"},
        // The deep merge example: nested objects merge, nested arrays do not.
        {"union",
         R"([{"property": {"one": "a", "two": "b", "three": "c1"}, "nestedArray": [1, 2]},
             {"property": {"three": "c2", "four": "d", "five": "e"}, "nestedArray": [3, 4]}])",
         R"({"property":{"one":"a","two":"b","three":"c2","four":"d","five":"e"},"nestedArray":[3,4]})"},
        {"union", R"([[["one", "two"], ["three"]], [["three"], ["four", "two"]]])",
         R"([["one","two"],["three"],["four","two"]])"},
        {"null", "[]", "null"},
        {"empty", "[null]", "true"},
    });
}

// coalesce() is listed with the comparison functions; its example lives here with the values it moves.
TEST(ArmCollectionFunctions, DocumentedCoalesceExamples) {
    run_cases({
        {"coalesce", R"([null, null, "default"])", R"("default")"},
        {"coalesce", "[null, null, 1]", "1"},
        {"coalesce", R"([null, null, {"first": "default"}])", R"({"first":"default"})"},
        {"coalesce", "[null, null, [1]]", "[1]"},
        {"coalesce", "[null, null]", "null"},
        {"coalesce", R"(["", "x"])", R"("")"},
    });
}

TEST(ArmCollectionFunctions, NormalUse) {
    run_cases({
        {"concat", R"(["vm-", 3])", R"("vm-3")"},
        {"concat", R"(["a", "b", "c"])", R"("abc")"},
        {"concat", R"([[1], [], [2, [3]]])", "[1,2,[3]]"},
        {"contains", R"([{"Key": 1}, "kEY"])", "true"},
        {"contains", R"(["abc", "B"])", "false"},
        {"contains", R"(["a1b", 1])", "true"},
        {"contains", "[[1, 2.0], 2]", "true"},
        {"contains", R"([[{"a": [1]}], {"a": [1]}])", "true"},
        {"first", "[[]]", "null"},
        {"first", R"([""])", R"("")"},
        {"last", "[[]]", "null"},
        {"skip", "[[1, 2, 3], -5]", "[1,2,3]"},
        {"skip", "[[1, 2, 3], 99]", "[]"},
        {"take", "[[1, 2, 3], 0]", "[]"},
        {"take", "[[1, 2, 3], 9223372036854775807]", "[1,2,3]"},
        {"take", R"(["héllo", 2])", R"("hé")"},
        {"skip", R"(["abc", -1])", R"("abc")"},
        {"length", R"(["日本"])", "2"},
        {"length", "[{}]", "0"},
        {"union", "[[1, 1, 2], [2, 3], [3, 1, 4]]", "[1,2,3,4]"},
        {"union", R"([{"a": 1}, {"A": 2}])", R"({"a":2})"},
        {"union", R"([{"a": {"x": 1}}, {"a": 5}])", R"({"a":5})"},
        {"intersection", "[[1, 2, 2, 3], [2, 3], [3, 2]]", "[2,3]"},
        {"intersection", R"([{"a": 1, "b": 2}, {"a": 1}, {"a": 1, "b": 2}])", R"({"a":1})"},
        {"items", R"([{"b": 1, "A": 2, "a": 3}])",
         R"([{"key":"A","value":2},{"key":"a","value":3},{"key":"b","value":1}])"},
        {"items", "[{}]", "[]"},
        {"flatten", R"([[["one", "two"], ["three"], [], ["four", ["five"]]]])",
         R"(["one","two","three","four",["five"]])"},
        {"shallowMerge", R"([[{"a": 1, "n": {"x": 1}}, {"b": 2, "n": {"y": 2}}]])",
         R"({"a":1,"n":{"y":2},"b":2})"},
        {"createObject", "[]", "{}"},
        {"array", "[[1, 2]]", "[1,2]"},
        {"array", "[null]", "[null]"},
        {"indexOf", "[[], 1]", "-1"},
    });
}

TEST(ArmCollectionFunctions, Errors) {
    run_error_cases({
        {"concat", R"(["a", ["b"]])", "concat() expects (string, ...) or (array, ...), got (string, array)"},
        {"concat", "[]", "concat() expects"},
        {"concat", R"([{"a": 1}])", "concat() expects"},
        {"contains", R"([1, 1])", "contains() expects (array, object or string, any), got (int, int)"},
        {"contains", R"(["abc", ["a"]])", "contains() expects"},
        {"createObject", R"(["a"])", "createObject() expects (string, any, string, any, ...), got (string)"},
        {"createObject", "[1, 2]", "createObject() expects"},
        {"createObject", R"(["a", 1, "A", 2])", "the key 'A' is given more than once"},
        {"empty", "[1]", "empty() expects (array, object or string), got (int)"},
        {"first", "[{}]", "first() expects (array or string), got (object)"},
        {"last", "[]", "last() expects"},
        {"length", "[null]", "length() expects (array, object or string), got (null)"},
        {"length", "[true]", "length() expects"},
        {"skip", R"([[1], "1"])", "skip() expects (array or string, int), got (array, string)"},
        {"take", "[{}, 1]", "take() expects"},
        {"indexOf", R"(["abc", 1])", "indexOf() expects (array, any) or (string, string), got (string, int)"},
        {"lastIndexOf", "[{}, 1]", "lastIndexOf() expects"},
        {"union", "[[1]]", "union() expects (array, array, ...) or (object, object, ...), got (array)"},
        {"union", "[[1], {}]", "union() expects"},
        {"union", R"([[1], "a"])", "union() expects"},
        {"intersection", "[{}, [1]]", "intersection() expects"},
        {"items", "[[1]]", "items() expects (object), got (array)"},
        {"flatten", "[[[1], 2]]", "flatten(): expects an array of arrays, found int"},
        {"flatten", "[[1], [2]]", "flatten() expects (array of arrays), got (array, array)"},
        {"shallowMerge", "[[{}, 1]]", "expects an array of objects, found int"},
        {"coalesce", "[]", "coalesce() expects (any, ...), got ()"},
        {"null", "[1]", "null() expects (), got (int)"},
        {"array", "[]", "array() expects (any), got ()"},
    });
}

TEST(ArmCollectionFunctions, UnknownArguments) {
    run_cases({
        // Decided by the unknown: the result is unknown.
        {"length", R"(["$unknown"])", "unknown"},
        {"empty", R"(["$unknown"])", "unknown"},
        {"first", R"(["$unknown"])", "unknown"},
        {"concat", R"([["a"], "$unknown"])", "unknown"},
        {"contains", R"([["a", "$unknown"], "b"])", "unknown"},
        {"indexOf", R"([["$unknown", "a"], "a"])", "unknown"},
        {"union", R"([["a", "$unknown"], ["b"]])", "unknown"},
        {"intersection", R"([["a"], ["$unknown"]])", "unknown"},
        {"coalesce", R"([null, "$unknown", "x"])", "unknown"},
        {"skip", R"([["a"], "$unknown"])", "unknown"},
        {"flatten", R"([[["a"], "$unknown"]])", "unknown"},
        {"createObject", R"(["$unknown", 1])", "unknown"},
        {"array", R"(["$unknown"])", "unknown"},
        // Not decided by the unknown: the result is known, possibly holding the unknown.
        {"length", R"([["$unknown", "$unknown"]])", "2"},
        {"empty", R"([{"a": "$unknown"}])", "false"},
        {"contains", R"([["$unknown", "b"], "b"])", "true"},
        {"contains", R"([{"a": "$unknown"}, "a"])", "true"},
        {"indexOf", R"([["a", "$unknown"], "a"])", "0"},
        {"coalesce", R"([null, "x", "$unknown"])", R"("x")"},
        {"createArray", R"([1, "$unknown"])", R"(contains unknown: [1,"<unknown: test>"])"},
        {"createObject", R"(["k", "$unknown"])", R"(contains unknown: {"k":"<unknown: test>"})"},
        {"first", R"([["$unknown", 1]])", "unknown"},
        {"last", R"([["$unknown", 1]])", "1"},
        {"concat", R"([[1], ["$unknown"]])", R"(contains unknown: [1,"<unknown: test>"])"},
        {"take", R"([["$unknown", 1], 1])", R"(contains unknown: ["<unknown: test>"])"},
        {"union", R"([{"a": "$unknown"}, {"b": 1}])", R"(contains unknown: {"a":"<unknown: test>","b":1})"},
        {"items", R"([{"a": "$unknown"}])", R"(contains unknown: [{"key":"a","value":"<unknown: test>"}])"},
    });
}

} // namespace
} // namespace ztnet::load::arm

namespace ztnet::load::arm::testing {
namespace {

TEST(ArmCollectionFunctions, ObjectKeysTryGetAndIndexFromEnd) {
    run_cases({
        {"objectKeys", R"([{"a": 1, "b": {"c": 2}}])", R"(["a","b"])"},
        {"tryGet", R"([{"a": {"b": 1}}, "A", "b"])", "1"},
        {"tryGet", R"([{"a": 1}, "x"])", "null"},
        {"tryGet", R"([["x", "y"], 1])", R"("y")"},
        {"tryGet", R"([["x"], 5])", "null"},
        {"tryGet", R"([{"a": "$unknown"}, "a", "b"])", "unknown"},
        {"indexFromEnd", "[[1, 2, 3], 1]", "3"},
        {"tryIndexFromEnd", "[[1, 2, 3], 3]", "1"},
        {"tryIndexFromEnd", "[[1, 2, 3], 4]", "null"},
    });
    run_error_cases({
        {"indexFromEnd", "[[1, 2, 3], 4]", "outside"},
        {"indexFromEnd", "[[1, 2, 3], 0]", "outside"},
        {"objectKeys", "[[1]]", "expects"},
    });
}

} // namespace
} // namespace ztnet::load::arm::testing
