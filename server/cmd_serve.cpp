// salescore serve: the HTTP API over one database, until SIGTERM or SIGINT.
#include <Poco/Exception.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <csignal>
#include <sys/resource.h>
#include <cstring>
#include <iostream>
#include <thread>

#include "commands.h"
#include "engine_open.h"
#include "connector_host.h"
#include "api/api_access_log.h"
#include "api/api_metrics.h"
#include "api/api_rate_limit.h"
#include "api/api_session.h"
#include "api/server_settings.h"
#include "api/api_router.h"
#include "api/serve_heartbeat.h"
#include "http_api.h"
#include "termination_signal.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "serve",
    .summary = "serve the HTTP API until SIGTERM or SIGINT",
    .options = {db_option(),
                {"listen", "HOST:PORT", "address to listen on, e.g. 127.0.0.1:8080 (port 0: any free port)", true,
                 false},
                {"rate-limit", "N",
                 "API requests per second per token, bursts of 2N, for all serve processes of the database "
                 "together (each admits its share; default: [server] rate_limit of the config file, else 100; "
                 "0: no limit)",
                 false, false},
                {"threads", "N",
                 "worker threads for writes, lists, reports and connector routes (default: [server] threads of "
                 "the config file, else 16); reads of one record are answered by the event loops",
                 false, false},
                {"loops", "N",
                 "event loops, i.e. threads owning the connections (default: [server] loops, else two per core)",
                 false, false},
                config_option(),
                set_option()},
    .details =
        "Serves the REST API under /api/v1 (docs/api.md; the OpenAPI document is at\n"
        "GET /api/v1/openapi.json), GET /healthz, GET /metrics (Prometheus text), and the\n"
        "routes of the configured connectors, e.g. /exchange/1c for [connector.onec].\n"
        "API routes need 'Authorization: Bearer <token>' (salescore token create).\n"
        "Errors are {\"error\":{\"code\":...,\"message\":...,\"fields\":{...}}}.\n"
        "One JSON access-log line per request goes to stderr.",
};

// Requests finishing after the stop get this long before the engine is closed.
constexpr auto kDrainTimeout = std::chrono::seconds(5);

int run(const Args& args) {
  Poco::Net::SocketAddress address;
  try {
    address = Poco::Net::SocketAddress(args.get("listen"));
  } catch (const Poco::Exception& e) {
    return usage_error(kSpec.name, "--listen '" + args.get("listen") + "': " + e.displayText());
  }

  auto settings = read_server_settings(args.get("config"));
  if (!settings.ok()) return fail(kSpec.name, "cannot load the configuration", settings.status());
  auto rate = args.get_int("rate-limit", settings->rate_limit, 0, 1'000'000);
  if (!rate.ok()) return usage_error(kSpec.name, rate.status().message());
  auto threads = args.get_int("threads", settings->threads, 1, 256);
  if (!threads.ok()) return usage_error(kSpec.name, threads.status().message());
  auto loops = args.get_int("loops", settings->loops, 0, 64);
  if (!loops.ok()) return usage_error(kSpec.name, loops.status().message());
  RateLimiter::instance().configure(static_cast<double>(*rate), 2.0 * static_cast<double>(*rate));
  set_secure_session_cookies(settings->secure_cookies);

  // Every connection is a descriptor: the usual soft limit of 1024 would cap the clients
  // at about a thousand, far below what the event loops serve. Raised to the hard limit.
  if (rlimit files{}; getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = std::min<rlim_t>(files.rlim_max, 65536);
    setrlimit(RLIMIT_NOFILE, &files);
  }

  // Before any thread exists (the server's pool), so that all of them inherit the mask.
  block_termination_signals();

  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {}, engine); rc != kExitOk) return rc;
  // The rate limit is the deployment's: this process takes its share of it.
  ServeHeartbeat heartbeat(args.get("db"), engine->config());

  Poco::Net::ServerSocket socket;
  try {
    socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen();
  } catch (const Poco::Exception& e) {
    return fail(kSpec.name, "cannot listen on " + address.toString() + ": " + e.displayText());
  }

  // Connectors start after the engine and stop before it (declared after it).
  ConnectorHost connectors(*engine, args.get("config"));
  ApiMetrics::instance().set_connectors(connectors.names());
  ApiService service(*engine, &connectors);
  http::EventServerOptions options;
  // Two loops per core by default: a loop descheduled for a time slice stalls only its
  // share of the connections. bench/run api on 2 cores: GET p99 6-9 ms with 4 loops,
  // 13-19 ms with 2, at the same or a higher rate (bench/RESULTS.md).
  options.loops = *loops > 0 ? static_cast<int>(*loops)
                             : static_cast<int>(std::min(64u, 2 * std::max(1u, std::thread::hardware_concurrency())));
  options.workers = static_cast<int>(*threads);
  options.head_limits.max_target = kMaxUriBytes;
  http::EventServer server(service, socket.impl()->sockfd(), options);
  try {
    server.start();
  } catch (const std::exception& e) {
    return fail(kSpec.name, std::string("cannot start the server: ") + e.what());
  }

  std::cout << "Listening on http://" << socket.address().toString() << " (database "
            << database_location(args.get("db")) << ")" << std::endl;

  const int signal_number = wait_for_termination_signal();
  std::cerr << "Received " << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT") << ", stopping" << std::endl;

  // Stop accepting, let requests in flight finish, then close the engine.
  end_long_polls();
  server.stop(kDrainTimeout);
  AccessLog::instance().flush();
  std::cerr << "Stopped" << std::endl;
  return kExitOk;
}

}  // namespace

const Command& serve_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
