/* A connector whose table contradicts itself: it declares polling without a poll
 * callback. The host refuses it at load time rather than failing later. */
#include <salescore/plugin_api.h>

static sc_status noop_create(sc_host* host, void** self) {
  (void)host;
  *self = 0;
  return SC_OK;
}
static void noop_destroy(void* self) { (void)self; }

static const sc_config_option k_config[] = {
    {"interval", SC_CONFIG_INT, "soon", 0, 0, "a default that is not an integer", NULL},
};

SC_EXPORT int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out) {
  sc_connector_v1 mine;
  memset(&mine, 0, sizeof mine);
  mine.struct_size = sizeof mine;
  mine.abi_major = SC_ABI_MAJOR;
  mine.abi_minor = SC_ABI_MINOR;
  mine.name = "bad_schema";
  mine.version = "0.1.0";
  mine.capabilities = SC_CAP_POLL;
  mine.config = k_config;
  mine.config_count = 1;
  mine.config_option_size = sizeof(sc_config_option);
  mine.create = noop_create;
  mine.destroy = noop_destroy;
  return sc_connector_export(host, out, &mine);
}
