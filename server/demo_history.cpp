#include "demo_history.h"

#include <algorithm>
#include <memory>

#include "demo_plan.h"
#include "demo_random.h"
#include "salescore/clock.h"
#include "salescore/payments.h"
#include "salescore/segments.h"

namespace salescore::cli {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMs = 86'400'000;
constexpr int kMonths = 12;
constexpr int kLeadsPerMonth = 8;     // one in eight is left unanswered: an SLA breach
constexpr int kVisitsPerMonth = 6;
constexpr const char* kRouteChannel = "supermarket";

Status about(const std::string& what, const Status& status) {
  return Status(status.code(), "demo history, " + what + ": " + status.message(), status.fields());
}

// The first instant of the month `back` months before the one holding `t` (UTC).
Instant month_start(Instant t, int back) {
  std::string day = format_iso8601(t).substr(0, 7);  // "2026-11"
  int year = std::stoi(day.substr(0, 4)), month = std::stoi(day.substr(5, 2)) - back;
  while (month < 1) month += 12, --year;
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-01T00:00:00Z", year, month);
  return parse_iso8601(text).value();
}

class HistoryWriter {
 public:
  HistoryWriter(Engine& engine, ManualClock& clock, const DemoOptions& options)
      : e_(engine), clock_(clock), options_(options) {}

  Result<std::vector<DemoTally>> run() {
    SC_RETURN_IF_ERROR(find_staff());
    SC_RETURN_IF_ERROR(set_up_route());
    const Instant first = month_start(options_.today, kMonths - 1);
    for (int m = 0; m < kMonths; ++m) {
      from_ = month_start(options_.today, kMonths - 1 - m);
      const Instant next = m + 1 < kMonths ? month_start(options_.today, kMonths - 2 - m) : options_.today;
      span_ = std::max<std::int64_t>(next.ms - from_.ms, kDayMs);
      month_ = m;
      SC_RETURN_IF_ERROR(e_.batch([&] { return live_month(); }));
    }
    (void)first;
    return std::vector<DemoTally>{leads_, deals_, clients_, orders_, claims_, visits_, absences_};
  }

 private:
  void at(double fraction, std::int64_t plus_ms = 0) {
    clock_.set(Instant{from_.ms + static_cast<std::int64_t>(fraction * static_cast<double>(span_)) + plus_ms});
  }
  Actor as(Id user) { return Actor{user, Role::kManager}; }
  std::string key(const std::string& what, int i) const {
    return what + "-" + std::to_string(month_) + "-" + std::to_string(i);
  }

  Status find_staff() {
    for (const DemoStaffMember& member : demo_staff()) {
      auto user = e_.users().by_login(Actor::system(), member.login);
      if (!user.ok()) return about("user " + member.login, user.status());
      if (member.role == Role::kHead) head_ = user->id;
      if (member.role == Role::kManager) managers_.push_back(user->id);
    }
    if (managers_.size() < 2 || !head_) return Status::failed_precondition("demo history: the demo staff is missing");
    rep_ = managers_.back();
    return Status::ok();
  }

  // The last manager also works a route: two of their clients each weekday, stocked
  // with the channel's must-have SKUs.
  Status set_up_route() {
    ClientQuery q;
    q.owner_id = rep_;
    q.page.limit = 10;
    auto clients = e_.clients().find(Actor::system(), q);
    if (!clients.ok()) return about("route outlets", clients.status());
    for (const Client& c : *clients) outlets_.push_back(c.id);
    if (outlets_.empty()) return Status::failed_precondition("demo history: the route rep has no clients");
    const std::string currency = e_.config().currency;
    for (std::size_t i = 0; i < 3; ++i) skus_.push_back(plan_product(options_.seed, i, currency).sku);
    return e_.batch([&]() -> Status {
      SC_RETURN_IF_ERROR(e_.must_have().set(Actor::system(), kRouteChannel, skus_));
      for (Id outlet : outlets_) SC_RETURN_IF_ERROR(e_.routes().set_channel(Actor::system(), outlet, kRouteChannel));
      for (int weekday = 1; weekday <= 7; ++weekday) {
        std::vector<Id> stops;
        for (std::size_t i = 0; i < outlets_.size(); ++i)
          if (static_cast<int>(i % 5) == (weekday - 1) % 5) stops.push_back(outlets_[i]);
        if (auto set = e_.routes().set(Actor::system(), rep_, weekday, stops); !set.ok())
          return about("route", set.status());
      }
      return Status::ok();
    });
  }

  Status live_month() {
    std::vector<Id> converted;
    SC_RETURN_IF_ERROR(receive_leads(converted));
    SC_RETURN_IF_ERROR(register_claims());
    SC_RETURN_IF_ERROR(work_the_route());
    SC_RETURN_IF_ERROR(record_absence());
    at(0.45);
    for (Id deal : converted) SC_RETURN_IF_ERROR(advance(deal, "qualified"));
    at(0.50);
    SC_RETURN_IF_ERROR(pass_breaches());
    for (std::size_t i = 0; i < converted.size(); ++i) SC_RETURN_IF_ERROR(propose(converted[i], i == 0));
    at(0.62);
    SC_RETURN_IF_ERROR(resolve_claims());
    at(0.65);
    for (Id deal : converted) SC_RETURN_IF_ERROR(advance(deal, "negotiation"));
    at(0.85);
    for (std::size_t i = 0; i < converted.size(); ++i) SC_RETURN_IF_ERROR(close(converted[i], i));
    return quiet_client_returns();
  }

  Status receive_leads(std::vector<Id>& converted) {
    static const LeadChannel kChannels[] = {LeadChannel::kPhone, LeadChannel::kEmail, LeadChannel::kWeb,
                                            LeadChannel::kSocial, LeadChannel::kManual};
    DemoRandom random = DemoRandom::for_item(options_.seed, "history-leads", static_cast<std::uint64_t>(month_));
    for (int k = 0; k < kLeadsPerMonth; ++k) {
      at(0.02 + 0.035 * k);
      Lead lead;
      lead.channel = kChannels[(k + month_) % 5];
      lead.contact_name = "Покупатель " + std::to_string(month_ * kLeadsPerMonth + k + 1);
      lead.company = "ООО «Заявка " + std::to_string(month_ * kLeadsPerMonth + k + 1) + "»";
      lead.phone = "+7495" + std::to_string(7000000 + random.between(0, 999999));
      lead.request = "Нужна смета на " + std::to_string(random.between(20, 400)) + " м² плитки";
      lead.concrete = k % 2 == 0;
      lead.source = std::string(kDemoSource);
      lead.external_id = key("lead", k);
      auto added = e_.leads().add(Actor::system(), lead);
      if (!added.ok()) return about("lead " + lead.external_id, added.status());
      leads_.count(WriteOutcome::kCreated);
      const Lead& got = added->record;
      if (k == kLeadsPerMonth - 1) continue;  // nobody answers it in time
      clock_.advance_ms(2 * kMinuteMs + k * kMinuteMs);
      if (auto touched = e_.leads().touch(as(got.assignee_id), got.id, "call"); !touched.ok())
        return about("lead answer", touched.status());
      if (k < 3) {
        clock_.advance_ms(30 * kMinuteMs);
        auto made = e_.leads().convert(as(got.assignee_id), got.id, "Поставка: " + got.company);
        if (!made.ok()) return about("lead conversion", made.status());
        converted.push_back(made->deal_id);
        if (made->client_created) clients_.count(WriteOutcome::kCreated);
        deals_.count(WriteOutcome::kCreated);
      } else if (k == 3) {
        clock_.advance_ms(kDayMs);
        if (auto lost = e_.leads().lose(as(got.assignee_id), got.id, "no_response"); !lost.ok())
          return about("lead lost", lost.status());
      }
    }
    return Status::ok();
  }

  // run_due records the breaches of the unanswered leads and passes each on; its new
  // assignee answers it.
  Status pass_breaches() {
    if (auto due = e_.run_due(); !due.ok()) return about("run_due", due.status());
    LeadQuery q;
    q.status = LeadStatus::kNew;
    q.page.limit = 100;
    auto waiting = e_.leads().find(Actor::system(), q);
    if (!waiting.ok()) return about("waiting leads", waiting.status());
    for (const Lead& lead : *waiting)
      if (auto touched = e_.leads().touch(as(lead.assignee_id), lead.id, "call"); !touched.ok())
        return about("late answer", touched.status());
    return Status::ok();
  }

  Status advance(Id deal_id, const std::string& stage) {
    DealPatch with;
    if (stage == "qualified") {
      with.expected_amount = Money{(150 + 37 * (deal_id % 17)) * 100'000, ""};
      with.expected_close = std::optional<Instant>(Instant{clock_.now().ms + 30 * kDayMs});
    }
    if (auto moved = e_.deals().advance(Actor::system(), deal_id, stage, with); !moved.ok())
      return about("deal " + std::to_string(deal_id) + " to " + stage, moved.status());
    return Status::ok();
  }

  // A proposal sent at the proposal stage; the first of the month is an individual one
  // with a discount, which the head approves before it goes out.
  Status propose(Id deal_id, bool individual) {
    auto deal = e_.deals().get(Actor::system(), deal_id);
    if (!deal.ok()) return about("deal", deal.status());
    SC_RETURN_IF_ERROR(advance(deal_id, "proposal"));
    Proposal p;
    p.kind = individual ? ProposalKind::kIndividual : ProposalKind::kStandard;
    p.client_id = deal->client_id;
    p.deal_id = deal_id;
    p.currency = deal->expected_amount.currency;
    p.lines.push_back({skus_[deal_id % skus_.size()], 0, "", Quantity::units(1), deal->expected_amount.minor,
                       individual ? 700 : 0, 0});
    p.terms.payment_terms = "prepay";
    const Actor owner = as(deal->owner_id);
    auto drafted = e_.proposals().add(owner, p);
    if (!drafted.ok()) return about("proposal", drafted.status());
    if (individual) {
      auto asked = e_.proposals().request_approval(owner, drafted->record.id, "клиент сравнивает с конкурентом");
      if (!asked.ok()) return about("approval request", asked.status());
      clock_.advance_ms(3 * 60 * kMinuteMs);
      if (auto ok = e_.approvals().approve(Actor{head_, Role::kHead}, asked->id, "согласовано"); !ok.ok())
        return about("approval", ok.status());
    }
    if (auto sent = e_.proposals().send(owner, drafted->record.id); !sent.ok()) return about("proposal sent", sent.status());
    return Status::ok();
  }

  // Two of the month's three deals are won (with a signed contract), one is lost.
  Status close(Id deal_id, std::size_t i) {
    static const char* kReasons[] = {"price", "competitor", "no_budget", "chose_to_wait"};
    if (i == 2) {
      if (auto lost = e_.deals().lose(Actor::system(), deal_id, kReasons[month_ % 4]); !lost.ok())
        return about("deal lost", lost.status());
      return Status::ok();
    }
    auto deal = e_.deals().get(Actor::system(), deal_id);
    if (!deal.ok()) return about("deal", deal.status());
    Contract c;
    c.type = ContractType::kSupply;
    c.client_id = deal->client_id;
    c.deal_id = deal_id;
    c.number = "Д-" + key("deal", static_cast<int>(i));
    c.amount = deal->expected_amount;
    auto drafted = e_.contracts().add(Actor::system(), c);
    if (!drafted.ok()) return about("contract", drafted.status());
    if (auto signed_c = e_.contracts().sign(Actor::system(), drafted->record.id); !signed_c.ok())
      return about("contract signed", signed_c.status());
    clock_.advance_ms(kDayMs);
    return advance(deal_id, "won");
  }

  Status register_claims() {
    static const ClaimKind kKinds[] = {ClaimKind::kQuality, ClaimKind::kDelivery, ClaimKind::kQuantity};
    claims_this_month_.clear();
    for (int i = 0; i < 2; ++i) {
      at(0.30, i * kMinuteMs);
      OrderQuery q;
      q.owner_id = managers_[static_cast<std::size_t>(month_ + i) % managers_.size()];
      q.to = clock_.now();
      q.page.limit = 1;
      auto orders = e_.orders().find(Actor::system(), q);
      if (!orders.ok()) return about("claim order", orders.status());
      if (orders->empty()) continue;
      Claim c;
      c.order_id = orders->front().id;
      c.kind = kKinds[(month_ + i) % 3];
      c.description = i ? "Привезли на день позже" : "Бой плитки в двух коробках";
      auto added = e_.claims().add(Actor::system(), c);
      if (!added.ok()) return about("claim", added.status());
      claims_this_month_.push_back(added->id);
      claims_.count(WriteOutcome::kCreated);
    }
    return Status::ok();
  }

  Status resolve_claims() {
    static const char* kCauses[] = {"упаковка", "перевозчик", "ошибка склада"};
    for (std::size_t i = 0; i < claims_this_month_.size(); ++i) {
      ClaimPatch p;
      p.cause = kCauses[(static_cast<std::size_t>(month_) + i) % 3];
      p.measures = "замена за счёт поставщика";
      p.status = ClaimStatus::kResolved;
      if (auto done = e_.claims().update(Actor::system(), claims_this_month_[i], p); !done.ok())
        return about("claim resolved", done.status());
    }
    return Status::ok();
  }

  // The rep's visits: check-in, the stock seen, the suggested order taken, check-out.
  Status work_the_route() {
    const Actor rep = as(rep_);
    for (int i = 0; i < kVisitsPerMonth; ++i) {
      at(0.32 + 0.012 * i);
      auto plan = e_.routes().plan(rep, rep_, clock_.now());
      if (!plan.ok()) return about("route plan", plan.status());
      const Id outlet = plan->outlet_ids.empty() ? outlets_[static_cast<std::size_t>(i) % outlets_.size()]
                                                 : plan->outlet_ids[static_cast<std::size_t>(i) % plan->outlet_ids.size()];
      auto visit = e_.visits().check_in(rep, rep_, outlet);
      if (!visit.ok()) return about("check-in", visit.status());
      std::map<std::string, Quantity> stock;
      for (std::size_t s = 0; s < skus_.size(); ++s)
        stock[skus_[s]] = Quantity::units(static_cast<std::int64_t>((s + static_cast<std::size_t>(i)) % 3 == 0 ? 0 : 4));
      if (auto seen = e_.visits().record_stock(rep, visit->id, stock); !seen.ok()) return about("stock", seen.status());
      if (i % 6 != 5) {  // most visits end in an order (the 85 % target is near)
        Order order;
        order.client_id = outlet;
        order.owner_id = rep_;
        order.number = "R-" + key("visit", i);
        order.lines.push_back({skus_[static_cast<std::size_t>(i) % skus_.size()], 0, "", Quantity::units(6), 25'000, 0, 0});
        auto placed = e_.orders().add(rep, order);
        if (!placed.ok()) return about("visit order", placed.status());
        orders_.count(WriteOutcome::kCreated);
        if (auto attached = e_.visits().attach_order(rep, visit->id, placed->record.id); !attached.ok())
          return about("visit order", attached.status());
        if (i < 2) SC_RETURN_IF_ERROR(defer_payment(placed->record, i == 0));
      }
      clock_.advance_ms(25 * kMinuteMs);
      if (auto out = e_.visits().check_out(rep, visit->id); !out.ok()) return about("check-out", out.status());
      // The visit as the activity log has it, beside calls and meetings.
      Interaction logged;
      logged.kind = InteractionKind::kVisit;
      logged.occurred_at = clock_.now();
      logged.user_id = rep_;
      logged.client_id = outlet;
      logged.subject = "Визит по маршруту";
      if (auto added = e_.interactions().add(rep, logged); !added.ok()) return about("visit log", added.status());
      visits_.count(WriteOutcome::kCreated);
    }
    return Status::ok();
  }

  // An order paid in two installments: the first paid on time; the second, on a short
  // deferral for one order a month, is never paid, so the month ends with money overdue.
  Status defer_payment(const Order& order, bool left_unpaid) {
    const std::int64_t half = order.total_minor / 2;
    const Instant now = clock_.now();
    std::vector<InstallmentPlan> plan = {
        {Instant{now.ms + 2 * kDayMs}, Money{half, order.currency}},
        {Instant{now.ms + (left_unpaid ? 5 : 20) * kDayMs}, Money{order.total_minor - half, order.currency}}};
    if (auto set = e_.payments().set_schedule(Actor::system(), order.id, plan); !set.ok())
      return about("payment schedule", set.status());
    Payment first;
    first.order_id = order.id;
    first.amount = Money{half, order.currency};
    first.received_at = now;
    first.reference = "п/п " + std::to_string(order.id);
    if (auto paid = e_.payments().record(Actor::system(), first); !paid.ok()) return about("payment", paid.status());
    return Status::ok();
  }

  // A missed call a month (an inbound nobody took), and an order from a client that had
  // gone quiet: it moves between segments.
  Status quiet_client_returns() {
    at(0.90);
    // The month's manager first, then the others, until one has a quiet client.
    SegmentQuery q;
    q.page.limit = 200;
    Id quiet = 0, owner = managers_[static_cast<std::size_t>(month_) % managers_.size()];
    for (std::size_t k = 0; k < managers_.size() && !quiet; ++k) {
      q.owner_id = managers_[(static_cast<std::size_t>(month_) + k) % managers_.size()];
      auto segments = e_.segments().find(Actor::system(), q);
      if (!segments.ok()) return about("segments", segments.status());
      for (const ClientSegment& c : *segments)
        if (c.segment == Segment::kSleeping || c.segment == Segment::kCooling) quiet = c.client_id, owner = *q.owner_id;
    }
    Interaction missed;
    missed.kind = InteractionKind::kCall;
    missed.direction = Direction::kInbound;
    missed.occurred_at = clock_.now();
    missed.user_id = owner;
    missed.subject = "Пропущенный звонок";
    if (auto added = e_.interactions().add(Actor::system(), missed); !added.ok()) return about("missed call", added.status());
    if (!quiet) return Status::ok();
    Order order;
    order.client_id = quiet;
    order.owner_id = owner;
    order.number = "W-" + key("return", 0);
    order.lines.push_back({skus_[0], 0, "", Quantity::units(10), 25'000, 0, 0});
    if (auto placed = e_.orders().add(Actor::system(), order); !placed.ok()) return about("win-back order", placed.status());
    orders_.count(WriteOutcome::kCreated);
    return e_.run_due().status();
  }

  Status record_absence() {
    at(0.42);
    Absence a;
    a.user_id = managers_[static_cast<std::size_t>(month_) % (managers_.size() - 1)];
    a.deputy_id = managers_[static_cast<std::size_t>(month_ + 1) % (managers_.size() - 1)];
    a.starts_at = Instant{clock_.now().ms + kDayMs};
    a.ends_at = Instant{a.starts_at.ms + 2 * kDayMs};
    a.reason = month_ % 3 == 0 ? AbsenceReason::kSickness : AbsenceReason::kLeave;
    auto added = e_.absences().add(Actor::system(), a);
    if (!added.ok()) return about("absence", added.status());
    absences_.count(WriteOutcome::kCreated);
    return Status::ok();
  }

  Engine& e_;
  ManualClock& clock_;
  const DemoOptions& options_;
  Id head_ = 0, rep_ = 0;
  std::vector<Id> managers_, outlets_, claims_this_month_;
  std::vector<std::string> skus_;
  Instant from_;
  std::int64_t span_ = 0;
  int month_ = 0;
  DemoTally leads_{"leads"}, deals_{"lead deals"}, clients_{"lead clients"}, orders_{"year orders"}, claims_{"claims"}, visits_{"route visits"}, absences_{"absences"};
};

}  // namespace

Result<std::vector<DemoTally>> write_demo_history(const std::string& url, const Config& config,
                                                  const DemoOptions& options) {
  auto clock = std::make_shared<ManualClock>(options.today);
  EngineOptions eo;
  eo.config = config;
  eo.clock = clock;
  auto engine = Engine::open(url, eo);
  if (!engine.ok()) return engine.status();
  auto leads = (*engine)->leads().count(Actor::system(), LeadQuery{});
  if (!leads.ok()) return leads.status();
  if (*leads > 0) {  // written by an earlier run: the year is there already
    DemoTally seen{"leads"};
    seen.unchanged = *leads;
    return std::vector<DemoTally>{seen};
  }
  HistoryWriter writer(**engine, *clock, options);
  return writer.run();
}

}  // namespace salescore::cli
