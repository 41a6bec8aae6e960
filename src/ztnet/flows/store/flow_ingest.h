// FlowIngest: flow log files into a FlowStore exactly once. Each blob is read from where its
// checkpoint says it was left and summed in memory into a chunk (of many blobs, or part of one);
// each chunk is written with the new checkpoints of its blobs in one transaction, so that
// ingesting again adds only what Azure appended.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "ztnet/flows/flow_log_reader.h"
#include "ztnet/flows/store/flow_store.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/source.h"

namespace ztnet::flows::store {

/// The points where a test may stop an ingest (raise SIGKILL) to prove it resumes exactly.
enum class IngestPoint : std::uint8_t {
    RecordDone,   ///< a record was summed into the open chunk
    BeforeCommit, ///< the chunk and its checkpoint are written, the transaction not yet committed
    AfterCommit,  ///< the transaction is committed
};

/// How far an ingest has got, for a progress display.
struct IngestProgress {
    std::size_t files_done = 0;
    std::size_t files_total = 0;
    std::uint64_t bytes_done = 0; ///< of the files done
    std::string_view file;        ///< the file just done
};

struct IngestOptions {
    ReadLimits limits;
    /// Keep every tuple as read (the tuples table) besides the conversations.
    bool keep_tuples = false;
    /// A chunk, one transaction, ends after this many records or consumed bytes (mid-blob if need
    /// be), or with the last blob.
    std::uint64_t chunk_records = 20'000;
    std::uint64_t chunk_bytes = std::uint64_t{32} << 20;
    /// Load, read and sum the next blobs on a worker of the current thread pool while one is
    /// stored (what is stored is the same either way; see flow_ingest.cpp). Not with keep_tuples.
    bool read_ahead = true;
    /// How far ahead: blobs are sent while their files add up to at most this (one at least), so
    /// that memory holds about this much more than the blob being stored. A blob larger than this
    /// is only loaded ahead, and read in its turn.
    std::uint64_t read_ahead_bytes = std::uint64_t{32} << 20;
    /// Called at each IngestPoint (tests).
    std::function<void(IngestPoint)> hook;
    /// Called after each file.
    std::function<void(const IngestProgress&)> progress;
};

/// What one ingest added to the store, and what it left alone.
struct IngestReport {
    ReadCounts added;                  ///< records, tuples, bytes... added (files: blobs with news)
    std::uint64_t files_read = 0;      ///< flow log files read
    std::uint64_t files_unchanged = 0; ///< nothing new since their checkpoint
    std::uint64_t files_refused = 0;   ///< rewritten since their checkpoint (flow-blob-rewritten)
};

/// Ingests files into one store. Problems in the input are diagnostics (the reader's, and
/// flow-blob-rewritten, flow-blob-incomplete) and the ingest goes on; an error of the store stops
/// it and is returned. Several processes may ingest into the same store at once: a chunk is
/// committed only if each of its blobs' checkpoints is still the one it was read from, else its
/// blobs are read again from the newer checkpoints.
class FlowIngest {
  public:
    FlowIngest(FlowStore& store, SourceSet& sources, Diagnostics& diagnostics, IngestOptions options = {});
    ~FlowIngest();
    FlowIngest(const FlowIngest&) = delete;
    FlowIngest& operator=(const FlowIngest&) = delete;

    /// Every flow log file the paths name (files, or folders searched as FlowLogReader::read_path
    /// does), in order.
    Result<IngestReport> ingest(std::span<const std::filesystem::path> paths);
    /// One blob's bytes under `key` (blob_key of its path), named `file_name` in diagnostics.
    Result<IngestReport> ingest_bytes(std::string_view bytes, std::string_view key,
                                      std::string_view file_name);

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ztnet::flows::store
