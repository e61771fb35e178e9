// Store URLs: which database a URL names, how to print it without its password, and the
// private databases `sqlite::memory:` may stand for.
#pragma once

#include <string>

#include "salescore/status.h"

namespace salescore::store {

bool is_postgresql_url(const std::string& url);

// The URL with any password replaced by "***", for messages and logs.
std::string redacted_url(const std::string& url);

// Whether connections to `url` may be shared between a writer and readers (a database
// file or server), as opposed to a private in-memory database only its one connection sees.
bool has_readers(const std::string& url);

// `sqlite::memory:` names a private database that lives as long as the engine. With
// SALESCORE_MEMORY_STORE=postgresql://... in the environment (the test harness sets it to
// run the whole suite on PostgreSQL) it becomes a new, empty schema of that database, and
// the URL returned names it; any other URL comes back unchanged.
//
// A schema is migrated once: when its engine closes, release_private_store empties its
// tables and keeps it for the next private database of this process, which then opens
// without running the migrations again (they cost most of a test on PostgreSQL).
Result<std::string> private_store_url(const std::string& url);
void release_private_store(const std::string& url);

}  // namespace salescore::store
