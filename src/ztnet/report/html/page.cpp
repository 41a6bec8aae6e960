#include "ztnet/report/html/page.h"

#include <fmt/format.h>

#include "ztnet/json/reader.h"
#include "ztnet/report/text_escape.h"
#include "ztnet/support/sha256.h"
#include "ztnet/support/version.h"

namespace ztnet::report::html {

std::string content_security_policy() {
    return fmt::format("default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; "
                       "form-action 'none'",
                       csp_hash_source(page_script()), csp_hash_source(page_style()));
}

std::string render_page(const Page& page) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n",
                       html_text(content_security_policy()));
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += fmt::format("<meta name=\"generator\" content=\"ztnet {}\">\n", html_text(kVersion));
    out += fmt::format("<title>{}</title>\n", html_text(page.title));
    out += fmt::format("<style>{}</style>\n</head>\n<body>\n", page_style());
    out += fmt::format("<header class=\"top\"><h1>{}</h1>{}</header>\n<main>\n", html_text(page.title),
                       page.header_lines);
    out += page.body;
    out += "</main>\n<script type=\"application/json\" id=\"ztnet-data\">";
    out += script_safe_json(json::write(page.data, {.indent = 0}));
    out += "</script>\n";
    out += fmt::format("<script>{}</script>\n</body>\n</html>\n", page_script());
    return out;
}

} // namespace ztnet::report::html
