// bench: a full 1C catalog exchange again, with most of the source's products discontinued: what the deactivation of the absent costs vs raw SQLite
//
//   catalog_exchange [PRODUCTS] [KEPT] [ROUNDS]
//                    PRODUCTS from source "onec" (default 100000), KEPT of them in the
//                    catalog (default 10000), ROUNDS repeat exchanges (default 5)
//
// A 1C base that has sold for years has discontinued most of what it ever sent: its full
// catalog (a file without СодержитТолькоИзменения) names the KEPT products it sells now,
// and each such exchange deactivates the source's products it leaves out
// (ProductService::deactivate_absent, called by the connector host for every full
// catalog). The first exchange after the range shrank deactivates PRODUCTS - KEPT
// products, one product.updated event each. Every exchange after it deactivates nothing,
// and what it costs then is what this benchmark measures: before migration 29 it loaded
// every product of the source the catalog did not name, discontinued or not, in full,
// only to skip it.
//
// Sides, in the same run and on the same database file:
//   salescore   Engine::products().deactivate_absent(system, "onec", KEPT ids), which
//               must return 0 (and write no event) on every repeat;
//   raw_sqlite  the least that work can be: the SQLite C API reads the id and external id
//               of every active product of the source and checks each against a hash set
//               of the KEPT ids (what a script that knew the schema would do, with the
//               same index); it must find none absent.
// Each side runs ROUNDS times, alternating; the median counts. Also printed, for the
// record: the first exchange (the big deactivation) and the import that filled the file.
//
// Output: one line per round, last
//   catalog_exchange: products=<> kept=<> repeat_ms=<> raw_sqlite_ms=<> ratio=<repeat/raw>
//   first_ms=<> import_s=<>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "bench_util.h"
#include "salescore/engine.h"

namespace {

using salescore::Actor;
using salescore::CatalogItem;
using salescore::Engine;

constexpr const char* kUsage = "catalog_exchange [PRODUCTS] [KEPT] [ROUNDS]";

std::string external_id(long long n) { return "onec-" + std::to_string(n); }

// The products as a 1C catalog and offers file give them: a name, a group, a unit, two
// price types and stock, in chunks of 5,000 as the connector applies them.
void import_products(Engine& engine, long long products) {
  constexpr long long kChunk = 5000;
  for (long long from = 0; from < products; from += kChunk) {
    std::vector<CatalogItem> chunk;
    for (long long n = from; n < std::min(products, from + kChunk); ++n) {
      CatalogItem item;
      item.source = "onec";
      item.external_id = external_id(n);
      item.sku = "SKU-" + std::to_string(n);
      item.patch.name = "Дрель ударная модель " + std::to_string(n);
      item.patch.unit = "шт";
      item.patch.group = "Инструмент / Дрели";
      item.patch.prices = std::map<std::string, salescore::Money>{
          {"Розничная", salescore::Money{1000 + n % 9000, "RUB"}},
          {"Оптовая", salescore::Money{900 + n % 8000, "RUB"}}};
      item.patch.stock = salescore::Quantity{(n % 50) * 1000};
      chunk.push_back(std::move(item));
    }
    salescore::CatalogImport report;
    const salescore::Status st = engine.products().import_catalog(Actor::system(), std::move(chunk), &report);
    if (!st.is_ok()) bench::fail("import: " + st.to_string());
    if (from % 20000 == 0) std::fprintf(stderr, "imported %lld of %lld products\n", from + kChunk, products);
  }
}

// The raw side: every active product of the source against the catalog's ids.
std::size_t raw_absent(sqlite3* db, const std::unordered_set<std::string_view>& kept) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT id, external_id FROM products WHERE source = ?1 AND active = 1", -1, &s,
                         nullptr) != SQLITE_OK)
    bench::fail(std::string("raw prepare: ") + sqlite3_errmsg(db));
  sqlite3_bind_text(s, 1, "onec", -1, SQLITE_STATIC);
  std::vector<long long> absent;
  while (sqlite3_step(s) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
    const std::string_view id(text, static_cast<std::size_t>(sqlite3_column_bytes(s, 1)));
    if (!kept.count(id)) absent.push_back(sqlite3_column_int64(s, 0));
  }
  sqlite3_finalize(s);
  return absent.size();
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const long long products = bench::int_arg(argc, argv, 1, 100000, kUsage);
  const long long kept_count = bench::int_arg(argc, argv, 2, 10000, kUsage);
  const long long rounds = bench::int_arg(argc, argv, 3, 5, kUsage);
  if (products == 0 || kept_count > products || rounds == 0) bench::usage(kUsage);

  bench::ScratchDir dir("sc-catalog-exchange");
  const std::string path = dir.file("crm.db");
  auto opened = Engine::open("sqlite:" + path);
  if (!opened.ok()) bench::fail("open: " + opened.status().to_string());
  Engine& engine = **opened;

  bench::Stopwatch import_clock;
  import_products(engine, products);
  const double import_s = import_clock.seconds();

  std::vector<std::string> kept;
  for (long long n = 0; n < kept_count; ++n) kept.push_back(external_id(n));
  const std::unordered_set<std::string_view> kept_set(kept.begin(), kept.end());

  bench::Stopwatch first_clock;
  auto first = engine.products().deactivate_absent(Actor::system(), "onec", kept);
  const double first_ms = first_clock.seconds() * 1000;
  if (!first.ok()) bench::fail("first exchange: " + first.status().to_string());
  if (*first != products - kept_count)
    bench::fail("the first exchange deactivated " + std::to_string(*first) + ", not " +
                std::to_string(products - kept_count));
  std::fprintf(stderr, "first exchange: %lld deactivated in %.0f ms\n", static_cast<long long>(*first), first_ms);

  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    bench::fail("raw open: " + path);

  std::vector<double> salescore_ms, raw_ms;
  for (long long round = 0; round < rounds; ++round) {
    bench::Stopwatch ours;
    auto again = engine.products().deactivate_absent(Actor::system(), "onec", kept);
    salescore_ms.push_back(ours.seconds() * 1000);
    if (!again.ok()) bench::fail("repeat exchange: " + again.status().to_string());
    if (*again != 0) bench::fail("a repeat exchange deactivated " + std::to_string(*again));

    bench::Stopwatch theirs;
    const std::size_t absent = raw_absent(raw, kept_set);
    raw_ms.push_back(theirs.seconds() * 1000);
    if (absent != 0) bench::fail("the raw side found " + std::to_string(absent) + " active products absent");
    std::printf("round %lld: salescore %.2f ms, raw_sqlite %.2f ms\n", round + 1, salescore_ms.back(),
                raw_ms.back());
  }
  sqlite3_close(raw);

  const double ours = median(salescore_ms), theirs = median(raw_ms);
  std::printf(
      "catalog_exchange: products=%lld kept=%lld repeat_ms=%.2f raw_sqlite_ms=%.2f ratio=%.2f first_ms=%.0f "
      "import_s=%.1f\n",
      products, kept_count, ours, theirs, ours / theirs, first_ms, import_s);
  return 0;
}
