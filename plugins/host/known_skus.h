// The SKUs found to name a product while one batch of records is applied (inbox.h,
// apply_all_once): an order's lines are checked against the catalog (unknown_sku), and a
// page of a hundred shop orders names the same few hundred SKUs again and again. Inside
// the batch's transaction a product found stays found, so each SKU is looked up once per
// batch, not once per line. Outside a batch nothing is remembered.
#pragma once

#include <string>
#include <unordered_set>

namespace salescore::plugins {

class KnownSkus {
 public:
  // Remembers for the current thread until destroyed.
  KnownSkus() : outer_(current_) { current_ = this; }
  ~KnownSkus() { current_ = outer_; }
  KnownSkus(const KnownSkus&) = delete;
  KnownSkus& operator=(const KnownSkus&) = delete;

  // The current thread's, or null outside a batch.
  static KnownSkus* current() { return current_; }
  bool has(const std::string& sku) const { return skus_.count(sku) != 0; }
  void add(const std::string& sku) { skus_.insert(sku); }

 private:
  std::unordered_set<std::string> skus_;
  KnownSkus* outer_;
  static thread_local KnownSkus* current_;
};

}  // namespace salescore::plugins
