// libFuzzer target: see commerceml_element_checks.h for what it reads and the properties it checks.
#include "commerceml_element_checks.h"
#include "fuzz_target.h"

SALESCORE_FUZZ_TARGET(salescore::fuzz::check_commerceml_element)
