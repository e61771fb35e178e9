// The 1C reader and the connector's records on damaged files: the public CommerceML
// samples (and the project's own files) cut, flipped, spliced and sprinkled with XML's sharp edges, a few thousand
// times from a fixed seed. Whatever comes in, the reader either reads it or names a
// reason (the exchange answers "failure" with it), never crashes, and every record it
// hands on is JSON the host can read. Built with -fsanitize=address,undefined, the same
// test also catches reads past a buffer and undefined behaviour on those inputs.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "commerceml.h"
#include "host/json_fields.h"
#include "records.h"

namespace salescore::onec {
namespace {

namespace fs = std::filesystem;

// The public samples live beside the repository (../shared/fixtures), not in it.
const fs::path kPublicSamples = fs::path(SALESCORE_SHARED_FIXTURES) / "commerceml";

// The .xml files of `dir`, appended to `out`.
void read_fixtures(const fs::path& dir, std::vector<std::string>& out) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".xml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out.push_back(text.str());
  }
}

// Pieces that change how a file parses: markup, entities, encodings' bytes, CommerceML's
// own tags and the values its readers turn into numbers.
const std::vector<std::string> kPieces = {
    "<", ">", "/>", "</", "&", "&amp;", "&#0;", "&#x110000;", "&#1234567890;", "&unknown;", "<![CDATA[", "]]>",
    "<!--", "-->", "<?xml version=\"1.0\"?>", "<!DOCTYPE a [<!ENTITY e \"x\">]>", "\xD0", "\xFF\xFE", "\xEF\xBB\xBF",
    "\"", "'", "=", " Статус=\"Удален\"", "<Товар>", "</Товар>", "<Ид>", "</Ид>", "<Предложение>", "</Предложение>",
    "<Группы><Группа><Ид>g</Ид><Группы>", "<Цена><ЦенаЗаЕдиницу>99999999999999999999999</ЦенаЗаЕдиницу></Цена>",
    "<Количество>-1e999</Количество>", "<Количество>9223372036854775807</Количество>",
    "<Склад ИдСклада=\"w\" КоличествоНаСкладе=\"92233720368547758\"/>", "<Документ>", "</Документ>",
    "<Дата>2026-13-45</Дата>", "<Время>25:61:61</Время>", "<Сумма>1.2.3</Сумма>", "<ИНН>", "СодержитТолькоИзменения=\"false\"",
    "<ЗначениеРеквизита><Наименование>ПометкаУдаления</Наименование><Значение>true</Значение></ЗначениеРеквизита>"};

// Values that stay well-formed in a text node but test what the readers make of them:
// numbers past every range, dates that do not exist, entities, empty and huge texts.
const std::vector<std::string> kValues = {
    "", " ", "-1", "0", "1e308", "-1e999", "99999999999999999999999", "0.0000001", "1,5", "1.2.3", "NaN", "+7",
    "&amp;&lt;&gt;&quot;&apos;", "&#x1F600;&#1234;", "Дрель \"Мастер\"", "\t\n ", std::string(5000, 'x'), "true",
    "false", "Удален", "Истина", "2026-02-30", "2026-13-45T25:61:61", "00:00:00", "9999-12-31", "руб", "USD",
    "p-1", "5c0e0000-0000-0000-0000-000000000001", "g1", "<![CDATA[<кейс>]]>"};

// One element of `text` starting at or after `from`: [begin, end) from its "<Name" to its
// "</Name>" (the first one: with the same name nested, the range may be unbalanced, which
// is just another damaged file). Empty when there is none.
std::pair<std::size_t, std::size_t> element_at(const std::string& text, std::size_t from) {
  for (std::size_t lt = text.find('<', from); lt != std::string::npos; lt = text.find('<', lt + 1)) {
    if (lt + 1 >= text.size() || text[lt + 1] == '/' || text[lt + 1] == '?' || text[lt + 1] == '!') continue;
    const std::size_t name_end = text.find_first_of(" />", lt + 1);
    if (name_end == std::string::npos) return {0, 0};
    const std::string close = "</" + text.substr(lt + 1, name_end - lt - 1) + ">";
    const std::size_t end = text.find(close, name_end);
    if (end == std::string::npos) continue;
    return {lt, end + close.size()};
  }
  return {0, 0};
}

std::string mutate(std::string text, std::mt19937& rng) {
  auto at = [&](std::size_t size) { return std::uniform_int_distribution<std::size_t>(0, size)(rng); };
  const int edits = 1 + static_cast<int>(at(2));
  for (int e = 0; e < edits && !text.empty(); ++e) {
    const std::size_t from = at(text.size() - 1), length = 1 + at(std::min<std::size_t>(200, text.size() - from - 1));
    const std::size_t kind = at(9);
    if (kind <= 3) {  // a text node's value replaced: still well-formed
      const std::size_t gt = text.find('>', from), lt = gt == std::string::npos ? gt : text.find('<', gt);
      if (lt != std::string::npos) text.replace(gt + 1, lt - gt - 1, kValues[at(kValues.size() - 1)]);
    } else if (kind <= 6) {  // a whole element dropped, repeated or moved into another place
      auto [begin, end] = element_at(text, from);
      if (begin == end) continue;
      const std::string element = text.substr(begin, end - begin);
      if (kind == 4) {
        text.erase(begin, end - begin);
      } else if (kind == 5) {
        text.insert(end, element);
      } else {
        auto [into, unused] = element_at(text, at(text.size() - 1));
        const std::size_t inner = text.find('>', into);
        if (inner != std::string::npos && (inner < begin || inner >= end)) text.insert(inner + 1, element);
      }
    } else if (kind == 7) {  // cut short
      text.resize(from);
    } else if (kind == 8) {  // a stretch of bytes changed or dropped
      if (at(1)) text[from] = static_cast<char>(at(255));
      else text.erase(from, length);
    } else {  // a sharp piece of markup put in
      text.insert(from, kPieces[at(kPieces.size() - 1)]);
    }
  }
  return text;
}

// How many files were read (and their records) and how many refused.
struct Tally {
  long read = 0, refused = 0, records = 0;
};

// What ImportJob does with a file, without a server: read it, turn what it says into
// records, and check each record is JSON the host reads.
void read_as_the_exchange_does(const std::string& xml, Tally& tally) {
  Classifier classifier;
  FileFacts facts;
  ParseError error;
  std::vector<Record> records;
  CommerceMlSink sink;
  sink.product = [&](const Product& p) { records.push_back(product_json(product_fields(p, classifier))); };
  sink.offer = [&](const Offer& o) { records.push_back(product_json(offer_fields(o, classifier))); };
  sink.counterparty = [&](const Counterparty& c) { records.push_back(client_record(c)); };
  sink.document = [&](const Document& d) {
    std::string why;
    if (auto order = order_record(d, "+03:00", why)) records.push_back(std::move(*order));
  };
  std::istringstream in(xml);
  bool read = false;
  try {
    read = read_commerceml(in, classifier, sink, facts, error);
  } catch (const std::exception& e) {
    // ImportJob answers such a file with the exception's text, as with a reader's error.
    error.reason = e.what();
  }
  ++(read ? tally.read : tally.refused);
  tally.records += static_cast<long>(records.size());
  if (!read) {
    EXPECT_FALSE(error.reason.empty()) << "a refused file without a reason:\n" << xml.substr(0, 2000);
    return;
  }
  for (const Record& r : records) {
    auto fields = plugins::JsonFields::parse(r.json);
    EXPECT_TRUE(fields.ok()) << r.entity << " " << r.external_id << ": " << r.json.substr(0, 500);
  }
}

TEST(CommerceMlMutation, DamagedFixturesAreReadOrRefusedWithAReason) {
  if (!fs::is_directory(kPublicSamples))
    GTEST_SKIP() << "the public CommerceML samples (" << kPublicSamples << ") are absent: they live beside the "
                 << "repository, in ../shared/fixtures";
  std::vector<std::string> originals;
  read_fixtures(kPublicSamples, originals);
  read_fixtures(SALESCORE_OWN_COMMERCEML_FIXTURES, originals);  // the files written for the project's tests
  ASSERT_GE(originals.size(), 5u) << "the fixtures of " << kPublicSamples << " and " << SALESCORE_OWN_COMMERCEML_FIXTURES;
  Tally tally;
  for (const std::string& xml : originals) read_as_the_exchange_does(xml, tally);
  // More rounds and another seed for a longer search by hand:
  // SALESCORE_MUTATION_ROUNDS=1000000 SALESCORE_MUTATION_SEED=7 salescore_plugin_tests ...
  const char* rounds = std::getenv("SALESCORE_MUTATION_ROUNDS");
  const char* seed = std::getenv("SALESCORE_MUTATION_SEED");
  std::mt19937 rng(seed ? static_cast<std::uint32_t>(std::stoul(seed)) : 20261123u);
  const long total = rounds ? std::stol(rounds) : 4000;
  for (long i = 0; i < total && !HasFailure(); ++i) {
    const std::string& original = originals[static_cast<std::size_t>(i) % originals.size()];
    read_as_the_exchange_does(mutate(original, rng), tally);
  }
  // Both sides must be well exercised for the test to mean anything.
  EXPECT_GT(tally.read, total / 10);
  EXPECT_GT(tally.refused, total / 10);
  std::printf("%ld files read (%ld records), %ld refused with a reason\n", tally.read, tally.records, tally.refused);
}

}  // namespace
}  // namespace salescore::onec
