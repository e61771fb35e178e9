// Rows of clients, their contacts, and the contact points (phones, e-mails) of both.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {

Result<Id> insert_client(Connection& c, const Client& client);
Status update_client(Connection& c, const Client& client);
Result<std::optional<Client>> load_client(Connection& c, Id id);
Result<std::optional<Id>> client_id_by_source(Connection& c, const std::string& source, const std::string& external_id);
// `phone` and `email` in the query must already be normalized.
// `visible` is an extra SQL condition from the access scope ("" for none).
Result<std::vector<Client>> find_clients(Connection& c, const ClientQuery& q, const std::string& visible = "");
Result<std::int64_t> count_clients(Connection& c, const ClientQuery& q, const std::string& visible = "");
// Other clients sharing a phone, e-mail (their own or their contacts') or INN.
Result<std::vector<Id>> clients_sharing_contact_points(Connection& c, const Client& client);

Result<Id> insert_contact(Connection& c, const Contact& contact);
Status update_contact(Connection& c, const Contact& contact);
Result<std::optional<Contact>> load_contact(Connection& c, Id id);
Result<std::vector<Contact>> contacts_of_client(Connection& c, Id client_id);
// The contacts of `client_id` that have `phone` (normalized), in id order.
Result<std::vector<Id>> contacts_with_phone(Connection& c, Id client_id, const std::string& phone);

// Replaces the phones and e-mails of a client (contact_id 0) or of one of its contacts.
Status replace_contact_points(Connection& c, Id client_id, Id contact_id, const std::vector<std::string>& phones,
                              const std::vector<std::string>& emails);

}  // namespace salescore::store

namespace salescore::store {
// The owner of a client (0 when it has none), or nullopt when the client does not exist.
// Cheaper than load_client where only existence and ownership matter (order ingest).
Result<std::optional<Id>> client_owner(Connection& c, Id client_id);
}  // namespace salescore::store
