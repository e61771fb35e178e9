// salescore demo: fill a database with a realistic demo sales department.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.h"
#include "demo_company.h"
#include "demo_history.h"
#include "engine_open.h"
#include "progress.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "demo",
    .summary = "fill the database with a demo sales department",
    .options = {db_option(),
                {"clients", "N", "number of client companies (default 3000)", false, false},
                {"orders", "N", "number of orders over the last year (default 30000)", false, false},
                {"seed", "S", "random seed: the same seed gives the same company (default 1)", false, false},
                {"today", "DATE", "the day the demo year ends, YYYY-MM-DD (default: today, UTC)", false, false},
                config_option(),
                set_option()},
    .details =
        "Writes a head of department, six managers with their assistants, a director and an\n"
        "admin; a catalogue of about 200 building materials; clients (ООО, АО, ИП) with valid\n"
        "INN/KPP, phones, e-mails, contacts, deals, tasks and call/e-mail/meeting history;\n"
        "orders over the year before --today, the payments of the delivered ones (the rest\n"
        "are receivables), and each manager's monthly sales plans, so the KPI reports have\n"
        "plans to measure against. Then the year's work, month by month on the demo's own\n"
        "clock: leads through every channel with first responses and SLA breaches, deals\n"
        "won and lost through proposals, approvals and contracts, claims with causes,\n"
        "absences with deputies, a route rep's visits with stock, orders and deferred\n"
        "payments (some overdue), so every KPI has figures in every month.\n"
        "Running it again with the same options changes nothing:\n"
        "records are keyed by their demo external ids.",
};

constexpr std::int64_t kDayMs = 86'400'000;

// One Progress line per phase, replaced when the phase changes.
class PhaseProgress {
 public:
  void operator()(std::string_view phase, std::int64_t done, std::int64_t total) {
    if (!current_ || phase != phase_) {
      current_.reset();
      phase_ = std::string(phase);
      current_ = std::make_unique<Progress>(phase_, total);
    }
    current_->update(done);
  }
  void finish() { current_.reset(); }

 private:
  std::string phase_;
  std::unique_ptr<Progress> current_;
};

std::string day_text(Instant day) { return format_iso8601(day).substr(0, 10); }

void print_summary(const std::vector<DemoTally>& tallies, double seconds, const std::string& location,
                   const DemoOptions& options, const std::string& url) {
  std::printf("Demo company written to %s in %.1f s (seed %llu, year up to %s)\n\n", location.c_str(), seconds,
              static_cast<unsigned long long>(options.seed), day_text(options.today).c_str());
  std::printf("  %-14s %9s %9s %10s\n", "records", "created", "updated", "unchanged");
  for (const DemoTally& t : tallies)
    std::printf("  %-14s %9lld %9lld %10lld\n", t.entity.c_str(), static_cast<long long>(t.created),
                static_cast<long long>(t.updated), static_cast<long long>(t.unchanged));
  std::printf("\nLook around: salescore serve --db %s --listen 127.0.0.1:8080\n", redacted_store_url(url).c_str());
}

int run(const Args& args) {
  DemoOptions options;
  auto clients = args.get_int("clients", options.clients, 0, 1'000'000);
  if (!clients.ok()) return usage_error(kSpec.name, clients.status().message());
  auto orders = args.get_int("orders", options.orders, 0, 10'000'000);
  if (!orders.ok()) return usage_error(kSpec.name, orders.status().message());
  auto seed = args.get_int("seed", 1, 0, INT64_MAX);
  if (!seed.ok()) return usage_error(kSpec.name, seed.status().message());
  if (*orders > 0 && *clients == 0) return usage_error(kSpec.name, "--orders needs clients to order: --clients is 0");
  options.clients = *clients;
  options.orders = *orders;
  options.seed = static_cast<std::uint64_t>(*seed);
  if (args.has("today")) {
    auto today = parse_iso8601(args.get("today"));
    if (!today.ok()) return usage_error(kSpec.name, "--today: " + today.status().message());
    options.today = *today;
  }

  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {}, engine); rc != kExitOk) return rc;
  if (!args.has("today")) options.today = engine->clock().now();
  // Whole days, so that a second run on the same day writes the very same records.
  options.today.ms -= ((options.today.ms % kDayMs) + kDayMs) % kDayMs;

  const auto started = std::chrono::steady_clock::now();
  PhaseProgress progress;
  auto tallies = write_demo_company(*engine, options, std::ref(progress));
  progress.finish();
  if (!tallies.ok()) return fail(kSpec.name, "writing the demo company failed", tallies.status());
  // The year of work on top, lived on a clock of its own (demo_history.h).
  if (options.clients > 0) {
    const Config config = engine->config();
    engine.reset();
    auto history = write_demo_history(args.get("db"), config, options);
    if (!history.ok()) return fail(kSpec.name, "writing the demo year failed", history.status());
    tallies->insert(tallies->end(), history->begin(), history->end());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  print_summary(*tallies, seconds, database_location(args.get("db")), options, args.get("db"));
  return kExitOk;
}

}  // namespace

const Command& demo_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
