// The OpenAPI 3 document of /api/v1, generated from the route table (api_routes()) and the
// field descriptions (api_fields.h) the server validates request bodies with.
#pragma once

#include <string>
#include <vector>

namespace salescore::cli {

std::string openapi_document();

// The `reason` values an error body may carry (the document's enum).
const std::vector<std::string>& error_reasons();

}  // namespace salescore::cli
