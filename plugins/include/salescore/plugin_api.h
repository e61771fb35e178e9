/*
 * salescore connector ABI — the only header a connector needs.
 *
 * A connector is a shared library named salescore_connector_<name>.so that exports one
 * C function:
 *
 *     int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out);
 *
 * The host calls it once after loading the library. The connector keeps `host` (the
 * table of host services, valid until the library is unloaded) and describes itself in
 * `out`: name, version, capabilities, config schema and callbacks.
 *
 * Versioning (as DuckDB's extension API): both structs start with struct_size and
 * abi_major/abi_minor. A different major is refused by both sides. Within a major the
 * tables only grow at the end, so a newer connector on an older host (or the other way
 * round) reads only the fields both know: check with SC_HAS_FIELD before using a field
 * that came with a later minor. The host never reads past the struct_size the connector
 * reports; sc_connector_export() below does the connector's half of the handshake.
 *
 * Rules of the boundary: plain C types only; strings are UTF-8 and NUL-terminated
 * unless a size is given; no exception and no C++ object crosses it (the host wraps
 * every callback anyway and turns an escaped exception into SC_INTERNAL). Memory passed
 * to a host service is the connector's: the host copies what it keeps. Memory the host
 * passes to a callback is valid until the callback returns.
 *
 * Results are status codes numbered as gRPC/absl codes. What the host does with them:
 *   retry with backoff:     SC_UNAVAILABLE, SC_DEADLINE_EXCEEDED, SC_RESOURCE_EXHAUSTED
 *   dead letter at once:    SC_INVALID_ARGUMENT, SC_PERMISSION_DENIED, SC_UNAUTHENTICATED,
 *                           SC_FAILED_PRECONDITION, SC_NOT_FOUND, SC_INTERNAL (a bug does
 *                           not go away by retrying)
 * See docs/writing-a-connector.md for the lifecycle and examples.
 */
#ifndef SALESCORE_PLUGIN_API_H
#define SALESCORE_PLUGIN_API_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SC_ABI_MAJOR 1
#define SC_ABI_MINOR 5

/* The exported symbol the host looks up. */
#define SC_ENTRY_POINT_NAME "salescore_connector_entry"

#if defined(_WIN32)
#define SC_EXPORT __declspec(dllexport)
#else
#define SC_EXPORT __attribute__((visibility("default")))
#endif

/* True when a struct that reports `struct_size` contains `field` (both sides use it). */
#define SC_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* ---- status codes ---------------------------------------------------------------- */

typedef int sc_status;
enum {
  SC_OK = 0,
  SC_INVALID_ARGUMENT = 3,    /* the data is wrong: dead letter, don't retry */
  SC_DEADLINE_EXCEEDED = 4,   /* the peer took too long: retry with backoff */
  SC_NOT_FOUND = 5,           /* what the data refers to is missing: dead letter */
  SC_PERMISSION_DENIED = 7,   /* the peer refused: dead letter */
  SC_RESOURCE_EXHAUSTED = 8,  /* a limit or a quota: retry later */
  SC_FAILED_PRECONDITION = 9, /* the state forbids it until someone fixes it: dead letter */
  SC_INTERNAL = 13,           /* a bug (an escaped exception lands here): dead letter */
  SC_UNAVAILABLE = 14,        /* the peer is down or busy: retry with backoff */
  SC_UNAUTHENTICATED = 16     /* bad credentials: dead letter; the config needs fixing */
};

/* ---- capabilities ---------------------------------------------------------------- */

enum {
  SC_CAP_POLL = 1u << 0,    /* poll() on a schedule (REST with a modified-since cursor) */
  SC_CAP_ROUTES = 1u << 1,  /* registers HTTP routes the server serves (webhooks, 1C exchange) */
  SC_CAP_SESSION = 1u << 2, /* session_run() on its own thread, stopped and reconnected by the host
                               (IMAP IDLE, an Asterisk AMI socket) */
  SC_CAP_DELIVER = 1u << 3  /* deliver() of outbox items (SMTP, click-to-call, status push) */
};

/* ---- config schema --------------------------------------------------------------- */

enum { SC_CONFIG_STRING = 1, SC_CONFIG_INT = 2, SC_CONFIG_BOOL = 3 };

/* One option of the connector's section in the config file ([connector.<name>]).
 * The host validates the section against the schema, fills defaults, never logs a
 * secret, and prints the schema as docs (`salescore plugins describe NAME`).
 * Arrays of these are read with the stride the connector reports in
 * sc_connector_v1.config_option_size, so fields may be appended. */
typedef struct sc_config_option {
  const char* name;          /* [a-z0-9_]+ */
  int type;                  /* SC_CONFIG_* */
  const char* default_value; /* NULL: no default */
  int required;              /* nonzero: the section must set it (a default does not count) */
  int secret;                /* nonzero: shown as *** in logs and describe */
  const char* description;
  const char* choices;       /* "a|b|c" to restrict a string option, or NULL */
} sc_config_option;

/* ---- records, outbound items, HTTP ----------------------------------------------- */

/* A normalized record: what the connector hands to the host to apply to the engine.
 * `json` is an object with the entity's fields (see docs/writing-a-connector.md); a
 * field left out keeps the value salescore has. */
typedef struct sc_record {
  uint32_t struct_size;        /* sizeof(sc_record) */
  const char* entity;          /* "client" | "product" | "order" | "interaction" */
  const char* source;          /* the system of record: "1c", "webshop", "asterisk" */
  const char* external_id;     /* the record's id there */
  const char* json;
  size_t json_size;
  const char* idempotency_key; /* NULL or "": derived from the content, so the same record
                                  delivered twice is applied once and a changed one again,
                                  also one back at an earlier state; "content:..." is the
                                  host's; SC_KEY_STATE: see below */
} sc_record;

/* An idempotency key (ABI 1.1) saying the record carries the whole state of the fields
 * it names (a catalog entry, a price list), so applying it again changes nothing and
 * the host keeps no inbox entry for it. A file imported daily (1C's catalog) would
 * otherwise leave a key per product per day; and content-derived keys would skip a
 * price that went A -> B -> A. Use it inside a batch, where the file is all or nothing. */
#define SC_KEY_STATE "state"

/* A catalog product as fields (ABI 1.2), for emit_products(): what a "product" record
 * with the key SC_KEY_STATE says, without writing JSON that the host would only read
 * back. A NULL field keeps what salescore has, as a field left out of the JSON does. */
typedef struct sc_price {
  const char* type;     /* the price type's name: "Розничная" */
  const char* amount;   /* decimal text: "1234.50" */
  const char* currency; /* ISO 4217; NULL or "": the company's currency */
} sc_price;

typedef struct sc_property {
  const char* name;
  const char* value;
} sc_property;

typedef struct sc_product {
  uint32_t struct_size;        /* sizeof(sc_product) */
  const char* source;
  const char* external_id;
  const char* sku;             /* keys a product new to the source; NULL or "": the external id */
  const char* name;
  const char* unit;
  const char* group;
  const char* stock;           /* decimal text: "17", "2.5" */
  int active;                  /* 1 or 0; -1 keeps it */
  const sc_price* prices;      /* NULL keeps the price list; otherwise it becomes these */
  size_t price_count;
  const sc_property* properties; /* NULL keeps them; otherwise they become these */
  size_t property_count;
} sc_product;

/* An outbox item handed to deliver(). */
typedef struct sc_outbound {
  uint32_t struct_size;
  int64_t id;
  const char* kind;            /* "event" (from the event log) or an action: "call", "email.send" */
  const char* payload;         /* JSON; for "event": {"seq","type","entity","entity_id","at","data"} */
  size_t payload_size;
  const char* idempotency_key; /* the same on every attempt: pass it to the peer to dedupe */
  uint32_t attempt;            /* 1 on the first try */
} sc_outbound;

typedef struct sc_http_header {
  const char* name;
  const char* value;
} sc_http_header;

typedef struct sc_http_request {
  uint32_t struct_size;
  const char* method;          /* "GET", "POST" */
  const char* path;            /* "/exchange/1c" */
  const char* query;           /* without '?', not decoded: "type=catalog&mode=init" */
  const sc_http_header* headers;
  size_t header_count;
  const uint8_t* body;         /* may contain NUL bytes (zip archives) */
  size_t body_size;
  const char* remote_address;
} sc_http_request;

typedef struct sc_http_response sc_http_response; /* built through host services */

/* Receives one record read by changes_read(); return nonzero to stop the read there. */
typedef int (*sc_record_visitor)(void* ctx, const char* json, size_t json_size);
typedef struct sc_host sc_host;                   /* the host's handle for one connector instance */

/* A route handler. `self` is the instance create() made. Returning non-OK answers with
 * the matching HTTP status (400, 401, 403, 404, 409, 429, 500, 503, 504) and the message
 * given to fail(); return SC_OK to send the response built with response_*(). Called on
 * the server's threads, possibly several at once. */
typedef sc_status (*sc_route_handler)(void* self, const sc_http_request* request, sc_http_response* response);

enum { SC_LOG_ERROR = 0, SC_LOG_WARN = 1, SC_LOG_INFO = 2, SC_LOG_DEBUG = 3 };

/* ---- host services --------------------------------------------------------------- */

typedef struct sc_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;

  /* Logs a line under the connector's name. The host masks secret config values in it. */
  void (*log)(sc_host* host, int level, const char* message);

  /* A config value as text (defaults filled), or NULL for an unknown key. Valid for the
   * instance's lifetime. The _int/_bool forms return `fallback` for unknown keys. */
  const char* (*config_get)(sc_host* host, const char* key);
  int64_t (*config_get_int)(sc_host* host, const char* key, int64_t fallback);
  int (*config_get_bool)(sc_host* host, const char* key, int fallback);

  /* Hands records to the host, which copies them and applies each in one transaction
   * with its inbox key. SC_OK: every record is applied, or held by the host for a retry
   * (nothing more to do). A dead-letter code (SC_INVALID_ARGUMENT...): a record was
   * refused and kept as a dead letter with the reason; go on with the next one.
   * SC_RESOURCE_EXHAUSTED / SC_UNAVAILABLE: the records were NOT taken (intake paused
   * for backpressure, or inside a route the database is busy): send them again later;
   * a route handler should answer 503 (the host does it if the handler answers 2xx). */
  sc_status (*emit_record)(sc_host* host, const sc_record* record);
  sc_status (*emit_records)(sc_host* host, const sc_record* records, size_t count);

  /* The connector's checkpoint (cursor): copies up to `capacity` bytes into `buffer`
   * and sets *size to the full size (call with capacity 0 to learn it). SC_NOT_FOUND
   * when none was saved yet. */
  sc_status (*checkpoint_read)(sc_host* host, char* buffer, size_t capacity, size_t* size);
  /* Saves a checkpoint. The host persists it only once every record emitted before it
   * is committed (or dead-lettered), so after a crash the connector resumes from a
   * point whose records are all in the database. */
  sc_status (*checkpoint_save)(sc_host* host, const char* value, size_t size);

  /* Registers a route; only inside create(). SC_FAILED_PRECONDITION when another
   * connector has it. Paths match exactly; the query string is not part of the path. */
  sc_status (*route_add)(sc_host* host, const char* method, const char* path, sc_route_handler handler);
  void (*response_status)(sc_http_response* response, int http_status);
  void (*response_header)(sc_http_response* response, const char* name, const char* value);
  void (*response_write)(sc_http_response* response, const void* data, size_t size);
  /* The value of a request header (case-insensitive name), or NULL. */
  const char* (*request_header)(const sc_http_request* request, const char* name);

  /* Records why the current callback fails and returns `code`, so a callback can end
   * with `return host->fail(h, SC_UNAVAILABLE, "shop answered 503");`. The message goes
   * to the log, the connector's health and any dead letter. */
  sc_status (*fail)(sc_host* host, sc_status code, const char* message);

  /* Nonzero once the host wants the connector to stop (shutdown, pause, failed):
   * session_run() returns; a poll() or deliver() that reads many pages asks between
   * pages and returns a retryable code with its checkpoint at the last page applied. */
  int (*stopping)(sc_host* host);

  /* The engine's clock in ms since the Unix epoch (UTC). Use it rather than the system
   * clock, so tests can move time. */
  int64_t (*now_ms)(sc_host* host);

  /* Queues an outbound item for this connector itself (e.g. a status to push back
   * after a webhook). NULL/"" key: derived from kind and payload. */
  sc_status (*enqueue_outbound)(sc_host* host, const char* kind, const char* payload, size_t payload_size,
                                const char* idempotency_key);

  /* All or nothing: every record this connector emits between batch_begin() and
   * batch_end() is applied in one transaction, committed at batch_end(h, 1). The host
   * applies them as they arrive (memory stays bounded; emit may wait while it catches
   * up) and the open transaction holds the database, so between begin and end only emit
   * and log, and do not keep a batch open waiting for the network. If any record is
   * refused none is applied, nothing is dead-lettered, and batch_end returns that
   * record's code with the reason (given to fail(): read it from your log or answer it
   * upstream, e.g. 1C's "failure\n<reason>"). batch_end(h, 0) discards the records. A
   * batch may span several callbacks (1C imports a file over several requests). Save
   * the checkpoint after batch_end. SC_FAILED_PRECONDITION for a nested begin or an end
   * without a begin. */
  sc_status (*batch_begin)(sc_host* host);
  sc_status (*batch_end)(sc_host* host, int commit);

  /* ---- since ABI 1.1 (check with SC_HAS_FIELD(host, sc_host_api, changes_read)) ---- */

  /* Reads what changed in salescore so the connector can send it out (1C's mode=query,
   * order statuses pushed to a shop): the current state of every record of `entity`
   * ("order", "client" or "product") changed by an event after `after_seq`, except
   * changes this connector made itself (so what it imported is not echoed back), read
   * with the connector's access. Each record is passed once, ordered by its latest
   * change, at most `limit` of them (0: 1000), as
   *   {"seq": <its latest change>, "entity": "order", "record": {...fields...}}
   * and an order also carries "client": {...} and "products": {"<sku>": {"id",
   * "source", "external_id"}} for its lines. *next_seq is set to the seq to pass next
   * time: save it as the checkpoint once the peer confirmed it has the records. A
   * visitor returning nonzero stops the read; *next_seq then covers only what it saw. */
  sc_status (*changes_read)(sc_host* host, const char* entity, int64_t after_seq, size_t limit,
                            sc_record_visitor visit, void* ctx, int64_t* next_seq);

  /* The reason of this connector's latest error: a batch refused by batch_end, a record
   * dead-lettered, a failed callback. Copies up to `capacity` bytes (NUL-terminated when
   * there is room) and returns the full length; 0 when there was none. Lets a route
   * answer its peer with the reason, as 1C's "failure\n<reason>". */
  size_t (*last_error)(sc_host* host, char* buffer, size_t capacity);

  /* Checks an inbound webhook's HMAC-SHA256 signature, so every connector does it the
   * same safe way: `signature` (hex, "sha256=" prefix allowed) must equal the HMAC with
   * `secret` over "<timestamp>.<body>" when `timestamp` (Unix seconds) is given, else over
   * the body alone; compared in constant time. With a timestamp, one further than
   * `window_s` seconds from the engine's clock is refused (a replayed request).
   * SC_OK, or SC_UNAUTHENTICATED with the reason (bad or missing signature, stale
   * timestamp) given to fail(): return it from the route for a 401. */
  sc_status (*verify_webhook)(sc_host* host, const char* secret, const char* signature, const char* timestamp,
                              const uint8_t* body, size_t body_size, int64_t window_s);

  /* ---- since ABI 1.2 (check with SC_HAS_FIELD(host, sc_host_api, emit_products)) ---- */

  /* Hands over catalog products inside a batch, as product records with SC_KEY_STATE
   * would be (the same checks, events and refusals; a refused one fails the batch and
   * is named by batch_end), but as fields: a 1C catalog spent as much time writing and
   * reading the records' JSON as reading its XML. Only between batch_begin and
   * batch_end (SC_FAILED_PRECONDITION otherwise: a product refused outside a batch
   * would need a JSON record for its dead letter). */
  sc_status (*emit_products)(sc_host* host, const sc_product* products, size_t count);

  /* ---- since ABI 1.3 (check with SC_HAS_FIELD(host, sc_host_api, note_sent)) ---- */

  /* batch_begin, except that a record refused for what it says (a dead-letter code: a
   * bad field, an unknown client) does not lose the batch: its writes are undone, it
   * becomes a dead letter with its reason in the batch's transaction, and the others go
   * on. For a peer that sends a whole file again until it is taken (1C): one bad record
   * must not hold back the rest for ever. A retryable failure (the database), a refused
   * catalog product (emit_products, or a product record keyed SC_KEY_STATE) and
   * batch_end(h, 0) still lose the whole batch, its dead letters too. */
  sc_status (*batch_begin_keeping)(sc_host* host);
  /* batch_end, telling how many records of the batch were dead-lettered when it
   * committed (`dead_letters` may be NULL; 0 for a batch that was not applied). */
  sc_status (*batch_end_counted)(sc_host* host, int commit, int64_t* dead_letters);
  /* The connector sent salescore's `entity` record `id` to its system as `external_id`
   * (1C's mode=query sends order 42 as "SC-42"). Only under an id noted so may the
   * connector's records change salescore's own orders: a document 1C sends back under
   * "SC-42" updates order 42, while one whose id merely equals a number of ours ("42")
   * is taken for one of 1C's own. Noting the same id again changes nothing. */
  sc_status (*note_sent)(sc_host* host, const char* entity, int64_t id, const char* external_id);

  /* ---- since 1.4 ---- */
  /* What a long piece of work has come to, in a few words ("first sync of INBOX: 500 of
   * 10000 letters"), shown as the reason of its "running" state by `salescore plugins
   * list`; NULL or "" when it is done. Any thread; the host writes it down at most once
   * per scheduler step. The host masks secret config values in it. */
  sc_status (*report_progress)(sc_host* host, const char* text);

  /* ---- since 1.5 ---- */
  /* Only inside create(): this instance receives the event types of `prefixes`
   * (NULL-terminated, by prefix as sc_connector_v1.subscriptions) instead of all those its
   * table declares, so a connector whose configuration names what it sends (the webhooks
   * connector's `events`) gets no outbox item for any other event. Each prefix must fall
   * within one the table declares (SC_INVALID_ARGUMENT otherwise: an instance narrows,
   * never widens); an empty list receives no event (enqueue_outbound items still arrive).
   * The events it does not receive are passed over, as those outside the table's list:
   * a later configuration that receives them hears of them from then on.
   * SC_FAILED_PRECONDITION outside create(). */
  sc_status (*subscribe)(sc_host* host, const char* const* prefixes);
} sc_host_api;

/* ---- the connector --------------------------------------------------------------- */

typedef struct sc_connector_v1 {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;

  const char* name;        /* [a-z0-9_]+: the config section is [connector.<name>] */
  const char* version;     /* the connector's own version, "1.0.0" */
  const char* description; /* one line for `plugins list` */
  uint32_t capabilities;   /* SC_CAP_* */

  const sc_config_option* config;
  size_t config_count;
  size_t config_option_size; /* sizeof(sc_config_option) as the connector was built */

  /* SC_CAP_DELIVER: event types to receive from the event log as outbox items, by
   * prefix ("order." gets order.created and order.updated). NULL-terminated; NULL
   * for none (actions queued with enqueue_outbound still arrive). */
  const char* const* subscriptions;

  /* SC_CAP_POLL: the default interval; the config key poll_interval_ms overrides it. */
  uint32_t poll_interval_ms;

  /* Makes an instance with the validated config (read it through config_get) and
   * registers its routes. Non-OK refuses the instance: say why with fail(). */
  sc_status (*create)(sc_host* host, void** self);
  /* Frees the instance; no other callback runs during or after it. */
  void (*destroy)(void* self);

  /* SC_CAP_POLL: fetch what changed since the checkpoint, emit it, save the new
   * checkpoint, return. Called on the host's scheduler thread. */
  sc_status (*poll)(void* self);

  /* SC_CAP_SESSION: connect and serve a long-lived session until stopping() is
   * nonzero or the connection is lost. Return SC_OK when asked to stop, a retryable
   * code to be reconnected after a backoff, a dead-letter code (bad credentials) to
   * stop until an operator resumes the connector. Runs on its own thread. */
  sc_status (*session_run)(void* self);
  /* SC_CAP_SESSION: called from another thread to make session_run() return soon
   * (close the socket, signal a condition). May be NULL if the session polls stopping(). */
  void (*session_stop)(void* self);

  /* SC_CAP_DELIVER: deliver one outbox item. SC_OK removes it; a retryable code
   * retries it with backoff (the same idempotency key); any other code dead-letters
   * it. Called on the host's scheduler thread, one item at a time, oldest first. */
  sc_status (*deliver)(void* self, const sc_outbound* item);
} sc_connector_v1;

/* The connector's half of the handshake: refuses a host of another major, then copies
 * `mine` into the host's table without writing past the size the host gave. Use it as
 * the whole body of salescore_connector_entry:
 *
 *     static const sc_host_api* g_host;
 *     SC_EXPORT int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out) {
 *       g_host = host;
 *       return sc_connector_export(host, out, &k_connector);
 *     }
 */
static inline int sc_connector_export(const sc_host_api* host, sc_connector_v1* out, const sc_connector_v1* mine) {
  size_t n;
  if (host == NULL || out == NULL || mine == NULL) return SC_INVALID_ARGUMENT;
  if (host->abi_major != SC_ABI_MAJOR) return SC_FAILED_PRECONDITION;
  n = out->struct_size < mine->struct_size ? out->struct_size : mine->struct_size;
  memcpy(out, mine, n);
  out->struct_size = (uint32_t)n;
  return SC_OK;
}

/* The entry point every connector exports. */
SC_EXPORT int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out);

typedef int (*sc_connector_entry_fn)(const sc_host_api* host, sc_connector_v1* out);

#ifdef __cplusplus
}
#endif

#endif /* SALESCORE_PLUGIN_API_H */
