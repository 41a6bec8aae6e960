#include "ztnet/flows/store/flow_ingest.h"

#include <algorithm>
#include <deque>
#include <new>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ztnet/flows/store/blob_reading.h"
#include "ztnet/support/parallel.h"

namespace ztnet::flows::store {

namespace fs = std::filesystem;

namespace {

// How one attempt at a blob ended.
enum class Outcome : std::uint8_t { Done, Unchanged, Refused, Stale };

} // namespace

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
//
// While a blob is summed and stored, the next ones are loaded, read and summed into conversations
// of their own on a worker of the thread pool (BlobReading), each from the checkpoint the store had
// for it then. In its turn, if the store still has that checkpoint, the blob's sums are what
// reading it then would give: they join the open chunk whole (the chunk is committed first when
// the blob would not fit in it), and its records' ends and diagnostics are replayed in order.
// Otherwise, and for a blob too large for a chunk or for the read-ahead budget, or when tuples are
// kept, the blob is read in place, tuple by tuple.
class FlowIngest::Impl final : public FlowVisitor {
  public:
    Impl(FlowStore& store, SourceSet& sources, Diagnostics& diagnostics, IngestOptions options)
        : store_(store), sources_(sources), diagnostics_(diagnostics), options_(std::move(options)),
          reader_(sources, diagnostics, options_.limits), readers_(options_.limits),
          current_(std::make_unique<BlobReading>(options_.limits)), keys_(texts_, store_.bucket_ms()) {}

    Result<IngestReport> ingest(std::vector<BlobSource> blobs);
    Diagnostics& diagnostics() { return diagnostics_; }

    void on_tuples(std::span<const FlowTuple> tuples) override;
    bool on_record_end(const RecordEnd& record) override;

  private:
    Result<bool> blob(BlobReading& reading);
    Result<Outcome> attempt(BlobReading& reading);
    void take(std::size_t source);
    const std::string& key_of(std::size_t source);
    Result<bool> read_ahead();
    bool loaded(const BlobReading& reading);
    void report(const DetachedDiagnostic& detached);
    bool fits_alone(const ReadRecording& recording) const;
    bool fits_open_chunk(const ReadRecording& recording) const;
    void add_sums(BlobReading& reading);
    void seal(bool finished);
    bool chunk_full() const;
    Result<bool> flush();
    Result<bool> write_chunk();
    void give_back();
    Result<bool> read_stale_blobs();
    void hook(IngestPoint point) const {
        if (options_.hook)
            options_.hook(point);
    }
    void note_file(std::string_view file_name, Severity severity, std::string code, std::string message,
                   std::uint64_t offset);

    FlowStore& store_;
    SourceSet& sources_;
    Diagnostics& diagnostics_;
    IngestOptions options_;
    FlowLogReader reader_;
    TextPool texts_;
    IngestReport report_;
    std::vector<BlobSource> blobs_;
    // The blob being summed, and the blobs after it, loaded and read on other threads meanwhile.
    // A read ahead is waited for (or cancelled) when it goes, before the blobs and readers it uses.
    struct Ahead {
        std::size_t source = 0;
        std::uint64_t bytes = 0; // the file's size when it was sent
        std::unique_ptr<BlobReading> reading;
        std::unique_ptr<Prefetch> prefetch;
    };
    DetachedReaders readers_;
    std::unique_ptr<BlobReading> current_;
    std::vector<std::unique_ptr<BlobReading>> spare_; // kept for their buffers
    std::deque<Ahead> ahead_;
    std::size_t next_ahead_ = 0; // the next blob to send
    std::uint64_t ahead_bytes_ = 0;
    std::string last_file_name_; // the file the last diagnostic from a recording named, and its id
    FileId last_file_ = kNoFile;

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

    // The tuples being summed (read in place).
    ConversationKeys keys_;
    std::uint32_t position_ = 0;
    bool whole_blob_ = false; // a blob's sums joined the chunk whole: no chunk ends inside it
};

void FlowIngest::Impl::on_tuples(std::span<const FlowTuple> tuples) {
    keys_.start_call();
    for (const FlowTuple& tuple : tuples) {
        const ConversationKey key = keys_.key(tuple);
        add_tuple(conversations_[key], tuple);
        if (options_.keep_tuples) {
            StoredTuple& kept = kept_.emplace_back();
            kept = {blob_id_,      tuple.context->record_index,
                    position_++,   tuple,
                    key.resource,  key.acl,
                    key.rule,      key.mac,
                    key.encryption};
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
    if (whole_blob_ || !chunk_full())
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
Result<Outcome> FlowIngest::Impl::attempt(BlobReading& reading) {
    Result<std::optional<BlobCheckpoint>> start = store_.checkpoint(pending_.key);
    if (!start)
        return start.error();
    committed_ = std::move(*start);
    const bool recorded = reading.read_from_matches(committed_);
    hash_ = recorded ? reading.prefix_hash() : PrefixHash();
    if (committed_ && !(recorded ? reading.prefix_matches() : prefix_unchanged(text_, *committed_, hash_))) {
        note_file(file_name_, Severity::Warning, "flow-blob-rewritten",
                  fmt::format("the file changed since {} of its records ({} bytes) were ingested: it was "
                              "rewritten, not appended to; it is not ingested again, so that nothing is "
                              "counted twice",
                              committed_->records, committed_->offset),
                  kNoOffset);
        return Outcome::Refused;
    }
    pending_ = committed_.value_or(BlobCheckpoint{pending_.key});
    stale_ = false;
    wrote_ = false;
    if (recorded && fits_alone(reading.recording())) {
        if (!fits_open_chunk(reading.recording())) {
            if (auto ok = flush(); !ok)
                return ok.error();
            stale_ = false; // the chunk's blobs are read again; this one is not in it
        }
        add_sums(reading);
        whole_blob_ = true;
        reading.recording().replay(*this, [this](const DetachedDiagnostic& detached) { report(detached); });
        whole_blob_ = false;
    } else {
        reader_.read(reading.padded(), file_name_, *this, committed_ ? committed_->offset : 0);
    }
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

// Whether the records a recording consumed make less than a chunk: alone, and with the open chunk.
bool FlowIngest::Impl::fits_alone(const ReadRecording& recording) const {
    const std::uint64_t records = recording.records() - pending_.records;
    const std::uint64_t bytes = recording.offset() - pending_.offset;
    return records < options_.chunk_records && bytes < options_.chunk_bytes;
}

bool FlowIngest::Impl::fits_open_chunk(const ReadRecording& recording) const {
    const std::uint64_t records = recording.records() - pending_.records;
    const std::uint64_t bytes = recording.offset() - pending_.offset;
    return summed_records_ + records < options_.chunk_records && summed_bytes_ + bytes < options_.chunk_bytes;
}

// A read-ahead blob's sums into the open chunk, their texts moved from its pool to the ingest's.
void FlowIngest::Impl::add_sums(BlobReading& reading) {
    const TextPool& texts = reading.texts();
    std::vector<TextPool::Id>& ours = reading.pooled(); // the ingest's id + 1, or 0: not known yet
    if (ours.size() < texts.size())
        ours.resize(texts.size(), 0);
    const auto pooled = [&](TextPool::Id id) {
        if (ours[id] == 0)
            ours[id] = texts_.intern(texts.text(id)) + 1;
        return ours[id] - 1;
    };
    for (const auto& [key, totals] : reading.recording().sums()) {
        ConversationKey mapped = key;
        mapped.resource = pooled(key.resource);
        mapped.acl = pooled(key.acl);
        mapped.rule = pooled(key.rule);
        mapped.mac = pooled(key.mac);
        mapped.encryption = pooled(key.encryption);
        add_totals(conversations_[mapped], totals);
    }
}

// A diagnostic of a recorded read, made on another thread: its file is registered here.
void FlowIngest::Impl::report(const DetachedDiagnostic& detached) {
    Diagnostic diagnostic = detached.diagnostic;
    if (!detached.file_name.empty()) {
        if (last_file_ == kNoFile || detached.file_name != last_file_name_) {
            last_file_name_ = detached.file_name;
            last_file_ = sources_.add_name_only(last_file_name_);
        }
        diagnostic.where.file = last_file_;
    }
    diagnostics_.add(std::move(diagnostic));
}

// Whether the blob was loaded; what went wrong loading it is reported either way.
bool FlowIngest::Impl::loaded(const BlobReading& reading) {
    for (const DetachedDiagnostic& problem : reading.load_problems())
        report(problem);
    return reading.loaded();
}

Result<bool> FlowIngest::Impl::blob(BlobReading& reading) {
    const BlobSource& blob = blobs_[reading.source()];
    // The same blob twice in one chunk would be read from the same checkpoint twice.
    const std::string& key = key_of(reading.source());
    if (summed_keys_.contains(key))
        if (auto ok = flush(); !ok)
            return ok;
    stale_ = false;
    text_ = reading.text();
    source_ = reading.source();
    file_name_ = blob.name;
    pending_ = BlobCheckpoint{key};
    blob_id_ = texts_.intern(key);
    for (;;) {
        const Result<Outcome> outcome = attempt(reading);
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
        for (const std::size_t source : again) {
            current_->load(source, blobs_[source]);
            if (loaded(*current_))
                if (auto ok = blob(*current_); !ok)
                    return ok;
        }
        solo_ = false;
    }
    return true;
}

// A file's blob key, worked out when the blob is first sent or taken: it resolves the file's path,
// and doing it for every file before the first is read would hold the read-ahead back.
const std::string& FlowIngest::Impl::key_of(std::size_t source) {
    BlobSource& blob = blobs_[source];
    if (blob.key.empty() && !blob.path.empty())
        blob.key = blob_key(blob.path);
    return blob.key;
}

// Makes current_ hold blob `source`, loaded: the one read ahead if it is that one, else loaded now.
void FlowIngest::Impl::take(std::size_t source) {
    if (ahead_.empty() || ahead_.front().source != source) {
        current_->load(source, blobs_[source]);
        return;
    }
    // While the worker reads it, this thread reads the blobs after it that nobody has started.
    Ahead& front = ahead_.front();
    for (std::size_t next = 1; next < ahead_.size() && !front.prefetch->done(); ++next)
        ahead_[next].prefetch->run_here();
    front.prefetch->wait();
    ahead_bytes_ -= front.bytes;
    spare_.push_back(std::exchange(current_, std::move(front.reading)));
    ahead_.pop_front();
}

namespace {

// A blob's size before it is loaded (0 when unknown: loading it will say why).
std::uint64_t blob_size(const BlobSource& blob) {
    if (blob.path.empty())
        return blob.bytes.size();
    std::error_code error;
    const std::uintmax_t size = fs::file_size(blob.path, error);
    return error ? 0 : size;
}

} // namespace

// Sends the blobs after the current one to be loaded and read on other threads, each from the
// checkpoint the store has for it now, while their files add up to at most read_ahead_bytes (one
// at least). A blob larger than that is only loaded: it is read in its turn.
Result<bool> FlowIngest::Impl::read_ahead() {
    constexpr std::size_t kMostAhead = 1024; // a bound on tasks, whatever the files' sizes
    const std::uint64_t budget = options_.read_ahead_bytes;
    // Kept tuples are read in place; so is everything when no other thread would read ahead.
    const bool wanted = options_.read_ahead && !options_.keep_tuples && ThreadPool::current().size() > 1;
    while (wanted && next_ahead_ < blobs_.size() && ahead_.size() < kMostAhead) {
        const BlobSource& blob = blobs_[next_ahead_];
        const std::uint64_t bytes = blob_size(blob);
        if (!ahead_.empty() && ahead_bytes_ + bytes > budget)
            break;
        Result<std::optional<BlobCheckpoint>> from = store_.checkpoint(key_of(next_ahead_));
        if (!from)
            return from.error();
        Ahead& ahead = ahead_.emplace_back();
        ahead.source = next_ahead_++;
        ahead.bytes = bytes;
        if (spare_.empty())
            spare_.push_back(std::make_unique<BlobReading>(options_.limits));
        ahead.reading = std::move(spare_.back());
        spare_.pop_back();
        ahead_bytes_ += bytes;
        ahead.prefetch =
            std::make_unique<Prefetch>([this, &blob, &reading = *ahead.reading, source = ahead.source, budget,
                                        bucket = store_.bucket_ms(), from = std::move(*from)] {
                reading.load(source, blob);
                if (reading.loaded() && reading.size() <= budget)
                    reading.read_from(from, bucket, *readers_.lend());
            });
    }
    return true;
}

Result<IngestReport> FlowIngest::Impl::ingest(std::vector<BlobSource> blobs) {
    ahead_.clear(); // an earlier ingest that failed may have left some
    ahead_bytes_ = 0;
    next_ahead_ = 0;
    report_ = {};
    blobs_ = std::move(blobs);
    IngestProgress progress{0, blobs_.size(), 0, {}};
    for (std::size_t source = 0; source < blobs_.size(); ++source) {
        ++report_.files_read;
        take(source);
        next_ahead_ = std::max(next_ahead_, source + 1);
        if (auto ok = read_ahead(); !ok)
            return ok.error();
        if (loaded(*current_)) {
            progress.bytes_done += current_->size();
            if (auto ok = blob(*current_); !ok)
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
                blobs.push_back({file, {}, file.string(), {}}); // the key when it is needed
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
