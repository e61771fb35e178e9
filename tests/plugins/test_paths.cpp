// The folders of test_paths.h, from CMake (plugins/CMakeLists.txt): the one object of
// the plugin tests that differs between two clones.
#include "test_paths.h"

namespace salescore::test_paths {
const char* test_connector_dir() { return SALESCORE_PATH_TEST_CONNECTOR_DIR; }
const char* own_commerceml_fixtures() { return SALESCORE_PATH_OWN_COMMERCEML_FIXTURES; }
const char* shared_fixtures() { return SALESCORE_PATH_SHARED_FIXTURES; }
const char* connector_build_dir() { return SALESCORE_PATH_CONNECTOR_BUILD_DIR; }
const char* fuzz_corpus() { return SALESCORE_PATH_FUZZ_CORPUS; }
const char* webshop_fuzz_corpus() { return SALESCORE_PATH_WEBSHOP_FUZZ_CORPUS; }
}  // namespace salescore::test_paths
