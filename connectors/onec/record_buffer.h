// Records on their way to the host, handed over in slices: one ABI call per record
// would cost more than the parse. Catalog products go as fields through emit_products
// when the host has it (ABI 1.2), else as JSON records like everything else; a run of
// one kind is flushed before the other kind is added, so the host sees them in order.
#pragma once

#include <cstdint>
#include <vector>

#include "records.h"
#include "salescore/plugin_api.h"

namespace salescore::onec {

class RecordBuffer {
 public:
  RecordBuffer(const sc_host_api* api, sc_host* host);

  void add(Record r);
  void add(ProductFields p);
  // Hands over what is pending. Throws std::runtime_error when the host refuses it.
  void flush();

  std::int64_t count() const { return count_; }

 private:
  void flush_records();
  void flush_products();

  static constexpr std::size_t kSlice = 1000;
  const sc_host_api* api_;
  sc_host* host_;
  bool host_takes_products_;
  std::vector<Record> records_;
  std::vector<ProductFields> products_;
  std::int64_t count_ = 0;
};

}  // namespace salescore::onec
