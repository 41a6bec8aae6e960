#include "ztnet/flows/flow_log_reader.h"

#include <cstring>
#include <fstream>
#include <limits>
#include <new>

#include <fmt/format.h>

#include "ztnet/flows/detail/json_extent.h"
#include "ztnet/flows/detail/record_walker.h"
#include "ztnet/support/ascii.h"

namespace ztnet::flows {

static_assert(PaddedText::kPadding >= simdjson::SIMDJSON_PADDING,
              "the JSON parser reads this far past the end");

namespace {

// Offsets in diagnostics are 32-bit.
constexpr std::size_t kMaxAddressable = std::numeric_limits<std::uint32_t>::max() - PaddedText::kPadding;

// Where reading goes on after a value: the next byte to look at, and whether the value was whole.
struct Next {
    std::size_t pos = 0;
    bool ok = true;
};

} // namespace

ReadCounts& ReadCounts::operator+=(const ReadCounts& other) {
    files += other.files;
    bytes += other.bytes;
    records += other.records;
    tuples += other.tuples;
    skipped_records += other.skipped_records;
    skipped_tuples += other.skipped_tuples;
    return *this;
}

PaddedText PaddedText::pad(std::string& buffer) {
    const std::size_t size = buffer.size();
    buffer.append(kPadding, ' ');
    return PaddedText(std::string_view(buffer.data(), size));
}

// One file at a time: the top level is split into records at the byte level (JsonScanner), each
// record is read by the RecordWalker, and problems are reported up to the per-file limit.
class FlowLogReader::Impl {
  public:
    Impl(SourceSet& sources, Diagnostics& diagnostics, ReadLimits limits)
        : sources_(sources), diagnostics_(diagnostics), limits_(limits) {}

    ReadCounts read(PaddedText text, std::string_view file_name, FlowVisitor& visitor, std::size_t resume_at);
    ReadCounts read_copy(std::string_view bytes, std::string_view file_name, FlowVisitor& visitor);
    ReadCounts read_path(const std::filesystem::path& path, FlowVisitor& visitor);

  private:
    ReadCounts read_file(const std::filesystem::path& path, FlowVisitor& visitor);
    ReadCounts read_top_level();
    Next top_object(std::size_t pos);
    Next record_array(std::size_t pos);
    void record(std::size_t begin, const detail::Extent& extent);
    void read_record(std::size_t begin, std::size_t end, std::uint64_t index);
    Next broken_record(std::size_t begin, const detail::Extent& extent);
    Next broken_log(std::size_t at, std::string_view what);
    std::size_t resync(std::size_t from) const;
    void report(Severity severity, std::string code, std::string message, std::size_t offset,
                std::string pointer = {});
    void record_end(const RecordEnd& end);
    void start_file(std::string_view file_name);
    void finish_file();
    bool within_limits(std::size_t size);

    SourceSet& sources_;
    Diagnostics& diagnostics_;
    ReadLimits limits_;
    detail::RecordWalker walker_;
    std::string file_buffer_; // read_file reads into it
    std::string scratch_;     // read_copy copies into it

    // The file being read.
    std::string_view text_;
    std::string file_name_;
    FileId file_ = kNoFile;
    detail::JsonScanner scanner_{{}, 0};
    FlowVisitor* visitor_ = nullptr;
    ReadCounts counts_;
    std::uint64_t record_index_ = 0;
    std::size_t resume_at_ = 0; // records before it were consumed by an earlier read
    bool stopped_ = false;      // the visitor asked to stop
    std::uint32_t reported_ = 0;
    std::uint64_t unreported_ = 0;
};

void FlowLogReader::Impl::start_file(std::string_view file_name) {
    file_name_ = file_name;
    file_ = kNoFile;
    counts_ = ReadCounts{};
    counts_.files = 1;
    record_index_ = 0;
    resume_at_ = 0;
    stopped_ = false;
    reported_ = 0;
    unreported_ = 0;
}

void FlowLogReader::Impl::record_end(const RecordEnd& end) {
    if (!visitor_->on_record_end(end))
        stopped_ = true;
}

void FlowLogReader::Impl::finish_file() {
    if (unreported_ == 0)
        return;
    reported_ = 0; // the summary itself is always said
    report(Severity::Note, "flow-more-problems",
           fmt::format("{} more problems in this file are not shown one by one; the counts of skipped "
                       "records and tuples include them",
                       unreported_),
           kNoOffset);
}

bool FlowLogReader::Impl::within_limits(std::size_t size) {
    const std::size_t limit = std::min(limits_.max_file_bytes, kMaxAddressable);
    if (size <= limit)
        return true;
    report(Severity::Error, "flow-file-too-large",
           fmt::format("the file is {} bytes, over the {} byte limit; it is not read", size, limit),
           kNoOffset);
    return false;
}

ReadCounts FlowLogReader::Impl::read(PaddedText text, std::string_view file_name, FlowVisitor& visitor,
                                     std::size_t resume_at) {
    start_file(file_name);
    if (!within_limits(text.text().size()))
        return counts_;
    text_ = text.text();
    scanner_ = detail::JsonScanner(text_, limits_.max_depth);
    visitor_ = &visitor;
    resume_at_ = std::min(resume_at, text_.size());
    counts_.bytes = text_.size() - resume_at_;
    try {
        read_top_level();
    } catch (const std::bad_alloc&) {
        report(Severity::Error, "out-of-memory",
               "out of memory while reading flow log records; the rest of the "
               "file is not read",
               kNoOffset);
    }
    finish_file();
    return counts_;
}

ReadCounts FlowLogReader::Impl::read_top_level() {
    std::size_t pos = text_.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    pos = scanner_.skip_space(pos);
    while (pos < text_.size() && !stopped_) {
        Next next;
        if (text_[pos] == '{')
            next = top_object(pos);
        else if (text_[pos] == '[')
            next = record_array(pos);
        else
            next = broken_log(
                pos, "expected a JSON object (a record, or {\"records\": [...]}) or an array of records");
        pos = scanner_.skip_space(next.pos);
    }
    return counts_;
}

// A top-level object is either {"records": [...]}, whose records are read as the array is met, or a
// record itself (a JSON line, or a file holding one record).
Next FlowLogReader::Impl::top_object(std::size_t pos) {
    detail::MemberCursor members(scanner_, pos);
    std::string_view key;
    std::size_t value_pos = 0;
    bool wrapper = false;
    detail::Extent deepest; // of the members, for an object that turns out to be a record
    while (members.next(key, value_pos)) {
        if (ascii::iequals(key, "records") && text_[value_pos] == '[') {
            wrapper = true;
            const Next after = record_array(value_pos);
            if (!after.ok || stopped_)
                return after;
            members.resume(after.pos);
            continue;
        }
        const detail::Extent extent = scanner_.value(value_pos);
        if (extent.error == detail::ExtentError::TooDeep)
            deepest = extent;
        else if (!extent && !wrapper)
            return broken_record(pos, extent);
        else if (!extent)
            return broken_log(extent.error_offset, extent.why);
        members.resume(extent.end);
    }
    if (members.failed() && !wrapper)
        return broken_record(pos, {0, detail::ExtentError::None, members.error_offset()});
    if (members.failed())
        return broken_log(members.error_offset(), "the object around the records is not valid JSON");
    if (!wrapper)
        record(pos, {members.end(), deepest.error, deepest.error_offset});
    return {members.end(), true};
}

Next FlowLogReader::Impl::record_array(std::size_t pos) {
    std::size_t i = scanner_.skip_space(pos + 1);
    if (i < text_.size() && text_[i] == ']')
        return {i + 1, true};
    while (i < text_.size()) {
        const detail::Extent extent = scanner_.value(i);
        if (!extent && extent.error != detail::ExtentError::TooDeep)
            return broken_record(i, extent);
        record(i, extent);
        if (stopped_)
            return {text_.size(), true};
        i = scanner_.skip_space(extent.end);
        if (i < text_.size() && text_[i] == ',') {
            i = scanner_.skip_space(i + 1);
            continue;
        }
        if (i < text_.size() && text_[i] == ']')
            return {i + 1, true};
        return broken_log(i, "expected ',' or ']' after a record");
    }
    return broken_log(text_.size(), "the file ends inside the records array");
}

// A record whose end is known (its extent has no error, or TooDeep).
void FlowLogReader::Impl::record(std::size_t begin, const detail::Extent& extent) {
    const std::uint64_t index = record_index_++;
    if (begin < resume_at_)
        return;
    const std::size_t size = extent.end - begin;
    if (extent.error == detail::ExtentError::None && text_[begin] == '{' &&
        size <= limits_.max_record_bytes) {
        read_record(begin, extent.end, index);
        return;
    }
    ++counts_.skipped_records;
    record_end({index, begin, extent.end, false, false, 0, 0});
    if (extent.error == detail::ExtentError::TooDeep)
        report(Severity::Warning, "flow-record-too-deep",
               fmt::format("record {} nests arrays and objects deeper than {} levels; it is skipped", index,
                           limits_.max_depth),
               extent.error_offset);
    else if (text_[begin] != '{')
        report(Severity::Warning, "flow-record-malformed",
               fmt::format("record {} is not a JSON object; it is skipped", index), begin);
    else
        report(Severity::Warning, "flow-record-too-large",
               fmt::format("record {} is {} bytes, over the {} byte limit; it is skipped", index, size,
                           limits_.max_record_bytes),
               begin);
}

void FlowLogReader::Impl::read_record(std::size_t begin, std::size_t end, std::uint64_t index) {
    const std::size_t budget =
        reported_ < limits_.max_problems_per_file ? limits_.max_problems_per_file - reported_ : 0;
    detail::RecordOutcome outcome = walker_.walk(text_, begin, end - begin, index, budget);
    if (outcome.status != detail::RecordStatus::Read) {
        ++counts_.skipped_records;
        const bool version = outcome.status == detail::RecordStatus::VersionUnknown;
        report(Severity::Warning, version ? "flow-version-unknown" : "flow-record-malformed",
               fmt::format("record {} (byte {}) is skipped: {}", index, begin, outcome.message),
               outcome.offset, std::move(outcome.pointer));
        record_end({index, begin, end, false, false, 0, 0});
        return;
    }
    ++counts_.records;
    for (const detail::TupleIssue& issue : walker_.issues())
        report(Severity::Warning, "flow-tuple-malformed",
               fmt::format("record {}: {}; the tuple is skipped", index, issue.message), issue.offset,
               issue.pointer);
    unreported_ += walker_.skipped_tuples() - walker_.issues().size();
    counts_.skipped_tuples += walker_.skipped_tuples();
    const std::span<const FlowTuple> tuples = walker_.tuples();
    counts_.tuples += tuples.size();
    if (!tuples.empty())
        visitor_->on_tuples(tuples);
    record_end({index, begin, end, true, false, tuples.size(), walker_.skipped_tuples()});
}

// A record (or a top-level value taken for one) whose end cannot be found: it is skipped, and
// reading resumes at the next line that starts an object.
Next FlowLogReader::Impl::broken_record(std::size_t begin, const detail::Extent& extent) {
    const std::uint64_t index = record_index_++;
    // A strict scan stops at a line break inside a string: the end of a truncated JSON line.
    const detail::Extent strict = scanner_.value_strict(begin);
    std::size_t at = extent.error_offset;
    std::string_view why = extent.error == detail::ExtentError::None ? "not valid JSON" : extent.why;
    if (!strict && strict.error_offset < at) {
        at = strict.error_offset;
        why = strict.why;
    }
    const std::size_t next = resync(at);
    if (begin < resume_at_)
        return {next, false};
    ++counts_.skipped_records;
    report(Severity::Warning, "flow-record-malformed",
           fmt::format("record {} (byte {}) is cut short or broken: {} (byte {}); it is skipped", index,
                       begin, why, at),
           begin);
    record_end({index, begin, next, false, next >= text_.size(), 0, 0});
    return {next, false};
}

Next FlowLogReader::Impl::broken_log(std::size_t at, std::string_view what) {
    if (at < resume_at_)
        return {resync(at), false};
    report(Severity::Warning, "flow-log-malformed",
           fmt::format("{} (byte {}); reading resumes at the next line that starts with '{{'", what, at), at);
    return {resync(at), false};
}

// The next line, after `from`, that starts with '{' (a JSON line, or a new document).
std::size_t FlowLogReader::Impl::resync(std::size_t from) const {
    std::size_t p = from;
    while (p < text_.size()) {
        const void* newline = std::memchr(text_.data() + p, '\n', text_.size() - p);
        if (newline == nullptr)
            return text_.size();
        p = static_cast<std::size_t>(static_cast<const char*>(newline) - text_.data()) + 1;
        if (p < text_.size() && text_[p] == '{')
            return p;
    }
    return text_.size();
}

void FlowLogReader::Impl::report(Severity severity, std::string code, std::string message, std::size_t offset,
                                 std::string pointer) {
    if (reported_ >= limits_.max_problems_per_file) {
        ++unreported_;
        return;
    }
    ++reported_;
    if (file_ == kNoFile)
        file_ = sources_.add_name_only(file_name_);
    const auto place = offset == kNoOffset ? kNoOffset : static_cast<std::uint32_t>(offset);
    diagnostics_.add({severity, std::move(code), std::move(message), {file_, place, std::move(pointer)}, {}});
}

ReadCounts FlowLogReader::Impl::read_file(const std::filesystem::path& path, FlowVisitor& visitor) {
    start_file(path.string());
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (error) {
        diagnostics_.error("io", fmt::format("{}: cannot read: {}", path.string(), error.message()));
        return counts_;
    }
    if (!within_limits(static_cast<std::size_t>(size)))
        return counts_;
    std::ifstream in(path, std::ios::binary);
    file_buffer_.resize(static_cast<std::size_t>(size));
    if (!in.read(file_buffer_.data(), static_cast<std::streamsize>(size))) {
        diagnostics_.error("io", fmt::format("{}: cannot read", path.string()));
        return counts_;
    }
    return read(PaddedText::pad(file_buffer_), path.string(), visitor, 0);
}

ReadCounts FlowLogReader::Impl::read_copy(std::string_view bytes, std::string_view file_name,
                                          FlowVisitor& visitor) {
    start_file(file_name);
    if (!within_limits(bytes.size()))
        return counts_;
    try {
        scratch_.assign(bytes);
    } catch (const std::bad_alloc&) {
        report(Severity::Error, "out-of-memory", "out of memory copying the file; it is not read", kNoOffset);
        return counts_;
    }
    return read(PaddedText::pad(scratch_), file_name, visitor, 0);
}

ReadCounts FlowLogReader::Impl::read_path(const std::filesystem::path& path, FlowVisitor& visitor) {
    ReadCounts total;
    for (const std::filesystem::path& file : flow_log_files(path, diagnostics_))
        total += read_file(file, visitor);
    return total;
}

FlowLogReader::FlowLogReader(SourceSet& sources, Diagnostics& diagnostics, ReadLimits limits)
    : impl_(std::make_unique<Impl>(sources, diagnostics, limits)) {}

FlowLogReader::~FlowLogReader() = default;

ReadCounts FlowLogReader::read(std::string_view bytes, std::string_view file_name, FlowVisitor& visitor) {
    return impl_->read_copy(bytes, file_name, visitor);
}

ReadCounts FlowLogReader::read(PaddedText text, std::string_view file_name, FlowVisitor& visitor,
                               std::size_t resume_at) {
    return impl_->read(text, file_name, visitor, resume_at);
}

ReadCounts FlowLogReader::read_path(const std::filesystem::path& path, FlowVisitor& visitor) {
    return impl_->read_path(path, visitor);
}

} // namespace ztnet::flows
