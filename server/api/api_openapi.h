// The OpenAPI 3 document of /api/v1, generated from the route table (api_routes()).
#pragma once

#include <string>

namespace salescore::cli {

std::string openapi_document();

}  // namespace salescore::cli
