// The day-to-day records of the API: interactions, calls, tasks, letters, visits, the
// day's lists and the event log, as the server writes them.
#include "api/api_fields.h"
#include "salescore/model.h"

namespace salescore::cli {

using namespace field;  // NOLINT: the tables read as a list of builders

void add_activity_schemas(std::map<std::string, Fields>& out) {
  out["Interaction"] = {
      record_id(),
      choice("kind", parse_interaction_kind, "What happened"),
      choice("direction", parse_direction, "Who started it"),
      instant("occurred_at", "When; absent in a request: now"),
      integer("duration_s", "How long, in seconds").range(0, 7 * 24 * 3600).eg("120"),
      id("user_id", "Who talked to the client (the caller when not given)"),
      id("client_id", "The client"),
      id("contact_id", "The client's contact person"),
      text("subject", "Subject").eg("\"Счёт на оплату\""),
      text("body", "What was said or written"),
      source(),
      external_id(),
      created_at(),
      // A call's facts as the PBX gave them: written on calls only, refused on other kinds.
      text("caller", "Call: the number that called").eg("\"+74951234567\"").when_set(),
      text("callee", "Call: the number called").eg("\"101\"").when_set(),
      text("manager", "Call: the manager's extension or login on the PBX").when_set(),
      integer("ring_s", "Call: seconds it rang before an answer or the end").range(0, 24 * 3600).when_set(),
      text("disposition", "Call: answered, busy, no_answer or failed (empty: not known)").eg("\"answered\"").when_set(),
      text("hangup_cause", "Call: the PBX's hangup cause").when_set(),
      text("recording", "Call: the recording's file or address").when_set(),
      text("pbx_call_id", "Call: the PBX's id of the call (Asterisk Linkedid)").when_set(),
      text("rang_not_answered", "Call: extensions that rang and did not answer, comma-separated").eg("\"101,103\"")
          .when_set(),
  };
  out["CallPlaced"] = {
      text("phone", "The number the PBX rings after the caller's phone").eg("\"+74951234567\""),
      boolean("queued", "False: this very call was queued already"),
  };
  out["CallRequest"] = {
      id("client_id", "The client to call (its first phone)"),
      id("contact_id", "Or the contact person to call"),
      text("phone", "Or this number"),
  };
  out["Task"] = {
      record_id(),
      text("title", "What to do").eg("\"Позвонить по счёту\""),
      instant("due_at", "When it is due").or_null(),
      id("assignee_id", "Who does it (the caller when not given)"),
      id("client_id", "The client it is about"),
      id("deal_id", "The deal it is about"),
      id("order_id", "The order it is about"),
      id("lead_id", "The lead it is about"),
      choice("status", parse_task_status, "Open or done; done closes it"),
      text("notes", "Free notes"),
      created_at(),
      updated_at(),
      instant("done_at", "When it was done").or_null(),
  };
  out["Letter"] = {
      id("client_id", "The client the letter is to"),
      id("contact_id", "Or the client's contact person"),
      texts("to", "Addresses; absent: the client's or contact's").eg("[\"buyer@example.ru\"]"),
      texts("cc", "Copies"),
      text("subject", "Subject").eg("\"Счёт\""),
      text("text", "Plain text body"),
      text("html", "HTML body"),
      text("in_reply_to", "Message-ID answered"),
      texts("references", "Message-IDs of the thread"),
      id("reply_to",
         "An e-mail interaction on the client's timeline answered: its Message-ID, its thread's References, "
         "\"Re: \" its subject and its sender as the recipient unless given"),
      objects("attachments",
              {text("name", "The file name the client sees").eg("\"Счёт.pdf\""),
               text("content_type", "Its MIME type; absent: application/octet-stream").eg("\"application/pdf\""),
               text("base64", "The file's bytes, base64")},
              "Files attached"),
      text("key", "Idempotency key: the same key queues the letter once"),
  };
  out["LetterQueued"] = {id("outbox_id", "The outbox item; null when the same key was queued already")};
  out["Visit"] = {
      record_id(),
      id("rep_id", "The route rep"),
      id("outlet_id", "The outlet (a client)"),
      boolean("planned", "On the rep's route for the day"),
      instant("checked_in_at", "When the rep checked in"),
      instant("checked_out_at", "When the rep checked out").or_null(),
      text_map("stock", "Stock seen: SKU -> quantity (decimal string)").eg("{\"A-1\": \"3\"}"),
      instant("stock_recorded_at", "When the stock was recorded").or_null(),
      texts("missing_must_have", "Must-have SKUs not seen"),
      id("order_id", "The order taken at the visit"),
      created_at(),
      updated_at(),
  };
  out["Event"] = {
      integer("seq", "The event's place in the log").eg("1042"),
      instant("at", "When"),
      id("actor_id", "Who did it; null for the system"),
      text("type", "What happened").eg("\"deal.stage_changed\""),
      text("entity", "The kind of record").eg("\"deal\""),
      integer("entity_id", "The record's id"),
      any("payload", "The record or its changed fields, as the engine wrote them"),
  };
  out["Seq"] = {integer("seq", "The latest event seq")};
  out["Today"] = {
      key("user_id", "Whose day"),
      objects("items",
              {text("section", "overdue, today or reminder").eg("\"overdue\""),
               text("reason", "Why the task is on the list"), text("client_name", "The client's name"),
               object("task", out["Task"].specs(), "The task")},
              "The day's tasks, overdue first"),
  };
  out["RoutePlan"] = {
      key("rep_id", "The route rep"),
      integer("weekday", "1 Monday .. 7 Sunday").range(1, 7),
      objects("outlets",
              {key("outlet_id", "The outlet (a client)"), text("name", "Its name"),
               text("channel", "Its trade channel"), texts("must_have", "The channel's must-have SKUs")},
              "The outlets in route order"),
  };
  out["SuggestedOrder"] = {
      key("visit_id", "The visit"),
      key("outlet_id", "The outlet"),
      text("price_type", "The outlet's price type"),
      text("currency", "ISO 4217 code"),
      integer("total_minor", "The total in minor units (kopecks)"),
      objects("lines",
              {text("sku", "SKU"), integer("product_id", "The catalog product"), quantity("quantity", "Suggested"),
               quantity("sold", "Sold at the outlet lately"), quantity("stock_seen", "Seen at the visit"),
               boolean("must_have", "On the must-have list"), integer("price_minor", "Price in minor units"),
               integer("amount_minor", "Line sum in minor units")},
              "The suggested lines"),
  };
}

}  // namespace salescore::cli
