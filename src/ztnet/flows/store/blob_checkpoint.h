// BlobCheckpoint: how far a flow log blob has been ingested into a store, committed in the same
// transaction as the data it covers, so that reading the blob again adds exactly what is new.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace ztnet::flows::store {

/// The ingest state of one blob. Azure rewrites PT1H.json longer while its hour runs; everything
/// before `offset` was consumed, and `prefix_hash` tells whether those bytes are still the same.
struct BlobCheckpoint {
    std::string key;                   ///< blob_key() of the file
    std::uint64_t records = 0;         ///< records consumed (read or skipped), from the start
    std::uint64_t offset = 0;          ///< byte offset just past the last consumed record
    std::uint64_t prefix_hash = 0;     ///< PrefixHash of the bytes before `offset`
    std::uint64_t read_records = 0;    ///< of `records`, those read (the rest were skipped whole)
    std::uint64_t tuples = 0;          ///< tuples stored
    std::uint64_t skipped_records = 0; ///< records skipped whole
    std::uint64_t skipped_tuples = 0;  ///< tuples skipped inside records that were read

    friend bool operator==(const BlobCheckpoint&, const BlobCheckpoint&) = default;
};

/// The key a blob is known by in a store: its path from the `insights-logs-...` container folder on
/// (so a copy synced to another folder keeps its key), else the absolute canonical path, with '/'.
std::string blob_key(const std::filesystem::path& path);

/// A 64-bit hash of a byte stream fed in pieces (the same value however the stream is cut): enough
/// to notice that a blob was rewritten rather than appended to. Not cryptographic.
class PrefixHash {
  public:
    void update(std::string_view bytes);
    std::uint64_t value() const;

  private:
    static constexpr std::size_t kStripe = 32; // four lanes of eight bytes

    void mix_stripe(const unsigned char* stripe);

    // Four independent lanes, so that the multiplies of one stripe overlap rather than chain.
    std::uint64_t lanes_[4] = {0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL,
                               0x082efa98ec4e6c89ULL};
    std::uint64_t length_ = 0;
    unsigned char pending_[kStripe] = {};
    std::size_t pending_size_ = 0;
};

/// PrefixHash of `bytes` in one piece.
std::uint64_t prefix_hash(std::string_view bytes);

} // namespace ztnet::flows::store
