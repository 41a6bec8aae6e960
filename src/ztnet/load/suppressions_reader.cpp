#include "ztnet/load/suppressions_reader.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "ztnet/load/detail/yaml_tree.h"

namespace ztnet::load {
namespace {

using detail::YamlNode;

constexpr detail::YamlFileKind kSuppressionsFile{"suppressions", "suppressions file", "suppressions files",
                                                 "expected 'suppressions:' with a list"};

bool is_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (!std::isdigit(static_cast<unsigned char>(text[i])))
            return false;
    }
    int month = (text[5] - '0') * 10 + (text[6] - '0');
    int day = (text[8] - '0') * 10 + (text[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

class Walker {
  public:
    Walker(FileId file, Diagnostics& diagnostics, const SuppressionLimits& limits)
        : file_(file), diagnostics_(diagnostics), limits_(limits) {}

    std::vector<model::Suppression> read(const YamlNode& root) {
        std::vector<model::Suppression> out;
        if (root.kind != YamlNode::Kind::Map) {
            error(root, "expected a mapping with 'suppressions:'");
            return out;
        }
        const YamlNode* list = nullptr;
        for (std::size_t i = 0; i + 1 < root.children.size(); i += 2) {
            if (root.children[i].text == "suppressions")
                list = &root.children[i + 1];
            else
                error(root.children[i],
                      fmt::format("unknown key '{}'; expected 'suppressions'", root.children[i].text));
        }
        if (!list) {
            error(root, "missing 'suppressions:'");
            return out;
        }
        if (list->kind == YamlNode::Kind::Null)
            return out; // an empty list written as `suppressions:`
        if (list->kind != YamlNode::Kind::Sequence) {
            error(*list, "'suppressions' must be a list");
            return out;
        }
        if (list->children.size() > limits_.max_items) {
            error(*list, fmt::format("more than {} suppressions", limits_.max_items));
            return out;
        }
        for (const YamlNode& item : list->children) {
            if (auto s = entry(item))
                out.push_back(std::move(*s));
        }
        return out;
    }

    bool failed() const { return failed_; }

  private:
    std::optional<model::Suppression> entry(const YamlNode& item) {
        if (item.kind != YamlNode::Kind::Map) {
            error(item, "each suppression is a mapping with check, resource, reason and expires");
            return std::nullopt;
        }
        model::Suppression s;
        s.where = {file_, item.offset, ""};
        const YamlNode* fields[4] = {nullptr, nullptr, nullptr, nullptr};
        static constexpr std::string_view kNames[4] = {"check", "resource", "reason", "expires"};
        for (std::size_t i = 0; i + 1 < item.children.size(); i += 2) {
            const YamlNode& key = item.children[i];
            const YamlNode& value = item.children[i + 1];
            auto known = std::find(std::begin(kNames), std::end(kNames), key.text);
            if (known == std::end(kNames)) {
                error(key,
                      fmt::format("unknown key '{}'; expected check, resource, reason or expires", key.text));
                continue;
            }
            if (value.kind != YamlNode::Kind::Scalar || value.text.empty()) {
                error(value, fmt::format("'{}' must be a non-empty text", key.text));
                continue;
            }
            fields[known - std::begin(kNames)] = &value;
        }
        bool complete = true;
        for (int f = 0; f < 4; ++f) {
            if (!fields[f]) {
                error(item, fmt::format("missing '{}'", kNames[f]));
                complete = false;
            }
        }
        if (!complete)
            return std::nullopt;
        s.check_id = fields[0]->text;
        s.resource = fields[1]->text;
        s.reason = fields[2]->text;
        s.expires = fields[3]->text;
        if (!is_date(s.expires)) {
            error(*fields[3], fmt::format("'{}' is not a date; expected YYYY-MM-DD", s.expires));
            return std::nullopt;
        }
        return s;
    }

    void error(const YamlNode& node, std::string message) {
        failed_ = true;
        diagnostics_.error("suppressions-invalid", std::move(message), {file_, node.offset, ""});
    }

    FileId file_;
    Diagnostics& diagnostics_;
    const SuppressionLimits& limits_;
    bool failed_ = false;
};

} // namespace

std::optional<std::vector<model::Suppression>> read_suppressions(const SourceSet& sources, FileId file,
                                                                 Diagnostics& diagnostics,
                                                                 const SuppressionLimits& limits) {
    auto root = detail::read_yaml_document(sources.text(file), file, diagnostics, limits.max_bytes,
                                           limits.max_depth, kSuppressionsFile);
    if (!root)
        return std::nullopt;
    Walker walker(file, diagnostics, limits);
    std::vector<model::Suppression> out = walker.read(*root);
    if (walker.failed())
        return std::nullopt;
    return out;
}

std::optional<std::vector<model::Suppression>> read_suppressions_file(const std::string& path,
                                                                      SourceSet& sources,
                                                                      Diagnostics& diagnostics,
                                                                      const SuppressionLimits& limits) {
    std::optional<FileId> file = detail::read_limited_file(path, sources, diagnostics, limits.max_bytes);
    if (!file)
        return std::nullopt;
    return read_suppressions(sources, *file, diagnostics, limits);
}

} // namespace ztnet::load
