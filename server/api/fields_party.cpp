// The people and parties of the API: users, clients, contacts, the catalog. Each table
// is the record as the server writes it (record_fields.h) and what write routes pick
// their request fields from.
#include "api/api_fields.h"
#include "salescore/model.h"

namespace salescore::cli {

using namespace field;  // NOLINT: the tables read as a list of builders

void add_party_schemas(std::map<std::string, Fields>& out) {
  out["User"] = {
      record_id(),
      text("login", "Login name, unique").eg("\"ivanov.ap\""),
      text("name", "Full name").eg("\"Иванов Алексей Петрович\""),
      choice("role", parse_role, "What the user may do (docs/rules.md)"),
      id("manager_id", "An assistant's manager"),
      id("head_id", "A manager's head of department"),
      boolean("active", "False once deactivated: no login, no new work"),
      created_at(),
  };
  out["Absence"] = {
      record_id(),
      key("user_id", "Who is away (the caller when not given)"),
      key("deputy_id", "Who stands in: gets the absent user's new work"),
      instant("starts_at", "When the absence starts"),
      instant("ends_at", "When it ends"),
      choice("reason", parse_absence_reason, "Why"),
      text("note", "Free note"),
      boolean("cancelled", "Withdrawn or ended early"),
      created_at(),
  };
  out["Client"] = {
      record_id(),
      text("name", "The client's name").eg("\"ООО «Ромашка»\""),
      text("legal_form", "ООО, ИП, АО, ...").eg("\"ООО\""),
      text("inn", "Taxpayer number (10 or 12 digits)").eg("\"7701234567\""),
      text("kpp", "Tax registration reason code").eg("\"770101001\""),
      objects("addresses", {text("kind", "legal, delivery, ...").eg("\"delivery\""), text("text", "The address")},
              "Addresses by kind"),
      texts("phones", "Phone numbers, normalised to E.164 when they parse").eg("[\"+74951234567\"]"),
      texts("emails", "E-mail addresses").eg("[\"zakupki@romashka.ru\"]"),
      text("price_type", "The price list the client buys at (a key of a product's prices)").eg("\"wholesale\""),
      text("payment_terms", "Agreed payment terms").eg("\"prepayment\""),
      text("shipping_terms", "Agreed shipping terms").eg("\"pickup\""),
      choice("tier", parse_tier, "How important the client is"),
      id("owner_id", "The manager who owns the client"),
      id("assistant_id", "The assistant who works the client with the owner"),
      text("notes", "Free notes"),
      text_map("custom", "Custom fields configured for clients").eg("{\"region\": \"Москва\"}"),
      source(),
      external_id(),
      created_at(),
      updated_at(),
      text("segment", "Read-only: the segment the rules last put the client in (new, hot, warm, cooling, "
                      "sleeping); null until first classified").eg("\"hot\"").or_null(),
  };
  out["ClientSegment"] = {
      key("client_id", "The client"),
      choice("segment", {"new", "hot", "warm", "cooling", "sleeping"}, "The segment the rules put it in"),
      instant("last_order_at", "Its last order (not cancelled)").or_null(),
      instant("since", "In this segment since").or_null(),
      instant("next_change_at", "When time alone moves it on; null for sleeping").or_null(),
  };
  out["RepRoute"] = {
      key("rep_id", "The rep"),
      integer("weekday", "1 Monday .. 7 Sunday").range(1, 7).eg("1"),
      ids("outlet_ids", "The outlets (clients) in visiting order").eg("[12, 7]"),
  };
  out["OutletChannel"] = {
      key("outlet_id", "The outlet (a client)"),
      text("channel", "Its channel").eg("\"supermarket\""),
  };
  out["MustHave"] = {
      text("channel", "The channel").eg("\"supermarket\""),
      texts("skus", "The SKUs every outlet of it should carry").eg("[\"SUGAR-50\"]"),
  };
  // A create or change answers the client and the clients it may duplicate.
  std::vector<FieldSpec> saved = out["Client"].specs();
  saved.push_back(ids("possible_duplicates", "Other clients sharing a phone, an e-mail or the INN").eg("[17]"));
  out["ClientSaved"] = Fields(saved);
  out["Contact"] = {
      record_id(),
      key("client_id", "The client the person works for"),
      text("name", "Full name").eg("\"Петрова Анна\""),
      text("role", "What the person does for the client").eg("\"закупки\""),
      texts("phones", "Phone numbers"),
      texts("emails", "E-mail addresses"),
      text("notes", "Free notes"),
      created_at(),
      updated_at(),
  };
  out["Product"] = {
      record_id(),
      text("sku", "The product's key, set on create and never changed").eg("\"A-100\""),
      text("name", "Name").eg("\"Краска белая 10 л\""),
      text("unit", "Unit of measure").eg("\"шт\""),
      object_map("prices",
                 {amount("amount", "The price"), text("currency", "ISO 4217 code").eg("\"RUB\"")},
                 "Prices by price type (a client's price_type)")
          .eg("{\"wholesale\": {\"amount\": \"120.00\", \"currency\": \"RUB\"}}"),
      quantity("stock", "Quantity in stock"),
      boolean("active", "False: no longer sold"),
      text("group", "Product group").eg("\"Краски\""),
      text_map("properties", "Properties from the catalog").eg("{\"color\": \"white\"}"),
      source(),
      external_id(),
      created_at(),
      updated_at(),
  };
}

}  // namespace salescore::cli
