#include "ztnet/flows/store/blob_reading.h"

#include <fstream>
#include <utility>

#include <fmt/format.h>

namespace ztnet::flows::store {

bool prefix_unchanged(std::string_view text, const BlobCheckpoint& checkpoint, PrefixHash& hash) {
    if (checkpoint.offset > text.size())
        return false;
    hash.update(text.substr(0, checkpoint.offset));
    return hash.value() == checkpoint.prefix_hash;
}

void ReadRecording::start(const std::optional<BlobCheckpoint>& from, std::int64_t bucket_ms,
                          const Diagnostics& watched) {
    keys_.emplace(texts_, bucket_ms);
    watched_ = &watched;
    sums_.clear();
    events_.clear();
    diagnostics_.clear();
    records_ = from ? from->records : 0;
    offset_ = from ? from->offset : 0;
}

void ReadRecording::on_tuples(std::span<const FlowTuple> tuples) {
    keys_->start_call();
    for (const FlowTuple& tuple : tuples)
        add_tuple(sums_[keys_->key(tuple)], tuple);
}

bool ReadRecording::on_record_end(const RecordEnd& record) {
    events_.push_back({watched_->all().size(), record});
    if (record.cut_short)
        return false;
    records_ = record.index + 1;
    offset_ = record.end;
    return true;
}

void ReadRecording::finish(Diagnostics& watched, const SourceSet& sources) {
    for (Diagnostic& diagnostic : watched.take()) {
        std::string file_name =
            diagnostic.where.has_file() ? sources.name(diagnostic.where.file) : std::string();
        diagnostic.where.file = kNoFile;
        diagnostics_.push_back({std::move(diagnostic), std::move(file_name)});
    }
    watched_ = nullptr;
}

bool ReadRecording::replay(FlowVisitor& visitor,
                           const std::function<void(const DetachedDiagnostic&)>& report) const {
    std::size_t told = 0;
    const auto tell_until = [&](std::size_t count) {
        for (; told < count; ++told)
            report(diagnostics_[told]);
    };
    for (std::size_t i = 0; i < events_.size(); ++i) {
        const Event& event = events_[i];
        tell_until(event.diagnostics_before);
        if (!visitor.on_record_end(event.end)) {
            if (i + 1 == events_.size())
                tell_until(diagnostics_.size());
            return false;
        }
    }
    tell_until(diagnostics_.size());
    return true;
}

DetachedReaders::Lease DetachedReaders::lend() {
    {
        std::lock_guard guard(lock_);
        if (!idle_.empty()) {
            std::unique_ptr<DetachedReader> reader = std::move(idle_.back());
            idle_.pop_back();
            return {*this, std::move(reader)};
        }
    }
    return {*this, std::make_unique<DetachedReader>(limits_)};
}

void DetachedReaders::give_back(std::unique_ptr<DetachedReader> reader) {
    std::lock_guard guard(lock_);
    idle_.push_back(std::move(reader));
}

void BlobReading::problem(Severity severity, std::string code, std::string message, std::string file_name) {
    load_problems_.push_back({{severity, std::move(code), std::move(message), {}, {}}, std::move(file_name)});
}

bool BlobReading::read_file(const std::filesystem::path& path) {
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (error) {
        problem(Severity::Error, "io", fmt::format("{}: cannot read: {}", path.string(), error.message()),
                {});
        return false;
    }
    if (size > limits_.max_file_bytes) {
        problem(Severity::Error, "flow-file-too-large",
                fmt::format("the file is {} bytes, over the {} byte limit; it is not read", size,
                            limits_.max_file_bytes),
                path.string());
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    buffer_.resize(static_cast<std::size_t>(size));
    if (!in.read(buffer_.data(), static_cast<std::streamsize>(size))) {
        problem(Severity::Error, "io", fmt::format("{}: cannot read", path.string()), {});
        return false;
    }
    return true;
}

void BlobReading::load(std::size_t source, const BlobSource& blob) {
    source_ = source;
    name_ = blob.name;
    load_problems_.clear();
    read_ = false;
    from_.reset();
    if (blob.path.empty())
        buffer_.assign(blob.bytes);
    else if (!read_file(blob.path))
        buffer_.clear();
    loaded_ = load_problems_.empty();
    padded_ = PaddedText::pad(buffer_);
    text_ = padded_->text();
}

void BlobReading::read_from(const std::optional<BlobCheckpoint>& from, std::int64_t bucket_ms,
                            DetachedReader& reader) {
    read_ = true;
    from_ = from;
    hash_ = PrefixHash();
    recording_.start(from, bucket_ms, reader.diagnostics);
    prefix_matches_ = !from || prefix_unchanged(text_, *from, hash_);
    if (prefix_matches_)
        reader.reader.read(*padded_, name_, recording_, from ? from->offset : 0);
    recording_.finish(reader.diagnostics, reader.sources);
}

} // namespace ztnet::flows::store
