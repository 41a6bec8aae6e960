// Where a store is: an SQLite file, or a PostgreSQL database named by a libpq connection string.
// One rule tells them apart (docs/flows.md, "The PostgreSQL store"), one factory opens either, and
// the passwords a connection string may hold are kept out of every message.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/flows/store/flow_store.h"

namespace ztnet::flows::store {

/// Whether `store` names a PostgreSQL database: a URI (`postgresql://...`, `postgres://...`) or a
/// libpq keyword/value string, which starts with a keyword and `=` (`host=db dbname=flows`,
/// `service=flows`). Anything else is the path of an SQLite file.
bool is_postgres_location(std::string_view store);

/// The connection string with its passwords replaced by `***`: the user information's password in
/// a URI (`postgresql://user:***@host/db`), a `password` query parameter, a `password=` keyword.
/// Any other string is returned as it is.
std::string redact_password(std::string_view store);

/// The passwords written in a connection string, as written and as libpq reads them (quotes,
/// escapes and percent-encoding undone), so that a message quoting any of them can be scrubbed.
std::vector<std::string> passwords_in(std::string_view store);

/// `message` with every occurrence of a password of `store` replaced by `***`.
std::string scrub_passwords(std::string message, std::string_view store);

/// Opens the store `store` names: PostgreSQL (is_postgres_location) or else an SQLite file.
Result<std::unique_ptr<FlowStore>> open_store(std::string_view store, const OpenOptions& options = {});

} // namespace ztnet::flows::store
