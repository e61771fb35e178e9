// Rows of connector_payment_references: which of a source's orders were paid with which
// payment transaction (a shop's transaction id), so that two orders paid by one
// transaction (a double charge recorded twice, a payment reused) are told apart.
#pragma once
#include <string>
#include <vector>

#include "salescore/values.h"
#include "store/sql.h"

namespace salescore::store {
// Notes that `source`'s order `external_id` was paid by `reference` (again: nothing
// changes) and returns the external ids of the source's other orders paid by it.
Result<std::vector<std::string>> note_payment_reference(Connection& c, const std::string& source,
                                                        const std::string& reference, const std::string& external_id,
                                                        Instant at);
}  // namespace salescore::store
