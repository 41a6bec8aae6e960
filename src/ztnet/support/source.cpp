#include "ztnet/support/source.h"

#include <algorithm>

namespace ztnet {

FileId SourceSet::add(std::string name, std::string text) {
    auto file = std::make_unique<File>();
    file->name = std::move(name);
    file->text = std::move(text);
    files_.push_back(std::move(file));
    return static_cast<FileId>(files_.size() - 1);
}

FileId SourceSet::add_name_only(std::string name) {
    FileId file = add(std::move(name), "");
    files_[file]->text_kept = false;
    return file;
}

LineColumn SourceSet::line_column(FileId file, std::uint32_t offset) const {
    const File& f = *files_[file];
    if (f.line_starts.empty()) {
        f.line_starts.push_back(0);
        for (std::uint32_t i = 0; i < f.text.size(); ++i) {
            if (f.text[i] == '\n')
                f.line_starts.push_back(i + 1);
        }
    }
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(f.text.size()));
    auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), offset);
    auto line = static_cast<std::uint32_t>(it - f.line_starts.begin());
    return {line, offset - f.line_starts[line - 1] + 1};
}

} // namespace ztnet
