#include "ztnet/load/detail/yaml_tree.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <new>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

namespace ztnet::load::detail {
namespace {

// Thrown from inside the event handler to stop yaml-cpp at once; caught by parse_yaml().
struct ParseStop {
    std::string code;
    std::string message;
    YAML::Mark mark;
};

class TreeBuilder final : public YAML::EventHandler {
  public:
    TreeBuilder(int max_depth, const YamlFileKind& kind) : max_depth_(max_depth), kind_(kind) {}

    void OnDocumentStart(const YAML::Mark& mark) override {
        ++documents_;
        if (documents_ > 1)
            throw ParseStop{
                code("documents"),
                fmt::format("an {} holds one YAML document; remove the second one (after '---')", kind_.noun),
                mark};
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { add(make(YamlNode::Kind::Null, mark)); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
        throw ParseStop{
            code("alias"),
            fmt::format("aliases (*name) are not supported in {}; repeat the value", kind_.plural), mark};
    }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  const std::string& value) override {
        YamlNode node = make(YamlNode::Kind::Scalar, mark);
        node.text = value;
        add(std::move(node));
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        open(YamlNode::Kind::Sequence, mark);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {
        open(YamlNode::Kind::Map, mark);
    }
    void OnMapEnd() override { close(); }

    int documents() const { return documents_; }
    YamlNode take_root() { return std::move(root_); }

  private:
    static YamlNode make(YamlNode::Kind kind, const YAML::Mark& mark) {
        YamlNode node;
        node.kind = kind;
        node.offset = mark.pos < 0 ? 0u : static_cast<std::uint32_t>(mark.pos);
        return node;
    }
    void open(YamlNode::Kind kind, const YAML::Mark& mark) {
        if (static_cast<int>(open_.size()) >= max_depth_)
            throw ParseStop{code("too-deep"),
                            fmt::format("collections nest deeper than the limit of {} levels", max_depth_),
                            mark};
        open_.push_back(make(kind, mark));
    }
    void close() {
        if (open_.empty())
            return; // unbalanced events would be a yaml-cpp bug; nothing to close
        YamlNode node = std::move(open_.back());
        open_.pop_back();
        add(std::move(node));
    }
    void add(YamlNode node) {
        if (open_.empty())
            root_ = std::move(node);
        else
            open_.back().children.push_back(std::move(node));
    }

    std::string code(std::string_view what) const { return fmt::format("{}-{}", kind_.code_prefix, what); }

    int max_depth_;
    const YamlFileKind& kind_;
    int documents_ = 0;
    std::vector<YamlNode> open_;
    YamlNode root_;
};

// The byte offset of a yaml-cpp mark in the original text: yaml-cpp counts bytes, but not a BOM.
std::uint32_t text_offset(const YAML::Mark& mark, std::uint32_t base, std::size_t size) {
    const std::size_t pos = mark.pos < 0 ? 0 : static_cast<std::size_t>(mark.pos);
    return static_cast<std::uint32_t>(std::min(size, base + pos));
}

void shift_offsets(YamlNode& node, std::uint32_t base, std::size_t size) {
    // Iterative: the tree is at most max_depth deep, but there is no need to recurse at all.
    std::vector<YamlNode*> pending{&node};
    while (!pending.empty()) {
        YamlNode* current = pending.back();
        pending.pop_back();
        current->offset = static_cast<std::uint32_t>(std::min<std::size_t>(size, current->offset + base));
        for (YamlNode& child : current->children)
            pending.push_back(&child);
    }
}

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Intent files are UTF-8. yaml-cpp would also read UTF-16 and UTF-32, but then its positions no
// longer count bytes of the file; a NUL byte is never part of UTF-8 text.
} // namespace

bool check_encoding(std::string_view text, FileId file, Diagnostics& diagnostics, const YamlFileKind& kind) {
    const bool utf16_bom = text.size() >= 2 && ((text[0] == '\xFE' && text[1] == '\xFF') ||
                                                (text[0] == '\xFF' && text[1] == '\xFE'));
    const std::size_t nul = text.find('\0');
    if (!utf16_bom && nul == std::string_view::npos)
        return true;
    diagnostics.error(fmt::format("{}-encoding", kind.code_prefix),
                      utf16_bom ? fmt::format("the {} is UTF-16 or UTF-32; save it as UTF-8", kind.noun)
                                : fmt::format("the {} holds a NUL byte; expected UTF-8 text", kind.noun),
                      {file, utf16_bom ? 0u : static_cast<std::uint32_t>(nul), ""});
    return false;
}

std::optional<YamlNode> read_yaml_document(std::string_view text, FileId file, Diagnostics& diagnostics,
                                           std::size_t max_bytes, int max_depth, const YamlFileKind& kind) {
    if (text.size() > max_bytes) {
        diagnostics.error("file-too-large",
                          fmt::format("file is {} bytes, over the {} byte limit", text.size(), max_bytes),
                          {file, 0, ""});
        return std::nullopt;
    }
    if (!check_encoding(text, file, diagnostics, kind))
        return std::nullopt;
    return parse_yaml(text, file, diagnostics, max_depth, kind);
}

// Parses the text into a tree; nullopt (with a diagnostic) on a syntax error or a broken limit.
std::optional<YamlNode> parse_yaml(std::string_view text, FileId file, Diagnostics& diagnostics,
                                   int max_depth, const YamlFileKind& kind) {
    const std::uint32_t base = text.substr(0, kUtf8Bom.size()) == kUtf8Bom ? 3u : 0u;
    auto report = [&](std::string code, std::string message, const YAML::Mark& mark) {
        diagnostics.error(std::move(code), std::move(message),
                          {file, text_offset(mark, base, text.size()), ""});
    };
    try {
        std::istringstream stream{std::string(text)};
        YAML::Parser parser(stream);
        TreeBuilder builder(max_depth, kind);
        while (parser.HandleNextDocument(builder)) {
        }
        if (builder.documents() == 0) {
            diagnostics.error(fmt::format("{}-empty", kind.code_prefix),
                              fmt::format("the {} is empty; {}", kind.noun, kind.empty_hint), {file, 0, ""});
            return std::nullopt;
        }
        YamlNode root = builder.take_root();
        if (base != 0)
            shift_offsets(root, base, text.size());
        return root;
    } catch (const ParseStop& stop) {
        report(stop.code, stop.message, stop.mark);
    } catch (const YAML::Exception& e) {
        report("yaml-syntax", "invalid YAML: " + e.msg, e.mark);
    } catch (const std::bad_alloc&) {
        diagnostics.error(fmt::format("{}-too-large", kind.code_prefix),
                          fmt::format("out of memory while reading the {}", kind.noun), {file, 0, ""});
    } catch (const std::exception& e) {
        diagnostics.error("yaml-syntax", std::string("invalid YAML: ") + e.what(), {file, 0, ""});
    }
    return std::nullopt;
}

std::optional<FileId> read_limited_file(const std::string& path, SourceSet& sources, Diagnostics& diagnostics,
                                        std::size_t max_bytes) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) {
        diagnostics.error("io", fmt::format("{}: cannot read: {}", path, ec.message()));
        return std::nullopt;
    }
    if (size > max_bytes) {
        const FileId file = sources.add(path, "");
        diagnostics.error("file-too-large",
                          fmt::format("file is {} bytes, over the {} byte limit", size, max_bytes),
                          {file, 0, ""});
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::string text(size, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
        diagnostics.error("io", fmt::format("{}: cannot read", path));
        return std::nullopt;
    }
    return sources.add(path, std::move(text));
}

} // namespace ztnet::load::detail
