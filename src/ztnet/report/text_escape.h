// Putting text from the input (resource names, tags, rule descriptions) into markup without it
// acting as markup: HTML text and attributes, Markdown table cells, and JSON inside a <script>
// element. Names are attacker-chosen in a hostile estate; whatever they hold renders as text.
#pragma once

#include <string>
#include <string_view>

namespace ztnet::report {

/// `text` with its C0 controls (but tab and line feed), DEL, C1 controls and the Unicode bidirectional
/// controls (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) written as visible "\u{XXXX}"; invalid UTF-8
/// bytes become U+FFFD. What a reader sees is what the input holds, in the order it holds it.
std::string visible_text(std::string_view text);

/// visible_text, then & < > " ' as character references: safe as HTML text and as a quoted
/// attribute value.
std::string html_text(std::string_view text);

/// visible_text on one line (tabs and line feeds become spaces), with what Markdown or GitHub would read as
/// markup escaped (backslash before ASCII punctuation that has a meaning; & < > as character references):
/// safe in a table cell and in running text.
std::string markdown_text(std::string_view text);

/// A code fence (```...) longer than any run of backticks in `text`, so the text cannot close it.
std::string markdown_fence(std::string_view text);

/// At most `max_characters` code points of `text`, ending in "…" when cut (never inside a UTF-8
/// sequence): what a drawing shows of a long name.
std::string shortened(std::string_view text, std::size_t max_characters);

/// JSON text made safe inside <script type="application/json">: "<", ">", "&", U+2028 and U+2029
/// as \u escapes (the JSON means the same; no "</script" or "<!--" can appear).
std::string script_safe_json(std::string_view json_text);

} // namespace ztnet::report
