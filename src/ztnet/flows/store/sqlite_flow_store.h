// The SQLite backend of FlowStore: one file, WAL mode so that readers never wait for a writer, a
// busy timeout so that several ingest processes take turns, BEGIN IMMEDIATE for every write.
#pragma once

#include <filesystem>
#include <memory>

#include "ztnet/flows/store/flow_store.h"

namespace ztnet::flows::store {

/// Opens (or, with options.create, creates) the store in `file`. Errors: store-open-failed (no such
/// file, cannot open), store-not-a-store (a file that is not SQLite, or an SQLite database of
/// something else), store-schema-unknown (another schema version), store-bucket-mismatch.
Result<std::unique_ptr<FlowStore>> open_sqlite_store(const std::filesystem::path& file,
                                                     const OpenOptions& options = {});

} // namespace ztnet::flows::store
