#include "ztnet/flows/store/flow_ingest.h"

#include <fstream>
#include <new>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace ztnet::flows::store {

namespace fs = std::filesystem;

namespace {

// How one attempt at a blob ended.
enum class Outcome : std::uint8_t { Done, Unchanged, Refused, Stale };

} // namespace

// One blob at a time: the checkpoint read, the rest of the blob summed record by record (as the
// reader's visitor), a chunk flushed in one transaction whenever it is full and at the end.
class FlowIngest::Impl final : public FlowVisitor {
  public:
    Impl(FlowStore& store, SourceSet& sources, Diagnostics& diagnostics, IngestOptions options)
        : store_(store), sources_(sources), diagnostics_(diagnostics), options_(std::move(options)),
          reader_(sources, diagnostics, options_.limits) {}

    Result<IngestReport> ingest(std::span<const fs::path> paths);
    Result<IngestReport> ingest_bytes(std::string_view bytes, std::string_view key,
                                      std::string_view file_name);

    void on_tuples(std::span<const FlowTuple> tuples) override;
    bool on_record_end(const RecordEnd& record) override;

  private:
    Result<bool> blob(std::string_view key, std::string_view file_name);
    Result<Outcome> attempt(std::string_view file_name);
    bool prefix_matches(const BlobCheckpoint& checkpoint, std::string_view file_name);
    Result<bool> flush();
    Result<bool> write_chunk();
    void hook(IngestPoint point) const {
        if (options_.hook)
            options_.hook(point);
    }
    void note_file(std::string_view file_name, Severity severity, std::string code, std::string message,
                   std::uint64_t offset);
    bool read_file(const fs::path& path);

    FlowStore& store_;
    SourceSet& sources_;
    Diagnostics& diagnostics_;
    IngestOptions options_;
    FlowLogReader reader_;
    TextPool texts_;
    IngestReport report_;
    std::string buffer_; // the blob's bytes, padded
    std::optional<PaddedText> padded_;

    // The blob being ingested.
    std::string_view text_;
    TextPool::Id blob_id_ = 0;
    std::optional<BlobCheckpoint> committed_; // as the store has it
    BlobCheckpoint pending_;                  // committed_ and the records summed since
    PrefixHash hash_;                         // of the bytes before committed_->offset
    ConversationMap conversations_;
    std::vector<StoredTuple> kept_;
    std::optional<Error> failed_; // a store error met inside the reader's callbacks
    bool stale_ = false;          // another process committed this blob meanwhile
    bool wrote_ = false;          // this attempt committed a chunk
    std::string_view file_name_;

    // The record being summed.
    const FlowContext* context_ = nullptr;
    TextPool::Id context_ids_[4] = {}; // resource, acl, rule, mac
    std::string_view encryption_text_;
    TextPool::Id encryption_id_ = 0;
    std::uint32_t position_ = 0;
};

void FlowIngest::Impl::on_tuples(std::span<const FlowTuple> tuples) {
    context_ = nullptr; // the reader reuses its contexts from record to record
    encryption_id_ = texts_.intern(encryption_text_ = {});
    const std::int64_t bucket = store_.bucket_ms();
    for (const FlowTuple& tuple : tuples) {
        if (tuple.context != context_) {
            context_ = tuple.context;
            context_ids_[0] = texts_.intern(context_->resource_id);
            context_ids_[1] = texts_.intern(context_->acl_id);
            context_ids_[2] = texts_.intern(context_->rule);
            context_ids_[3] = texts_.intern(context_->mac);
        }
        if (tuple.encryption_text != encryption_text_)
            encryption_id_ = texts_.intern(encryption_text_ = tuple.encryption_text);
        const ConversationKey key{bucket_start(tuple.time_ms, bucket),
                                  tuple.source,
                                  tuple.destination,
                                  tuple.destination_port,
                                  tuple.protocol,
                                  tuple.direction,
                                  tuple.decision,
                                  context_ids_[0],
                                  context_ids_[1],
                                  context_ids_[2],
                                  context_ids_[3],
                                  encryption_id_};
        add_tuple(conversations_[key], tuple);
        if (options_.keep_tuples) {
            StoredTuple& kept = kept_.emplace_back();
            kept = {blob_id_,        context_->record_index, position_++,     tuple,         context_ids_[0],
                    context_ids_[1], context_ids_[2],        context_ids_[3], encryption_id_};
            kept.tuple.context = nullptr;
            kept.tuple.encryption_text = {};
        }
    }
}

bool FlowIngest::Impl::on_record_end(const RecordEnd& record) {
    position_ = 0;
    // A record whose end is not in the blob yet may be one Azure is still writing: it is left for
    // the next ingest rather than counted as skipped now and then read whole later.
    if (record.cut_short) {
        note_file(
            file_name_, Severity::Note, "flow-blob-incomplete",
            fmt::format("record {} (byte {}) has no end yet; it and the rest of the file are left for the "
                        "next ingest",
                        record.index, record.begin),
            record.begin);
        return false;
    }
    pending_.records = record.index + 1;
    pending_.offset = record.end;
    pending_.read_records += record.read ? 1 : 0;
    pending_.skipped_records += record.read ? 0 : 1;
    pending_.tuples += record.tuples;
    pending_.skipped_tuples += record.skipped_tuples;
    hook(IngestPoint::RecordDone);
    const std::uint64_t records = pending_.records - (committed_ ? committed_->records : 0);
    const std::uint64_t bytes = pending_.offset - (committed_ ? committed_->offset : 0);
    if (records < options_.chunk_records && bytes < options_.chunk_bytes)
        return true;
    if (auto ok = flush(); !ok)
        failed_ = ok.error();
    return !failed_ && !stale_;
}

void FlowIngest::Impl::note_file(std::string_view file_name, Severity severity, std::string code,
                                 std::string message, std::uint64_t offset) {
    const auto place = offset >= kNoOffset ? kNoOffset : static_cast<std::uint32_t>(offset);
    diagnostics_.add({severity,
                      std::move(code),
                      std::move(message),
                      {sources_.add_name_only(std::string(file_name)), place, {}},
                      {}});
}

// The chunk and the new checkpoint in one transaction, if the checkpoint in the store is still the
// one this chunk was read from; if another process moved it, nothing is written (stale_).
Result<bool> FlowIngest::Impl::flush() {
    const std::uint64_t from = committed_ ? committed_->offset : 0;
    PrefixHash hash = hash_;
    hash.update(text_.substr(from, pending_.offset - from));
    pending_.prefix_hash = hash.value();
    if (auto ok = store_.begin_write(); !ok)
        return ok;
    Result<bool> written = write_chunk();
    if (!written || stale_) {
        store_.rollback();
        return written;
    }
    hook(IngestPoint::BeforeCommit);
    if (auto ok = store_.commit(); !ok)
        return ok;
    wrote_ = true;
    hook(IngestPoint::AfterCommit);
    const BlobCheckpoint before = committed_.value_or(BlobCheckpoint{pending_.key});
    report_.added.files += before.records == 0 && pending_.records > 0 ? 1 : 0;
    report_.added.bytes += pending_.offset - before.offset;
    report_.added.records += pending_.read_records - before.read_records;
    report_.added.tuples += pending_.tuples - before.tuples;
    report_.added.skipped_records += pending_.skipped_records - before.skipped_records;
    report_.added.skipped_tuples += pending_.skipped_tuples - before.skipped_tuples;
    committed_ = pending_;
    hash_ = hash;
    conversations_.clear();
    kept_.clear();
    return true;
}

Result<bool> FlowIngest::Impl::write_chunk() {
    const Result<std::optional<BlobCheckpoint>> now = store_.checkpoint(pending_.key);
    if (!now)
        return now.error();
    if (*now != committed_) {
        stale_ = true;
        return true;
    }
    if (auto ok = store_.add_conversations(texts_, conversations_); !ok)
        return ok;
    if (auto ok = store_.add_tuples(texts_, kept_); !ok)
        return ok;
    return store_.put_checkpoint(pending_);
}

// The bytes a checkpoint covers must be those it was taken of: Azure only appends to a blob while
// its hour runs. A blob changed otherwise is not ingested again, so that nothing counts twice.
bool FlowIngest::Impl::prefix_matches(const BlobCheckpoint& checkpoint, std::string_view file_name) {
    if (checkpoint.offset <= text_.size()) {
        hash_.update(text_.substr(0, checkpoint.offset));
        if (hash_.value() == checkpoint.prefix_hash)
            return true;
    }
    note_file(
        file_name, Severity::Warning, "flow-blob-rewritten",
        fmt::format("the file changed since {} of its records ({} bytes) were ingested: it was rewritten, "
                    "not appended to; it is not ingested again, so that nothing is counted twice",
                    checkpoint.records, checkpoint.offset),
        kNoOffset);
    return false;
}

Result<Outcome> FlowIngest::Impl::attempt(std::string_view file_name) {
    Result<std::optional<BlobCheckpoint>> start = store_.checkpoint(pending_.key);
    if (!start)
        return start.error();
    committed_ = std::move(*start);
    hash_ = PrefixHash();
    if (committed_ && !prefix_matches(*committed_, file_name))
        return Outcome::Refused;
    pending_ = committed_.value_or(BlobCheckpoint{pending_.key});
    stale_ = false;
    conversations_.clear();
    kept_.clear();
    wrote_ = false;
    reader_.read(*padded_, file_name, *this, committed_ ? committed_->offset : 0);
    if (failed_)
        return *std::exchange(failed_, std::nullopt);
    // A new blob gets its checkpoint even when it holds no record yet, so that it counts as a file.
    if (!stale_ && (!committed_ || pending_ != *committed_))
        if (auto ok = flush(); !ok)
            return ok.error();
    if (stale_)
        return Outcome::Stale;
    return wrote_ ? Outcome::Done : Outcome::Unchanged;
}

Result<bool> FlowIngest::Impl::blob(std::string_view key, std::string_view file_name) {
    padded_ = PaddedText::pad(buffer_);
    text_ = padded_->text();
    file_name_ = file_name;
    pending_ = BlobCheckpoint{std::string(key)};
    blob_id_ = texts_.intern(key);
    ++report_.files_read;
    for (;;) {
        const Result<Outcome> outcome = attempt(file_name);
        if (!outcome)
            return outcome.error();
        if (*outcome == Outcome::Stale)
            continue; // another process got further: start again from its checkpoint
        report_.files_unchanged += *outcome == Outcome::Unchanged ? 1 : 0;
        report_.files_refused += *outcome == Outcome::Refused ? 1 : 0;
        return true;
    }
}

bool FlowIngest::Impl::read_file(const fs::path& path) {
    std::error_code error;
    const std::uintmax_t size = fs::file_size(path, error);
    if (error) {
        diagnostics_.error("io", fmt::format("{}: cannot read: {}", path.string(), error.message()));
        return false;
    }
    if (size > options_.limits.max_file_bytes) {
        note_file(path.string(), Severity::Error, "flow-file-too-large",
                  fmt::format("the file is {} bytes, over the {} byte limit; it is not read", size,
                              options_.limits.max_file_bytes),
                  kNoOffset);
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    buffer_.resize(static_cast<std::size_t>(size));
    if (!in.read(buffer_.data(), static_cast<std::streamsize>(size))) {
        diagnostics_.error("io", fmt::format("{}: cannot read", path.string()));
        return false;
    }
    return true;
}

Result<IngestReport> FlowIngest::Impl::ingest(std::span<const fs::path> paths) {
    report_ = {};
    std::vector<fs::path> files;
    for (const fs::path& path : paths)
        for (fs::path& file : flow_log_files(path, diagnostics_))
            files.push_back(std::move(file));
    IngestProgress progress{0, files.size(), 0, {}};
    for (const fs::path& file : files) {
        const std::string name = file.string();
        if (read_file(file))
            if (auto ok = blob(blob_key(file), name); !ok)
                return ok.error();
        progress.files_done += 1;
        progress.bytes_done += buffer_.size();
        progress.file = name;
        if (options_.progress)
            options_.progress(progress);
    }
    return report_;
}

Result<IngestReport> FlowIngest::Impl::ingest_bytes(std::string_view bytes, std::string_view key,
                                                    std::string_view file_name) {
    report_ = {};
    buffer_.assign(bytes);
    if (auto ok = blob(key, file_name); !ok)
        return ok.error();
    return report_;
}

FlowIngest::FlowIngest(FlowStore& store, SourceSet& sources, Diagnostics& diagnostics, IngestOptions options)
    : impl_(std::make_unique<Impl>(store, sources, diagnostics, std::move(options))) {}

FlowIngest::~FlowIngest() = default;

// A failed allocation stops the ingest like a store error; what was committed stays.
template <class Run>
Result<IngestReport> guarded(Run&& run) {
    try {
        return run();
    } catch (const std::bad_alloc&) {
        return fail_with("out-of-memory",
                         "out of memory while ingesting flow logs; what was committed stays");
    }
}

Result<IngestReport> FlowIngest::ingest(std::span<const fs::path> paths) {
    return guarded([&] { return impl_->ingest(paths); });
}

Result<IngestReport> FlowIngest::ingest_bytes(std::string_view bytes, std::string_view key,
                                              std::string_view file_name) {
    return guarded([&] { return impl_->ingest_bytes(bytes, key, file_name); });
}

} // namespace ztnet::flows::store
