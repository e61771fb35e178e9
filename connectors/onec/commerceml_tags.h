// The CommerceML elements the reader acts on, as a small enum: an element's name is
// matched once, when it starts, and from then on the reader compares integers, not
// Cyrillic strings (a 100,000-product catalog has some ten million elements).
#pragma once

#include <cstdint>
#include <string_view>

namespace salescore::onec {

enum class Tag : std::uint8_t {
  kOther, kRoot, kClassifier, kGroups, kGroup, kProperties, kProperty, kVariant, kValueId, kValue, kCatalog,
  kGoods, kGood, kId, kArticle, kName, kBaseUnit, kPropertyValues, kPropertyValue, kRequisites, kRequisite,
  kPicture, kStatus, kDeletionMark, kOfferPackage, kPriceTypes, kPriceType, kCurrency, kOffers, kOffer, kPrices,
  kPrice, kPriceTypeId, kUnitPrice, kQuantity, kRests, kRest, kWarehouse, kDocument, kNumber, kDate, kTime,
  kOperation, kSum, kCounterparties, kCounterparty, kFullName, kOfficialName, kInn, kKpp, kLegalAddress,
  kRegistrationAddress, kAddress, kPresentation, kContacts, kContact, kType, kRole, kFeatures, kFeature
};

// The tag of an element name as written (UTF-8); a prefixed name (cml:Товар) is
// matched by its local part. kOther for names the reader does not act on.
Tag tag_of(std::string_view qname);

// Whether the reader uses the element's text: its fields. The text of the others
// (containers, elements of no interest) is not even collected.
bool carries_text(Tag t);

}  // namespace salescore::onec
