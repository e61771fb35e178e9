#include <gtest/gtest.h>

#include "sales_fixture.h"

namespace salescore::testing {
namespace {

class PaymentsTest : public SalesTest {
 protected:
  PaymentSchedule schedule(const Order& o, const std::vector<std::pair<std::int64_t, std::int64_t>>& due_and_amount) {
    std::vector<InstallmentPlan> plan;
    for (auto [due, amount] : due_and_amount) plan.push_back({at(due), Money{amount, ""}});
    auto r = engine->payments().set_schedule(actor, o.id, plan);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : PaymentSchedule{};
  }

  Result<Saved<Payment>> pay(const Order& o, std::int64_t amount, PaymentMethod method = PaymentMethod::kBankTransfer) {
    Payment p;
    p.order_id = o.id;
    p.amount = Money{amount, ""};
    p.method = method;
    return engine->payments().record(actor, p);
  }

  // The open tasks the payment rules gave about the order (segment tasks have no order).
  std::vector<Task> order_tasks(const Order& o) {
    std::vector<Task> out;
    for (auto& t : open_tasks_of(anna))
      if (t.order_id == o.id) out.push_back(t);
    return out;
  }

  DueReport run_due() {
    auto r = engine->run_due();
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : DueReport{};
  }

  Installment installment(const Order& o, int number) {
    auto s = engine->payments().schedule(actor, o.id);
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? s->installments.at(number - 1) : Installment{};
  }
};

// ---- schedules ----

TEST_F(PaymentsTest, AScheduleSplitsTheOrderTotalIntoInstallmentsWithTheirTerms) {
  Order o = order_for(anna_client, 100000);
  PaymentSchedule s = schedule(o, {{10 * kDay, 30000}, {30 * kDay, 70000}});
  ASSERT_EQ(s.installments.size(), 2u);
  EXPECT_EQ(s.currency, "RUB");
  EXPECT_EQ(s.installments[0].number, 1);
  EXPECT_EQ(s.installments[0].term_start, at(0)) << "the first term starts when the schedule is made";
  EXPECT_EQ(s.installments[1].term_start, at(10 * kDay)) << "the next one at the previous due date";
  EXPECT_EQ(s.installments[1].amount, (Money{70000, "RUB"}));
  EXPECT_EQ(s.installments[1].status, InstallmentStatus::kOpen);
  EXPECT_EQ(events_of("payment_schedule.set").size(), 1u);
}

TEST_F(PaymentsTest, ABadScheduleIsRefusedNamingEachField) {
  Order o = order_for(anna_client, 100000);
  auto fields = [&](std::vector<InstallmentPlan> plan) {
    auto r = engine->payments().set_schedule(actor, o.id, plan);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    return r.status().fields();
  };
  EXPECT_TRUE(fields({}).count("installments"));
  EXPECT_TRUE(fields({{at(kDay), Money{60000, ""}}, {at(2 * kDay), Money{30000, ""}}}).count("installments"))
      << "60 000 + 30 000 is not the total 100 000";
  auto f = fields({{Instant{}, Money{-5, ""}}, {at(kDay), Money{100005, "EUR"}}});
  EXPECT_TRUE(f.count("installments[0].due_at"));
  EXPECT_TRUE(f.count("installments[0].amount"));
  EXPECT_TRUE(f.count("installments[1].currency"));
  EXPECT_TRUE(fields({{at(5 * kDay), Money{50000, ""}}, {at(5 * kDay), Money{50000, ""}}})
                  .count("installments[1].due_at"))
      << "due dates must strictly increase";
  EXPECT_EQ(engine->payments().set_schedule(actor, 9999, {{at(kDay), Money{1, ""}}}).status().code(), Code::kNotFound);
  EXPECT_EQ(engine->payments().schedule(actor, o.id).status().code(), Code::kNotFound) << "nothing was set";
}

TEST_F(PaymentsTest, ACancelledOrderTakesNoScheduleAndNoPayment) {
  Order o = order_for(anna_client, 100000);
  OrderPatch cancel;
  cancel.status = OrderStatus::kCancelled;
  ASSERT_TRUE(engine->orders().update(actor, o.id, cancel).ok());
  EXPECT_EQ(engine->payments().set_schedule(actor, o.id, {{at(kDay), Money{100000, ""}}}).status().code(),
            Code::kFailedPrecondition);
  EXPECT_TRUE(pay(o, 100).status().fields().count("order_id"));
}

// ---- payments ----

TEST_F(PaymentsTest, PaymentsGoToTheEarliestOpenInstallments) {
  Order o = order_for(anna_client, 100000);
  schedule(o, {{10 * kDay, 30000}, {20 * kDay, 30000}, {30 * kDay, 40000}});
  auto first = pay(o, 40000, PaymentMethod::kCash);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(first->record.client_id, anna_client);
  EXPECT_EQ(first->record.amount.currency, "RUB");
  auto s = engine->payments().schedule(actor, o.id);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->installments[0].paid_minor, 30000);
  EXPECT_EQ(s->installments[0].status, InstallmentStatus::kPaid);
  EXPECT_EQ(s->installments[0].paid_at, at(0));
  EXPECT_EQ(s->installments[1].paid_minor, 10000);
  EXPECT_EQ(s->installments[1].status, InstallmentStatus::kOpen);
  EXPECT_EQ(s->installments[2].paid_minor, 0);

  clock->advance_ms(kDay);
  ASSERT_TRUE(pay(o, 20000, PaymentMethod::kCard).ok());
  EXPECT_EQ(installment(o, 2).status, InstallmentStatus::kPaid);
  EXPECT_EQ(installment(o, 2).paid_at, at(kDay)) << "paid when the payment that completed it came";
  auto paid = events_of("installment.paid");
  ASSERT_EQ(paid.size(), 2u);
  EXPECT_NE(paid[1].payload.find("\"early\":true"), std::string::npos);
  EXPECT_EQ(events_of("payment.received").size(), 2u);
}

TEST_F(PaymentsTest, AnOverpaymentIsRefusedNamingTheAmount) {
  Order o = order_for(anna_client, 100000);
  ASSERT_TRUE(pay(o, 90000).ok()) << "a payment needs no schedule: a prepayment";
  auto over = pay(o, 10001);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(over.status().fields().at("amount"), "exceeds the open balance 100.00");
  EXPECT_TRUE(pay(o, 10000).ok()) << "exactly the balance is fine";
}

TEST_F(PaymentsTest, BadPaymentsAreRefusedNamingEachField) {
  Order o = order_for(anna_client, 100000);
  Payment p;
  p.order_id = o.id;
  p.amount = Money{0, "EUR"};
  p.received_at = at(kHour);
  auto r = engine->payments().record(actor, p);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().fields().count("amount"));
  EXPECT_TRUE(r.status().fields().count("currency"));
  EXPECT_TRUE(r.status().fields().count("received_at")) << "a payment is not received in the future";
  Payment nowhere;
  nowhere.amount = Money{100, ""};
  EXPECT_TRUE(engine->payments().record(actor, nowhere).status().fields().count("order_id"));
  nowhere.order_id = 424242;
  EXPECT_TRUE(engine->payments().record(actor, nowhere).status().fields().count("order_id"));
}

TEST_F(PaymentsTest, APaymentImportedTwiceIsKeptOnce) {
  Order o = order_for(anna_client, 100000);
  Payment p;
  p.order_id = o.id;
  p.amount = Money{60000, ""};
  p.source = "bank";
  p.external_id = "pp-1077";
  p.reference = "п/п 1077";
  auto first = engine->payments().record(actor, p);
  auto second = engine->payments().record(actor, p);
  ASSERT_TRUE(first.ok() && second.ok()) << second.status().to_string();
  EXPECT_EQ(second->outcome, WriteOutcome::kUnchanged);
  EXPECT_EQ(second->record.id, first->record.id);
  PaymentQuery q;
  q.order_id = o.id;
  EXPECT_EQ(engine->payments().find(actor, q)->size(), 1u);
  EXPECT_EQ(engine->payments().record(as(sokolov), p).status().code(), Code::kPermissionDenied)
      << "replaying someone else's import shows nothing";
}

// ---- reminders ----

TEST_F(PaymentsTest, RemindersFireAtMidTermAndTheDayBeforeExactlyOnce) {
  Order o = order_for(anna_client, 100000);
  schedule(o, {{30 * kDay, 100000}});  // term 30 days: mid-term at day 15, the day before at day 29
  clock->set(at(15 * kDay - 1));
  EXPECT_EQ(run_due().installment_reminders, 0);
  clock->set(at(15 * kDay));
  DueReport mid = run_due();
  EXPECT_EQ(mid.installment_reminders, 1);
  auto tasks = order_tasks(o);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].assignee_id, anna) << "the client's manager";
  EXPECT_EQ(tasks[0].client_id, anna_client);
  EXPECT_EQ(tasks[0].due_at, at(30 * kDay));
  EXPECT_NE(tasks[0].title.find("(середина срока)"), std::string::npos) << tasks[0].title;
  auto reminders = events_of("installment.reminder");
  ASSERT_EQ(reminders.size(), 1u);
  EXPECT_NE(reminders[0].payload.find("\"kind\":\"mid\""), std::string::npos);
  EXPECT_NE(reminders[0].payload.find("\"unpaid\":\"1000.00\""), std::string::npos) << reminders[0].payload;
  EXPECT_EQ(run_due().installment_reminders, 0) << "each reminder fires once";

  clock->set(at(29 * kDay - 1));
  EXPECT_EQ(run_due().installment_reminders, 0);
  clock->set(at(29 * kDay));
  EXPECT_EQ(run_due().installment_reminders, 1);
  EXPECT_EQ(order_tasks(o).size(), 2u);
  EXPECT_EQ(run_due().installment_reminders, 0);

  clock->set(at(30 * kDay - 1));
  EXPECT_EQ(run_due().installments_overdue, 0) << "paid by the due instant is on time";
  EXPECT_EQ(installment(o, 1).reminders_sent, (std::vector<std::string>{"mid", "eve"}));
}

TEST_F(PaymentsTest, AnOverdueInstallmentCreatesOneTaskNotAFlood) {
  Order o = order_for(anna_client, 100000);
  schedule(o, {{30 * kDay, 100000}});
  clock->set(at(15 * kDay));
  run_due();
  clock->set(at(30 * kDay));
  DueReport due = run_due();
  EXPECT_EQ(due.installments_overdue, 1);
  EXPECT_EQ(due.installment_reminders, 0) << "the day-before reminder missed its window: not sent late";
  auto tasks = order_tasks(o);
  ASSERT_EQ(tasks.size(), 1u) << "the reminder tasks give way to the overdue one";
  EXPECT_EQ(tasks[0].title.rfind("Просрочено:", 0), 0u) << tasks[0].title;
  EXPECT_EQ(tasks[0].due_at, at(31 * kDay));
  for (int day = 0; day < 40; ++day) {
    clock->advance_ms(kDay);
    DueReport again = run_due();
    ASSERT_EQ(again.installments_overdue + again.installment_reminders, 0) << "day " << day;
  }
  EXPECT_EQ(events_of("installment.overdue").size(), 1u);
  EXPECT_EQ(installment(o, 1).status, InstallmentStatus::kOverdue);
  EXPECT_EQ(installment(o, 1).reminders_sent, (std::vector<std::string>{"mid", "overdue"}));
}

TEST_F(PaymentsTest, AnInstallmentPaidEarlyGetsNoReminders) {
  Order o = order_for(anna_client, 100000);
  schedule(o, {{30 * kDay, 40000}, {60 * kDay, 60000}});
  clock->set(at(3 * kDay));
  ASSERT_TRUE(pay(o, 40000).ok());
  for (int day = 3; day <= 61; ++day) {
    clock->set(at(day * kDay));
    run_due();
  }
  EXPECT_TRUE(installment(o, 1).reminders_sent.empty());
  EXPECT_EQ(installment(o, 1).paid_at, at(3 * kDay));
  EXPECT_EQ(installment(o, 2).reminders_sent, (std::vector<std::string>{"mid", "eve", "overdue"}))
      << "the unpaid second one is reminded as usual";
}

TEST_F(PaymentsTest, PayingCompletesTheRemindersOfThePaidInstallment) {
  Order o = order_for(anna_client, 100000);
  schedule(o, {{30 * kDay, 100000}});
  clock->set(at(15 * kDay));
  run_due();
  ASSERT_EQ(order_tasks(o).size(), 1u);
  ASSERT_TRUE(pay(o, 50000).ok());
  EXPECT_EQ(order_tasks(o).size(), 1u) << "half paid: still to remind";
  ASSERT_TRUE(pay(o, 50000).ok());
  EXPECT_TRUE(order_tasks(o).empty());
  clock->set(at(40 * kDay));
  EXPECT_EQ(run_due().installments_overdue, 0);
}

TEST_F(PaymentsTest, ShortTermsSkipTheRemindersThatDoNotFitInThem) {
  Order two_days = order_for(anna_client, 1000);
  schedule(two_days, {{2 * kDay, 1000}});  // mid-term would fall on the day-before reminder
  Order half_day = order_for(anna_client, 1000);
  schedule(half_day, {{12 * kHour, 1000}});  // shorter than a day: only overdue
  for (std::int64_t t = 0; t <= 3 * kDay; t += kHour) {
    clock->set(at(t));
    run_due();
  }
  EXPECT_EQ(installment(two_days, 1).reminders_sent, (std::vector<std::string>{"eve", "overdue"}));
  EXPECT_EQ(installment(half_day, 1).reminders_sent, (std::vector<std::string>{"overdue"}));
}

TEST_F(PaymentsTest, TheSecondTermRunsFromTheFirstDueDate) {
  Order o = order_for(anna_client, 100000);
  schedule(o, {{10 * kDay, 50000}, {30 * kDay, 50000}});
  ASSERT_TRUE(pay(o, 50000).ok());
  clock->set(at(20 * kDay - 1));
  EXPECT_EQ(run_due().installment_reminders, 0);
  clock->set(at(20 * kDay));  // the middle of [day 10, day 30)
  EXPECT_EQ(run_due().installment_reminders, 1);
  EXPECT_EQ(installment(o, 2).reminders_sent, (std::vector<std::string>{"mid"}));
}

TEST_F(PaymentsTest, ReplacingAScheduleWithdrawsItsRemindersAndKeepsThePayments) {
  Order o = order_for(anna_client, 100000);
  schedule(o, {{10 * kDay, 100000}});
  ASSERT_TRUE(pay(o, 30000).ok());
  clock->set(at(5 * kDay));
  run_due();
  ASSERT_EQ(order_tasks(o).size(), 1u);
  PaymentSchedule again = schedule(o, {{20 * kDay, 30000}, {40 * kDay, 70000}});
  EXPECT_TRUE(order_tasks(o).empty()) << "the old terms no longer hold";
  EXPECT_EQ(again.installments[0].status, InstallmentStatus::kPaid) << "the 30 000 already paid covers the first";
  EXPECT_EQ(again.installments[0].term_start, at(5 * kDay));
  EXPECT_EQ(events_of("payment_schedule.set").size(), 2u);
}

TEST_F(PaymentsTest, ACancelledOrderIsNotRemindedNorOwed) {
  Order o = order_for(anna_client, 100000);
  schedule(o, {{10 * kDay, 100000}});
  OrderPatch cancel;
  cancel.status = OrderStatus::kCancelled;
  ASSERT_TRUE(engine->orders().update(actor, o.id, cancel).ok());
  clock->set(at(20 * kDay));
  DueReport due = run_due();
  EXPECT_EQ(due.installment_reminders + due.installments_overdue, 0);
  EXPECT_TRUE(engine->payments().receivables(actor, {})->empty());
}

// ---- receivables ----

TEST_F(PaymentsTest, OverdueIsAgedInWholeDaysAtTheBucketBoundaries) {
  Order o = order_for(anna_client, 100000);
  schedule(o, {{kDay, 100000}});
  const Instant due = at(kDay);
  auto line_at = [&](std::int64_t offset) {
    ReceivablesQuery q;
    q.at = Instant{due.ms + offset};
    auto r = engine->payments().receivables(actor, q);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    EXPECT_EQ(r->size(), 1u);
    return r->empty() ? ReceivablesLine{} : r->front();
  };
  ReceivablesLine before = line_at(-1);
  EXPECT_EQ(before.receivable_minor, 100000);
  EXPECT_EQ(before.overdue_minor, 0) << "not yet due";
  EXPECT_EQ(line_at(0).aging, (AgingBuckets{100000, 0, 0, 0})) << "overdue from the due instant on";
  EXPECT_EQ(line_at(30 * kDay).aging, (AgingBuckets{100000, 0, 0, 0}));
  EXPECT_EQ(line_at(31 * kDay - 1).aging, (AgingBuckets{100000, 0, 0, 0}));
  EXPECT_EQ(line_at(31 * kDay).aging, (AgingBuckets{0, 100000, 0, 0}));
  EXPECT_EQ(line_at(60 * kDay).aging, (AgingBuckets{0, 100000, 0, 0}));
  EXPECT_EQ(line_at(61 * kDay).aging, (AgingBuckets{0, 0, 100000, 0}));
  EXPECT_EQ(line_at(90 * kDay).aging, (AgingBuckets{0, 0, 100000, 0}));
  EXPECT_EQ(line_at(91 * kDay).aging, (AgingBuckets{0, 0, 0, 100000}));
  EXPECT_EQ(line_at(91 * kDay).overdue_minor, 100000);
  EXPECT_EQ(line_at(91 * kDay).name, "ООО Ромашка");
}

TEST_F(PaymentsTest, ReceivablesAreComputedAtTheInstantAsked) {
  Order o = order_for(anna_client, 100000);
  schedule(o, {{10 * kDay, 40000}, {40 * kDay, 60000}});
  clock->set(at(12 * kDay));
  ASSERT_TRUE(pay(o, 30000).ok());
  auto at_instant = [&](std::int64_t offset) {
    ReceivablesQuery q;
    q.at = at(offset);
    return engine->payments().receivables(actor, q)->front();
  };
  ReceivablesLine before_payment = at_instant(11 * kDay);
  EXPECT_EQ(before_payment.receivable_minor, 100000);
  EXPECT_EQ(before_payment.overdue_minor, 40000);
  ReceivablesLine after_payment = at_instant(12 * kDay);
  EXPECT_EQ(after_payment.receivable_minor, 70000);
  EXPECT_EQ(after_payment.overdue_minor, 10000) << "the payment went to the earliest installment";
  ReceivablesLine now = engine->payments().receivables(actor, {})->front();
  EXPECT_EQ(now.receivable_minor, 70000) << "the clock's now by default";
}

TEST_F(PaymentsTest, ReceivablesPerClientManagerAndDepartmentFollowAccess) {
  Order a1 = order_for(anna_client, 100000);
  Order a2 = order_for(client_of(anna, "ООО Лютик"), 50000);
  Order b = order_for(boris_client, 20000);
  Order s = order_for(sokolov_client, 70000);
  Order eur = order_for(anna_client, 9900, "EUR");
  for (const Order* o : {&a1, &a2, &b, &s, &eur}) schedule(*o, {{kDay, o->total_minor}});
  clock->set(at(2 * kDay));

  ReceivablesQuery by_manager;
  by_manager.by = ReceivablesGrouping::kManager;
  auto mine = engine->payments().receivables(as(anna), by_manager);
  ASSERT_TRUE(mine.ok()) << mine.status().to_string();
  ASSERT_EQ(mine->size(), 2u) << "one line per currency";
  EXPECT_EQ((*mine)[0].key, anna);
  EXPECT_EQ((*mine)[0].currency, "EUR");
  EXPECT_EQ((*mine)[1].receivable_minor, 150000);
  EXPECT_EQ((*mine)[1].overdue_minor, 150000);

  auto clients = engine->payments().receivables(as(anna), {});
  EXPECT_EQ(clients->size(), 3u) << "Ромашка in RUB and EUR, Лютик";

  auto team = engine->payments().receivables(as(orlova), by_manager);
  ASSERT_EQ(team->size(), 3u) << "the head sees Anna's (two currencies) and Boris's";
  EXPECT_EQ(team->back().key, boris);

  ReceivablesQuery by_department;
  by_department.by = ReceivablesGrouping::kDepartment;
  auto departments = engine->payments().receivables(as(director), by_department);
  ASSERT_EQ(departments->size(), 3u);
  EXPECT_EQ((*departments)[0].key, orlova);
  EXPECT_EQ((*departments)[0].currency, "EUR");
  EXPECT_EQ((*departments)[1].receivable_minor, 170000);
  EXPECT_EQ((*departments)[1].name, "orlova");
  EXPECT_EQ((*departments)[2].key, kozlov);
  EXPECT_EQ((*departments)[2].receivable_minor, 70000);

  ReceivablesQuery one_department;
  one_department.head_id = kozlov;
  EXPECT_EQ(engine->payments().receivables(as(director), one_department)->size(), 1u);
  ReceivablesQuery annas;
  annas.owner_id = anna;
  EXPECT_TRUE(engine->payments().receivables(as(kozlov), annas)->empty())
      << "another department's head sees none of Anna's";
  EXPECT_EQ(engine->payments().receivables(as(sveta), {})->size(), 3u) << "the assistant works Anna's clients";
}

TEST_F(PaymentsTest, SchedulesAndPaymentsFollowTheOrdersAccess) {
  Order o = order_for(anna_client, 100000);
  EXPECT_EQ(engine->payments().set_schedule(as(boris), o.id, {{at(kDay), Money{100000, ""}}}).status().code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(engine->payments().set_schedule(as(anna), o.id, {{at(kDay), Money{100000, ""}}}).ok());
  EXPECT_EQ(engine->payments().schedule(as(sokolov), o.id).status().code(), Code::kPermissionDenied);
  Payment p;
  p.order_id = o.id;
  p.amount = Money{100, ""};
  EXPECT_EQ(engine->payments().record(as(boris), p).status().code(), Code::kPermissionDenied);
  auto mine = engine->payments().record(as(anna), p);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->record.recorded_by, anna);
  EXPECT_TRUE(engine->payments().find(as(boris), {})->empty());
  EXPECT_EQ(engine->payments().find(as(orlova), {})->size(), 1u);
  EXPECT_EQ(events_of("access.denied").size(), 3u);
}

// ---- shipments ----

TEST_F(PaymentsTest, AShipmentIsPlannedShippedAndDelivered) {
  Order o = order_for(anna_client, 100000);
  Shipment sh;
  sh.order_id = o.id;
  sh.planned_at = at(2 * kDay);
  auto planned = engine->shipments().add(as(anna), sh);
  ASSERT_TRUE(planned.ok()) << planned.status().to_string();
  EXPECT_EQ(planned->status, ShipmentStatus::kPlanned);
  clock->set(at(2 * kDay + 3 * kHour));
  auto shipped = engine->shipments().ship(as(anna), planned->id);
  ASSERT_TRUE(shipped.ok()) << shipped.status().to_string();
  EXPECT_EQ(shipped->shipped_at, at(2 * kDay + 3 * kHour));
  EXPECT_EQ(engine->shipments().cancel(as(anna), planned->id).status().code(), Code::kFailedPrecondition)
      << "what has left cannot be cancelled";
  clock->set(at(3 * kDay));
  auto delivered = engine->shipments().deliver(as(anna), planned->id);
  ASSERT_TRUE(delivered.ok());
  EXPECT_EQ(delivered->status, ShipmentStatus::kDelivered);
  EXPECT_EQ(delivered->delivered_at, at(3 * kDay));
  EXPECT_EQ(events_of("shipment.created").size(), 1u);
  EXPECT_EQ(events_of("shipment.shipped").size(), 1u);
  EXPECT_EQ(events_of("shipment.delivered").size(), 1u);
  EXPECT_EQ(engine->shipments().of_order(as(anna), o.id)->size(), 1u);
  EXPECT_EQ(engine->shipments().get(as(boris), planned->id).status().code(), Code::kPermissionDenied);
}

TEST_F(PaymentsTest, AShipmentIsReplannedOrCancelledOnlyWhilePlanned) {
  Order o = order_for(anna_client, 100000);
  Shipment sh;
  sh.order_id = o.id;
  sh.planned_at = at(kDay);
  Id id = engine->shipments().add(actor, sh)->id;
  ShipmentPatch later;
  later.planned_at = at(2 * kDay);
  auto moved = engine->shipments().update(actor, id, later);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->outcome, WriteOutcome::kUpdated);
  EXPECT_EQ(moved->record.planned_at, at(2 * kDay));
  auto cancelled = engine->shipments().cancel(actor, id);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->status, ShipmentStatus::kCancelled);
  EXPECT_EQ(engine->shipments().ship(actor, id).status().code(), Code::kFailedPrecondition);
  later.planned_at = at(3 * kDay);
  EXPECT_EQ(engine->shipments().update(actor, id, later).status().code(), Code::kFailedPrecondition);
}

TEST_F(PaymentsTest, BadShipmentsAreRefusedNamingEachField) {
  Order o = order_for(anna_client, 100000);
  Shipment sh;
  sh.order_id = o.id;
  sh.shipped_at = at(kDay);
  sh.delivered_at = at(-kDay);
  auto r = engine->shipments().add(actor, sh);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().fields().count("planned_at"));
  EXPECT_TRUE(r.status().fields().count("shipped_at")) << "not in the future";
  EXPECT_TRUE(r.status().fields().count("delivered_at")) << "not before it left";
  Shipment nowhere;
  nowhere.planned_at = at(kDay);
  EXPECT_TRUE(engine->shipments().add(actor, nowhere).status().fields().count("order_id"));
  // A shipment recorded after the fact takes its status from its moments.
  Shipment past;
  past.order_id = o.id;
  past.planned_at = at(-3 * kDay);
  past.shipped_at = at(-2 * kDay);
  past.delivered_at = at(-kDay);
  auto recorded = engine->shipments().add(actor, past);
  ASSERT_TRUE(recorded.ok()) << recorded.status().to_string();
  EXPECT_EQ(recorded->status, ShipmentStatus::kDelivered);
}

}  // namespace
}  // namespace salescore::testing
