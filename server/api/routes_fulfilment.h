// The routes of partial shipments and of the orders a contract covers
// (salescore/fulfilment.h). A header of its own so that adding them recompiled only the
// router, not every route file that includes api_router.h.
#pragma once

#include <vector>

#include "api/api_router.h"

namespace salescore::cli {
void add_fulfilment_routes(std::vector<Route>& out);
}
