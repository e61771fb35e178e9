// The CommerceML elements the reader acts on, as a small enum: an element's name is
// matched once, when it starts, and from then on the reader compares integers, not
// Cyrillic strings (a 100,000-product catalog has some ten million elements).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace salescore::onec {

enum class Tag : std::uint8_t {
  kOther, kRoot, kClassifier, kGroups, kGroup, kProperties, kProperty, kVariant, kValueId, kValue, kCatalog,
  kGoods, kGood, kId, kArticle, kName, kBaseUnit, kPropertyValues, kPropertyValue, kRequisites, kRequisite,
  kPicture, kStatus, kDeletionMark, kOfferPackage, kPriceTypes, kPriceType, kCurrency, kOffers, kOffer, kPrices,
  kPrice, kPriceTypeId, kUnitPrice, kQuantity, kRests, kRest, kWarehouse, kDocument, kNumber, kDate, kTime,
  kOperation, kSum, kCounterparties, kCounterparty, kFullName, kOfficialName, kInn, kKpp, kLegalAddress,
  kRegistrationAddress, kAddress, kPresentation, kContacts, kContact, kType, kRole, kFeatures, kFeature,
  kSurname, kGivenName, kPatronymic,
  kCount_  // not a tag: the number of them
};
inline constexpr std::size_t kTagCount = static_cast<std::size_t>(Tag::kCount_);

// The tag of an element name as written (UTF-8); a prefixed name (cml:Товар) is
// matched by its local part. kOther for names the reader does not act on.
Tag tag_of(std::string_view qname);

// Whether the reader uses the element's text: its fields. The text of the others
// (containers, elements of no interest) is not even collected. Asked twice an element.
inline bool carries_text(Tag t) {
  constexpr auto bit = [](Tag f) { return std::uint64_t{1} << static_cast<unsigned>(f); };
  constexpr std::uint64_t kFields =
      bit(Tag::kId) | bit(Tag::kArticle) | bit(Tag::kName) | bit(Tag::kBaseUnit) | bit(Tag::kPicture) |
      bit(Tag::kStatus) | bit(Tag::kDeletionMark) | bit(Tag::kValueId) | bit(Tag::kValue) | bit(Tag::kQuantity) |
      bit(Tag::kPriceTypeId) | bit(Tag::kUnitPrice) | bit(Tag::kCurrency) | bit(Tag::kFullName) |
      bit(Tag::kOfficialName) | bit(Tag::kInn) | bit(Tag::kKpp) | bit(Tag::kRole) | bit(Tag::kPresentation) |
      bit(Tag::kType) | bit(Tag::kNumber) | bit(Tag::kDate) | bit(Tag::kTime) | bit(Tag::kOperation) |
      bit(Tag::kSum) | bit(Tag::kSurname) | bit(Tag::kGivenName) | bit(Tag::kPatronymic);
  static_assert(kTagCount <= 64, "one bit a tag");
  return (kFields >> static_cast<unsigned>(t)) & 1;
}

}  // namespace salescore::onec
