// libFuzzer target: see chunked_body_checks.h for what it reads and the properties it checks.
#include "chunked_body_checks.h"
#include "fuzz_target.h"

SALESCORE_FUZZ_TARGET(salescore::fuzz::check_chunked_input)
