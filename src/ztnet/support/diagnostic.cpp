#include "ztnet/support/diagnostic.h"

#include <fmt/format.h>

namespace ztnet {

std::string_view to_string(Severity severity) {
    switch (severity) {
    case Severity::Note:
        return "note";
    case Severity::Warning:
        return "warning";
    case Severity::Error:
        return "error";
    }
    return "error";
}

void Diagnostics::add(Diagnostic diagnostic) {
    if (diagnostic.severity == Severity::Error)
        ++errors_;
    else if (diagnostic.severity == Severity::Warning)
        ++warnings_;
    items_.push_back(std::move(diagnostic));
}

bool Diagnostics::add_once(Diagnostic diagnostic) {
    std::string identity = diagnostic.code + '\n' + diagnostic.message + '\n' +
                           std::to_string(diagnostic.where.file) + ':' +
                           std::to_string(diagnostic.where.offset) + ':' + diagnostic.where.pointer;
    if (!added_once_.insert(std::move(identity)).second)
        return false;
    add(std::move(diagnostic));
    return true;
}

std::vector<Diagnostic> Diagnostics::take() {
    std::vector<Diagnostic> taken = std::move(items_);
    items_.clear();
    added_once_.clear();
    errors_ = 0;
    warnings_ = 0;
    return taken;
}

void Diagnostics::error(std::string code, std::string message, SourceLocation where) {
    add({Severity::Error, std::move(code), std::move(message), std::move(where), {}});
}

void Diagnostics::warning(std::string code, std::string message, SourceLocation where) {
    add({Severity::Warning, std::move(code), std::move(message), std::move(where), {}});
}

void Diagnostics::note(std::string code, std::string message, SourceLocation where) {
    add({Severity::Note, std::move(code), std::move(message), std::move(where), {}});
}

std::string format_diagnostic(const Diagnostic& d, const SourceSet& sources) {
    std::string out;
    if (d.where.has_file() && d.where.file < sources.size()) {
        out += sources.name(d.where.file);
        if (d.where.has_offset() && sources.has_text(d.where.file)) {
            LineColumn lc = sources.line_column(d.where.file, d.where.offset);
            out += fmt::format(":{}:{}", lc.line, lc.column);
        } else if (d.where.has_offset()) {
            out += fmt::format(" (byte {})", d.where.offset);
        }
        out += ": ";
    }
    out += fmt::format("{}: {}", to_string(d.severity), d.message);
    if (!d.where.pointer.empty())
        out += d.where.address.empty() ? fmt::format(" (at {})", d.where.pointer)
                                       : fmt::format(" (at {}, {})", d.where.pointer, d.where.address);
    if (!d.code.empty())
        out += fmt::format(" [{}]", d.code);
    for (const auto& note : d.notes)
        out += fmt::format("\n    note: {}", note);
    return out;
}

} // namespace ztnet
