// One self-contained HTML page: the stylesheet and the script inline, the report's data as JSON in
// a <script type="application/json"> element, and a Content-Security-Policy that lets exactly that
// style and that script run (by their SHA-256) and nothing else: no network, no other script, no
// inline event handler, whatever the data holds. Opened from disk or served, it needs nothing.
#pragma once

#include <string>
#include <string_view>

#include "ztnet/json/value.h"

namespace ztnet::report::html {

struct Page {
    std::string title;        // text; escaped here
    std::string header_lines; // HTML: the lines under the title (escaped by the caller)
    std::string body;         // HTML: the sections (escaped by the caller)
    json::Value data;         // what the script reads
};

/// The whole document.
std::string render_page(const Page& page);

/// The policy render_page writes (its meta element), for a server that wants to send it as a
/// header too.
std::string content_security_policy();

std::string_view page_style();
std::string_view page_script();

} // namespace ztnet::report::html
