#include "host/host_api_table.h"

#include <strings.h>

#include <algorithm>

#include <charconv>
#include <cstring>

#include "host/runtime_core.h"
#include "host/status_codes.h"
#include "host/webhook_signature.h"

namespace salescore::plugins {
namespace {

// Runs a service body; an exception (out of memory, a bug) becomes SC_INTERNAL.
template <class F>
sc_status guarded(sc_host* h, F&& body) {
  if (!h || !h->core || !h->slot) return SC_INVALID_ARGUMENT;
  try {
    return body(*h->core, *h->slot);
  } catch (const std::exception& e) {
    h->core->log(h->slot, LogLevel::kError, std::string("host service failed: ") + e.what());
    return SC_INTERNAL;
  } catch (...) {
    return SC_INTERNAL;
  }
}

std::string text(const char* s) { return s ? s : ""; }

void host_log(sc_host* h, int level, const char* message) {
  guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) {
    LogLevel l = level <= SC_LOG_ERROR ? LogLevel::kError
                 : level == SC_LOG_WARN ? LogLevel::kWarn
                 : level == SC_LOG_INFO ? LogLevel::kInfo
                                        : LogLevel::kDebug;
    core.log(&slot, l, text(message));
    return SC_OK;
  });
}

const char* host_config_get(sc_host* h, const char* key) {
  if (!h || !h->slot || !key) return nullptr;
  const std::string* v = h->slot->config.get(key);
  return v ? v->c_str() : nullptr;
}

int64_t host_config_get_int(sc_host* h, const char* key, int64_t fallback) {
  const char* v = host_config_get(h, key);
  if (!v) return fallback;
  std::int64_t out = fallback;
  auto [end, ec] = std::from_chars(v, v + std::strlen(v), out);
  return ec == std::errc() ? out : fallback;
}

int host_config_get_bool(sc_host* h, const char* key, int fallback) {
  const char* v = host_config_get(h, key);
  if (!v) return fallback;
  for (const char* yes : {"true", "yes", "on", "1"})
    if (strcasecmp(v, yes) == 0) return 1;
  for (const char* no : {"false", "no", "off", "0"})
    if (strcasecmp(v, no) == 0) return 0;
  return fallback;
}

// Copies the connector's records; what it passed may be freed as soon as we return.
sc_status host_emit_records(sc_host* h, const sc_record* records, size_t count) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) -> sc_status {
    if (count == 0) return SC_OK;
    if (!records) return SC_INVALID_ARGUMENT;
    std::vector<NormalizedRecord> copies;
    copies.reserve(count);
    const std::size_t known = offsetof(sc_record, idempotency_key) + sizeof(const char*);
    // All records of one call share the struct size the connector was built with.
    const std::size_t stride = records[0].struct_size;
    if (stride < offsetof(sc_record, json_size) + sizeof(size_t)) return SC_INVALID_ARGUMENT;
    const auto* base = reinterpret_cast<const unsigned char*>(records);
    for (std::size_t i = 0; i < count; ++i) {
      const auto* r = reinterpret_cast<const sc_record*>(base + i * stride);
      NormalizedRecord c;
      c.entity = text(r->entity);
      c.source = text(r->source);
      c.external_id = text(r->external_id);
      if (r->json) c.json.assign(r->json, r->json_size);
      if (stride >= known) c.idempotency_key = text(r->idempotency_key);
      copies.push_back(std::move(c));
    }
    return core.emit(slot, std::move(copies));
  });
}

sc_status host_emit_products(sc_host* h, const sc_product* products, size_t count) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) -> sc_status {
    if (count == 0) return SC_OK;
    if (!products) return SC_INVALID_ARGUMENT;
    // All products of one call share the struct size the connector was built with; a
    // later minor may append fields, which this host then does not read.
    const std::size_t stride = products[0].struct_size;
    if (stride < sizeof(sc_product)) return SC_INVALID_ARGUMENT;
    std::vector<CatalogProduct> read;
    read.reserve(count);
    const auto* base = reinterpret_cast<const unsigned char*>(products);
    for (std::size_t i = 0; i < count; ++i)
      read.push_back(read_catalog_product(core.engine, *reinterpret_cast<const sc_product*>(base + i * stride)));
    return core.emit_products(slot, std::move(read));
  });
}

sc_status host_emit_record(sc_host* h, const sc_record* record) { return host_emit_records(h, record, record ? 1 : 0); }

sc_status host_checkpoint_read(sc_host* h, char* buffer, size_t capacity, size_t* size) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) -> sc_status {
    auto value = core.read_checkpoint(slot);
    if (!value) {
      if (size) *size = 0;
      return SC_NOT_FOUND;
    }
    if (size) *size = value->size();
    if (buffer && capacity) std::memcpy(buffer, value->data(), std::min(capacity, value->size()));
    return SC_OK;
  });
}

sc_status host_checkpoint_save(sc_host* h, const char* value, size_t size) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) -> sc_status {
    if (!value && size) return SC_INVALID_ARGUMENT;
    return core.save_checkpoint(slot, value ? std::string(value, size) : std::string());
  });
}

sc_status host_route_add(sc_host* h, const char* method, const char* path, sc_route_handler handler) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) {
    return core.add_route(slot, text(method), text(path), handler);
  });
}

void host_response_status(sc_http_response* r, int status) {
  if (r && status >= 100 && status <= 599) r->status = status;
}

void host_response_header(sc_http_response* r, const char* name, const char* value) {
  if (!r || !name || !value) return;
  try {
    r->headers.emplace_back(name, value);
  } catch (...) {
  }
}

void host_response_write(sc_http_response* r, const void* data, size_t size) {
  if (!r || !data || !size) return;
  try {
    r->body.append(static_cast<const char*>(data), size);
  } catch (...) {
  }
}

const char* host_request_header(const sc_http_request* r, const char* name) {
  if (!r || !name) return nullptr;
  for (size_t i = 0; i < r->header_count; ++i)
    if (r->headers[i].name && strcasecmp(r->headers[i].name, name) == 0) return r->headers[i].value;
  return nullptr;
}

sc_status host_fail(sc_host* h, sc_status code, const char* message) {
  if (!h || !h->slot) return code;
  try {
    std::string why = text(message);
    CallContext* ctx = current_call();
    if (ctx && ctx->slot == h->slot) ctx->failure = why;
    else h->core->note_error(*h->slot, why);  // outside a callback: a thread of the connector's own
  } catch (...) {
  }
  return code;
}

int host_stopping(sc_host* h) {
  if (!h || !h->slot) return 1;
  const ConnectorSlot& s = *h->slot;
  return s.shutting_down || s.intake_paused() || s.failed ? 1 : 0;
}

int64_t host_now_ms(sc_host* h) {
  if (!h || !h->core) return 0;
  return h->core->now().ms;
}

sc_status host_enqueue_outbound(sc_host* h, const char* kind, const char* payload, size_t payload_size,
                                const char* idempotency_key) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) -> sc_status {
    auto queued = core.enqueue(slot, text(kind), payload ? std::string(payload, payload_size) : std::string(),
                               text(idempotency_key));
    if (queued.ok()) return SC_OK;
    if (CallContext* ctx = current_call(); ctx && ctx->slot == &slot) ctx->failure = queued.status().message();
    return abi_from_code(queued.status().code());
  });
}

sc_status host_batch_begin(sc_host* h) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) { return core.begin_batch(slot); });
}

sc_status host_batch_end(sc_host* h, int commit) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) { return core.end_batch(slot, commit != 0); });
}

sc_status host_batch_begin_keeping(sc_host* h) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) {
    return core.begin_batch(slot, StreamingBatch::RefusedRecord::kDeadLetter);
  });
}

sc_status host_batch_end_counted(sc_host* h, int commit, int64_t* dead_letters) {
  if (dead_letters) *dead_letters = 0;
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) { return core.end_batch(slot, commit != 0, dead_letters); });
}

sc_status host_note_sent(sc_host* h, const char* entity, int64_t id, const char* external_id) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) -> sc_status {
    Status noted = core.engine.connectors().note_sent(slot.name(), text(entity), id, text(external_id));
    if (noted.is_ok()) return SC_OK;
    if (CallContext* ctx = current_call(); ctx && ctx->slot == &slot) ctx->failure = noted.message();
    return abi_from_code(noted.code());
  });
}

sc_status host_changes_read(sc_host* h, const char* entity, int64_t after_seq, size_t limit, sc_record_visitor visit,
                            void* ctx, int64_t* next_seq) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) {
    return core.read_changes(slot, text(entity), after_seq, limit, visit, ctx, next_seq);
  });
}

size_t host_last_error(sc_host* h, char* buffer, size_t capacity) {
  if (!h || !h->slot) return 0;
  try {
    std::string why;
    {
      std::lock_guard lock(h->slot->health_mutex);
      why = h->slot->last_error;
    }
    if (buffer && capacity) {
      const std::size_t n = std::min(capacity - 1, why.size());
      std::memcpy(buffer, why.data(), n);
      buffer[n] = '\0';
    }
    return why.size();
  } catch (...) {
    return 0;
  }
}

sc_status host_verify_webhook(sc_host* h, const char* secret, const char* signature, const char* timestamp,
                              const uint8_t* body, size_t body_size, int64_t window_s) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) -> sc_status {
    auto refuse = [&](const std::string& why) {
      if (CallContext* ctx = current_call(); ctx && ctx->slot == &slot) ctx->failure = why;
      return SC_UNAUTHENTICATED;
    };
    if (!secret || !*secret) return refuse("webhook signature: no secret is configured");
    if (!signature || !*signature) return refuse("webhook signature: the request carries none");
    std::string signed_text;
    if (timestamp && *timestamp) {
      std::int64_t at = 0;
      auto [end, ec] = std::from_chars(timestamp, timestamp + std::strlen(timestamp), at);
      if (ec != std::errc() || *end) return refuse("webhook signature: timestamp is not Unix seconds");
      const std::int64_t now_s = core.now().ms / 1000;
      if (window_s > 0 && (at < now_s - window_s || at > now_s + window_s))
        return refuse("webhook signature: timestamp outside the " + std::to_string(window_s) + " s window");
      signed_text = std::string(timestamp) + ".";
    }
    if (body && body_size) signed_text.append(reinterpret_cast<const char*>(body), body_size);
    return webhook_signature_matches(secret, signed_text, signature) ? SC_OK
                                                                    : refuse("webhook signature does not match");
  });
}

sc_status host_report_progress(sc_host* h, const char* text) {
  return guarded(h, [&](RuntimeCore&, ConnectorSlot& slot) -> sc_status {
    std::string said = slot.config.mask_secrets(text ? text : "");
    std::lock_guard lock(slot.health_mutex);
    slot.progress = std::move(said);
    return SC_OK;
  });
}

sc_status host_subscribe(sc_host* h, const char* const* prefixes) {
  return guarded(h, [&](RuntimeCore& core, ConnectorSlot& slot) {
    std::vector<std::string> list;
    for (const char* const* p = prefixes; p && *p; ++p) list.emplace_back(*p);
    return core.subscribe(slot, std::move(list));
  });
}

// Designated in declaration order, so a service appended to the ABI cannot shift the others.
const sc_host_api kHostApi = {
    .struct_size = sizeof(sc_host_api),
    .abi_major = SC_ABI_MAJOR,
    .abi_minor = SC_ABI_MINOR,
    .log = host_log,
    .config_get = host_config_get,
    .config_get_int = host_config_get_int,
    .config_get_bool = host_config_get_bool,
    .emit_record = host_emit_record,
    .emit_records = host_emit_records,
    .checkpoint_read = host_checkpoint_read,
    .checkpoint_save = host_checkpoint_save,
    .route_add = host_route_add,
    .response_status = host_response_status,
    .response_header = host_response_header,
    .response_write = host_response_write,
    .request_header = host_request_header,
    .fail = host_fail,
    .stopping = host_stopping,
    .now_ms = host_now_ms,
    .enqueue_outbound = host_enqueue_outbound,
    .batch_begin = host_batch_begin,
    .batch_end = host_batch_end,
    .changes_read = host_changes_read,
    .last_error = host_last_error,
    .verify_webhook = host_verify_webhook,
    .emit_products = host_emit_products,
    .batch_begin_keeping = host_batch_begin_keeping,
    .batch_end_counted = host_batch_end_counted,
    .note_sent = host_note_sent,
    .report_progress = host_report_progress,
    .subscribe = host_subscribe,
};

}  // namespace

const sc_host_api* host_api_table() { return &kHostApi; }

}  // namespace salescore::plugins
