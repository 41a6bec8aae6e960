#include "ztnet/flows/store/blob_checkpoint.h"

#include <cstring>

#include "ztnet/support/ascii.h"

namespace ztnet::flows::store {

namespace fs = std::filesystem;

namespace {

// SplitMix64's finaliser. Kept here rather than shared with the in-memory hashes of net/: stores
// keep the values it gives, so it must never change without a new schema version.
constexpr std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

} // namespace

std::string blob_key(const fs::path& path) {
    std::error_code error;
    fs::path full = fs::weakly_canonical(fs::absolute(path, error), error);
    if (full.empty())
        full = path;
    std::string text = full.generic_string();
    constexpr std::string_view kContainer = "/insights-logs-";
    for (std::size_t at = text.find('/'); at != std::string::npos; at = text.find('/', at + 1)) {
        const std::string_view rest = std::string_view(text).substr(at);
        if (rest.size() > kContainer.size() && ascii::iequals(rest.substr(0, kContainer.size()), kContainer))
            return std::string(rest.substr(1));
    }
    return text;
}

// Words of eight bytes, little-endian, each folded in with a multiply and a rotation; the length
// and the last partial word close the value, so that "a" and "a\0" differ.
void PrefixHash::mix_word(std::uint64_t word) {
    state_ = mix64(state_ ^ word) + 0x9e3779b97f4a7c15ULL;
}

void PrefixHash::update(std::string_view bytes) {
    length_ += bytes.size();
    std::size_t i = 0;
    if (pending_size_ > 0) {
        const std::size_t take = std::min(bytes.size(), sizeof pending_ - pending_size_);
        std::memcpy(pending_ + pending_size_, bytes.data(), take);
        pending_size_ += take;
        i = take;
        if (pending_size_ < sizeof pending_)
            return;
        std::uint64_t word = 0;
        std::memcpy(&word, pending_, sizeof word);
        mix_word(word);
        pending_size_ = 0;
    }
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes.data() + i, sizeof word);
        mix_word(word);
    }
    pending_size_ = bytes.size() - i;
    std::memcpy(pending_, bytes.data() + i, pending_size_);
}

std::uint64_t PrefixHash::value() const {
    std::uint64_t tail = 0;
    std::memcpy(&tail, pending_, pending_size_);
    return mix64(mix64(state_ ^ tail) ^ length_);
}

std::uint64_t prefix_hash(std::string_view bytes) {
    PrefixHash hash;
    hash.update(bytes);
    return hash.value();
}

} // namespace ztnet::flows::store
