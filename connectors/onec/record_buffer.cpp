#include "record_buffer.h"

#include <stdexcept>

namespace salescore::onec {
namespace {

void check(sc_status st) {
  if (st == SC_RESOURCE_EXHAUSTED || st == SC_UNAVAILABLE)
    throw std::runtime_error("salescore is not taking records right now (backlog or maintenance); 1C will retry");
  if (st != SC_OK) throw std::runtime_error("salescore refused the records");
}

const char* text_or_null(const std::optional<std::string>& value) { return value ? value->c_str() : nullptr; }

// Where an empty price list or property map points: NULL would mean "keep them".
const sc_price kNoPrices[1] = {};
const sc_property kNoProperties[1] = {};

}  // namespace

RecordBuffer::RecordBuffer(const sc_host_api* api, sc_host* host)
    : api_(api),
      host_(host),
      host_takes_products_(SC_HAS_FIELD(api, sc_host_api, emit_products) && api->emit_products) {}

void RecordBuffer::add(Record r) {
  ++count_;
  flush_products();
  records_.push_back(std::move(r));
  if (records_.size() >= kSlice) flush_records();
}

void RecordBuffer::add(ProductFields p) {
  if (!host_takes_products_) {
    add(product_json(p));
    return;
  }
  ++count_;
  flush_records();
  products_.push_back(std::move(p));
  if (products_.size() >= kSlice) flush_products();
}

void RecordBuffer::flush() {
  flush_records();
  flush_products();
}

void RecordBuffer::flush_records() {
  if (records_.empty()) return;
  std::vector<sc_record> out(records_.size());
  for (std::size_t i = 0; i < records_.size(); ++i) {
    out[i] = sc_record{};
    out[i].struct_size = sizeof(sc_record);
    out[i].entity = records_[i].entity.c_str();
    out[i].source = kSource;
    out[i].external_id = records_[i].external_id.c_str();
    out[i].json = records_[i].json.data();
    out[i].json_size = records_[i].json.size();
    // Every record of a CommerceML file is the whole state of the fields it names (a
    // product, a price, a counterparty, an order's status), the file is applied all or
    // nothing, and applying it again changes nothing: no inbox key is needed, and a
    // daily full catalog leaves none behind.
    out[i].idempotency_key = SC_KEY_STATE;
  }
  sc_status st = api_->emit_records(host_, out.data(), out.size());
  records_.clear();
  check(st);
}

void RecordBuffer::flush_products() {
  if (products_.empty()) return;
  // The prices and properties the sc_product structs point into, kept until the call returns.
  std::vector<std::vector<sc_price>> prices(products_.size());
  std::vector<std::vector<sc_property>> properties(products_.size());
  std::vector<sc_product> out(products_.size());
  for (std::size_t i = 0; i < products_.size(); ++i) {
    const ProductFields& f = products_[i];
    sc_product& p = out[i];
    p = sc_product{};
    p.struct_size = sizeof(sc_product);
    p.source = kSource;
    p.external_id = f.external_id.c_str();
    p.sku = text_or_null(f.sku);
    p.name = text_or_null(f.name);
    p.unit = text_or_null(f.unit);
    p.group = text_or_null(f.group);
    p.stock = text_or_null(f.stock);
    p.active = f.active ? (*f.active ? 1 : 0) : -1;
    if (f.prices) {
      for (const auto& price : *f.prices)
        prices[i].push_back(sc_price{price.type.c_str(), price.amount.c_str(), price.currency.c_str()});
      p.prices = prices[i].empty() ? kNoPrices : prices[i].data();
      p.price_count = prices[i].size();
    }
    if (f.properties) {
      for (const auto& [name, value] : *f.properties) properties[i].push_back(sc_property{name.c_str(), value.c_str()});
      p.properties = properties[i].empty() ? kNoProperties : properties[i].data();
      p.property_count = properties[i].size();
    }
  }
  sc_status st = api_->emit_products(host_, out.data(), out.size());
  products_.clear();
  check(st);
}

}  // namespace salescore::onec
