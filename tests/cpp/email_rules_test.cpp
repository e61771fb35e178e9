// Core's e-mail rules (salescore/emails.h): a letter lands on its client by the thread it
// answers, by the client's company domain (never a free-mail one) or by its subject; the
// same letter from two mailboxes is one; a stranger's request is a lead, automated mail
// never is.
#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "salescore/connectors.h"
#include "salescore/emails.h"

namespace salescore::testing {
namespace {

class EmailRulesTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    anna = add_manager("anna");
    boris = add_manager("boris");
    Client acme = client_named("ООО Акме");
    acme.emails = {"ivan@acme.ru"};
    acme.owner_id = anna;
    acme_id = engine->clients().add(actor, acme)->record.id;
  }

  // A letter of the mailbox owned by `user`; `counterparts` the other side's addresses.
  Interaction letter(const std::string& key, Direction direction, const std::string& subject, Id user) {
    Interaction i;
    i.kind = InteractionKind::kEmail;
    i.direction = direction;
    i.occurred_at = clock->now();
    i.subject = subject;
    i.body = "Добрый день! Нужно 20 коробок.";
    i.user_id = user;
    i.source = "email";
    i.external_id = key;
    return i;
  }

  RecordedEmail record(Interaction i, EmailFacts facts) {
    auto r = record_email(*engine, actor, std::move(i), facts);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : RecordedEmail{};
  }

  static EmailFacts from(const std::string& address, const std::string& message_id) {
    EmailFacts f;
    f.counterparts = {address};
    f.message_id = message_id;
    f.sender_name = "Пётр";
    return f;
  }

  std::size_t leads() {
    LeadQuery q;
    q.page.limit = 100;
    auto found = engine->leads().find(actor, q);
    EXPECT_TRUE(found.ok());
    return found.ok() ? found->size() : 0;
  }

  Id anna = 0, boris = 0, acme_id = 0;
};

TEST(EmailThreadSubject, ReplyAndForwardPrefixesOfTheTradesLanguagesAreDropped) {
  bool prefixed = false;
  EXPECT_EQ(email_thread_subject("Re: Fwd: AW: Заказ  №17", &prefixed), "заказ №17");
  EXPECT_TRUE(prefixed);
  EXPECT_EQ(email_thread_subject("Отв: Ответ: Счёт"), "счёт");
  EXPECT_EQ(email_thread_subject("回复：报价单"), "报价单");
  EXPECT_EQ(email_thread_subject("答复: 转发: 报价单"), "报价单");
  EXPECT_EQ(email_thread_subject("SV: VS: Tilbud"), "tilbud");
  EXPECT_EQ(email_thread_subject("RE[2]: Re(3): Price list"), "price list");
  EXPECT_EQ(email_thread_subject("Re : Devis"), "devis");
  EXPECT_EQ(email_thread_subject("Отг: Оферта"), "оферта");
  EXPECT_EQ(email_thread_subject("Price list", &prefixed), "price list");
  EXPECT_FALSE(prefixed);
  EXPECT_EQ(email_thread_subject("Reorder"), "reorder");  // a word, not a prefix
  EXPECT_EQ(email_domain("Petr@ACME.ru"), "acme.ru");
  EXPECT_EQ(email_domain("nobody"), "");
}

TEST_F(EmailRulesTest, AReplyToALetterWeSentLandsOnThatClientFromAnUnknownAddress) {
  Interaction sent = letter("sc.1#aa", Direction::kOutbound, "Коммерческое предложение", anna);
  sent.client_id = acme_id;
  RecordedEmail out = record(sent, from("ivan@acme.ru", "sc.1@example.com"));
  EmailFacts facts = from("zakupki@partner-acme.com", "r1@partner-acme.com");
  facts.in_reply_to = "sc.1@example.com";
  RecordedEmail reply = record(letter("r1#bb", Direction::kInbound, "Re: Коммерческое предложение", anna), facts);
  EXPECT_EQ(reply.saved.record.client_id, acme_id);
  EXPECT_EQ(reply.thread_id, out.thread_id);
  EXPECT_EQ(out.thread_id, out.saved.record.id);  // the first letter starts its thread
  EXPECT_FALSE(reply.lead_id);
  EXPECT_EQ(leads(), 0u);
}

TEST_F(EmailRulesTest, TheReferencesFindTheThreadWhenInReplyToIsUnknown) {
  Interaction sent = letter("sc.2#aa", Direction::kOutbound, "Счёт", anna);
  sent.client_id = acme_id;
  RecordedEmail out = record(sent, from("ivan@acme.ru", "sc.2@example.com"));
  EmailFacts facts = from("someone@gmail.com", "r2@gmail.com");
  facts.in_reply_to = "lost@elsewhere";
  facts.references = {"sc.2@example.com", "lost@elsewhere"};
  RecordedEmail reply = record(letter("r2#bb", Direction::kInbound, "Счёт", anna), facts);
  EXPECT_EQ(reply.saved.record.client_id, acme_id);
  EXPECT_EQ(reply.thread_id, out.thread_id);
}

TEST_F(EmailRulesTest, ACompanysColleagueIsMatchedByItsDomainAFreeMailSenderNever) {
  RecordedEmail colleague = record(letter("c1#aa", Direction::kInbound, "Заявка", anna), from("Petr@Acme.ru", "c1@acme.ru"));
  EXPECT_EQ(colleague.saved.record.client_id, acme_id);
  EXPECT_FALSE(colleague.lead_id);
  // A client whose e-mail is at gmail.com names no company: another gmail sender is a stranger.
  Client private_buyer = client_named("Частное лицо");
  private_buyer.emails = {"buyer@gmail.com"};
  ASSERT_TRUE(engine->clients().add(actor, private_buyer).ok());
  RecordedEmail stranger = record(letter("g1#aa", Direction::kInbound, "Цена?", anna), from("x@gmail.com", "g1@gmail.com"));
  EXPECT_EQ(stranger.saved.record.client_id, 0);
  EXPECT_TRUE(stranger.lead_id);
}

TEST_F(EmailRulesTest, ADomainTwoClientsShareNamesNeither) {
  Client branch = client_named("Акме, филиал");
  branch.emails = {"office@acme.ru"};
  ASSERT_TRUE(engine->clients().add(actor, branch).ok());
  RecordedEmail r = record(letter("d1#aa", Direction::kInbound, "Вопрос", anna), from("petr@acme.ru", "d1@acme.ru"));
  EXPECT_EQ(r.saved.record.client_id, 0);
}

TEST_F(EmailRulesTest, TheFreeMailListIsTheConfigs) {
  Config config;
  config.free_mail_domains = {"acme.ru"};
  open_engine(config);
  Client acme = client_named("ООО Акме");
  acme.emails = {"ivan@acme.ru"};
  ASSERT_TRUE(engine->clients().add(actor, acme).ok());
  RecordedEmail r = record(letter("f1#aa", Direction::kInbound, "Вопрос", 0), from("petr@acme.ru", "f1@acme.ru"));
  EXPECT_EQ(r.saved.record.client_id, 0);
  ASSERT_TRUE(Config{}.free_mail_domains.size() > 20);
  Config set;
  ASSERT_TRUE(set.set("email.free_mail_domains", "Example.COM, mail.example").is_ok());
  EXPECT_EQ(set.free_mail_domains, (std::vector<std::string>{"example.com", "mail.example"}));
}

TEST_F(EmailRulesTest, AReplyByItsSubjectFromTheSameAddressJoinsTheThreadAndItsClient) {
  Interaction sent = letter("s1#aa", Direction::kOutbound, "Прайс-лист на декабрь", anna);
  sent.client_id = acme_id;
  RecordedEmail out = record(sent, from("anon@yandex.ru", "s1@example.com"));
  RecordedEmail reply = record(letter("s2#bb", Direction::kInbound, "Ответ: Прайс-лист на  декабрь", anna),
                               from("ANON@yandex.ru", "s2@yandex.ru"));
  EXPECT_EQ(reply.thread_id, out.thread_id);
  EXPECT_EQ(reply.saved.record.client_id, acme_id);
  // The same subject from another address is another conversation.
  RecordedEmail other = record(letter("s3#cc", Direction::kInbound, "Re: Прайс-лист на декабрь", anna),
                               from("someone@yandex.ru", "s3@yandex.ru"));
  EXPECT_NE(other.thread_id, out.thread_id);
}

TEST_F(EmailRulesTest, TheSameLetterFromTwoMailboxesIsOneInteractionThatStaysWhoseItWas) {
  RecordedEmail in_anna = record(letter("m1#aa", Direction::kInbound, "Заявка", anna), from("ivan@acme.ru", "m1@acme.ru"));
  Interaction copy = letter("m1#aa", Direction::kInbound, "Заявка", boris);
  copy.client_id = acme_id;
  RecordedEmail in_boris = record(copy, from("ivan@acme.ru", "m1@acme.ru"));
  EXPECT_EQ(in_boris.saved.record.id, in_anna.saved.record.id);
  EXPECT_EQ(in_boris.saved.record.user_id, anna);
  EXPECT_EQ(in_boris.thread_id, in_anna.thread_id);
  InteractionQuery q;
  q.kind = InteractionKind::kEmail;
  EXPECT_EQ(*engine->interactions().count(actor, q), 1);
}

TEST_F(EmailRulesTest, AReplyReadBeforeTheLetterItAnswersJoinsItsThreadWhenTheLetterComes) {
  // Boris's mailbox is read first: Ivan's answer to a letter from Anna's mailbox, and an
  // answer to that answer, before Anna's letter itself.
  EmailFacts answer = from("ivan@acme.ru", "early1@acme.ru");
  answer.in_reply_to = "anna.1@example.com";
  Interaction early = letter("early1#aa", Direction::kInbound, "Re: Отгрузка", boris);
  early.client_id = acme_id;
  RecordedEmail reply = record(early, answer);
  EmailFacts again = from("ivan@acme.ru", "early2@acme.ru");
  again.in_reply_to = "early1@acme.ru";
  Interaction later = letter("early2#aa", Direction::kInbound, "Re: Re: Отгрузка", boris);
  later.client_id = acme_id;
  EXPECT_EQ(record(later, again).thread_id, reply.thread_id);
  Interaction sent = letter("anna.1#aa", Direction::kOutbound, "Отгрузка", anna);
  sent.client_id = acme_id;
  RecordedEmail original = record(sent, from("ivan@acme.ru", "anna.1@example.com"));
  EXPECT_EQ(original.thread_id, original.saved.record.id);
  auto letters = engine->connectors().email_thread_letters(original.thread_id);
  ASSERT_TRUE(letters.ok());
  EXPECT_EQ(letters->size(), 3u);
  auto moved = engine->connectors().email_thread_of(reply.saved.record.id);
  ASSERT_TRUE(moved.ok() && *moved);
  EXPECT_EQ(**moved, original.thread_id);
  // Read again, the letter changes nothing.
  EXPECT_EQ(record(sent, from("ivan@acme.ru", "anna.1@example.com")).thread_id, original.thread_id);
}

TEST_F(EmailRulesTest, AnUnknownSendersEarlyReplyAndItsLeadGetTheClientWhenTheLetterItAnswersComes) {
  // Boris's mailbox is read first: Petr answers, from a private address nobody knows, the
  // offer Anna sent Acme. With no client and no thread yet, his reply is a stranger's
  // request: a lead. His second reply (an answer to his first) threads with it: no lead.
  EmailFacts answer = from("petr.private@gmail.com", "early.p1@gmail.com");
  answer.in_reply_to = "offer.7@example.com";
  RecordedEmail reply = record(letter("early.p1#aa", Direction::kInbound, "Re: Предложение", boris), answer);
  ASSERT_EQ(reply.saved.record.client_id, 0);
  ASSERT_TRUE(reply.lead_id);
  EmailFacts again = from("petr.private@gmail.com", "early.p2@gmail.com");
  again.in_reply_to = "early.p1@gmail.com";
  RecordedEmail second = record(letter("early.p2#aa", Direction::kInbound, "Re: Re: Предложение", boris), again);
  ASSERT_EQ(second.saved.record.client_id, 0);
  // Anna's offer arrives, on Acme's timeline: the replies move onto Acme with its thread.
  Interaction sent = letter("offer.7#aa", Direction::kOutbound, "Предложение", anna);
  sent.client_id = acme_id;
  RecordedEmail offer = record(sent, from("petr.private@gmail.com", "offer.7@example.com"));
  for (Id moved : {reply.saved.record.id, second.saved.record.id}) {
    auto i = engine->interactions().get(actor, moved);
    ASSERT_TRUE(i.ok());
    EXPECT_EQ(i->client_id, acme_id) << moved;
    EXPECT_EQ(**engine->connectors().email_thread_of(moved), offer.thread_id) << moved;
  }
  // The lead is matched to Acme, as one matched on arrival is, and stays open: Petr's
  // request still waits for its answer (assignee and SLA as they were).
  auto lead = engine->leads().get(actor, *reply.lead_id);
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ(lead->client_id, acme_id);
  EXPECT_EQ(lead->status, LeadStatus::kNew);
  EXPECT_NE(lead->assignee_id, 0);
  EXPECT_EQ(leads(), 1u);
  // The offer read again (Anna's Sent folder a second time) changes nothing more.
  EXPECT_EQ(record(sent, from("petr.private@gmail.com", "offer.7@example.com")).thread_id, offer.thread_id);
  EXPECT_EQ(engine->leads().get(actor, *reply.lead_id)->client_id, acme_id);
}

TEST_F(EmailRulesTest, AnEarlyReplysLeadAManagerMatchedOrClosedKeepsWhatTheyChose) {
  EmailFacts answer = from("petr.private@gmail.com", "early.q1@gmail.com");
  answer.in_reply_to = "offer.8@example.com";
  RecordedEmail reply = record(letter("early.q1#aa", Direction::kInbound, "Re: Счёт", boris), answer);
  ASSERT_TRUE(reply.lead_id);
  ASSERT_TRUE(engine->leads().lose(actor, *reply.lead_id, "spam").ok());
  Interaction sent = letter("offer.8#aa", Direction::kOutbound, "Счёт", anna);
  sent.client_id = acme_id;
  record(sent, from("petr.private@gmail.com", "offer.8@example.com"));
  EXPECT_EQ(engine->interactions().get(actor, reply.saved.record.id)->client_id, acme_id);
  auto lead = engine->leads().get(actor, *reply.lead_id);
  EXPECT_EQ(lead->status, LeadStatus::kLost);
  EXPECT_EQ(lead->client_id, 0) << "a closed lead is left as it was closed";
}

TEST_F(EmailRulesTest, AStrangersRequestIsOneLeadOnTheEmailChannelWithItsSla) {
  RecordedEmail first = record(letter("l1#aa", Direction::kInbound, "Нужна цена на 20 коробок", 0),
                               from("new.buyer@gmail.com", "l1@gmail.com"));
  ASSERT_TRUE(first.lead_id);
  auto lead = engine->leads().get(actor, *first.lead_id);
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ(lead->channel, LeadChannel::kEmail);
  EXPECT_EQ(lead->email, "new.buyer@gmail.com");
  EXPECT_EQ(lead->contact_name, "Пётр");
  EXPECT_NE(lead->request.find("20 коробок"), std::string::npos);
  EXPECT_NE(lead->assignee_id, 0);
  EXPECT_EQ(lead->sla_due_at.ms, first.saved.record.occurred_at.ms + engine->config().leads.sla_minutes_for("email") * 60'000LL);
  // Read again (a second mailbox, a restart): no second lead. Another letter: it joins the open lead.
  record(letter("l1#aa", Direction::kInbound, "Нужна цена на 20 коробок", 0), from("new.buyer@gmail.com", "l1@gmail.com"));
  RecordedEmail second = record(letter("l2#bb", Direction::kInbound, "И ещё вопрос", 0),
                                from("new.buyer@gmail.com", "l2@gmail.com"));
  EXPECT_EQ(second.lead_id, first.lead_id);
  EXPECT_EQ(leads(), 1u);
}

TEST_F(EmailRulesTest, AutomatedMailAndLettersWeSentNeverMakeALead) {
  for (const char* why : {"auto-submitted", "bulk", "mailing list", "delivery report"}) {
    EmailFacts facts = from(std::string("robot-") + why[0] + "@gmail.com", std::string("a-") + why);
    facts.automated = why;
    RecordedEmail r = record(letter(std::string("a#") + why, Direction::kInbound, "Out of office", 0), facts);
    EXPECT_FALSE(r.lead_id) << why;
  }
  // Automated mail is never matched by domain either: a bounce from acme.ru's server is no letter from Acme.
  EmailFacts bounce = from("mailer-daemon@acme.ru", "b1@acme.ru");
  bounce.automated = "delivery report";
  EXPECT_EQ(record(letter("b1#aa", Direction::kInbound, "Undelivered", 0), bounce).saved.record.client_id, 0);
  RecordedEmail sent = record(letter("o1#aa", Direction::kOutbound, "Предложение", anna), from("stranger@gmail.com", "o1@x"));
  EXPECT_FALSE(sent.lead_id);
  Interaction empty = letter("e1#aa", Direction::kInbound, "", 0);
  empty.body.clear();  // asks for nothing
  EXPECT_FALSE(record(empty, from("quiet@gmail.com", "e1@x")).lead_id);
  EXPECT_EQ(leads(), 0u);
}

TEST_F(EmailRulesTest, ALetterWithoutItsKeyIsRefusedNamingIt) {
  Interaction i = letter("", Direction::kInbound, "x", 0);
  auto r = record_email(*engine, actor, i, from("a@b.ru", "x@y"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().is_invalid());
  EXPECT_EQ(r.status().fields().count("external_id"), 1u);
}

TEST_F(EmailRulesTest, AVeryLongMessageIdAndSubjectAreFiledAndFoundAgain) {
  const std::string id(3000, 'x');
  const std::string subject(4000, 'y');
  Interaction sent = letter("long#aa", Direction::kOutbound, subject, anna);
  sent.client_id = acme_id;
  RecordedEmail out = record(sent, from("ivan@acme.ru", id));
  EmailFacts facts = from("who@gmail.com", "r@x");
  facts.in_reply_to = id;
  EXPECT_EQ(record(letter("long#bb", Direction::kInbound, "Re: " + subject, anna), facts).thread_id, out.thread_id);
}

TEST_F(EmailRulesTest, AnAnswerByReplyToTakesTheThreadSubjectAndSenderOfTheLetterAnswered) {
  Interaction sent = letter("t1#aa", Direction::kOutbound, "Коммерческое предложение", anna);
  sent.client_id = acme_id;
  record(sent, from("ivan@acme.ru", "sc.t1@example.com"));
  EmailFacts facts = from("ivan@acme.ru", "t2@acme.ru");
  facts.in_reply_to = "sc.t1@example.com";
  RecordedEmail reply = record(letter("t2#bb", Direction::kInbound, "Re: Коммерческое предложение", anna), facts);
  EmailDraft d;
  d.client_id = acme_id;
  d.reply_to = reply.saved.record.id;
  d.text = "Спасибо!";
  ASSERT_TRUE(engine->connectors().send_email(Actor{anna, Role::kManager}, d).ok());
  auto due = engine->connectors().due(kEmailConnector, Instant{kStartMs + 86'400'000}, 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  const std::string& payload = due->front().payload;
  EXPECT_NE(payload.find("\"in_reply_to\":\"t2@acme.ru\""), std::string::npos) << payload;
  EXPECT_NE(payload.find("\"references\":[\"sc.t1@example.com\",\"t2@acme.ru\"]"), std::string::npos) << payload;
  EXPECT_NE(payload.find("\"subject\":\"Re: Коммерческое предложение\""), std::string::npos) << payload;
  EXPECT_NE(payload.find("\"to\":[\"ivan@acme.ru\"]"), std::string::npos) << payload;
  // Only a letter on the same client's timeline can be answered so.
  Client other = client_named("Другой");
  other.owner_id = anna;
  d.client_id = engine->clients().add(actor, other)->record.id;
  auto refused = engine->connectors().send_email(Actor{anna, Role::kManager}, d);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().fields().count("reply_to"), 1u);
}

TEST_F(EmailRulesTest, AnAttachmentMustBeNamedAndBase64) {
  EmailDraft d;
  d.client_id = acme_id;
  d.text = "x";
  d.attachments = {{"", "application/pdf", "JVBERg=="}, {"a.pdf", "application/pdf", "not base64!"}};
  auto refused = engine->connectors().send_email(actor, d);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().fields().count("attachments[0].name"), 1u);
  EXPECT_EQ(refused.status().fields().count("attachments[1].base64"), 1u);
}

}  // namespace
}  // namespace salescore::testing
