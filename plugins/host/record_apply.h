// How a normalized record from a connector becomes an engine change.
//
// A record is (entity, source, external_id, JSON fields). The JSON is mapped onto the
// engine's upsert for the entity, acting as the integration user: fields present in the
// JSON replace what salescore has (null clears), fields left out keep it, so a webhook
// carrying only an order's status does not wipe its lines. The field names are those of
// the engine's records (docs/writing-a-connector.md lists them):
//
//   client       name legal_form inn kpp phones[] emails[] addresses[{kind,text}]
//                price_type payment_terms shipping_terms tier notes custom{} owner assistant
//   product      sku (default: external_id) name unit prices{type: "12.50" | {amount,currency}}
//                stock active group properties{}
//   order        number status currency ordered_at client lines[{sku,name,quantity,price,discount}]
//                owner custom{} (merged: a key with "" removes it). The external id names an
//                order of the record's source, or one of salescore's that the connector was
//                sent under that id (ConnectorService::note_sent: only its status and custom
//                change); any other id is a new order, refused (kNotFound) without client
//                and lines. Salescore's own ids ("id") are refused: a number that equals one
//                of ours does not make the order ours. "version" (an integer, monotonic at
//                the source: a shop's modified time in ms): a record older than the newest
//                applied is skipped (the host keeps the newest per source and external id,
//                ConnectorIngestService::record_version, out of reach of edits). "unknown_sku":
//                keep | refuse (kNotFound naming the SKU) | stub (a product of the source).
//   product_catalog  present[]: the external ids of every product of this source; its
//                other active products are deactivated (a full catalog file)
//   interaction  kind direction occurred_at duration_s subject body client user
//                caller callee manager ring_s disposition hangup_cause recording
//                pbx_call_id rang_not_answered (a call's facts, model.h CallFacts)
//                An e-mail adds email{message_id in_reply_to references[] automated sender_name}
//                and goes through core's e-mail rules (host/email_record.h, salescore/emails.h)
//
// `client` is a reference: {"external_id": "..", "source": ".."} (source defaults to
// the record's), {"id": 42}, {"inn": "..", "kpp": ".."}, {"phone": ".."}, {"email": ".."},
// several of these (tried in that order, the first that finds a client wins), or a plain
// string meaning the external id. A client record new to its source updates the client
// salescore has with its INN (and KPP), else the only one with one of its phones, else
// with one of its e-mails, instead of creating another. `owner`, `assistant` and `user` are logins.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "host/json_fields.h"
#include "salescore/engine.h"

namespace salescore::plugins {

struct NormalizedRecord {
  std::string entity;
  std::string source;
  std::string external_id;
  std::string json;
  std::string idempotency_key;  // empty: derived by idempotency_key_of()
};

// "sha256:<hex>" of the parts, separated so that ("ab","c") and ("a","bc") differ.
std::string content_key(std::initializer_list<std::string_view> parts);

// The key under which the inbox remembers a delivery: the connector's own key when it
// gave one, else "content:sha256:<hex>" of entity, source, external_id and JSON, so the
// same record delivered twice is applied once while a changed record is applied again,
// and so is a record back at a state it had before (is_content_key: InboxClaim::kLatest).
std::string idempotency_key_of(const NormalizedRecord& record);
// True for the keys idempotency_key_of derives ("content:" is reserved for them).
bool is_content_key(std::string_view key);

struct AppliedRecord {
  std::string entity;
  Id id = 0;
  WriteOutcome outcome = WriteOutcome::kUnchanged;
};

// Maps and applies one record. Joins the caller's Engine::batch when one is open. An
// unknown entity, malformed JSON or a field the engine refuses is kInvalidArgument
// naming the field; a reference to a client that does not exist is kNotFound.
Result<AppliedRecord> apply_record(Engine& engine, const Actor& actor, const NormalizedRecord& record);
// The same for a record whose JSON was parsed already: `fields` is what
// JsonFields::parse(record.json) gave, on the connector's thread (streaming_batch.h),
// so the engine's thread does not spend its time on it (a full 1C catalog's list of
// present products is 4 MB of JSON).
Result<AppliedRecord> apply_record(Engine& engine, const Actor& actor, const NormalizedRecord& record,
                                   Result<JsonFields> fields);

// A product record as an entry of ProductService::import_catalog (the batch path of a
// catalog import, streaming_batch.h): the same fields and the same refusals as
// apply_record, read without touching the engine, so it can run on the connector's
// thread while the engine applies the previous chunk.
Result<CatalogItem> catalog_item_of(const Engine& engine, const NormalizedRecord& record);

}  // namespace salescore::plugins
