// Translation between the ABI's status codes and the engine's, and the HTTP status a
// route answers with. One table, so the runtime decides retry vs dead letter the same
// way whether the failure came from a connector or from the engine.
#pragma once

#include "salescore/plugin_api.h"
#include "salescore/status.h"

namespace salescore::plugins {

// Unknown numbers become kInternal: a code we cannot read is a connector bug.
Code code_from_abi(sc_status status);
sc_status abi_from_code(Code code);
// "unavailable", "invalid_argument"... for messages; "status 42" for unknown numbers.
std::string abi_status_name(sc_status status);
// True for the codes the runtime retries with backoff.
bool is_retryable_abi(sc_status status);
// The HTTP status a route answers when its handler returns `status`.
int http_status_for(sc_status status);

}  // namespace salescore::plugins
