// FlowLogReader: the bytes Azure writes (NSG flow logs v1 and v2, VNet flow logs) to a stream of
// FlowTuples, record by record, in memory that grows with the largest record rather than the file.
// Every problem in the input is a diagnostic, counted, and skipped; reading goes on after it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ztnet/flows/flow_tuple.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/source.h"

namespace ztnet::flows {

/// Explicit limits. What passes one is skipped with its own diagnostic code, never read in part.
struct ReadLimits {
    /// A file (read_path) or buffer larger than this is not read (flow-file-too-large). Offsets in
    /// diagnostics are 32-bit, so nothing of 4 GiB or more is read whatever this says.
    std::size_t max_file_bytes = std::size_t{2} << 30;
    /// A record larger than this is skipped (flow-record-too-large): the JSON parser's memory grows
    /// with the largest record read.
    std::size_t max_record_bytes = std::size_t{64} << 20;
    /// Arrays and objects nested deeper than this inside a record (flow-record-too-deep). Flow log
    /// records nest 7 levels.
    std::uint32_t max_depth = 32;
    /// Diagnostics about one file beyond this many are counted, not each reported (flow-more-problems).
    std::uint32_t max_problems_per_file = 20;
};

/// What was read. Tuples of a skipped record are in no count: the record is.
struct ReadCounts {
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
    std::uint64_t records = 0;         ///< records read (their good tuples delivered)
    std::uint64_t tuples = 0;          ///< tuples delivered to the visitor
    std::uint64_t skipped_records = 0; ///< records skipped whole (malformed, unknown version, too large)
    std::uint64_t skipped_tuples = 0;  ///< tuples skipped inside records that were read

    ReadCounts& operator+=(const ReadCounts& other);
    friend bool operator==(const ReadCounts&, const ReadCounts&) = default;
};

/// What the reader did with one record, told after it is done with it (read or skipped). `end` is
/// where reading goes on after the record, so that a store can remember how far a file was consumed.
struct RecordEnd {
    std::uint64_t index = 0;          ///< the record's number in its file, from 0
    std::uint64_t begin = 0;          ///< byte offset of its first byte
    std::uint64_t end = 0;            ///< byte offset just past it (past the skipped text, for a broken one)
    bool read = false;                ///< read (its good tuples delivered), or skipped whole
    bool cut_short = false;           ///< its end was not found before the end of the file
    std::uint64_t tuples = 0;         ///< tuples delivered
    std::uint64_t skipped_tuples = 0; ///< tuples skipped inside it
};

/// Receives the tuples of each record that was read, in file order: all of a record's good tuples
/// in one call (a record is read whole or skipped whole). The tuples, their contexts and every view
/// in them are valid only during the call; copy what must outlive it.
class FlowVisitor {
  public:
    virtual ~FlowVisitor() = default;
    virtual void on_tuples(std::span<const FlowTuple> tuples) = 0;
    /// Called once per record, read or skipped, after its tuples; false stops reading the file
    /// (what was read so far is counted).
    virtual bool on_record_end(const RecordEnd& /*record*/) { return true; }
};

/// A visitor that calls `function` on each tuple.
template <class Function>
class TupleFunction final : public FlowVisitor {
  public:
    explicit TupleFunction(Function function) : function_(std::move(function)) {}
    void on_tuples(std::span<const FlowTuple> tuples) override {
        for (const FlowTuple& tuple : tuples)
            function_(tuple);
    }

  private:
    Function function_;
};

/// Text with kPadding readable bytes after its end, which the JSON parser's wide reads need. Made by
/// padding a string in place, so that a caller's buffer is read without a copy.
class PaddedText {
  public:
    static constexpr std::size_t kPadding = 64;

    /// Appends kPadding spaces to `buffer` and views what it held before. The view is valid while
    /// `buffer` is neither changed nor destroyed.
    static PaddedText pad(std::string& buffer);

    std::string_view text() const { return text_; }

  private:
    explicit PaddedText(std::string_view text) : text_(text) {}
    std::string_view text_;
};

/// Reads flow logs: a file holds a JSON object whose `records` array holds the records (as Azure
/// writes PT1H.json), or records one per line (JSON lines, as diagnostic settings stream them through
/// Event Hubs), or one bare record, whatever the file is called. Each record's format is detected on
/// its own. One reader per thread; it keeps its parser and buffers between files.
class FlowLogReader {
  public:
    /// Diagnostics go to `diagnostics`; a file they name is registered in `sources` by name only
    /// (SourceSet::add_name_only), when its first diagnostic is reported.
    FlowLogReader(SourceSet& sources, Diagnostics& diagnostics, ReadLimits limits = {});
    ~FlowLogReader();
    FlowLogReader(const FlowLogReader&) = delete;
    FlowLogReader& operator=(const FlowLogReader&) = delete;

    /// Reads one file's bytes, copied first into a padded buffer the reader keeps. `file_name`
    /// names the file in diagnostics.
    ReadCounts read(std::string_view bytes, std::string_view file_name, FlowVisitor& visitor);
    /// Reads bytes that are already padded, without copying them. Records that begin before byte
    /// `resume_at` were consumed before (a blob read again once Azure appended to it): they are
    /// passed over without being parsed, counted or reported, though they keep their numbers.
    ReadCounts read(PaddedText text, std::string_view file_name, FlowVisitor& visitor,
                    std::size_t resume_at = 0);
    /// Reads a file, or every flow log file below a folder (files ending in .json, .jsonl or
    /// .ndjson, as Azure lays them out: insights-logs-flowlogflowevent/.../PT1H.json and
    /// insights-logs-networksecuritygroupflowevent/.../PT1H.json), in path order, hidden folders
    /// left out. A file named directly is read whatever its name.
    ReadCounts read_path(const std::filesystem::path& path, FlowVisitor& visitor);

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

/// The flow log files read_path reads for `path`, in the order it reads them: `path` itself when
/// it is a file. A folder that cannot be listed is reported (code `io`) and yields what was found.
std::vector<std::filesystem::path> flow_log_files(const std::filesystem::path& path,
                                                  Diagnostics& diagnostics);

} // namespace ztnet::flows
