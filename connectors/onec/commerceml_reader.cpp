// The streaming CommerceML reader (commerceml.h): libexpat (expat_parser.h) hands over
// element names as it parsed them, the reader turns each into a Tag once (commerceml_tags.h)
// and maps the elements onto the structs as they close.
#include <array>
#include <stdexcept>
#include <string_view>

#include "commerceml.h"
#include "commerceml_tags.h"
#include "decimal_text.h"
#include "expat_parser.h"

namespace salescore::onec {
namespace {

std::string_view trimmed(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  return s.substr(b, e - b);
}

// The value of an attribute as expat gives them (name, value, ..., null); "" when absent.
std::string_view attribute(const char** attributes, std::string_view name) {
  for (; *attributes; attributes += 2)
    if (name == attributes[0]) return attributes[1];
  return {};
}

bool is_true(std::string_view v) { return v == "true" || v == "1" || v == "Истина" || v == "истина"; }

// What the elements mean, called by ExpatParser (start, text, end).
class Handler {
 public:
  Handler(Classifier& classifier, const CommerceMlSink& sink, FileFacts& facts)
      : classifier_(classifier), sink_(sink), facts_(facts) {
    path_.reserve(32);
    text_.reserve(256);
  }

  void start(const char* name, const char** attrs) {
    // CommerceML nests a dozen levels; a file nesting hundreds is broken or hostile (its
    // paths and expat's own bookkeeping grow with the depth).
    if (path_.size() >= kMaxDepth)
      throw std::runtime_error("elements nested deeper than " + std::to_string(kMaxDepth) + " levels");
    const Tag t = tag_of(name);
    const Tag parent = up(0);
    path_.push_back(t);
    ++open_[static_cast<std::size_t>(t)];
    text_.clear();
    collect_text_ = carries_text(t);
    switch (t) {
      case Tag::kRoot:
        facts_.schema_version = attribute(attrs, "ВерсияСхемы");
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
        if (inside(Tag::kClassifier)) {
          if (groups_.size() >= kMaxGroupDepth)
            throw std::runtime_error("product groups nested deeper than " + std::to_string(kMaxGroupDepth) + " levels");
          groups_.emplace_back();
        }
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
          // Only its first Товар would be kept: the outer one would be lost unnoticed.
          if (open_[static_cast<std::size_t>(Tag::kGood)] > 1) throw std::runtime_error("a Товар inside a Товар");
          product_ = {};
          if (attribute(attrs, "Статус") == "Удален") product_.deleted = true;
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
        if (open_[static_cast<std::size_t>(Tag::kOffer)] > 1) throw std::runtime_error("a Предложение inside a Предложение");
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
          const auto q = attribute(attrs, "КоличествоНаСкладе");
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

  void text(const char* data, int size) {
    if (!collect_text_) return;
    // Text is kept until its element ends: without a limit one element of a 500 MB line
    // would cost 500 MB. A description, the longest text 1C sends, is a few kilobytes.
    if (text_.size() + static_cast<std::size_t>(size) > kMaxText)
      throw std::runtime_error("the text of an element is longer than " + std::to_string(kMaxText >> 20) + " MiB");
    text_.append(data, static_cast<std::size_t>(size));
  }

  void end() {
    const Tag t = path_.back();
    path_.pop_back();
    --open_[static_cast<std::size_t>(t)];
    // The element's text is read in place; what follows it belongs to the parent.
    on_end(t, carries_text(t) ? trimmed(text_) : std::string_view());
    text_.clear();
    collect_text_ = carries_text(up(0));
  }

 private:
  void on_end(Tag t, std::string_view v) {
    const Tag p1 = up(0), p2 = up(1);
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

  Tag up(std::size_t k) const { return path_.size() > k ? path_[path_.size() - 1 - k] : Tag::kOther; }
  bool inside(Tag t) const { return open_[static_cast<std::size_t>(t)] != 0; }
  bool in_counterparty() const { return counterparty_depth_ != 0 && path_.size() >= counterparty_depth_; }

  // No attribute: a 2.x file is the whole catalog unless it says otherwise; 3.x files
  // come in portions, so without the attribute one is taken as changes only.
  bool changes_only(const char** attrs) const {
    const auto v = attribute(attrs, "СодержитТолькоИзменения");
    if (!v.empty()) return is_true(v);
    return is_version_3(facts_.schema_version);
  }

  void add_stock(std::string_view quantity) {
    std::int64_t milli = 0;
    if (!parse_milli(quantity, milli))
      throw std::runtime_error("stock '" + std::string(quantity) + "' is not a number");
    if (__builtin_add_overflow(stock_sum_milli_, milli, &stock_sum_milli_))
      throw std::runtime_error("the stock of the warehouses adds up past what salescore can hold");
    stock_summed_ = true;
  }

  void on_classifier_field(Tag t, Tag p1, std::string_view v) {
    if (t == Tag::kGroup && !groups_.empty()) {
      classifier_.group_paths[groups_.back().first] = std::move(groups_.back().second);
      groups_.pop_back();
    } else if (p1 == Tag::kGroup && !groups_.empty()) {
      if (t == Tag::kId) {
        groups_.back().first = v;
      } else if (t == Tag::kName) {
        // The group's whole path, "Parent / Child", made once from its parent's.
        std::string path = groups_.size() > 1 ? groups_[groups_.size() - 2].second : std::string();
        if (!path.empty()) path += " / ";
        groups_.back().second = path.append(v);
      }
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

  void on_product_field(Tag t, Tag p1, Tag p2, std::string_view v) {
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
      product_.group_ids.emplace_back(v);
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

  void on_offer_field(Tag t, Tag p1, Tag p2, std::string_view v) {
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

  void on_price_type_field(Tag t, Tag p1, std::string_view v) {
    if (t == Tag::kPriceType) {
      if (!price_type_.first.empty()) classifier_.price_types[price_type_.first] = price_type_.second;
    } else if (p1 == Tag::kPriceType) {
      if (t == Tag::kId) price_type_.first = v;
      else if (t == Tag::kName) price_type_.second.name = v;
      else if (t == Tag::kCurrency) price_type_.second.currency = v;
    }
  }

  // Fields of the counterparty being read; true when `t` was one of them.
  bool on_counterparty_field(Tag t, Tag p1, std::string_view v) {
    const bool direct = path_.size() == counterparty_depth_;  // t was a child of Контрагент
    if (direct) {
      switch (t) {
        case Tag::kId: counterparty_.id = v; return true;
        case Tag::kName: counterparty_.name = v; return true;
        case Tag::kFullName: counterparty_.full_name = v; return true;
        case Tag::kOfficialName: counterparty_.official_name = v; return true;
        case Tag::kSurname: counterparty_.surname = v; return true;
        case Tag::kGivenName: counterparty_.given_name = v; return true;
        case Tag::kPatronymic: counterparty_.patronymic = v; return true;
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

  void on_document_field(Tag t, Tag p1, Tag p2, std::string_view v) {
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
  std::vector<Tag> path_;
  std::array<std::uint32_t, kTagCount> open_{};  // how many elements of each tag are open: inside() in O(1)
  std::string text_;          // the open element's text so far, when it carries_text
  bool collect_text_ = false;

  static constexpr std::size_t kMaxDepth = 256, kMaxGroupDepth = 32, kMaxText = 4 << 20;
  std::vector<std::pair<std::string, std::string>> groups_;  // the open groups: (Ид, "Parent / Name")
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
  try {
    Handler handler(classifier, sink, facts);
    ExpatParser parser;
    parser.deliver_to(handler);
    return parser.parse(in, error);
  } catch (const std::exception& e) {  // out of memory before parsing, a stream that throws
    error.reason = e.what();
    return false;
  }
}

}  // namespace salescore::onec
