// The CommerceML reader's parsing layer: encodings, prefixed names, where errors are
// reported, a sink's exception, input split across reads, and what an untrusted file
// must not make the reader do. The mapping onto the structs is covered end to end by
// tests/connectors/test_onec_exchange.py.
#include <gtest/gtest.h>

#include <Poco/Windows1251Encoding.h>

#include <map>
#include <sstream>
#include <stdexcept>

#include "commerceml.h"
#include "windows1251.h"

namespace salescore::onec {
namespace {

struct Outcome {
  bool ok = false;
  ParseError error;
  FileFacts facts;
  Classifier classifier;
  std::vector<Product> products;
  std::vector<Offer> offers;
};

// Reads `xml`; `on_product` runs after each product is recorded (to throw from the sink).
Outcome read(const std::string& xml, const std::function<void(const Product&)>& on_product = {}) {
  Outcome out;
  CommerceMlSink sink;
  sink.product = [&](const Product& p) {
    out.products.push_back(p);
    if (on_product) on_product(p);
  };
  sink.offer = [&](const Offer& o) { out.offers.push_back(o); };
  std::istringstream in(xml);
  out.ok = read_commerceml(in, out.classifier, sink, out.facts, out.error);
  return out;
}

std::string good(int i) {
  return "<Товар><Ид>p-" + std::to_string(i) + "</Ид><Наименование>Дрель ударная " + std::to_string(i) +
         "</Наименование></Товар>\n";
}

const std::string kHead = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

TEST(CommerceMlReader, ReadsProductsAndOffersWithBom) {
  const std::string xml = "\xEF\xBB\xBF" + kHead +
                          "<КоммерческаяИнформация ВерсияСхемы=\"2.08\">\n"
                          "<Классификатор><Группы><Группа><Ид>g1</Ид><Наименование>Инструмент</Наименование>"
                          "<Группы><Группа><Ид>g2</Ид><Наименование>Дрели</Наименование></Группа></Группы>"
                          "</Группа></Группы></Классификатор>\n"
                          "<Каталог СодержитТолькоИзменения=\"false\"><Товары>\n"
                          "<Товар Статус=\"Удален\"><Ид>p-1</Ид><Артикул> DR-1 </Артикул>"
                          "<Наименование>Дрель &quot;Мастер&quot; &amp; <![CDATA[<кейс>]]></Наименование>"
                          "<Группы><Ид>g2</Ид></Группы><БазоваяЕдиница>шт</БазоваяЕдиница>"
                          "<Неизвестный><Ид>not-ours</Ид></Неизвестный></Товар>\n"
                          "</Товары></Каталог>\n"
                          "<ПакетПредложений><Предложения><Предложение><Ид>p-1</Ид>"
                          "<Цены><Цена><ИдТипаЦены>pt</ИдТипаЦены><ЦенаЗаЕдиницу>10.5</ЦенаЗаЕдиницу></Цена></Цены>"
                          "<Склад ИдСклада=\"w1\" КоличествоНаСкладе=\"2\"/><Склад ИдСклада=\"w2\" "
                          "КоличествоНаСкладе=\"1,5\"/></Предложение></Предложения></ПакетПредложений>\n"
                          "</КоммерческаяИнформация>\n";
  const auto out = read(xml);
  ASSERT_TRUE(out.ok) << out.error.line << ": " << out.error.reason;
  EXPECT_EQ(out.facts.schema_version, "2.08");
  EXPECT_TRUE(out.facts.has_catalog);
  EXPECT_FALSE(out.facts.catalog_changes_only);
  EXPECT_TRUE(out.facts.has_offers);
  EXPECT_FALSE(out.facts.offers_changes_only);  // no attribute in a 2.x file: the whole package
  EXPECT_EQ(out.classifier.group_paths.at("g2"), "Инструмент / Дрели");
  ASSERT_EQ(out.products.size(), 1u);
  const Product& p = out.products[0];
  EXPECT_EQ(p.id, "p-1");
  EXPECT_EQ(p.sku, "DR-1");
  EXPECT_EQ(p.name, "Дрель \"Мастер\" & <кейс>");
  EXPECT_EQ(p.unit, "шт");
  EXPECT_EQ(p.group_ids, std::vector<std::string>{"g2"});
  EXPECT_TRUE(p.deleted);
  ASSERT_EQ(out.offers.size(), 1u);
  EXPECT_TRUE(out.offers[0].has_prices);
  ASSERT_EQ(out.offers[0].prices.size(), 1u);
  EXPECT_EQ(out.offers[0].prices[0].amount, "10.5");
  EXPECT_EQ(out.offers[0].stock, "3.5");
}

TEST(CommerceMlReader, PrefixedNamesAndADefaultNamespaceAreMatchedByTheirLocalPart) {
  const auto out = read(kHead +
                        "<cml:КоммерческаяИнформация xmlns:cml=\"urn:1C.ru:commerceml_2\" ВерсияСхемы=\"2.10\">"
                        "<cml:Каталог><cml:Товары><cml:Товар><cml:Ид>p-1</cml:Ид>"
                        "<cml:Наименование>Дрель</cml:Наименование><a/><p:/></cml:Товар></cml:Товары></cml:Каталог>"
                        "</cml:КоммерческаяИнформация>");
  ASSERT_TRUE(out.ok) << out.error.reason;
  ASSERT_EQ(out.products.size(), 1u);
  EXPECT_EQ(out.products[0].name, "Дрель");
  EXPECT_FALSE(out.facts.catalog_changes_only) << "2.x without the attribute: the whole catalog";

  const auto v31 = read(kHead +
                        "<КоммерческаяИнформация xmlns=\"urn:1C.ru:commerceml_3\" ВерсияСхемы=\"3.1\"><Каталог>"
                        "<Товары>" + good(7) + "</Товары></Каталог></КоммерческаяИнформация>");
  ASSERT_TRUE(v31.ok) << v31.error.reason;
  ASSERT_EQ(v31.products.size(), 1u);
  EXPECT_EQ(v31.products[0].id, "p-7");
  EXPECT_TRUE(v31.facts.catalog_changes_only) << "3.x without the attribute: a portion";
}

TEST(CommerceMlReader, Windows1251IsDecodedUnderEachOfItsNames) {
  // "Дрель № 5 «Ёё»" in windows-1251.
  const std::string name_1251 = "\xC4\xF0\xE5\xEB\xFC \xB9 5 \xAB\xA8\xB8\xBB";
  for (const char* encoding : {"windows-1251", "Windows-1251", "WINDOWS-1251", "cp1251", "CP1251"}) {
    const auto out = read(std::string("<?xml version=\"1.0\" encoding=\"") + encoding + "\"?>\n" +
                          "<\xCA\xEE\xEC\xEC\xE5\xF0\xF7\xE5\xF1\xEA\xE0\xFF\xC8\xED\xF4\xEE\xF0\xEC\xE0\xF6\xE8\xFF>"
                          "<\xD2\xEE\xE2\xE0\xF0><\xC8\xE4>p-1</\xC8\xE4><\xCD\xE0\xE8\xEC\xE5\xED\xEE\xE2\xE0\xED"
                          "\xE8\xE5>" + name_1251 + "</\xCD\xE0\xE8\xEC\xE5\xED\xEE\xE2\xE0\xED\xE8\xE5>"
                          "</\xD2\xEE\xE2\xE0\xF0></\xCA\xEE\xEC\xEC\xE5\xF0\xF7\xE5\xF1\xEA\xE0\xFF\xC8\xED\xF4"
                          "\xEE\xF0\xEC\xE0\xF6\xE8\xFF>");
    ASSERT_TRUE(out.ok) << encoding << ": " << out.error.reason;
    ASSERT_EQ(out.products.size(), 1u) << encoding;
    EXPECT_EQ(out.products[0].name, "Дрель № 5 «Ёё»") << encoding;
  }
}

TEST(CommerceMlReader, Windows1251MapIsPocosExceptTheUndefinedByte) {
  // The reader used Poco's table before it drove expat itself; 0x98 is undefined in
  // windows-1251 and refused either way (Poco maps it to the non-character U+FFFE).
  Poco::Windows1251Encoding poco;
  const auto& theirs = poco.characterMap();
  const auto& ours = windows1251_code_points();
  for (int b = 0; b < 256; ++b) {
    if (b == 0x98) continue;
    EXPECT_EQ(ours[b], theirs[b]) << "byte " << b;
  }
  const auto out = read("<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<a>\x98</a>");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error.line, 2);
}

TEST(CommerceMlReader, AnUnknownEncodingIsRefused) {
  const auto out = read("<?xml version=\"1.0\" encoding=\"x-unknown\"?>\n<a/>");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error.line, 1);
  EXPECT_EQ(out.error.reason.rfind("unknown encoding (column ", 0), 0u) << out.error.reason;
}

TEST(CommerceMlReader, ATruncatedFileFailsAtTheLineItEnds) {
  const std::string xml = kHead + "<КоммерческаяИнформация ВерсияСхемы=\"2.08\">\n<Каталог><Товары>\n" + good(1) +
                          good(2) + "<Товар><Ид>p-3</Ид><Наименование>Дрель";
  const auto out = read(xml);
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error.line, 6);
  EXPECT_EQ(out.error.reason, "no element found (column 38)");
  EXPECT_EQ(out.products.size(), 2u) << "what came before the error was read";

  const auto mid_tag = read(xml.substr(0, xml.size() - 30));  // cut inside <Наименование
  EXPECT_FALSE(mid_tag.ok);
  EXPECT_EQ(mid_tag.error.line, 6);
  EXPECT_FALSE(mid_tag.error.reason.empty());
}

TEST(CommerceMlReader, AMismatchedTagIsReportedOnItsLine) {
  const auto out = read(kHead + "<КоммерческаяИнформация>\n<Каталог><Товары>\n" + good(1) +
                        "<Товар><Ид>p-2</Ид></Цены></Товар>\n</Товары></Каталог></КоммерческаяИнформация>");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error.line, 5);
  EXPECT_EQ(out.error.reason, "mismatched tag (column 21)");
}

TEST(CommerceMlReader, ASinksExceptionStopsTheReadAndIsReportedWithItsLine) {
  std::string xml = kHead + "<КоммерческаяИнформация>\n<Каталог><Товары>\n";
  for (int i = 1; i <= 5; ++i) xml += good(i);  // product i closes on line 3 + i
  xml += "</Товары></Каталог></КоммерческаяИнформация>\n";
  int calls = 0;
  const auto out = read(xml, [&](const Product& p) {
    ++calls;
    if (p.id == "p-2") throw std::runtime_error("product p-2 refused");
  });
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error.line, 5);
  EXPECT_EQ(out.error.reason, "product p-2 refused");
  EXPECT_EQ(calls, 2) << "nothing is read after the failure";

  // The reader's own refusal goes the same way.
  const auto no_id = read(kHead + "<КоммерческаяИнформация>\n<Каталог><Товары>\n<Товар><Наименование>Дрель"
                                  "</Наименование></Товар>\n</Товары></Каталог></КоммерческаяИнформация>");
  EXPECT_FALSE(no_id.ok);
  EXPECT_EQ(no_id.error.line, 4);
  EXPECT_EQ(no_id.error.reason, "a Товар without Ид");
}

TEST(CommerceMlReader, ACharacterSplitBetweenTwoReadsIsReadWhole) {
  // The reader takes the stream in 256 KiB reads: pad the file so that a read ends
  // between the two bytes of a Cyrillic letter, for the first and the second boundary.
  constexpr std::size_t kRead = 256 * 1024;
  std::string body;
  int count = 0;
  while (body.size() < 2 * kRead + 4096) body += good(++count);
  const std::string open = kHead + "<КоммерческаяИнформация><Каталог><Товары>\n";
  const std::string close = "</Товары></Каталог></КоммерческаяИнформация>";
  for (std::size_t boundary : {kRead, 2 * kRead}) {
    std::string xml;
    for (std::size_t pad = 0; pad < 64 && xml.empty(); ++pad) {
      std::string candidate = open + "<!--" + std::string(pad, 'x') + "-->" + body + close;
      const auto lead = static_cast<unsigned char>(candidate[boundary - 1]);
      if (lead == 0xD0 || lead == 0xD1) xml = std::move(candidate);
    }
    ASSERT_FALSE(xml.empty()) << "no padding splits a letter at " << boundary;
    const auto out = read(xml);
    ASSERT_TRUE(out.ok) << out.error.line << ": " << out.error.reason;
    ASSERT_EQ(out.products.size(), static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) ASSERT_EQ(out.products[i].name, "Дрель ударная " + std::to_string(i + 1));
  }
}

// A DOCTYPE could change the file's meaning without saying so: entities (an undeclared
// one is dropped silently once there is an external subset), default attributes that
// mark every product deleted or turn a change list into a full catalog, entity bombs.
// Any DOCTYPE refuses the file, on its line, before anything reaches the sink.
TEST(CommerceMlReader, ADoctypeRefusesTheFile) {
  const std::string body =
      "<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>p-1</Ид>"
      "<Наименование>Дрель &x; Мастер</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>";
  std::string bomb = "<!DOCTYPE a [<!ENTITY e0 \"lol\">";
  for (int i = 1; i <= 9; ++i) {
    bomb += "<!ENTITY e" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) bomb += "&e" + std::to_string(i - 1) + ";";
    bomb += "\">";
  }
  for (const std::string& doctype :
       {std::string("<!DOCTYPE КоммерческаяИнформация [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"),
        std::string("<!DOCTYPE КоммерческаяИнформация SYSTEM \"http://example.org/x.dtd\">"),
        std::string("<!DOCTYPE КоммерческаяИнформация [<!ATTLIST Товар Статус CDATA \"Удален\">]>"),
        bomb + "]>"}) {
    const auto out = read(kHead + doctype + "\n" + body);
    EXPECT_FALSE(out.ok) << doctype;
    EXPECT_EQ(out.error.line, 2) << doctype;
    EXPECT_NE(out.error.reason.find("DOCTYPE"), std::string::npos) << out.error.reason;
    EXPECT_TRUE(out.products.empty()) << doctype;
  }
}

TEST(CommerceMlReader, NestingDeeperThanAnyCatalogIsRefused) {
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "<a>";
  const auto out = read(kHead + "<КоммерческаяИнформация>" + deep);
  EXPECT_FALSE(out.ok);
  EXPECT_NE(out.error.reason.find("nested deeper than 256"), std::string::npos) << out.error.reason;

  // Groups: each path is made once from its parent's, and 32 levels are the most.
  std::string groups = "<КоммерческаяИнформация><Классификатор><Группы>";
  for (int i = 0; i < 33; ++i)
    groups += "<Группа><Ид>g" + std::to_string(i) + "</Ид><Наименование>G" + std::to_string(i) +
              "</Наименование><Группы>";
  const auto too_deep = read(kHead + groups);
  EXPECT_FALSE(too_deep.ok);
  EXPECT_NE(too_deep.error.reason.find("groups nested deeper than 32"), std::string::npos) << too_deep.error.reason;
}

TEST(CommerceMlReader, GroupPathsJoinTheirParents) {
  const auto out = read(kHead +
                        "<КоммерческаяИнформация><Классификатор><Группы>"
                        "<Группа><Ид>a</Ид><Наименование>Инструмент</Наименование><Группы>"
                        "<Группа><Ид>b</Ид><Наименование>Дрели</Наименование><Группы>"
                        "<Группа><Ид>c</Ид><Наименование>Ударные</Наименование></Группа></Группы></Группа>"
                        "<Группа><Ид>d</Ид><Наименование>Пилы</Наименование></Группа>"
                        "</Группы></Группа></Группы></Классификатор></КоммерческаяИнформация>");
  ASSERT_TRUE(out.ok) << out.error.reason;
  const std::map<std::string, std::string> expected = {{"a", "Инструмент"},
                                                       {"b", "Инструмент / Дрели"},
                                                       {"c", "Инструмент / Дрели / Ударные"},
                                                       {"d", "Инструмент / Пилы"}};
  EXPECT_EQ(out.classifier.group_paths, expected);
}

TEST(CommerceMlReader, AProductInsideAProductIsRefusedNotHalfRead) {
  const auto out = read(kHead +
                        "<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>1</Ид>\n"
                        "<Товар><Ид>2</Ид></Товар></Товар></Товары></Каталог></КоммерческаяИнформация>");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error.line, 3);
  EXPECT_NE(out.error.reason.find("a Товар inside a Товар"), std::string::npos) << out.error.reason;
  EXPECT_TRUE(out.products.empty());
}

TEST(CommerceMlReader, StockThatOverflowsWhenSummedIsRefused) {
  const std::string warehouse = "<Склад ИдСклада=\"w\" КоличествоНаСкладе=\"9000000000000000\"/>";
  const auto out = read(kHead +
                        "<КоммерческаяИнформация><ПакетПредложений><Предложения><Предложение><Ид>o</Ид>" +
                        warehouse + warehouse + "</Предложение></Предложения></ПакетПредложений></КоммерческаяИнформация>");
  EXPECT_FALSE(out.ok);
  EXPECT_NE(out.error.reason.find("adds up past"), std::string::npos) << out.error.reason;
  EXPECT_TRUE(out.offers.empty());
}

// A file of one huge line (the 500 MB line, here just past each limit): what the
// reader keeps in memory stays bounded, and the file is refused saying why.
TEST(CommerceMlReader, AnElementsTextPastFourMiBIsRefusedNotKept) {
  const auto out = read(kHead + "<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>1</Ид><Наименование>" +
                        std::string((4 << 20) + 1, 'x') + "</Наименование></Товар></Товары></Каталог>"
                        "</КоммерческаяИнформация>");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error.line, 2);
  EXPECT_NE(out.error.reason.find("longer than 4 MiB"), std::string::npos) << out.error.reason;
  EXPECT_TRUE(out.products.empty());
}

TEST(CommerceMlReader, ATagLongerThanSixteenMiBIsRefusedBeforeExpatBuffersItWhole) {
  const auto out = read(kHead + "<КоммерческаяИнформация><Каталог Описание=\"" + std::string(20 << 20, 'x') +
                        "\"></Каталог></КоммерческаяИнформация>");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error.line, 2);
  EXPECT_NE(out.error.reason.find("more than 16 MiB without an element"), std::string::npos) << out.error.reason;
}

}  // namespace
}  // namespace salescore::onec
