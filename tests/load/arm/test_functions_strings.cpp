// String functions. The "documented" tests are the worked examples of Microsoft's "String functions
// for ARM templates" reference (inputs from Azure/azure-docs-json-samples, outputs from the page).
#include "test_functions_helpers.h"

namespace ztnet::load::arm {
namespace {

using testing::Case;
using testing::ErrorCase;
using testing::run_cases;
using testing::run_error_cases;

TEST(ArmStringFunctions, DocumentedExamples) {
    run_cases({
        {"base64", R"(["one, two, three"])", R"("b25lLCB0d28sIHRocmVl")"},
        {"base64ToString", R"(["b25lLCB0d28sIHRocmVl"])", R"("one, two, three")"},
        // base64("{'one': 'a', 'two': 'b'}") read back as JSON (Newtonsoft accepts single quotes).
        {"base64ToJson", R"(["eydvbmUnOiAnYScsICd0d28nOiAnYid9"])", R"({"one":"a","two":"b"})"},
        {"dataUri", R"(["Hello"])", R"("data:text/plain;charset=utf8;base64,SGVsbG8=")"},
        {"dataUriToString", R"(["data:;base64,SGVsbG8sIFdvcmxkIQ=="])", R"("Hello, World!")"},
        {"startsWith", R"(["abcdef", "ab"])", "true"},
        {"startsWith", R"(["abcdef", "A"])", "true"},
        {"startsWith", R"(["abcdef", "e"])", "false"},
        {"endsWith", R"(["abcdef", "ef"])", "true"},
        {"endsWith", R"(["abcdef", "F"])", "true"},
        {"endsWith", R"(["abcdef", "e"])", "false"},
        {"format", R"(["{0}, {1}. Formatted number: {2:N0}", "Hello", "User", 8175133])",
         R"("Hello, User. Formatted number: 8,175,133")"},
        {"indexOf", R"(["test", "t"])", "0"},
        {"lastIndexOf", R"(["test", "t"])", "3"},
        {"indexOf", R"(["abcdef", "CD"])", "2"},
        {"lastIndexOf", R"(["abcdef", "AB"])", "0"},
        {"indexOf", R"(["abcdef", "z"])", "-1"},
        {"padLeft", R"(["123", 10, "0"])", R"("0000000123")"},
        {"replace", R"(["123-123-1234", "-", ""])", R"("1231231234")"},
        {"replace", R"(["123-123-1234", "1234", "xxxx"])", R"("123-123-xxxx")"},
        {"split", R"(["one,two,three", ","])", R"(["one","two","three"])"},
        {"split", R"(["one;two,three", [",", ";"]])", R"(["one","two","three"])"},
        {"string", R"([{"valueA": 10, "valueB": "Example Text"}])",
         R"("{\"valueA\":10,\"valueB\":\"Example Text\"}")"},
        {"string", R"([["a", "b", "c"]])", R"("[\"a\",\"b\",\"c\"]")"},
        {"string", "[5]", R"("5")"},
        {"substring", R"(["one two three", 4, 3])", R"("two")"},
        {"toLower", R"(["One Two Three"])", R"("one two three")"},
        {"toUpper", R"(["One Two Three"])", R"("ONE TWO THREE")"},
        {"trim", R"(["    one two three   "])", R"("one two three")"},
        {"uri", R"(["http://contoso.org/firstpath", "myscript.sh"])", R"("http://contoso.org/myscript.sh")"},
        {"uri", R"(["http://contoso.org/firstpath/", "myscript.sh"])",
         R"("http://contoso.org/firstpath/myscript.sh")"},
        {"uri", R"(["http://contoso.org/firstpath/azuredeploy.json", "myscript.sh"])",
         R"("http://contoso.org/firstpath/myscript.sh")"},
        {"uri", R"(["http://contoso.org/firstpath/azuredeploy.json/", "myscript.sh"])",
         R"("http://contoso.org/firstpath/azuredeploy.json/myscript.sh")"},
        {"uri", R"(["http://contoso.com/resources/", "nested/azuredeploy.json"])",
         R"("http://contoso.com/resources/nested/azuredeploy.json")"},
        {"uriComponent", R"(["http://contoso.com/resources/nested/azuredeploy.json"])",
         R"("http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json")"},
        {"uriComponentToString", R"(["http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json"])",
         R"("http://contoso.com/resources/nested/azuredeploy.json")"},
    });
}

// json() examples from the object functions page (json.json sample; "[[" there is ARM's escape for "[").
TEST(ArmStringFunctions, DocumentedJsonExamples) {
    run_cases({
        {"json", R"(["null"])", "null"},
        {"json", R"(["{\"a\": \"b\"}"])", R"({"a":"b"})"},
        {"json", R"(["\"test\""])", R"("test")"},
        {"json", R"(["true"])", "true"},
        {"json", R"(["3"])", "3"},
        {"json", R"(["[1,2,3 ]"])", "[1,2,3]"},
        {"json", R"(["{\"a\": \"demo value\"}"])", R"({"a":"demo value"})"},
    });
    // The parsed value has no place in any file.
    const Result<json::Value> parsed = testing::call("json", R"(["{\"a\": [1]}"])");
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->offset(), kNoOffset);
    EXPECT_EQ(parsed->find("a")->as_array()[0].offset(), kNoOffset);
}

// substring()'s documented failure and the message it carries.
TEST(ArmStringFunctions, SubstringDocumentedError) {
    const Result<json::Value> result = testing::call("substring", R"(["1234567890", 0, 11])");
    ASSERT_FALSE(result.ok());
    EXPECT_NE(
        result.error().message.find("The index parameter: '0', the length parameter: '11', the length of "
                                    "the string parameter: '10'."),
        std::string::npos)
        << result.error().message;
}

TEST(ArmStringFunctions, NormalUse) {
    run_cases({
        {"substring", R"(["abcdef"])", R"("abcdef")"},
        {"substring", R"(["abcdef", 2])", R"("cdef")"},
        {"substring", R"(["abcdef", 6])", R"("")"},
        {"substring", R"(["abcdef", 1, 0])", R"("")"},
        {"format", R"(["{0:D3}-{1:D2}", 7, 42])", R"("007-42")"},
        {"format", R"(["vm{0:00}", 3])", R"("vm03")"},
        {"format", R"(["{0:000}", -5])", R"("-005")"},
        {"format", R"(["{0:X}/{0:x4}", 255])", R"("FF/00ff")"},
        {"format", R"(["{0:N2}|{0:F1}|{0:G}", 1234])", R"("1,234.00|1234.0|1234")"},
        {"format", R"(["{{literal}} {0}", "x"])", R"("{literal} x")"},
        {"format", R"(["[{0,5}][{0,-5}]", "ab"])", R"("[   ab][ab   ]")"},
        {"format", R"(["{0} {1}", true, null])", R"("True ")"},
        {"format", R"(["{0:D5}", "text"])", R"("text")"},
        {"format", R"(["{0:D}", -9223372036854775808])", R"("-9223372036854775808")"},
        {"format", R"(["{0:F2}", 2.5])", R"("2.50")"},
        {"format", R"(["no items"])", R"("no items")"},
        {"toLower", R"(["ÀÉÎ ΑΒΓ АБВ"])", R"("àéî αβγ абв")"},
        {"toUpper", R"(["straße ÿ"])", R"("STRAßE Ÿ")"},
        {"trim", R"(["\t\n x \u00a0"])", R"("x")"},
        {"padLeft", R"([42, 5])", R"("   42")"},
        {"padLeft", R"(["abcdef", 3, "0"])", R"("abcdef")"},
        {"replace", R"(["aaa", "a", "bb"])", R"("bbbbbb")"},
        {"replace", R"(["Aa", "a", "x"])", R"("Ax")"},
        {"split", R"(["a,,b,", ","])", R"(["a","","b",""])"},
        {"split", R"(["", ","])", R"([""])"},
        {"split", R"(["a--b-c", ["--", "-"]])", R"(["a","b","c"])"},
        {"split", R"(["a b\tc", []])", R"(["a","b","c"])"},
        {"split", R"(["abc", ""])", R"(["abc"])"},
        {"string", "[true]", R"("True")"},
        {"string", "[null]", R"("")"},
        {"string", "[1.5]", R"("1.5")"},
        {"string", R"(["text"])", R"("text")"},
        {"string", R"([{"a": [1.0, "q\"\n"]}])", R"("{\"a\":[1.0,\"q\\\"\\n\"]}")"},
        {"startsWith", R"(["abc", ""])", "true"},
        {"endsWith", R"(["ÄBC", "äbc"])", "true"},
        {"join", R"([["a", "b", "c"], ", "])", R"("a, b, c")"},
        {"join", R"([[], "-"])", R"("")"},
        {"json", R"(["{'k': 'it\\'s \"q\"'}"])", R"({"k":"it's \"q\""})"},
        {"base64", R"(["é"])", R"("w6k=")"},
        {"base64ToString", R"(["w6k="])", R"("é")"},
        {"base64ToString", R"(["SGVs bG8="])", R"("Hello")"},
        {"dataUriToString", R"(["data:text/plain,a%20b"])", R"("a b")"},
        {"uriComponent", R"(["a b/é~"])", R"("a%20b%2F%C3%A9~")"},
        {"uriComponentToString", R"(["100%25 %zz"])", R"("100% %zz")"},
        {"uri", R"(["http://contoso.com", "a/b.json"])", R"("http://contoso.com/a/b.json")"},
        {"uri", R"(["http://contoso.com/x/y", "../z?q=1#f"])", R"("http://contoso.com/z?q=1#f")"},
        {"uri", R"(["http://contoso.com/x/y", "/abs"])", R"("http://contoso.com/abs")"},
        {"uri", R"(["http://contoso.com/x/y", "https://other.example/p"])", R"("https://other.example/p")"},
    });
}

// Strings are measured and cut in UTF-16 code units, as .NET does.
TEST(ArmStringFunctions, Utf16Positions) {
    run_cases({
        {"substring", R"(["héllo", 1, 3])", R"("éll")"},
        {"indexOf", R"(["日本語テキスト", "テキ"])", "3"},
        {"lastIndexOf", R"(["abcABC", "b"])", "4"},
        {"lastIndexOf", R"(["abc", ""])", "3"},
        {"indexOf", R"(["abc", ""])", "0"},
        {"padLeft", R"(["é", 3, "ü"])", R"("üüé")"},
    });
}

TEST(ArmStringFunctions, Errors) {
    run_error_cases({
        {"substring", R"(["abc", "1"])", "substring() expects (string[, int[, int]]), got (string, string)"},
        {"substring", R"(["abc", -1])", "index parameter: '-1'"},
        {"substring", R"(["abc", 4])", "index parameter: '4'"},
        {"substring", R"(["abc", 1, -1])", "the length parameter: '-1'"},
        {"substring", R"(["abc", 2, 2])",
         "the length parameter: '2', the length of the string parameter: '3'"},
        {"substring", R"([])", "substring() expects"},
        {"toLower", R"([1])", "toLower() expects (string), got (int)"},
        {"toUpper", R"(["a", "b"])", "toUpper() expects (string), got (string, string)"},
        {"trim", R"([null])", "trim() expects (string)"},
        {"startsWith", R"(["a"])", "startsWith() expects (string, string), got (string)"},
        {"endsWith", R"([["a"], "a"])", "endsWith() expects (string, string), got (array, string)"},
        {"replace", R"(["abc", "", "x"])", "oldString must not be empty"},
        {"replace", R"(["abc", "a"])", "replace() expects (string, string, string)"},
        {"split", R"(["a,b", 1])", "split() expects (string, string or array of strings), got (string, int)"},
        {"split", R"(["a,b", [1]])", "split() expects"},
        {"padLeft", R"(["a", -1])", "totalLength must not be negative"},
        {"padLeft", R"(["a", 5, "ab"])", "paddingCharacter must be a single character"},
        {"padLeft", R"(["a", 100000000000])", "beyond the supported"},
        {"padLeft", R"([{}, 5])", "padLeft() expects"},
        {"format", R"(["{0} {1}", "a"])", "refers to argument 1 but only 1 were given"},
        {"format", R"(["{0", "a"])", "is not closed"},
        {"format", R"(["a}b", "a"])", "unmatched '}'"},
        {"format", R"(["{x}", "a"])", "does not start with an argument index"},
        {"format", R"(["{0:E2}", 5])", "'E2' is not supported"},
        {"format", R"(["{0}", [1]])", "argument 0 is array"},
        {"format", R"([1])", "format() expects (string, any, ...), got (int)"},
        {"base64ToString", R"(["abc"])", "is not valid base64"},
        {"base64ToString", R"(["ab!="])", "is not valid base64"},
        {"base64ToJson", R"(["bm90IGpzb24="])", "not valid JSON"},
        {"json", R"(["{oops"])", "json(): the string is not valid JSON"},
        {"json", R"([3])", "json() expects (string), got (int)"},
        {"dataUriToString", R"(["hello"])", "is not a data URI"},
        {"dataUriToString", R"(["data:;base64,***"])", "is not valid base64"},
        {"uri", R"(["relative/path", "x"])", "is not an absolute URI"},
        {"join", R"([["a", 1], ","])", "expects an array of strings, found int"},
        {"string", R"([])", "string() expects (any), got ()"},
        {"base64", R"([true])", "base64() expects (string), got (bool)"},
    });
}

TEST(ArmStringFunctions, UnknownArguments) {
    run_cases({
        {"substring", R"(["$unknown", 1, 2])", "unknown"},
        {"substring", R"(["abc", "$unknown"])", "unknown"},
        {"format", R"(["{0}", "$unknown"])", "unknown"},
        {"format", R"(["{0}-{0}", "a", "$unknown"])", R"("a-a")"}, // the unknown is not used
        {"format", R"(["$unknown", "a"])", "unknown"},
        {"string", R"([["a", "$unknown"]])", "unknown"},
        {"toLower", R"(["$unknown"])", "unknown"},
        {"split", R"(["a,b", ["$unknown"]])", "unknown"},
        {"join", R"([["a", "$unknown"], ","])", "unknown"},
        {"json", R"(["$unknown"])", "unknown"},
        {"replace", R"(["a", "$unknown", "b"])", "unknown"},
        {"padLeft", R"(["a", "$unknown"])", "unknown"},
    });
    // A known argument of the wrong kind is still an error.
    EXPECT_FALSE(testing::call("substring", R"(["$unknown", "1"])").ok());
    const Result<json::Value> result = testing::call("concat", R"(["a", "$unknown"])");
    ASSERT_TRUE(result.ok());
    ASSERT_TRUE(result->is_unknown());
    EXPECT_EQ(result->as_unknown().reason, "concat() of an unknown value");
}

TEST(ArmStringFunctions, NamesAreCaseInsensitive) {
    EXPECT_NE(find_pure_function("SUBSTRING"), nullptr);
    EXPECT_EQ(find_pure_function("toupper"), find_pure_function("toUpper"));
    EXPECT_EQ(find_pure_function("noSuchFunction"), nullptr);
    EXPECT_EQ(find_pure_function("newGuid"), nullptr);    // not pure
    EXPECT_EQ(find_pure_function("parameters"), nullptr); // the evaluator's
}

} // namespace
} // namespace ztnet::load::arm
