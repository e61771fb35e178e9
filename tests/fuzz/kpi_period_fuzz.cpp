// libFuzzer target: see kpi_period_checks.h for what it reads and the properties it checks.
#include "kpi_period_checks.h"
#include "fuzz_target.h"

SALESCORE_FUZZ_TARGET(salescore::fuzz::check_kpi_period)
