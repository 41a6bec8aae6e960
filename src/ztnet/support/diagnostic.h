// Diagnostics: every problem found in the input, with its place, collected rather than thrown.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_set>
#include <vector>

#include "ztnet/support/source.h"

namespace ztnet {

enum class Severity { Note, Warning, Error };

std::string_view to_string(Severity severity);

/// One problem in the input. `code` is a stable kebab-case identifier (e.g. "json-syntax").
struct Diagnostic {
    Severity severity = Severity::Error;
    std::string code;
    std::string message;
    SourceLocation where;
    std::vector<std::string> notes;
};

/// The diagnostics of one run, in the order they were found.
class Diagnostics {
  public:
    void add(Diagnostic diagnostic);
    /// Adds the diagnostic unless one with the same code, message and place was added with
    /// add_once before (the same rule compiled for several VNets finds the same problem); whether
    /// it was added.
    bool add_once(Diagnostic diagnostic);
    void error(std::string code, std::string message, SourceLocation where = {});
    void warning(std::string code, std::string message, SourceLocation where = {});
    void note(std::string code, std::string message, SourceLocation where = {});

    const std::vector<Diagnostic>& all() const { return items_; }
    /// Hands over every diagnostic added so far and starts empty again (what add_once remembers
    /// is forgotten too).
    std::vector<Diagnostic> take();
    std::size_t error_count() const { return errors_; }
    std::size_t warning_count() const { return warnings_; }
    bool has_errors() const { return errors_ > 0; }

  private:
    std::vector<Diagnostic> items_;
    std::unordered_set<std::string> added_once_; // identities of what add_once added
    std::size_t errors_ = 0;
    std::size_t warnings_ = 0;
};

/// Renders `file:line:col: severity: message [code]` (and ` (at /json/pointer)` when known),
/// followed by one indented line per note. Falls back to `file: ` or no prefix when the place is unknown,
/// and to `file (byte N): ` for a file whose text is not kept (SourceSet::add_name_only).
std::string format_diagnostic(const Diagnostic& diagnostic, const SourceSet& sources);

} // namespace ztnet
