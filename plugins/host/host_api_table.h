// The host services of plugin_api.h: one static table handed to every connector's
// entry point. Each service finds its instance through the sc_host handle and never
// lets an exception out into the connector's frames.
#pragma once

#include "salescore/plugin_api.h"

namespace salescore::plugins {
const sc_host_api* host_api_table();
}  // namespace salescore::plugins
