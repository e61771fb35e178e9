// Text functions that differ between databases (the Dialect's part for expressions that
// an index and its queries must spell identically, so the database sees they match).
#pragma once

#include <string>

#include "store/dialect.h"

namespace salescore::store {

// The domain of a normalized e-mail address kept in `column` (one '@', lower case,
// model/contact_points.cpp): what follows the '@'. Migration 27 indexes exactly this
// expression over contact_points.value, and Dialect::ddl writes it for the DDL token
// `{email_domain(value)}`: a query finds clients by company domain through that index
// only when it spells the expression the same way, so both take it from here.
std::string email_domain_of(const Dialect& d, const std::string& column);

}  // namespace salescore::store
