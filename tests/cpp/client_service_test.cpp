#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace salescore::testing {
namespace {

using ClientServiceTest = EngineTest;

TEST_F(ClientServiceTest, StoresPhonesInE164AndFindsTheClientByAnyWritingOfThem) {
  Id id = add_client("ООО Ромашка", {"8 (495) 123-45-67"});
  auto stored = engine->clients().get(actor, id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->phones, std::vector<std::string>{"+74951234567"});

  ClientQuery q;
  q.phone = "+7 495 1234567";
  auto found = engine->clients().find(actor, q);
  ASSERT_TRUE(found.ok()) << found.status().to_string();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().id, id);
}

TEST_F(ClientServiceTest, FindsByEmailInnAndCaseInsensitiveNamePrefix) {
  Client c = client_named("ООО Ромашка");
  c.emails = {"Sales@Romashka.RU"};
  c.inn = "7707083893";
  auto added = engine->clients().add(actor, c);
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  add_client("АО Василёк");

  ClientQuery by_email;
  by_email.email = "sales@romashka.ru";
  EXPECT_EQ(engine->clients().find(actor, by_email)->size(), 1u);
  ClientQuery by_inn;
  by_inn.inn = "7707083893";
  EXPECT_EQ(engine->clients().find(actor, by_inn)->size(), 1u);
  ClientQuery by_prefix;
  by_prefix.name_prefix = "ооо ром";
  auto found = engine->clients().find(actor, by_prefix);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().name, "ООО Ромашка");
  EXPECT_EQ(*engine->clients().count(actor, ClientQuery{}), 2);
}

TEST_F(ClientServiceTest, NamesEveryBadFieldAtOnce) {
  Client c;
  c.inn = "7707083894";
  c.phones = {"+7 495 1234567", "not a phone"};
  c.emails = {"broken@"};
  auto r = engine->clients().add(actor, c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  const auto& fields = r.status().fields();
  EXPECT_TRUE(fields.count("name"));
  EXPECT_TRUE(fields.count("inn"));
  EXPECT_TRUE(fields.count("phones[1]"));
  EXPECT_TRUE(fields.count("emails[0]"));
  EXPECT_FALSE(fields.count("phones[0]"));
  EXPECT_EQ(event_count(), 0) << "a refused client must leave no trace";
}

TEST_F(ClientServiceTest, ReportsPossibleDuplicatesOnCreateWithoutRefusing) {
  Id first = add_client("ООО Ромашка", {"+74951234567"});
  Client again = client_named("Ромашка (филиал)");
  again.phones = {"8 495 123 45 67"};
  auto r = engine->clients().add(actor, again);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->possible_duplicates, std::vector<Id>{first});
}

TEST_F(ClientServiceTest, MandatoryFieldsFromTheConfigurationAreAllNamed) {
  Config config;
  ASSERT_TRUE(config.set("mandatory.client", "name, inn, phone|email").is_ok());
  open_engine(config);
  auto r = engine->clients().add(actor, client_named("ООО Ромашка"));
  ASSERT_FALSE(r.ok());
  const auto& fields = r.status().fields();
  EXPECT_TRUE(fields.count("inn"));
  EXPECT_TRUE(fields.count("phone"));
  EXPECT_TRUE(fields.count("email"));
  EXPECT_FALSE(fields.count("name"));
  EXPECT_NE(r.status().message().find("phone or email"), std::string::npos) << r.status().message();
}

TEST_F(ClientServiceTest, AMissingNameIsReportedTogetherWithTheOtherMandatoryFields) {
  Config config;
  ASSERT_TRUE(config.set("mandatory.client", "name, inn").is_ok());
  open_engine(config);
  Client nameless;
  nameless.phones = {"bad phone"};
  auto r = engine->clients().add(actor, nameless);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().fields().count("name"));
  EXPECT_TRUE(r.status().fields().count("inn"));
  EXPECT_TRUE(r.status().fields().count("phones[0]"));
}

TEST_F(ClientServiceTest, UpdateLogsOnlyTheChangedFields) {
  Id id = add_client("ООО Ромашка");
  auto before = event_count();
  ClientPatch patch;
  patch.notes = "звонить после 14:00";
  patch.tier = Tier::kVip;
  auto r = engine->clients().update(actor, id, patch);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->outcome, WriteOutcome::kUpdated);
  auto events = engine->events().since(before);
  ASSERT_EQ(events->size(), 1u);
  const Event& e = events->front();
  EXPECT_EQ(e.type, "client.updated");
  EXPECT_EQ(e.entity_id, id);
  EXPECT_NE(e.payload.find("\"tier\":[\"regular\",\"vip\"]"), std::string::npos) << e.payload;
  EXPECT_EQ(e.payload.find("\"name\""), std::string::npos) << e.payload;
}

TEST_F(ClientServiceTest, AnUpdateThatChangesNothingWritesNothing) {
  Id id = add_client("ООО Ромашка", {"+74951234567"});
  auto before = event_count();
  ClientPatch patch;
  patch.phones = std::vector<std::string>{"8 (495) 123-45-67"};  // the same number
  auto r = engine->clients().update(actor, id, patch);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome, WriteOutcome::kUnchanged);
  EXPECT_EQ(event_count(), before);
}

TEST_F(ClientServiceTest, UpsertBySourceKeyIsIdempotent) {
  Client c = client_named("ООО Ромашка");
  c.source = "1c";
  c.external_id = "bd72d900-55bc";
  c.inn = "7707083893";
  auto first = engine->clients().upsert(actor, c);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(first->outcome, WriteOutcome::kCreated);
  auto events = event_count();
  clock->advance_ms(60'000);
  auto second = engine->clients().upsert(actor, c);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->outcome, WriteOutcome::kUnchanged);
  EXPECT_EQ(second->record.id, first->record.id);
  EXPECT_EQ(event_count(), events) << "the same record applied twice emits no second event";
  c.kpp = "773601001";
  auto third = engine->clients().upsert(actor, c);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->outcome, WriteOutcome::kUpdated);
  EXPECT_EQ(third->record.created_at, first->record.created_at);
  EXPECT_EQ(third->record.updated_at.ms, kStartMs + 60'000);
}

TEST_F(ClientServiceTest, UpsertWithoutItsKeyIsRefused) {
  auto r = engine->clients().upsert(actor, client_named("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().fields().count("source"));
  EXPECT_TRUE(r.status().fields().count("external_id"));
}

TEST_F(ClientServiceTest, UnknownIdIsNotFound) {
  auto r = engine->clients().get(actor, 999);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_NE(r.status().message().find("999"), std::string::npos);
  EXPECT_EQ(engine->clients().update(actor, 999, ClientPatch{}).status().code(), Code::kNotFound);
}

TEST_F(ClientServiceTest, OwnerMustBeAnExistingUser) {
  Client c = client_named("ООО Ромашка");
  c.owner_id = 42;
  auto r = engine->clients().add(actor, c);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().fields().count("owner_id"));
  c.owner_id = add_manager("ivanov");
  EXPECT_TRUE(engine->clients().add(actor, c).ok());
}

TEST_F(ClientServiceTest, KeepsAddressesAndCustomFields) {
  Client c = client_named("ООО Ромашка");
  c.addresses = {{"legal", "117452, Москва, Симферопольский б-р, 78"}};
  c.custom = {{"segment", "HoReCa"}, {"note \"quoted\"", "line\nbreak"}};
  auto r = engine->clients().add(actor, c);
  ASSERT_TRUE(r.ok());
  auto back = engine->clients().get(actor, r->record.id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->addresses, c.addresses);
  EXPECT_EQ(back->custom, c.custom);
}

TEST_F(ClientServiceTest, KeysetPagesWalkEveryClientOnce) {
  for (int i = 0; i < 25; ++i) add_client("Клиент " + std::to_string(i));
  ClientQuery q;
  q.page.limit = 10;
  std::vector<Id> seen;
  while (true) {
    auto page = engine->clients().find(actor, q);
    ASSERT_TRUE(page.ok());
    for (const auto& c : *page) seen.push_back(c.id);
    if (page->size() < 10) break;
    q.page.after_id = page->back().id;
  }
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST_F(ClientServiceTest, ContactsOfAClientAreFoundByTheirPhone) {
  Id client = add_client("ООО Ромашка");
  Contact person;
  person.client_id = client;
  person.name = "Иван Петров";
  person.role = "buyer";
  person.phones = {"+7 916 123-45-67"};
  auto added = engine->contacts().add(actor, person);
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  ClientQuery q;
  q.phone = "89161234567";
  auto found = engine->clients().find(actor, q);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().id, client);
  EXPECT_EQ(engine->contacts().of_client(actor, client)->size(), 1u);
  person.client_id = 777;
  EXPECT_TRUE(engine->contacts().add(actor, person).status().fields().count("client_id"));
}

}  // namespace
}  // namespace salescore::testing
