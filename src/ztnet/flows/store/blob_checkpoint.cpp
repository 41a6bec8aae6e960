#include "ztnet/flows/store/blob_checkpoint.h"

#include <algorithm>
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

// Stripes of 32 bytes, four little-endian words each folded into its own lane with a multiply and
// a rotation; the lanes, the length and the last partial stripe close the value, so that "a" and
// "a\0" differ. Values are stored in checkpoints: changing this needs a new schema version.
void PrefixHash::mix_stripe(const unsigned char* stripe) {
    for (std::size_t lane = 0; lane < 4; ++lane) {
        std::uint64_t word = 0;
        std::memcpy(&word, stripe + 8 * lane, sizeof word);
        const std::uint64_t v = lanes_[lane] + word * 0xc2b2ae3d27d4eb4fULL;
        lanes_[lane] = ((v << 31) | (v >> 33)) * 0x9e3779b185ebca87ULL;
    }
}

void PrefixHash::update(std::string_view bytes) {
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t size = bytes.size();
    length_ += size;
    std::size_t i = 0;
    if (pending_size_ > 0) {
        const std::size_t take = std::min(size, kStripe - pending_size_);
        std::memcpy(pending_ + pending_size_, data, take);
        pending_size_ += take;
        i = take;
        if (pending_size_ < kStripe)
            return;
        mix_stripe(pending_);
        pending_size_ = 0;
    }
    for (; i + kStripe <= size; i += kStripe)
        mix_stripe(data + i);
    pending_size_ = size - i;
    std::memcpy(pending_, data + i, pending_size_);
}

std::uint64_t PrefixHash::value() const {
    std::uint64_t h = mix64(length_);
    for (const std::uint64_t lane : lanes_)
        h = mix64(h ^ lane);
    for (std::size_t at = 0; at < pending_size_; at += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, pending_ + at, std::min<std::size_t>(8, pending_size_ - at));
        h = mix64(h ^ word);
    }
    return h;
}

std::uint64_t prefix_hash(std::string_view bytes) {
    PrefixHash hash;
    hash.update(bytes);
    return hash.value();
}

} // namespace ztnet::flows::store
