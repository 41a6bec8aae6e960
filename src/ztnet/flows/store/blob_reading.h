// Internal to the flow store: one blob loaded, read and summed into conversations apart from the
// store, so that the next blobs can be read on another thread while the ingest stores this one.
//
// Reading a blob is a pure function of its bytes and of the checkpoint it starts from. A recording
// made from the checkpoint the store still has when the blob's turn comes is therefore exactly what
// reading the blob then would tell; FlowIngest takes its sums and replays its records' ends, and
// reads the blob again in place when the checkpoint moved meanwhile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/flows/flow_log_reader.h"
#include "ztnet/flows/store/blob_checkpoint.h"
#include "ztnet/flows/store/conversation.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/source.h"

namespace ztnet::flows::store {

/// A blob to ingest: a file, or bytes given by the caller (FlowIngest::ingest_bytes).
struct BlobSource {
    std::filesystem::path path;
    std::string key; ///< blob_key(path), or the caller's; empty until FlowIngest works it out
    std::string name;
    std::string_view bytes; ///< for bytes given by the caller; empty for a file
};

/// Whether the first `checkpoint.offset` bytes of `text` are those the checkpoint was taken of;
/// `hash` is then their PrefixHash (it starts empty).
bool prefix_unchanged(std::string_view text, const BlobCheckpoint& checkpoint, PrefixHash& hash);

/// A diagnostic made away from the ingest's SourceSet: the file it names travels by name.
struct DetachedDiagnostic {
    Diagnostic diagnostic; ///< where.file is kNoFile
    std::string file_name; ///< empty when it names no file
};

/// What a FlowLogReader told its visitor during one read: the tuples summed into conversations
/// (their texts in a pool of the recording's owner), and each record's end, in order, with the
/// diagnostics made in between.
class ReadRecording final : public FlowVisitor {
  public:
    explicit ReadRecording(TextPool& texts) : texts_(texts) {}

    /// Starts a recording of a read from `from` (none: the start), summed into buckets of
    /// `bucket_ms`; `watched` is where that read's diagnostics go.
    void start(const std::optional<BlobCheckpoint>& from, std::int64_t bucket_ms, const Diagnostics& watched);
    void on_tuples(std::span<const FlowTuple> tuples) override;
    /// Stops the read at a record cut short, as FlowIngest does.
    bool on_record_end(const RecordEnd& record) override;
    /// Ends the recording: takes the read's diagnostics from `watched` (their files named from
    /// `sources`).
    void finish(Diagnostics& watched, const SourceSet& sources);

    /// Tells `visitor` each record's end, and `report` each diagnostic at its moment, and stops
    /// where the visitor asks to, as the reader would (the diagnostics made after that point,
    /// the reader's closing count of problems not shown one by one among them, are left out unless
    /// the recording ends there too). Whether it went to the end. May be replayed again.
    bool replay(FlowVisitor& visitor, const std::function<void(const DetachedDiagnostic&)>& report) const;

    /// The read's tuples summed per conversation.
    const ConversationMap& sums() const { return sums_; }
    /// What the blob's checkpoint says after the records read (the checkpoint's own values when
    /// none was): records consumed from the start, and the offset past the last one.
    std::uint64_t records() const { return records_; }
    std::uint64_t offset() const { return offset_; }

  private:
    struct Event {
        std::size_t diagnostics_before = 0; ///< diagnostics made before it
        RecordEnd end;
    };

    TextPool& texts_;
    std::optional<ConversationKeys> keys_;
    const Diagnostics* watched_ = nullptr;
    ConversationMap sums_;
    std::vector<Event> events_;
    std::vector<DetachedDiagnostic> diagnostics_;
    std::uint64_t records_ = 0;
    std::uint64_t offset_ = 0;
};

/// A FlowLogReader with a SourceSet and Diagnostics of its own, for reads away from the ingest's.
/// One thread uses one at a time.
struct DetachedReader {
    explicit DetachedReader(const ReadLimits& limits) : reader(sources, diagnostics, limits) {}
    DetachedReader(const DetachedReader&) = delete;
    DetachedReader& operator=(const DetachedReader&) = delete;

    SourceSet sources;
    Diagnostics diagnostics;
    FlowLogReader reader;
};

/// DetachedReaders lent to whichever thread reads a blob: as many exist as threads ever read at
/// once, and each keeps its parser's buffers from blob to blob.
class DetachedReaders {
  public:
    explicit DetachedReaders(const ReadLimits& limits) : limits_(limits) {}

    /// A reader no other thread holds, given back when the Lease goes.
    class Lease {
      public:
        Lease(DetachedReaders& owner, std::unique_ptr<DetachedReader> reader)
            : owner_(owner), reader_(std::move(reader)) {}
        ~Lease() { owner_.give_back(std::move(reader_)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        DetachedReader& operator*() const { return *reader_; }

      private:
        DetachedReaders& owner_;
        std::unique_ptr<DetachedReader> reader_;
    };
    Lease lend();

  private:
    void give_back(std::unique_ptr<DetachedReader> reader);

    ReadLimits limits_;
    std::mutex lock_;
    std::vector<std::unique_ptr<DetachedReader>> idle_;
};

/// One blob's bytes and a recorded read of them from a checkpoint: made on one thread, then handed
/// to another (FlowIngest holds the blob being stored and those read ahead of it).
class BlobReading {
  public:
    explicit BlobReading(const ReadLimits& limits) : limits_(limits), recording_(texts_) {}
    BlobReading(const BlobReading&) = delete;
    BlobReading& operator=(const BlobReading&) = delete;

    /// Loads blob `source` (its file, or its bytes), forgetting the blob before. Problems go to
    /// load_problems().
    void load(std::size_t source, const BlobSource& blob);
    /// Checks that the bytes before `from`'s offset are those it was taken of and, if so, records
    /// a read of the rest with `reader`, summed into buckets of `bucket_ms`, replacing any read
    /// before.
    void read_from(const std::optional<BlobCheckpoint>& from, std::int64_t bucket_ms, DetachedReader& reader);

    std::size_t source() const { return source_; }
    bool loaded() const { return loaded_; }
    std::uint64_t size() const { return text_.size(); }
    std::string_view text() const { return text_; }
    /// The bytes as the reader takes them; only once loaded.
    PaddedText padded() const { return *padded_; }
    const std::vector<DetachedDiagnostic>& load_problems() const { return load_problems_; }

    /// Whether read_from(`from`) is what the recording holds.
    bool read_from_matches(const std::optional<BlobCheckpoint>& from) const { return read_ && from_ == from; }
    /// After read_from: whether the bytes before the checkpoint are unchanged (always, without one),
    /// the hash of those bytes, and the recorded read (empty when they changed).
    bool prefix_matches() const { return prefix_matches_; }
    const PrefixHash& prefix_hash() const { return hash_; }
    const ReadRecording& recording() const { return recording_; }
    /// The texts the recordings' sums name, kept from blob to blob.
    const TextPool& texts() const { return texts_; }
    /// For the thread that takes the sums: what it calls each of texts(), as it likes (kept from
    /// blob to blob too).
    std::vector<TextPool::Id>& pooled() { return pooled_; }

  private:
    bool read_file(const std::filesystem::path& path);
    void problem(Severity severity, std::string code, std::string message, std::string file_name);

    ReadLimits limits_;

    std::size_t source_ = 0;
    std::string name_;
    bool loaded_ = false;
    std::string buffer_; // the bytes, padded
    std::optional<PaddedText> padded_;
    std::string_view text_;
    std::vector<DetachedDiagnostic> load_problems_;

    bool read_ = false;
    std::optional<BlobCheckpoint> from_;
    bool prefix_matches_ = false;
    PrefixHash hash_;
    TextPool texts_;
    std::vector<TextPool::Id> pooled_;
    ReadRecording recording_;
};

} // namespace ztnet::flows::store
