// mode=query: salescore's orders as the CommerceML document 1C loads (Документ with
// Контрагенты, Товары, ЗначенияРеквизитов), built from the records changes_read() gives.
#pragma once

#include <string>
#include <vector>

namespace salescore::onec {

struct ExportSettings {
  std::string schema_version = "2.08";  // "3.1" wraps documents in <Контейнер> with the namespace
  int utc_offset_minutes = 180;          // 1C's local time
};

// One of salescore's own orders in the document, and the Ид it went under ("SC-42"): the
// exchange notes it with the host (note_sent), so that what 1C sends back under that Ид
// finds this order, and nothing else does.
struct SentOrder {
  long long id = 0;
  std::string external_id;
};

// `orders` are changes_read() documents ({"seq","entity","record","client","products"}).
// Returns UTF-8 XML; `generated_at_ms` stamps ДатаФормирования. `ours`, when given,
// receives salescore's own orders of the document (not those 1C sent, which go back
// under 1C's Ид).
std::string orders_document(const std::vector<std::string>& orders, const ExportSettings& settings,
                            long long generated_at_ms, std::vector<SentOrder>* ours = nullptr);

// Parses "+03:00" / "-05:30" / "Z" into minutes; false when it is none of those.
bool parse_utc_offset(const std::string& text, int& minutes);

}  // namespace salescore::onec
