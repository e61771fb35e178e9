// libFuzzer target: see commerceml_checks.h for what it reads and the properties it checks.
#include "commerceml_checks.h"
#include "fuzz_target.h"

SALESCORE_FUZZ_TARGET(salescore::fuzz::check_commerceml)
