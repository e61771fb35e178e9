// Where the plugin tests find their files. The folders are absolute paths of the checkout
// and the build tree: given to every test source on the command line (as they were), they
// made each object differ between two clones, so ccache missed every one of these tests
// in every CI run, which builds in a fresh clone (twice: the normal and the ASan tree).
// Now only test_paths.cpp is compiled with them, and the names the tests use call it.
// CMake includes this header in every source of salescore_plugin_tests (-include), so a
// test uses the names as before, as a `const char*` (not as a literal to paste onto).
#pragma once

namespace salescore::test_paths {
const char* test_connector_dir();
const char* own_commerceml_fixtures();
const char* shared_fixtures();
const char* connector_build_dir();
const char* fuzz_corpus();
const char* webshop_fuzz_corpus();
}  // namespace salescore::test_paths

#define SALESCORE_TEST_CONNECTOR_DIR (::salescore::test_paths::test_connector_dir())
#define SALESCORE_OWN_COMMERCEML_FIXTURES (::salescore::test_paths::own_commerceml_fixtures())
#define SALESCORE_SHARED_FIXTURES (::salescore::test_paths::shared_fixtures())
#define SALESCORE_CONNECTOR_BUILD_DIR (::salescore::test_paths::connector_build_dir())
#define SALESCORE_FUZZ_CORPUS (::salescore::test_paths::fuzz_corpus())
#define SALESCORE_WEBSHOP_FUZZ_CORPUS (::salescore::test_paths::webshop_fuzz_corpus())
