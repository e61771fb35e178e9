// The streaming CommerceML reader (commerceml.h). Element names are interned into a
// small enum once per element, so the hot path compares integers, not Cyrillic strings
// (a 100,000-product catalog has some ten million elements).
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/Locator.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/Windows1251Encoding.h>
#include <Poco/XML/XMLString.h>

#include <unordered_map>

#include "commerceml.h"
#include "decimal_text.h"

namespace salescore::onec {
namespace {

enum class Tag : std::uint8_t {
  kOther, kRoot, kClassifier, kGroups, kGroup, kProperties, kProperty, kVariant, kValueId, kValue, kCatalog,
  kGoods, kGood, kId, kArticle, kName, kBaseUnit, kPropertyValues, kPropertyValue, kRequisites, kRequisite,
  kPicture, kStatus, kDeletionMark, kOfferPackage, kPriceTypes, kPriceType, kCurrency, kOffers, kOffer, kPrices,
  kPrice, kPriceTypeId, kUnitPrice, kQuantity, kRests, kRest, kWarehouse, kDocument, kNumber, kDate, kTime,
  kOperation, kSum, kCounterparties, kCounterparty, kFullName, kOfficialName, kInn, kKpp, kLegalAddress,
  kRegistrationAddress, kAddress, kPresentation, kContacts, kContact, kType, kRole, kFeatures, kFeature
};

const std::unordered_map<std::string, Tag>& tag_table() {
  static const std::unordered_map<std::string, Tag> kTags = {
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
      {"ХарактеристикаТовара", Tag::kFeature}};
  return kTags;
}

Tag tag_of(const std::string& qname) {
  // A prefixed name (cml:Товар) is matched by its local part.
  const auto colon = qname.find(':');
  const auto& table = tag_table();
  auto it = colon == std::string::npos ? table.find(qname) : table.find(qname.substr(colon + 1));
  return it == table.end() ? Tag::kOther : it->second;
}

std::string trimmed(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  return s.substr(b, e - b);
}

bool is_true(const std::string& v) { return v == "true" || v == "1" || v == "Истина" || v == "истина"; }

class Handler final : public Poco::XML::DefaultHandler {
 public:
  Handler(Classifier& classifier, const CommerceMlSink& sink, FileFacts& facts)
      : classifier_(classifier), sink_(sink), facts_(facts) {
    path_.reserve(32);
  }

  int line() const { return locator_ ? locator_->getLineNumber() : 0; }

  void setDocumentLocator(const Poco::XML::Locator* locator) override { locator_ = locator; }

  void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&, const Poco::XML::XMLString& qname,
                    const Poco::XML::Attributes& attrs) override {
    const Tag t = tag_of(qname);
    const Tag parent = up(0);
    path_.push_back(t);
    text_.clear();
    switch (t) {
      case Tag::kRoot:
        facts_.schema_version = attrs.getValue("ВерсияСхемы");
        break;
      case Tag::kCatalog:
        facts_.has_catalog = true;
        facts_.catalog_changes_only = changes_only(attrs);
        break;
      case Tag::kOfferPackage:
        facts_.has_offers = true;
        facts_.offers_changes_only = changes_only(attrs);
        break;
      case Tag::kGroup:
        if (inside(Tag::kClassifier)) groups_.emplace_back();
        break;
      case Tag::kProperty:
        property_ = {};
        break;
      case Tag::kVariant:
        variant_ = {};
        break;
      case Tag::kGood:
        if (inside(Tag::kDocument)) {
          line_ = {};
        } else {
          product_ = {};
          if (attrs.getValue("Статус") == "Удален") product_.deleted = true;
        }
        break;
      case Tag::kPropertyValue:
        property_value_ = {};
        break;
      case Tag::kRequisite:
        requisite_ = {};
        break;
      case Tag::kPriceType:
        price_type_ = {};
        break;
      case Tag::kOffer:
        offer_ = {};
        stock_direct_.clear();
        stock_sum_milli_ = 0;
        stock_summed_ = false;
        break;
      case Tag::kPrices:
        if (parent == Tag::kOffer) offer_.has_prices = true;
        break;
      case Tag::kPrice:
        price_ = {};
        break;
      case Tag::kWarehouse:
        // 2.08+: <Склад ИдСклада=".." КоличествоНаСкладе="12"/> inside an offer.
        if (parent == Tag::kOffer) {
          const auto& q = attrs.getValue("КоличествоНаСкладе");
          if (!q.empty()) add_stock(q);
        }
        break;
      case Tag::kCounterparty:
        // Only a counterparty of a list; one nested in a representative is not ours.
        if (parent == Tag::kCounterparties) {
          counterparty_ = {};
          counterparty_depth_ = path_.size();
        }
        break;
      case Tag::kContact:
        contact_type_.clear();
        contact_value_.clear();
        break;
      case Tag::kDocument:
        document_ = {};
        break;
      case Tag::kFeature:
        feature_ = {};
        break;
      default:
        break;
    }
  }

  void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
    text_.append(ch + start, static_cast<std::size_t>(length));
  }

  void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {
    const Tag t = path_.back();
    path_.pop_back();
    const Tag p1 = up(0), p2 = up(1);
    const bool leaf_text = t != Tag::kGood && t != Tag::kOffer && t != Tag::kDocument && t != Tag::kCounterparty;
    std::string v = leaf_text ? trimmed(text_) : std::string();
    text_.clear();

    if (in_counterparty() && on_counterparty_field(t, p1, v)) return;
    if (t == Tag::kCounterparty && counterparty_depth_ == path_.size() + 1) {
      counterparty_depth_ = 0;
      if (inside(Tag::kDocument)) document_.counterparties.push_back(std::move(counterparty_));
      else if (sink_.counterparty) sink_.counterparty(counterparty_);
      return;
    }
    if (t == Tag::kDocument || inside(Tag::kDocument)) {
      on_document_field(t, p1, p2, v);
      return;
    }
    // Price types sit in ПакетПредложений (2.x) or in Классификатор (3.1).
    if (t == Tag::kPriceType || inside(Tag::kPriceType)) {
      on_price_type_field(t, p1, v);
      return;
    }
    if (inside(Tag::kClassifier)) {
      on_classifier_field(t, p1, v);
      return;
    }
    if (inside(Tag::kGood) || t == Tag::kGood) {
      on_product_field(t, p1, p2, v);
      return;
    }
    if (inside(Tag::kOffer) || t == Tag::kOffer) on_offer_field(t, p1, p2, v);
  }

 private:
  Tag up(std::size_t k) const { return path_.size() > k ? path_[path_.size() - 1 - k] : Tag::kOther; }
  bool inside(Tag t) const {
    for (Tag p : path_)
      if (p == t) return true;
    return false;
  }
  bool in_counterparty() const { return counterparty_depth_ != 0 && path_.size() >= counterparty_depth_; }

  // No attribute: a 2.x file is the whole catalog unless it says otherwise; 3.x files
  // come in portions, so without the attribute one is taken as changes only.
  bool changes_only(const Poco::XML::Attributes& attrs) const {
    const auto& v = attrs.getValue("СодержитТолькоИзменения");
    if (!v.empty()) return is_true(v);
    return !facts_.schema_version.empty() && facts_.schema_version[0] >= '3';
  }

  void add_stock(const std::string& quantity) {
    std::int64_t milli = 0;
    if (!parse_milli(quantity, milli)) throw std::runtime_error("stock '" + quantity + "' is not a number");
    stock_sum_milli_ += milli;
    stock_summed_ = true;
  }

  void on_classifier_field(Tag t, Tag p1, const std::string& v) {
    if (t == Tag::kGroup && !groups_.empty()) {
      std::string path;
      for (const auto& [id, name] : groups_) path += (path.empty() ? "" : " / ") + name;
      classifier_.group_paths[groups_.back().first] = path;
      groups_.pop_back();
    } else if (p1 == Tag::kGroup && !groups_.empty()) {
      if (t == Tag::kId) groups_.back().first = v;
      else if (t == Tag::kName) groups_.back().second = v;
    } else if (t == Tag::kProperty) {
      if (!property_.first.empty()) classifier_.property_names[property_.first] = property_.second;
    } else if (p1 == Tag::kProperty) {
      if (t == Tag::kId) property_.first = v;
      else if (t == Tag::kName) property_.second = v;
    } else if (t == Tag::kVariant) {
      if (!variant_.first.empty()) classifier_.property_values[variant_.first] = variant_.second;
    } else if (p1 == Tag::kVariant) {
      if (t == Tag::kValueId) variant_.first = v;
      else if (t == Tag::kValue) variant_.second = v;
    }
  }

  void on_product_field(Tag t, Tag p1, Tag p2, const std::string& v) {
    if (t == Tag::kGood) {
      if (product_.id.empty()) throw std::runtime_error("a Товар without Ид");
      if (sink_.product) sink_.product(product_);
      return;
    }
    if (p1 == Tag::kGood) {
      switch (t) {
        case Tag::kId: product_.id = v; break;
        case Tag::kArticle: product_.sku = v; break;
        case Tag::kName: product_.name = v; break;
        case Tag::kBaseUnit: product_.unit = v; break;
        case Tag::kPicture: if (product_.image.empty()) product_.image = v; break;
        case Tag::kStatus: if (v == "Удален") product_.deleted = true; break;
        case Tag::kDeletionMark: if (is_true(v)) product_.deleted = true; break;
        default: break;
      }
      return;
    }
    if (t == Tag::kId && p1 == Tag::kGroups && p2 == Tag::kGood) {
      product_.group_ids.push_back(v);
    } else if (p1 == Tag::kPropertyValue) {
      if (t == Tag::kId) property_value_.first = v;
      else if (t == Tag::kValue && property_value_.second.empty()) property_value_.second = v;
    } else if (t == Tag::kPropertyValue) {
      if (!property_value_.first.empty()) product_.properties.push_back(std::move(property_value_));
    } else if (p1 == Tag::kRequisite) {
      if (t == Tag::kName) requisite_.first = v;
      else if (t == Tag::kValue) requisite_.second = v;
    } else if (t == Tag::kRequisite) {
      if (!requisite_.first.empty()) product_.requisites.push_back(std::move(requisite_));
    }
  }

  void on_offer_field(Tag t, Tag p1, Tag p2, const std::string& v) {
    if (t == Tag::kOffer) {
      if (offer_.id.empty()) throw std::runtime_error("a Предложение without Ид");
      if (!stock_direct_.empty()) {
        offer_.has_stock = true;
        offer_.stock = stock_direct_;
      } else if (stock_summed_) {
        offer_.has_stock = true;
        offer_.stock = format_milli(stock_sum_milli_);
      }
      if (sink_.offer) sink_.offer(offer_);
      return;
    }
    if (p1 == Tag::kOffer) {
      switch (t) {
        case Tag::kId: offer_.id = v; break;
        case Tag::kArticle: offer_.sku = v; break;
        case Tag::kName: offer_.name = v; break;
        case Tag::kQuantity: stock_direct_ = v; break;
        default: break;
      }
      return;
    }
    if (p1 == Tag::kPrice) {
      if (t == Tag::kPriceTypeId) price_.type_id = v;
      else if (t == Tag::kUnitPrice) price_.amount = v;
      else if (t == Tag::kCurrency) price_.currency = v;
    } else if (t == Tag::kPrice) {
      offer_.prices.push_back(std::move(price_));
    } else if (t == Tag::kQuantity && (p1 == Tag::kRest || (p1 == Tag::kWarehouse && p2 == Tag::kRest))) {
      add_stock(v);  // 3.1 rests: Остатки/Остаток/[Склад/]Количество
    } else if (p1 == Tag::kFeature) {
      if (t == Tag::kName) feature_.first = v;
      else if (t == Tag::kValue) feature_.second = v;
    } else if (t == Tag::kFeature) {
      offer_.features.push_back(std::move(feature_));
    }
  }

  void on_price_type_field(Tag t, Tag p1, const std::string& v) {
    if (t == Tag::kPriceType) {
      if (!price_type_.first.empty()) classifier_.price_types[price_type_.first] = price_type_.second;
    } else if (p1 == Tag::kPriceType) {
      if (t == Tag::kId) price_type_.first = v;
      else if (t == Tag::kName) price_type_.second.name = v;
      else if (t == Tag::kCurrency) price_type_.second.currency = v;
    }
  }

  // Fields of the counterparty being read; true when `t` was one of them.
  bool on_counterparty_field(Tag t, Tag p1, const std::string& v) {
    const bool direct = path_.size() == counterparty_depth_;  // t was a child of Контрагент
    if (direct) {
      switch (t) {
        case Tag::kId: counterparty_.id = v; return true;
        case Tag::kName: counterparty_.name = v; return true;
        case Tag::kFullName:
        case Tag::kOfficialName: if (counterparty_.full_name.empty()) counterparty_.full_name = v; return true;
        case Tag::kInn: counterparty_.inn = v; return true;
        case Tag::kKpp: counterparty_.kpp = v; return true;
        case Tag::kRole: counterparty_.role = v; return true;
        case Tag::kDeletionMark: counterparty_.deleted = is_true(v); return true;
        default: return true;
      }
    }
    if (t == Tag::kPresentation && !v.empty()) {
      const char* kind = p1 == Tag::kLegalAddress ? "legal" : p1 == Tag::kRegistrationAddress ? "registration"
                         : p1 == Tag::kAddress                                               ? "actual"
                                                                                             : nullptr;
      if (kind) counterparty_.addresses.emplace_back(kind, v);
      return true;
    }
    if (p1 == Tag::kContact) {
      if (t == Tag::kType) contact_type_ = v;
      else if (t == Tag::kValue) contact_value_ = v;
      return true;
    }
    if (t == Tag::kContact) {
      if (contact_value_.empty()) return true;
      if (contact_type_.find("Почта") != std::string::npos || contact_value_.find('@') != std::string::npos)
        counterparty_.emails.push_back(contact_value_);
      else if (contact_type_.find("Телефон") != std::string::npos)
        counterparty_.phones.push_back(contact_value_);
      return true;
    }
    return path_.size() > counterparty_depth_;  // anything deeper belongs to the counterparty
  }

  void on_document_field(Tag t, Tag p1, Tag p2, const std::string& v) {
    if (t == Tag::kDocument) {
      if (document_.id.empty()) throw std::runtime_error("a Документ without Ид");
      if (sink_.document) sink_.document(document_);
      return;
    }
    if (p1 == Tag::kDocument) {
      switch (t) {
        case Tag::kId: document_.id = v; break;
        case Tag::kNumber: document_.number = v; break;
        case Tag::kDate: document_.date = v; break;
        case Tag::kTime: document_.time = v; break;
        case Tag::kOperation: document_.operation = v; break;
        case Tag::kCurrency: document_.currency = v; break;
        case Tag::kSum: document_.sum = v; break;
        default: break;
      }
      return;
    }
    if (t == Tag::kGood) {
      document_.lines.push_back(std::move(line_));
      return;
    }
    if (p1 == Tag::kGood) {
      switch (t) {
        case Tag::kId: line_.product_id = v; break;
        case Tag::kArticle: line_.sku = v; break;
        case Tag::kName: line_.name = v; break;
        case Tag::kBaseUnit: line_.unit = v; break;
        case Tag::kUnitPrice: line_.price = v; break;
        case Tag::kQuantity: line_.quantity = v; break;
        case Tag::kSum: line_.sum = v; break;
        default: break;
      }
      return;
    }
    if (inside(Tag::kGood)) return;  // a line's own requisites and discounts
    if (p1 == Tag::kRequisite) {
      if (t == Tag::kName) requisite_.first = v;
      else if (t == Tag::kValue) requisite_.second = v;
    } else if (t == Tag::kRequisite && p2 == Tag::kDocument) {
      if (!requisite_.first.empty()) document_.requisites.push_back(std::move(requisite_));
    }
  }

  Classifier& classifier_;
  const CommerceMlSink& sink_;
  FileFacts& facts_;
  const Poco::XML::Locator* locator_ = nullptr;
  std::vector<Tag> path_;
  std::string text_;

  std::vector<std::pair<std::string, std::string>> groups_;  // the open groups: (Ид, name)
  std::pair<std::string, std::string> property_, variant_, property_value_, requisite_, feature_;
  std::pair<std::string, Classifier::PriceType> price_type_;
  Product product_;
  Offer offer_;
  Price price_;
  std::string stock_direct_;
  std::int64_t stock_sum_milli_ = 0;
  bool stock_summed_ = false;
  Counterparty counterparty_;
  std::size_t counterparty_depth_ = 0;  // path length with the counterparty's element on it; 0: none
  std::string contact_type_, contact_value_;
  Document document_;
  DocumentLine line_;
};

}  // namespace

bool read_commerceml(std::istream& in, Classifier& classifier, const CommerceMlSink& sink, FileFacts& facts,
                     ParseError& error) {
  Handler handler(classifier, sink, facts);
  Poco::Windows1251Encoding cp1251;
  Poco::XML::SAXParser parser;
  // Names are matched without their namespace (3.1 declares a default one), and no
  // external entity is ever fetched (the file comes from the network).
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, false);
  parser.setFeature(Poco::XML::SAXParser::FEATURE_PARTIAL_READS, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
  for (const char* name : {"windows-1251", "Windows-1251", "WINDOWS-1251", "cp1251", "CP1251"})
    parser.addEncoding(name, &cp1251);
  parser.setContentHandler(&handler);
  Poco::XML::InputSource source(in);
  try {
    parser.parse(&source);
    return true;
  } catch (const Poco::XML::SAXParseException& e) {
    error.line = e.getLineNumber();
    error.reason = e.message().empty() ? e.displayText() : e.message();
  } catch (const Poco::Exception& e) {
    error.line = handler.line();
    error.reason = e.displayText();
  } catch (const std::exception& e) {
    error.line = handler.line();
    error.reason = e.what();
  }
  return false;
}

}  // namespace salescore::onec
