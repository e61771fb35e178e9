// The Idempotency-Key header of the API's writes: a POST or PATCH sent again under the
// same key gets the first reply (status and body) and changes nothing. The rule, the
// keys and the kept replies are core's (salescore/idempotency.h); this maps an HTTP
// request onto it. A GET is idempotent as it is: the header is ignored there.
#pragma once

#include "api/api_router.h"
#include "http/http_message.h"

namespace salescore::cli {

// Runs `route` for `call`: once per key when `request` carries an Idempotency-Key. The
// key is claimed, the route run and a successful (2xx) reply kept in one transaction; a
// refused request rolls back and keeps nothing. A malformed key is 400 naming the header,
// a key used for another request (another method, target or body) 422.
HttpReply run_route_once(const Route& route, ApiCall& call, const http::HttpRequest& request);

}  // namespace salescore::cli
