// Query parameters, described as body fields are (api_fields.h): the OpenAPI document
// types each one from its description (integer, enum, date-time, ...) and QueryReader
// holds every read to it, so the two cannot drift apart.
#pragma once

#include "api/api_fields.h"

namespace salescore::cli {

// A route's query parameters (Route::filters) as api_routes() serves them: a bare name of
// a parameter many routes share (client_id, from, user, ...) takes the shared
// description; a described spec (a route's own `status` choice) stays as it is; any
// other bare name stays undescribed, which ApiFieldsTest.EveryRouteIsDescribed and
// tests/python/test_openapi.py name.
Fields with_shared_descriptions(const Fields& given);

}  // namespace salescore::cli
