// The PostgreSQL backend of FlowStore: the SQLite store's tables and statements on a server, so
// that ingest workers on several machines feed one store. Each write transaction locks the blob it
// writes (an advisory lock on the blob's key) before it reads the checkpoint again, so two workers
// on one blob take turns; workers on different blobs write at once.
#pragma once

#include <memory>
#include <string>

#include "ztnet/flows/store/flow_store.h"

namespace ztnet::flows::store {

/// Opens (or, with options.create, creates) the store in the current schema of the database that
/// `connection` names (a libpq URI or keyword/value string; libpq's environment variables, service
/// and password files apply). Messages name the connection with its password redacted. Errors:
/// store-open-failed (cannot connect, cannot create), store-not-a-store (the schema holds some of
/// the store's tables but no meta table, or no store when not creating), store-schema-unknown,
/// store-bucket-mismatch.
Result<std::unique_ptr<FlowStore>> open_postgres_store(const std::string& connection,
                                                       const OpenOptions& options = {});

} // namespace ztnet::flows::store
