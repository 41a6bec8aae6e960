// The input files of one run, and the translation of byte offsets into line and column.
// Positions travel as (file, offset) pairs; line:col is computed only when a message is printed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ztnet {

using FileId = std::uint32_t;
inline constexpr FileId kNoFile = static_cast<FileId>(-1);
inline constexpr std::uint32_t kNoOffset = static_cast<std::uint32_t>(-1);

/// A place in the input: a byte offset in a file and, where known, the JSON pointer of the value.
struct SourceLocation {
    SourceLocation() = default;
    SourceLocation(FileId file_, std::uint32_t offset_ = kNoOffset, std::string pointer_ = {},
                   std::string address_ = {})
        : file(file_), offset(offset_), pointer(std::move(pointer_)), address(std::move(address_)) {}

    FileId file = kNoFile;
    std::uint32_t offset = kNoOffset;
    std::string pointer; // RFC 6901 JSON pointer, empty when unknown or the document root
    /// The Terraform resource address the place belongs to ("module.spoke.azurerm_subnet.web"),
    /// empty for other inputs. Such a resource is translated into Azure's shape, so the pointer
    /// stays the resource's: the paths of values read from its translation are not the plan's.
    std::string address;

    bool has_file() const { return file != kNoFile; }
    bool has_offset() const { return offset != kNoOffset; }
};

struct LineColumn {
    std::uint32_t line = 0;   // 1-based
    std::uint32_t column = 0; // 1-based, in bytes
};

/// Owns the text of every file read in a run; stable addresses, so string_views into it stay valid.
class SourceSet {
  public:
    /// Registers a file's text under a display name and returns its id.
    FileId add(std::string name, std::string text);
    /// Registers a file by name only, for input read once and not kept (flow logs): diagnostics
    /// name it, and give their place as a byte offset rather than a line and column.
    FileId add_name_only(std::string name);

    const std::string& name(FileId file) const { return files_[file]->name; }
    std::string_view text(FileId file) const { return files_[file]->text; }
    std::size_t size() const { return files_.size(); }
    /// Whether the file's text is kept (added with add), so offsets can become line:column.
    bool has_text(FileId file) const { return files_[file]->text_kept; }

    /// Line and column of a byte offset (clamped to the end of the file).
    LineColumn line_column(FileId file, std::uint32_t offset) const;

  private:
    struct File {
        std::string name;
        std::string text;
        bool text_kept = true;
        mutable std::vector<std::uint32_t> line_starts; // built on first use
    };
    std::vector<std::unique_ptr<File>> files_;
};

} // namespace ztnet
