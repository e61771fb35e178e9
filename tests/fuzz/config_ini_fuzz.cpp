// libFuzzer target: see config_ini_checks.h for what it reads and the properties it checks.
#include "config_ini_checks.h"
#include "fuzz_target.h"

SALESCORE_FUZZ_TARGET(salescore::fuzz::check_config_ini)
