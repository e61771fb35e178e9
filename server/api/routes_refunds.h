// The routes of order refunds (salescore/refunds.h). A header of its own so that adding
// them recompiled only the router, not every route file that includes api_router.h.
#pragma once

#include <vector>

#include "api/api_router.h"

namespace salescore::cli {
void add_refund_routes(std::vector<Route>& out);
}
