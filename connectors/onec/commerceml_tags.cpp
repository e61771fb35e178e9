#include "commerceml_tags.h"

#include <array>

namespace salescore::onec {
namespace {

struct Name {
  std::string_view text;
  Tag tag;
};

constexpr Name kNames[] = {
    {"КоммерческаяИнформация", Tag::kRoot}, {"Классификатор", Tag::kClassifier}, {"Группы", Tag::kGroups},
    {"Группа", Tag::kGroup}, {"Свойства", Tag::kProperties}, {"Свойство", Tag::kProperty},
    {"СвойствоНоменклатуры", Tag::kProperty}, {"Справочник", Tag::kVariant}, {"ИдЗначения", Tag::kValueId},
    {"Значение", Tag::kValue}, {"Каталог", Tag::kCatalog}, {"Товары", Tag::kGoods}, {"Товар", Tag::kGood},
    {"Ид", Tag::kId}, {"Артикул", Tag::kArticle}, {"Наименование", Tag::kName},
    {"БазоваяЕдиница", Tag::kBaseUnit}, {"ЗначенияСвойств", Tag::kPropertyValues},
    {"ЗначенияСвойства", Tag::kPropertyValue}, {"ЗначенияРеквизитов", Tag::kRequisites},
    {"ЗначениеРеквизита", Tag::kRequisite}, {"Картинка", Tag::kPicture}, {"Статус", Tag::kStatus},
    {"ПометкаУдаления", Tag::kDeletionMark}, {"ПакетПредложений", Tag::kOfferPackage},
    {"ИзмененияПакетаПредложений", Tag::kOfferPackage}, {"ТипыЦен", Tag::kPriceTypes},
    {"ТипЦены", Tag::kPriceType}, {"Валюта", Tag::kCurrency}, {"Предложения", Tag::kOffers},
    {"Предложение", Tag::kOffer}, {"Цены", Tag::kPrices}, {"Цена", Tag::kPrice},
    {"ИдТипаЦены", Tag::kPriceTypeId}, {"ЦенаЗаЕдиницу", Tag::kUnitPrice}, {"Количество", Tag::kQuantity},
    {"Остатки", Tag::kRests}, {"Остаток", Tag::kRest}, {"Склад", Tag::kWarehouse}, {"Документ", Tag::kDocument},
    {"Номер", Tag::kNumber}, {"Дата", Tag::kDate}, {"Время", Tag::kTime}, {"ХозОперация", Tag::kOperation},
    {"Сумма", Tag::kSum}, {"Контрагенты", Tag::kCounterparties}, {"Контрагент", Tag::kCounterparty},
    {"ПолноеНаименование", Tag::kFullName}, {"ОфициальноеНаименование", Tag::kOfficialName},
    {"ИНН", Tag::kInn}, {"КПП", Tag::kKpp}, {"ЮридическийАдрес", Tag::kLegalAddress},
    {"АдресРегистрации", Tag::kRegistrationAddress}, {"Адрес", Tag::kAddress},
    {"Представление", Tag::kPresentation}, {"Контакты", Tag::kContacts}, {"Контакт", Tag::kContact},
    {"Тип", Tag::kType}, {"Роль", Tag::kRole}, {"ХарактеристикиТовара", Tag::kFeatures},
    {"ХарактеристикаТовара", Tag::kFeature}, {"Фамилия", Tag::kSurname}, {"Имя", Tag::kGivenName},
    {"Отчество", Tag::kPatronymic}};

// An open-addressing table built at compile time. The slot comes from the length and
// three sampled bytes, not a hash of the whole name: Cyrillic names share their lead
// bytes (0xD0/0xD1), so the second byte of the first, middle and last letters tell them
// apart, and the one full comparison that follows is the only pass over the name.
class NameTable {
 public:
  static constexpr std::size_t kSlots = 256;  // a power of two, some four times the names

  constexpr NameTable() {
    for (const Name& n : kNames) {
      // tag_of looks a name up whole before it looks for a prefix.
      if (n.text.find(':') != std::string_view::npos) throw "a local name has no colon";
      std::size_t i = slot_of(n.text);
      while (!slots_[i].text.empty()) i = (i + 1) % kSlots;
      slots_[i] = n;
    }
  }

  constexpr Tag find(std::string_view name) const {
    if (name.size() < 2) return Tag::kOther;  // shorter than any name in the table
    for (std::size_t i = slot_of(name);; i = (i + 1) % kSlots) {
      if (slots_[i].text.empty()) return Tag::kOther;
      if (slots_[i].text == name) return slots_[i].tag;
    }
  }

 private:
  static constexpr std::size_t slot_of(std::string_view name) {
    const auto byte = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(name[i])); };
    const std::size_t n = name.size();
    return (n * 131 + byte(1) * 31 + byte(n / 2 | 1) * 7 + byte(n - 1)) % kSlots;
  }

  std::array<Name, kSlots> slots_{};
};

constexpr NameTable kTable;

}  // namespace

Tag tag_of(std::string_view qname) {
  // No name in the table has a colon, so a name found whole has no prefix: the search
  // for one is left to the names that are not found (rare, but for prefixed files).
  const Tag whole = kTable.find(qname);
  if (whole != Tag::kOther) return whole;
  const auto colon = qname.find(':');
  return colon == std::string_view::npos ? Tag::kOther : kTable.find(qname.substr(colon + 1));
}

}  // namespace salescore::onec
