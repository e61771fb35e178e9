// libFuzzer target: see connector_record_checks.h for what it reads and the properties it checks.
#include "connector_record_checks.h"
#include "fuzz_target.h"

SALESCORE_FUZZ_TARGET(salescore::fuzz::check_connector_record)
