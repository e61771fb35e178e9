// libFuzzer target: see rest_api_checks.h for what it reads and the properties it checks.
#include "fuzz_target.h"
#include "rest_api_checks.h"

SALESCORE_FUZZ_TARGET(salescore::fuzz::check_rest_api)
