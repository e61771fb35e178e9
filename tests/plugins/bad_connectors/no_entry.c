/* A shared library named like a connector that exports no entry point. */
#include <salescore/plugin_api.h>

SC_EXPORT int not_the_entry_point(void) { return 42; }
