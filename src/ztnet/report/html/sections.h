// Sections the HTML pages share: the drawing of the estate with its legend (and, collapsed, the
// subnets listed by VNet), and an intent's verdict with its flow sets and their traces.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ztnet/reach/reachability.h"
#include "ztnet/reach/verify.h"
#include "ztnet/report/html/topology.h"
#include "ztnet/support/source.h"

namespace ztnet::report::html {

/// At most this many rows in a table the server writes (the rest are counted).
inline constexpr std::size_t kListRows = 200;

std::string topology_section(const Topology& topology);

/// The verdict, then the excess, missing and undecidable flow sets (each row with the rules that
/// decide its example flow, and the example traced hop by hop, folded).
std::string intent_section(const reach::VerifyResult& verified, const reach::Reachability& reach,
                           const std::string& intent_path, const SourceSet& sources);

/// A section with a table of text cells (escaped here): a heading with the count, at most kListRows
/// rows (the rest counted), `empty` said when there are none (no section when `empty` is "").
std::string text_table(std::string_view id, std::string_view title, const std::vector<std::string>& headers,
                       const std::vector<std::vector<std::string>>& rows, std::string_view empty = "");

/// Summary cards: each a number (or short text) and what it counts; `css` colours it ("high",
/// "added", "removed", "critical", "" for none).
struct Card {
    std::string css;
    std::string value;
    std::string label;
};
std::string cards_section(const std::vector<Card>& cards);

/// A traced flow, folded: "<details><summary>title</summary><pre>…hops…</pre></details>".
std::string folded_trace(std::string_view title, const route::PathResult& path, const SourceSet& sources);

} // namespace ztnet::report::html
