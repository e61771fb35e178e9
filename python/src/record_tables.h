// Field tables one collection's file defines and another's methods answer with: a
// proposal's or contract's request_approval answers an approval.
#pragma once

#include "fields.h"
#include "salescore/engine.h"

namespace salescore::python {

const FieldTable<Approval>& approval_fields();

}  // namespace salescore::python
