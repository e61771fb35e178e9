#include "order_export.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timespan.h>

#include "records.h"

namespace salescore::onec {
namespace {

void escape_into(std::string& out, const std::string& s) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
}

class XmlOut {
 public:
  void open(const char* tag) { out_ += std::string("<") + tag + ">"; }
  void close(const char* tag) { out_ += std::string("</") + tag + ">\n"; }
  void leaf(const char* tag, const std::string& value) {
    out_ += std::string("<") + tag + ">";
    escape_into(out_, value);
    out_ += std::string("</") + tag + ">\n";
  }
  void requisite(const std::string& name, const std::string& value) {
    open("ЗначениеРеквизита");
    leaf("Наименование", name);
    leaf("Значение", value);
    close("ЗначениеРеквизита");
  }
  void raw(const std::string& text) { out_ += text; }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

std::string text_of(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return "";
  return o->get(key).convert<std::string>();
}

// The status as 1C's order status requisite names it.
std::string status_words(const std::string& status) {
  if (status == "new") return "Новый";
  if (status == "confirmed") return "Подтвержден";
  if (status == "shipped") return "Отгружен";
  if (status == "delivered") return "Доставлен";
  if (status == "completed") return "Выполнен";
  if (status == "cancelled") return "Отменен";
  return status;
}

void write_counterparty(XmlOut& x, const Poco::JSON::Object::Ptr& client) {
  if (!client) return;
  x.open("Контрагенты");
  x.open("Контрагент");
  const std::string source = text_of(client, "source");
  x.leaf("Ид", source == kSource ? text_of(client, "external_id") : "SC-C-" + text_of(client, "id"));
  x.leaf("Наименование", text_of(client, "name"));
  x.leaf("ПолноеНаименование", text_of(client, "name"));
  x.leaf("Роль", "Покупатель");
  if (!text_of(client, "inn").empty()) x.leaf("ИНН", text_of(client, "inn"));
  if (!text_of(client, "kpp").empty()) x.leaf("КПП", text_of(client, "kpp"));
  if (auto addresses = client->getArray("addresses"); addresses && addresses->size() > 0) {
    auto first = addresses->getObject(0);
    x.open(text_of(first, "kind") == "legal" ? "ЮридическийАдрес" : "АдресРегистрации");
    x.leaf("Представление", text_of(first, "text"));
    x.close(text_of(first, "kind") == "legal" ? "ЮридическийАдрес" : "АдресРегистрации");
  }
  auto phones = client->getArray("phones");
  auto emails = client->getArray("emails");
  if ((phones && phones->size()) || (emails && emails->size())) {
    x.open("Контакты");
    for (std::size_t i = 0; phones && i < phones->size(); ++i) {
      x.open("Контакт");
      x.leaf("Тип", "Телефон рабочий");
      x.leaf("Значение", phones->getElement<std::string>(static_cast<unsigned>(i)));
      x.close("Контакт");
    }
    for (std::size_t i = 0; emails && i < emails->size(); ++i) {
      x.open("Контакт");
      x.leaf("Тип", "Почта");
      x.leaf("Значение", emails->getElement<std::string>(static_cast<unsigned>(i)));
      x.close("Контакт");
    }
    x.close("Контакты");
  }
  x.close("Контрагент");
  x.close("Контрагенты");
}

void write_order(XmlOut& x, const Poco::JSON::Object::Ptr& doc, int offset_minutes, std::vector<SentOrder>* ours) {
  auto order = doc->getObject("record");
  auto client = doc->getObject("client");
  auto products = doc->getObject("products");
  const std::string id = text_of(order, "id");
  Poco::DateTime at;
  int tz = 0;
  const std::string ordered_at = text_of(order, "ordered_at");
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, ordered_at, at, tz) &&
      !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, ordered_at, at, tz))
    at = Poco::DateTime();
  else
    at.makeUTC(tz);
  at += Poco::Timespan(0, 0, offset_minutes, 0, 0);
  const std::string number = text_of(order, "number").empty() ? id : text_of(order, "number");
  const std::string status = text_of(order, "status");

  x.open("Документ");
  // An order 1C sent us goes back under 1C's own Ид, so 1C updates it; under "SC-N" it
  // would take it for a new order of the site and create a second one.
  const std::string external_id = text_of(order, "external_id");
  const bool from_1c = text_of(order, "source") == kSource && !external_id.empty();
  x.leaf("Ид", from_1c ? external_id : std::string(kOrderIdPrefix) + id);
  if (!from_1c && ours) ours->push_back({order->get("id").convert<Poco::Int64>(), std::string(kOrderIdPrefix) + id});
  x.leaf("Номер", number);
  x.leaf("Дата", Poco::DateTimeFormatter::format(at, "%Y-%m-%d"));
  x.leaf("Время", Poco::DateTimeFormatter::format(at, "%H:%M:%S"));
  x.leaf("ХозОперация", "Заказ товара");
  x.leaf("Роль", "Продавец");
  x.leaf("Валюта", text_of(order, "currency"));
  x.leaf("Курс", "1");
  x.leaf("Сумма", text_of(order, "total"));
  write_counterparty(x, client);
  x.open("Товары");
  if (auto lines = order->getArray("lines")) {
    for (std::size_t i = 0; i < lines->size(); ++i) {
      auto line = lines->getObject(static_cast<unsigned>(i));
      const std::string sku = text_of(line, "sku");
      std::string product_id = sku;
      if (products && products->has(sku)) {
        auto p = products->getObject(sku);
        if (text_of(p, "source") == kSource && !text_of(p, "external_id").empty()) product_id = text_of(p, "external_id");
      }
      x.open("Товар");
      x.leaf("Ид", product_id);
      x.leaf("Артикул", sku);
      x.leaf("Наименование", text_of(line, "name").empty() ? sku : text_of(line, "name"));
      x.raw("<БазоваяЕдиница Код=\"796\" НаименованиеПолное=\"Штука\">шт</БазоваяЕдиница>\n");
      x.leaf("ЦенаЗаЕдиницу", text_of(line, "price"));
      x.leaf("Количество", text_of(line, "quantity"));
      x.leaf("Сумма", text_of(line, "amount"));
      if (text_of(line, "discount") != "0.00" && !text_of(line, "discount").empty()) {
        x.open("Скидки");
        x.open("Скидка");
        x.leaf("Сумма", text_of(line, "discount"));
        x.leaf("УчтеноВСумме", "true");
        x.close("Скидка");
        x.close("Скидки");
      }
      x.open("ЗначенияРеквизитов");
      x.requisite("ВидНоменклатуры", "Товар");
      x.requisite("ТипНоменклатуры", "Товар");
      x.close("ЗначенияРеквизитов");
      x.close("Товар");
    }
  }
  x.close("Товары");
  x.open("ЗначенияРеквизитов");
  x.requisite("Статус заказа", status_words(status));
  x.requisite("Отменен", status == "cancelled" ? "true" : "false");
  x.requisite("Финальный статус", status == "completed" || status == "cancelled" ? "true" : "false");
  x.requisite("Дата изменения статуса", text_of(order, "updated_at"));
  x.close("ЗначенияРеквизитов");
  x.close("Документ");
}

}  // namespace

bool parse_utc_offset(const std::string& text, int& minutes) {
  if (text == "Z" || text == "+00:00") {
    minutes = 0;
    return true;
  }
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return false;
  for (int i : {1, 2, 4, 5})
    if (text[i] < '0' || text[i] > '9') return false;
  int h = (text[1] - '0') * 10 + (text[2] - '0'), m = (text[4] - '0') * 10 + (text[5] - '0');
  if (h > 14 || m > 59) return false;
  minutes = (text[0] == '-' ? -1 : 1) * (h * 60 + m);
  return true;
}

std::string orders_document(const std::vector<std::string>& orders, const ExportSettings& settings,
                            long long generated_at_ms, std::vector<SentOrder>* ours) {
  Poco::DateTime now(Poco::Timestamp(generated_at_ms * 1000));
  now += Poco::Timespan(0, 0, settings.utc_offset_minutes, 0, 0);
  const bool v3 = is_version_3(settings.schema_version);
  XmlOut x;
  x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  x.raw(std::string("<КоммерческаяИнформация") + (v3 ? " xmlns=\"urn:1C.ru:commerceml_3\"" : "") +
        " ВерсияСхемы=\"" + settings.schema_version + "\" ДатаФормирования=\"" +
        Poco::DateTimeFormatter::format(now, "%Y-%m-%dT%H:%M:%S") + "\">\n");
  if (v3) x.open("Контейнер");
  Poco::JSON::Parser parser;
  for (const std::string& json : orders) {
    parser.reset();
    auto doc = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    write_order(x, doc, settings.utc_offset_minutes, ours);
  }
  if (v3) x.close("Контейнер");
  x.raw("</КоммерческаяИнформация>\n");
  return std::move(x.str());
}

}  // namespace salescore::onec
