// Text from the input put into markup stays text: HTML, Markdown, code fences and JSON in <script>.
#include <gtest/gtest.h>

#include "ztnet/report/text_escape.h"

namespace ztnet::report {
namespace {

TEST(VisibleText, ShowsControlsAndBidiOverridesAsEscapes) {
    EXPECT_EQ(visible_text("plain name-1"), "plain name-1");
    EXPECT_EQ(visible_text("a\x1b[31mb"), "a\\u{001B}[31mb");
    EXPECT_EQ(visible_text("evil\xE2\x80\xAEtxt.exe"), "evil\\u{202E}txt.exe");  // RIGHT-TO-LEFT OVERRIDE
    EXPECT_EQ(visible_text("\xE2\x81\xA6x\xE2\x81\xA9"), "\\u{2066}x\\u{2069}"); // isolates
    EXPECT_EQ(visible_text("tab\tline\nend"), "tab\tline\nend");
    EXPECT_EQ(visible_text("\xC2\x85"), "\\u{0085}"); // C1 NEXT LINE
}

TEST(VisibleText, KeepsValidUtf8AndReplacesInvalidBytes) {
    EXPECT_EQ(visible_text("Zürich 東京 😀"), "Zürich 東京 😀");
    EXPECT_EQ(visible_text("a\xFF"
                           "b"),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(visible_text("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                 // overlong '/'
    EXPECT_EQ(visible_text("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // a surrogate
    EXPECT_EQ(visible_text("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");                 // truncated
}

TEST(HtmlText, EscapesEveryMarkupCharacter) {
    EXPECT_EQ(html_text("<script>alert('x')</script> & \"q\""),
              "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    EXPECT_EQ(html_text("</style>"), "&lt;/style&gt;");
}

TEST(MarkdownText, StaysInOneTableCell) {
    EXPECT_EQ(markdown_text("a|b"), "a\\|b");
    EXPECT_EQ(markdown_text("`x` *y* _z_ [l](u) ~s~"), "\\`x\\` \\*y\\* \\_z\\_ \\[l\\](u) \\~s\\~");
    EXPECT_EQ(markdown_text("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
    EXPECT_EQ(markdown_text("two\nlines\tand tab"), "two lines and tab");
    EXPECT_EQ(markdown_text("back\\slash"), "back\\\\slash");
}

TEST(MarkdownFence, OutgrowsEveryBacktickRun) {
    EXPECT_EQ(markdown_fence("no ticks"), "```");
    EXPECT_EQ(markdown_fence("a ``` b"), "````");
    EXPECT_EQ(markdown_fence("`````"), "``````");
}

TEST(Shortened, CutsWholeCharactersAndMarksTheCut) {
    EXPECT_EQ(shortened("short", 10), "short");
    EXPECT_EQ(shortened("exactly10!", 10), "exactly10!");
    EXPECT_EQ(shortened("eleven char", 10), "eleven ch\xE2\x80\xA6");
    EXPECT_EQ(shortened("東京東京東京", 4), "東京東\xE2\x80\xA6"); // three-byte characters stay whole
}

TEST(ScriptSafeJson, CannotCloseTheScriptElement) {
    EXPECT_EQ(script_safe_json(R"({"n":"</script><!--x-->&"})"),
              R"({"n":"\u003c/script\u003e\u003c!--x--\u003e\u0026"})");
    EXPECT_EQ(script_safe_json("\"\xE2\x80\xA8\xE2\x80\xA9\""), "\"\\u2028\\u2029\"");
    EXPECT_EQ(script_safe_json(R"([1,2,{"a":true}])"), R"([1,2,{"a":true}])");
}

} // namespace
} // namespace ztnet::report
