#include "ztnet/flows/store/flow_ingest.h"

#include <algorithm>
#include <fstream>
#include <new>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace ztnet::flows::store {

namespace fs = std::filesystem;

namespace {

// How one attempt at a blob ended.
enum class Outcome : std::uint8_t { Done, Unchanged, Refused, Stale };

} // namespace

// A blob to ingest: a file, or bytes given by the caller (ingest_bytes).
struct BlobSource {
    fs::path path;
    std::string key;
    std::string name;
    std::string_view bytes; // for ingest_bytes; empty for a file
};

// A blob whose news are summed in the open chunk, not committed yet: the checkpoint the store had
// when the blob was read, the one the chunk writes (with the hash of the bytes it covers), and
// whether the blob was read to its end.
struct SummedBlob {
    std::optional<BlobCheckpoint> committed;
    BlobCheckpoint pending;
    std::size_t source = 0;
    bool finished = false;
};

// Blobs are read one at a time, each from where its checkpoint says it was left, and their records
// are summed into one chunk that holds many blobs: an hour blob of one NIC holds a few hundred
// conversations spread over the whole table, and a transaction per blob would rewrite most of the
// store's pages once per blob. The chunk is committed with the checkpoint of each of its blobs, in
// one transaction, when it is full (mid-blob if need be) and at the end. If another process moved
// one of those checkpoints meanwhile, nothing is written: the blob being read starts again from
// the newer checkpoint, and the chunk's other blobs are read again, a transaction each.
class FlowIngest::Impl final : public FlowVisitor {
  public:
    Impl(FlowStore& store, SourceSet& sources, Diagnostics& diagnostics, IngestOptions options)
        : store_(store), sources_(sources), diagnostics_(diagnostics), options_(std::move(options)),
          reader_(sources, diagnostics, options_.limits) {
        for (TextPool::Id& id : context_ids_) // what context_texts_ start as
            id = texts_.intern({});
    }

    Result<IngestReport> ingest(std::vector<BlobSource> blobs);
    Diagnostics& diagnostics() { return diagnostics_; }

    void on_tuples(std::span<const FlowTuple> tuples) override;
    bool on_record_end(const RecordEnd& record) override;

  private:
    Result<bool> blob(std::size_t source);
    Result<Outcome> attempt(std::string_view file_name);
    bool prefix_matches(const BlobCheckpoint& checkpoint, std::string_view file_name);
    void seal(bool finished);
    bool chunk_full() const;
    Result<bool> flush();
    Result<bool> write_chunk();
    void give_back();
    Result<bool> read_stale_blobs();
    bool load(std::size_t source);
    // A record's groups mostly repeat its flow log, ACL and MAC: a text equal to the one before is
    // not hashed again.
    void intern_context(std::size_t field, std::string_view text) {
        if (text == context_texts_[field])
            return;
        context_ids_[field] = texts_.intern(text);
        context_texts_[field] = texts_.text(context_ids_[field]);
    }
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
    std::vector<BlobSource> blobs_;
    std::string buffer_; // the blob's bytes, padded
    std::optional<PaddedText> padded_;

    // The open chunk: the blobs summed into it and their conversations (and tuples, if kept).
    std::vector<SummedBlob> summed_;
    std::unordered_set<std::string> summed_keys_;
    std::uint64_t summed_records_ = 0; // records and bytes of the finished blobs in the chunk
    std::uint64_t summed_bytes_ = 0;
    ConversationMap conversations_;
    std::vector<StoredTuple> kept_;
    std::vector<std::size_t> read_again_; // blobs of a chunk that went stale
    bool solo_ = false;                   // each blob is committed at its end, alone

    // The blob being read.
    std::size_t source_ = 0;
    std::string_view text_;
    TextPool::Id blob_id_ = 0;
    std::optional<BlobCheckpoint> committed_; // as the store has it
    BlobCheckpoint pending_;                  // committed_ and the records summed since
    PrefixHash hash_;                         // of the bytes before committed_->offset
    std::optional<Error> failed_;             // a store error met inside the reader's callbacks
    bool stale_ = false;                      // another process committed this blob meanwhile
    bool wrote_ = false;                      // this attempt committed part of the blob
    std::string_view file_name_;

    // The record being summed.
    const FlowContext* context_ = nullptr;
    TextPool::Id context_ids_[4] = {};       // resource, acl, rule, mac
    std::string_view context_texts_[4] = {}; // their texts, as the pool keeps them
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
            intern_context(0, context_->resource_id);
            intern_context(1, context_->acl_id);
            intern_context(2, context_->rule);
            intern_context(3, context_->mac);
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
    if (!chunk_full())
        return true;
    seal(false);
    if (auto ok = flush(); !ok)
        failed_ = ok.error();
    if (failed_ || stale_)
        return false;
    committed_ = pending_;
    wrote_ = true;
    return true;
}

// Whether the open chunk, with what is summed of the blob being read, has reached its limits.
bool FlowIngest::Impl::chunk_full() const {
    const std::uint64_t records = summed_records_ + pending_.records - (committed_ ? committed_->records : 0);
    const std::uint64_t bytes = summed_bytes_ + pending_.offset - (committed_ ? committed_->offset : 0);
    return records >= options_.chunk_records || bytes >= options_.chunk_bytes;
}

// The blob being read joins the open chunk with what was summed of it so far, its checkpoint
// hashed over the bytes it covers (hash_ then covers them too).
void FlowIngest::Impl::seal(bool finished) {
    const std::uint64_t from = committed_ ? committed_->offset : 0;
    hash_.update(text_.substr(from, pending_.offset - from));
    pending_.prefix_hash = hash_.value();
    summed_.push_back({committed_, pending_, source_, finished});
    summed_keys_.insert(pending_.key);
    if (finished) {
        summed_records_ += pending_.records - (committed_ ? committed_->records : 0);
        summed_bytes_ += pending_.offset - from;
    }
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

// The open chunk and the checkpoints of its blobs in one transaction, if the store still has each
// blob's checkpoint as it was read; if another process moved one, nothing is written (stale_).
Result<bool> FlowIngest::Impl::flush() {
    if (summed_.empty())
        return true;
    // Blobs in key order: a store that locks each blob's checkpoint (PostgreSQL) is then locked in
    // the same order by every writer, and two chunks never wait for each other in a circle.
    std::sort(summed_.begin(), summed_.end(),
              [](const SummedBlob& a, const SummedBlob& b) { return a.pending.key < b.pending.key; });
    if (auto ok = store_.begin_write(); !ok)
        return ok;
    Result<bool> written = write_chunk();
    if (!written || stale_) {
        store_.rollback();
        if (written)
            give_back();
        return written;
    }
    hook(IngestPoint::BeforeCommit);
    if (auto ok = store_.commit(); !ok)
        return ok;
    hook(IngestPoint::AfterCommit);
    for (const SummedBlob& summed : summed_) {
        const BlobCheckpoint before = summed.committed.value_or(BlobCheckpoint{summed.pending.key});
        const BlobCheckpoint& after = summed.pending;
        report_.added.files += before.records == 0 && after.records > 0 ? 1 : 0;
        report_.added.bytes += after.offset - before.offset;
        report_.added.records += after.read_records - before.read_records;
        report_.added.tuples += after.tuples - before.tuples;
        report_.added.skipped_records += after.skipped_records - before.skipped_records;
        report_.added.skipped_tuples += after.skipped_tuples - before.skipped_tuples;
    }
    give_back(); // nothing to give back: empties the chunk
    return true;
}

Result<bool> FlowIngest::Impl::write_chunk() {
    for (const SummedBlob& summed : summed_) {
        const Result<std::optional<BlobCheckpoint>> now = store_.checkpoint(summed.pending.key);
        if (!now)
            return now.error();
        if (*now != summed.committed) {
            stale_ = true;
            return true;
        }
    }
    if (auto ok = store_.add_conversations(texts_, conversations_); !ok)
        return ok;
    if (auto ok = store_.add_tuples(texts_, kept_); !ok)
        return ok;
    for (const SummedBlob& summed : summed_)
        if (auto ok = store_.put_checkpoint(summed.pending); !ok)
            return ok;
    return true;
}

// Empties the open chunk. After a stale chunk, its finished blobs are to be read again (the blob
// being read starts again by itself).
void FlowIngest::Impl::give_back() {
    for (const SummedBlob& summed : summed_)
        if (stale_ && summed.finished)
            read_again_.push_back(summed.source);
    summed_.clear();
    summed_keys_.clear();
    summed_records_ = 0;
    summed_bytes_ = 0;
    conversations_.clear();
    kept_.clear();
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
    wrote_ = false;
    reader_.read(*padded_, file_name, *this, committed_ ? committed_->offset : 0);
    if (failed_)
        return *std::exchange(failed_, std::nullopt);
    if (stale_)
        return Outcome::Stale;
    // A new blob gets its checkpoint even when it holds no record yet, so that it counts as a file.
    if (committed_ && pending_ == *committed_)
        return wrote_ ? Outcome::Done : Outcome::Unchanged;
    seal(true);
    if (solo_ || chunk_full())
        if (auto ok = flush(); !ok)
            return ok.error();
    stale_ = false; // a stale chunk's finished blobs, this one too, are read again
    return Outcome::Done;
}

// Reads a blob's bytes into buffer_; false (with a diagnostic) when the file cannot be read.
bool FlowIngest::Impl::load(std::size_t source) {
    const BlobSource& blob = blobs_[source];
    if (blob.path.empty()) {
        buffer_.assign(blob.bytes);
        return true;
    }
    return read_file(blob.path);
}

Result<bool> FlowIngest::Impl::blob(std::size_t source) {
    const BlobSource& blob = blobs_[source];
    // The same blob twice in one chunk would be read from the same checkpoint twice.
    if (summed_keys_.contains(blob.key))
        if (auto ok = flush(); !ok)
            return ok;
    stale_ = false;
    padded_ = PaddedText::pad(buffer_);
    text_ = padded_->text();
    source_ = source;
    file_name_ = blob.name;
    pending_ = BlobCheckpoint{blob.key};
    blob_id_ = texts_.intern(blob.key);
    for (;;) {
        const Result<Outcome> outcome = attempt(blob.name);
        if (!outcome)
            return outcome.error();
        if (*outcome == Outcome::Stale)
            continue; // another process got further: start again from its checkpoint
        report_.files_unchanged += *outcome == Outcome::Unchanged ? 1 : 0;
        report_.files_refused += *outcome == Outcome::Refused ? 1 : 0;
        return true;
    }
}

// The blobs of stale chunks, read again from the store's newer checkpoints, each committed alone
// (its chunk may go stale again: then it is read once more).
Result<bool> FlowIngest::Impl::read_stale_blobs() {
    while (!read_again_.empty()) {
        if (auto ok = flush(); !ok) // a blob read alone must be alone in its chunk
            return ok;
        const std::vector<std::size_t> again = std::exchange(read_again_, {});
        solo_ = true;
        for (const std::size_t source : again)
            if (load(source))
                if (auto ok = blob(source); !ok)
                    return ok;
        solo_ = false;
    }
    return true;
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

Result<IngestReport> FlowIngest::Impl::ingest(std::vector<BlobSource> blobs) {
    report_ = {};
    blobs_ = std::move(blobs);
    IngestProgress progress{0, blobs_.size(), 0, {}};
    for (std::size_t source = 0; source < blobs_.size(); ++source) {
        ++report_.files_read;
        if (load(source)) {
            progress.bytes_done += buffer_.size();
            if (auto ok = blob(source); !ok)
                return ok.error();
        }
        if (auto ok = read_stale_blobs(); !ok)
            return ok.error();
        progress.files_done += 1;
        progress.file = blobs_[source].name;
        if (options_.progress)
            options_.progress(progress);
    }
    if (auto ok = flush(); !ok)
        return ok.error();
    if (auto ok = read_stale_blobs(); !ok)
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
    return guarded([&] {
        std::vector<BlobSource> blobs;
        for (const fs::path& path : paths)
            for (fs::path& file : flow_log_files(path, impl_->diagnostics()))
                blobs.push_back({file, blob_key(file), file.string(), {}});
        return impl_->ingest(std::move(blobs));
    });
}

Result<IngestReport> FlowIngest::ingest_bytes(std::string_view bytes, std::string_view key,
                                              std::string_view file_name) {
    return guarded([&] {
        std::vector<BlobSource> blobs;
        blobs.push_back({{}, std::string(key), std::string(file_name), bytes});
        return impl_->ingest(std::move(blobs));
    });
}

} // namespace ztnet::flows::store
