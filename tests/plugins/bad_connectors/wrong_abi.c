/* A connector built against a future plugin ABI major: the host must refuse it by its
 * file name and reason, and load the others. Plain C, which also proves that
 * plugin_api.h compiles as C. */
#include <salescore/plugin_api.h>

static sc_status noop_create(sc_host* host, void** self) {
  (void)host;
  *self = 0;
  return SC_OK;
}
static void noop_destroy(void* self) { (void)self; }

SC_EXPORT int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out) {
  (void)host;
  out->abi_major = SC_ABI_MAJOR + 1;
  out->abi_minor = 0;
  out->name = "wrong_abi";
  out->version = "9.0.0";
  out->create = noop_create;
  out->destroy = noop_destroy;
  return SC_OK;
}
