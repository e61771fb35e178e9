#include "demo_plan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "demo_requisites.h"

namespace salescore::cli {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;
// Working hours in Moscow, 9:00-19:00, as minutes of the UTC day.
constexpr int kWorkdayStartUtcMin = 6 * 60;
constexpr int kWorkdayEndUtcMin = 16 * 60;

std::string numbered(std::string_view prefix, std::int64_t n, int width = 6) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*s%0*lld", static_cast<int>(prefix.size()), prefix.data(), width,
                static_cast<long long>(n));
  return buf;
}

// A moment `days_ago` days before `today`, at `minute` of the UTC day.
Instant day_at(Instant today, std::int64_t days_ago, std::int64_t minute) {
  return Instant{today.ms - days_ago * kDayMs + minute * 60'000};
}

Instant working_moment(Instant today, std::int64_t days_ago, DemoRandom& random) {
  return day_at(today, days_ago, random.between(kWorkdayStartUtcMin, kWorkdayEndUtcMin - 1));
}

bool is_weekend(Instant t) {
  const std::int64_t days = t.ms >= 0 ? t.ms / kDayMs : (t.ms - kDayMs + 1) / kDayMs;
  const std::int64_t weekday = (days + 4) % 7;  // 1970-01-01 was a Thursday; 0 is Sunday
  return weekday == 0 || weekday == 6;
}

std::string person_login(const std::string& full_name) {
  // "Смирнова Елена Викторовна" -> "smirnova.ev"
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < full_name.size()) {
    std::size_t end = full_name.find(' ', start);
    if (end == std::string::npos) end = full_name.size();
    parts.push_back(full_name.substr(start, end - start));
    start = end + 1;
  }
  std::string login = transliterate(parts.at(0)) + ".";
  for (std::size_t i = 1; i < parts.size(); ++i) login += transliterate(parts[i].substr(0, 2));  // one Cyrillic letter
  return login;
}

const DemoCity& pick_city(DemoRandom& random) {
  const auto& cities = demo_cities();
  std::vector<double> weights;
  for (const auto& c : cities) weights.push_back(c.weight);
  return cities[random.weighted(weights)];
}

// A domain for the company that no other demo client has taken.
std::string claim_domain(const std::string& name, const DemoCity& city, DemoRegistry& registry) {
  const std::string base = transliterate(name);
  for (int attempt = 0;; ++attempt) {
    std::string domain = base;
    if (attempt >= 1) domain += "-" + std::string(city.latin);
    if (attempt >= 2) domain += std::to_string(attempt);
    domain += attempt % 3 == 1 ? ".com" : ".ru";
    if (registry.domains.insert(domain).second) return domain;
  }
}

// Real client bases have namesakes, but not one in three: redraw a taken name a few
// times before accepting it.
std::string claim_company_name(DemoRandom& random, DemoRegistry& registry) {
  std::string name;
  for (int attempt = 0; attempt < 6; ++attempt) {
    name = random_company_name(random);
    if (registry.company_names.insert(name).second) break;
  }
  return name;
}

// Tries `local@domain`, then variants with digits, until the address is new.
std::string claim_email(std::string local, const std::string& domain, DemoRegistry& registry) {
  for (int n = 1;; ++n) {
    std::string email = local + (n == 1 ? "" : std::to_string(n)) + "@" + domain;
    if (registry.emails.insert(email).second) return email;
  }
}

std::string person_email_local(const DemoPerson& p) {
  return transliterate(p.first_name.substr(0, 2)) + "." + transliterate(p.surname);
}

template <std::size_t N>
std::string_view pick(DemoRandom& random, const std::array<std::string_view, N>& items) {
  return items[static_cast<std::size_t>(random.between(0, N - 1))];
}

DemoBuyer plan_buyer(std::uint64_t seed, std::int64_t index, const Client& client) {
  DemoRandom random = DemoRandom::for_item(seed, "buyer", static_cast<std::uint64_t>(index));
  DemoBuyer b;
  b.vip = client.tier == Tier::kVip;
  b.wholesale = client.price_type == "wholesale";
  double weight = client.legal_form == "ИП" ? 0.5 : client.legal_form == "АО" ? 2.5 : 1.0;
  if (b.vip) weight *= 3;
  weight *= 0.3 + 1.4 * random.unit();
  // Recency segments as the sales department sees them: most clients buy every month,
  // some went quiet 3-4 months ago (warm), some over half a year ago (sleeping), some
  // are new, and some never ordered at all.
  const double segment = random.unit();
  if (segment < 0.08) {
    weight = 0;
  } else if (segment < 0.26) {
    b.last_day_ago = static_cast<int>(random.between(185, 320));
    b.first_day_ago = static_cast<int>(random.between(b.last_day_ago + 30, kDemoHistoryDays));
  } else if (segment < 0.38) {
    b.last_day_ago = static_cast<int>(random.between(90, 125));
    b.first_day_ago = static_cast<int>(random.between(b.last_day_ago + 30, kDemoHistoryDays));
  } else if (segment < 0.48) {
    b.first_day_ago = static_cast<int>(random.between(10, 90));
  } else {
    b.first_day_ago = kDemoHistoryDays;
  }
  b.weight = weight;

  // Favourites: a handful of items, popular ones more likely, like any real order book.
  const auto& catalogue = demo_catalogue();
  std::vector<double> popularity;
  for (std::size_t p = 0; p < catalogue.size(); ++p) {
    DemoRandom item = DemoRandom::for_item(seed, "popularity", p);
    popularity.push_back(0.2 + std::pow(item.unit(), 4) * 5);
  }
  const int wanted = static_cast<int>(random.between(6, 25));
  for (int attempt = 0; static_cast<int>(b.favourites.size()) < wanted && attempt < wanted * 10; ++attempt) {
    int p = static_cast<int>(random.weighted(popularity));
    if (std::find(b.favourites.begin(), b.favourites.end(), p) == b.favourites.end()) b.favourites.push_back(p);
  }
  return b;
}

void plan_contacts(DemoClientPlan& plan, const std::string& domain, DemoRandom& random, DemoRegistry& registry) {
  const Client& c = plan.client;
  if (c.legal_form == "ИП") {
    Contact self;
    self.name = c.name;
    self.role = "owner";
    self.phones = c.phones;
    plan.contacts.push_back(std::move(self));
    return;
  }
  static constexpr std::array<std::string_view, 4> kRoles = {"director", "buyer", "accountant", "chief engineer"};
  const int count = static_cast<int>(random.between(1, 3));
  for (int i = 0; i < count; ++i) {
    DemoPerson person = random_person(random);
    Contact contact;
    contact.name = person.full_name();
    contact.role = std::string(i == 0 ? kRoles[0] : kRoles[static_cast<std::size_t>(random.between(1, 3))]);
    contact.phones.push_back(mobile_phone(random));
    if (random.chance(0.8)) contact.emails.push_back(claim_email(person_email_local(person), domain, registry));
    if (random.chance(0.1)) contact.notes = "Предпочитает связь через мессенджер";
    plan.contacts.push_back(std::move(contact));
  }
}

void plan_deals(DemoClientPlan& plan, std::uint64_t index, DemoRandom& random, Instant today) {
  static constexpr std::array<std::string_view, 6> kStages = {"new",         "qualified", "proposal",
                                                              "negotiation", "won",       "lost"};
  static constexpr std::array<double, 6> kStageWeights = {15, 15, 20, 15, 20, 15};
  static constexpr std::array<std::string_view, 5> kKinds = {"поставка на объект", "годовой договор", "тендер",
                                                             "пробная партия", "комплектация склада"};
  // Reason codes of the default pipeline's list ([pipeline] lost_reasons).
  static constexpr std::array<std::string_view, 5> kLostReasons = {"price", "competitor", "no_budget", "no_response",
                                                                   "chose_to_wait"};
  const auto& catalogue = demo_catalogue();
  const int count =
      plan.buyer.weight == 0 ? static_cast<int>(random.between(0, 1)) : static_cast<int>(random.between(0, 3));
  for (int i = 0; i < count; ++i) {
    DemoDeal planned;
    Deal& deal = planned.deal;
    const DemoProduct& product =
        catalogue[static_cast<std::size_t>(random.between(0, static_cast<std::int64_t>(catalogue.size()) - 1))];
    planned.sku = product.sku;
    deal.title = product.category + ": " + std::string(pick(random, kKinds));
    deal.stage = std::string(kStages[random.weighted(kStageWeights)]);
    const std::int64_t thousands = plan.buyer.wholesale ? random.between(100, 3000) : random.between(20, 300);
    deal.expected_amount = Money{thousands * 1000 * 100, ""};
    const bool closed = deal.stage == "won" || deal.stage == "lost";
    deal.expected_close = closed ? day_at(today, random.between(5, 300), 0) : day_at(today, -random.between(7, 90), 0);
    if (deal.stage == "lost") deal.lost_reason = std::string(pick(random, kLostReasons));
    deal.source = std::string(kDemoSource);
    deal.external_id = numbered("deal-", static_cast<std::int64_t>(index) + 1) + "-" + std::to_string(i + 1);
    plan.deals.push_back(std::move(planned));
  }
}

void plan_tasks(DemoClientPlan& plan, DemoRandom& random, Instant today) {
  static constexpr std::array<std::string_view, 5> kManagerTasks = {
      "Позвонить: уточнить потребность на следующий месяц", "Отправить коммерческое предложение",
      "Согласовать спецификацию к договору", "Напомнить об оплате счёта", "Назначить встречу с закупщиком"};
  static constexpr std::array<std::string_view, 5> kAssistantTasks = {
      "Подготовить проект договора поставки", "Согласовать график отгрузок", "Выставить счёт", "Запросить акт сверки",
      "Оформить претензию по поставке"};
  const bool sleeping = plan.buyer.weight > 0 && plan.buyer.last_day_ago > 180;
  const double r = random.unit();
  const int count = r < 0.4 ? 0 : r < 0.8 ? 1 : 2;
  for (int i = 0; i < count; ++i) {
    DemoTask t;
    t.by_assistant = random.chance(0.35);
    t.task.title = std::string(t.by_assistant ? pick(random, kAssistantTasks) : pick(random, kManagerTasks));
    if (sleeping && !t.by_assistant && i == 0) t.task.title = "Разбудить клиента: звонок с предложением";
    const double s = random.unit();
    if (s < 0.75) {
      t.task.status = TaskStatus::kOpen;  // due within two weeks either way: some already overdue
      t.task.due_at = day_at(today, -random.between(-10, 14), 7 * 60);
    } else if (s < 0.95) {
      t.task.status = TaskStatus::kDone;
      t.task.due_at = day_at(today, random.between(1, 30), 7 * 60);
    } else {
      t.task.status = TaskStatus::kCancelled;
      t.task.due_at = day_at(today, random.between(1, 30), 7 * 60);
    }
    plan.tasks.push_back(std::move(t));
  }
}

void plan_interactions(DemoClientPlan& plan, std::uint64_t index, DemoRandom& random, Instant today) {
  static constexpr std::array<std::string_view, 5> kCallsOut = {"Уточнение потребности", "Согласование цены",
                                                                "Статус отгрузки", "Напоминание об оплате",
                                                                "Предложение по новинкам"};
  static constexpr std::array<std::string_view, 4> kCallsIn = {"Запрос наличия", "Вопрос по счёту", "Заказ по телефону",
                                                               "Претензия по доставке"};
  static constexpr std::array<std::string_view, 5> kEmailsOut = {"Коммерческое предложение", "Счёт на оплату",
                                                                 "Акт сверки за квартал", "Прайс-лист на месяц",
                                                                 "Новинки ассортимента"};
  static constexpr std::array<std::string_view, 4> kEmailsIn = {"Заявка на поставку", "Запрос КП",
                                                                "Реквизиты для договора", "Подписанный договор"};
  static constexpr std::array<std::string_view, 3> kMeetings = {
      "Встреча в офисе клиента", "Переговоры по годовому договору", "Презентация ассортимента"};
  static constexpr std::array<std::string_view, 3> kMessages = {"Уточнение адреса доставки", "Фото накладной",
                                                                "Согласование времени приёмки"};
  const DemoBuyer& b = plan.buyer;
  int count = b.weight == 0          ? static_cast<int>(random.between(1, 3))
              : b.last_day_ago > 180 ? static_cast<int>(random.between(2, 5))
                                     : static_cast<int>(random.between(4, 12));
  if (b.vip) count += count / 2;
  const int first = std::min(kDemoHistoryDays, (b.weight == 0 ? 60 : b.first_day_ago) + 15);
  const int last = b.last_day_ago;
  for (int i = 0; i < count; ++i) {
    DemoInteraction planned;
    Interaction& x = planned.interaction;
    std::int64_t days_ago = random.between(last, std::max(last, first));
    // A sleeping client gets the wake-up call the cadence asks for.
    if (i == 0 && last > 180 && random.chance(0.3)) days_ago = random.between(0, 30);
    x.occurred_at = working_moment(today, days_ago, random);
    const double kind = random.unit();
    if (kind < 0.55) {
      x.kind = InteractionKind::kCall;
      x.direction = random.chance(0.65) ? Direction::kOutbound : Direction::kInbound;
      if (x.direction == Direction::kInbound && random.chance(0.12)) {
        x.subject = "Пропущенный вызов";
      } else {
        x.subject = std::string(x.direction == Direction::kOutbound ? pick(random, kCallsOut) : pick(random, kCallsIn));
        x.duration_s = 20 + static_cast<std::int64_t>(std::pow(random.unit(), 2) * 880);
      }
    } else if (kind < 0.85) {
      x.kind = InteractionKind::kEmail;
      x.direction = random.chance(0.55) ? Direction::kOutbound : Direction::kInbound;
      x.subject = std::string(x.direction == Direction::kOutbound ? pick(random, kEmailsOut) : pick(random, kEmailsIn));
    } else if (kind < 0.95) {
      x.kind = InteractionKind::kMeeting;
      x.subject = std::string(pick(random, kMeetings));
      x.duration_s = random.between(2, 6) * 900;
    } else {
      x.kind = InteractionKind::kMessage;
      x.direction = random.chance(0.5) ? Direction::kOutbound : Direction::kInbound;
      x.subject = std::string(pick(random, kMessages));
    }
    planned.by_assistant = random.chance(0.25);
    if (!plan.contacts.empty())
      planned.contact = static_cast<int>(random.between(0, static_cast<std::int64_t>(plan.contacts.size()) - 1));
    x.source = std::string(kDemoSource);
    x.external_id = numbered("interaction-", static_cast<std::int64_t>(index) + 1) + "-" + std::to_string(i + 1);
    plan.interactions.push_back(std::move(planned));
  }
}

}  // namespace

const std::vector<DemoStaffMember>& demo_staff() {
  static const std::vector<DemoStaffMember> kStaff = [] {
    const std::array<std::string_view, 6> managers = {"Кузнецов Андрей Сергеевич", "Волкова Ирина Олеговна",
                                                      "Морозов Дмитрий Игоревич",  "Лебедева Анна Михайловна",
                                                      "Соколов Павел Андреевич",   "Никитина Марина Юрьевна"};
    const std::array<std::string_view, 6> assistants = {"Зайцева Дарья Алексеевна", "Фролов Кирилл Николаевич",
                                                        "Белова Ксения Павловна",   "Гусев Илья Викторович",
                                                        "Ковалёва Юлия Сергеевна",  "Тарасов Егор Дмитриевич"};
    std::vector<DemoStaffMember> staff;
    staff.push_back({"admin", "Администратор salescore", Role::kAdmin, -1});
    auto person = [](std::string_view name, Role role, int assists) {
      std::string n(name);
      return DemoStaffMember{person_login(n), n, role, assists};
    };
    staff.push_back(person("Орлов Виктор Павлович", Role::kDirector, -1));
    staff.push_back(person("Смирнова Елена Викторовна", Role::kHead, -1));
    for (auto name : managers) staff.push_back(person(name, Role::kManager, -1));
    for (std::size_t i = 0; i < assistants.size(); ++i)
      staff.push_back(person(assistants[i], Role::kAssistant, static_cast<int>(i)));
    return staff;
  }();
  return kStaff;
}

int demo_manager_count() {
  int n = 0;
  for (const auto& m : demo_staff()) n += m.role == Role::kManager;
  return n;
}

DemoClientPlan plan_client(std::uint64_t seed, std::int64_t index, Instant today, DemoRegistry& registry) {
  DemoRandom random = DemoRandom::for_item(seed, "client", static_cast<std::uint64_t>(index));
  DemoClientPlan plan;
  Client& c = plan.client;
  const DemoCity& city = pick_city(random);
  const int tax_office = static_cast<int>(random.between(1, city.tax_offices));
  // Record numbers are a bijection of the index (the multiplier is coprime to 10^5 and
  // 10^6), so no two demo clients share an INN, yet they do not look like a counter.
  const auto record = static_cast<std::uint32_t>(
      (static_cast<std::uint64_t>(index) * 387'137 + seed % 1'000'000 * 104'729 + 271'828) % 1'000'000);

  const double form = random.unit();
  c.legal_form = form < 0.2 ? "ИП" : form < 0.3 ? "АО" : "ООО";
  const bool entrepreneur = c.legal_form == "ИП";
  std::string domain;
  if (entrepreneur) {
    DemoPerson owner = random_person(random);
    c.name = owner.full_name();
    c.inn = person_inn(city.tax_region, tax_office, record);
    c.phones.push_back(mobile_phone(random));
    if (random.chance(0.7)) {
      static constexpr std::array<std::string_view, 4> kMailHosts = {"mail.ru", "yandex.ru", "gmail.com", "bk.ru"};
      domain = std::string(pick(random, kMailHosts));
      c.emails.push_back(claim_email(transliterate(owner.surname) + "." + transliterate(owner.first_name.substr(0, 2)),
                                     domain, registry));
    }
  } else {
    c.name = claim_company_name(random, registry);
    c.inn = company_inn(city.tax_region, tax_office, record % 100'000);
    c.kpp = company_kpp(city.tax_region, tax_office);
    domain = claim_domain(c.name, city, registry);
    c.phones.push_back(landline_phone(city.area_codes[static_cast<std::size_t>(
                                          random.between(0, static_cast<std::int64_t>(city.area_codes.size()) - 1))],
                                      random));
    if (random.chance(0.3)) c.phones.push_back(mobile_phone(random));
    if (random.chance(0.9)) {
      static constexpr std::array<std::string_view, 4> kMailboxes = {"info", "office", "zakaz", "sales"};
      c.emails.push_back(claim_email(std::string(pick(random, kMailboxes)), domain, registry));
    }
  }
  c.addresses.push_back({"legal", random_address(city, random, !entrepreneur)});
  if (random.chance(0.4)) c.addresses.push_back({"shipping", random_address(city, random, false)});

  const double vip_chance = entrepreneur ? 0.01 : c.legal_form == "АО" ? 0.18 : 0.045;
  c.tier = random.chance(vip_chance) ? Tier::kVip : Tier::kRegular;
  const bool vip = c.tier == Tier::kVip;
  c.price_type = vip || c.legal_form == "АО" || (!entrepreneur && random.chance(0.5)) ? "wholesale" : "retail";
  static constexpr std::array<std::string_view, 3> kTerms = {"net 14", "net 30", "net 45"};
  c.payment_terms = entrepreneur && random.chance(0.8) ? "prepay" : vip ? "net 60" : std::string(pick(random, kTerms));
  static constexpr std::array<std::string_view, 3> kShipping = {"pickup", "delivery", "carrier"};
  c.shipping_terms = std::string(pick(random, kShipping));
  c.custom["industry"] = std::string(random_industry(random));
  static constexpr std::array<std::string_view, 4> kNotes = {"Работают через тендерную площадку",
                                                             "Оплата строго по счёту, без отсрочки",
                                                             "Крупный объект на два года", "Документы только в ЭДО"};
  if (random.chance(0.15)) c.notes = std::string(pick(random, kNotes));
  c.source = std::string(kDemoSource);
  c.external_id = numbered("client-", index + 1);

  // Owners: uneven, as real client bases are; the first manager works the VIP clients.
  static constexpr std::array<double, 6> kManagerShares = {1.4, 1.2, 1.0, 1.0, 0.8, 0.6};
  plan.manager = vip && random.chance(0.7) ? 0 : static_cast<int>(random.weighted(kManagerShares));
  plan.manager %= demo_manager_count();

  plan.buyer = plan_buyer(seed, index, c);
  plan_contacts(plan, domain, random, registry);
  plan_deals(plan, static_cast<std::uint64_t>(index), random, today);
  plan_tasks(plan, random, today);
  plan_interactions(plan, static_cast<std::uint64_t>(index), random, today);
  return plan;
}

Product plan_product(std::uint64_t seed, std::size_t index, const std::string& currency) {
  const DemoProduct& item = demo_catalogue().at(index);
  DemoRandom random = DemoRandom::for_item(seed, "product", index);
  Product p;
  p.sku = item.sku;
  p.name = item.name;
  p.unit = item.unit;
  // Wholesale is 13% off retail, rounded to ten kopecks as price lists are.
  const std::int64_t wholesale = (item.retail_minor * 87 / 100 + 5) / 10 * 10;
  p.prices["retail"] = Money{item.retail_minor, currency};
  p.prices["wholesale"] = Money{wholesale, currency};
  p.stock = Quantity::units(random.between(0, 4) == 0 ? 0 : random.between(10, 3000));
  p.source = std::string(kDemoSource);
  p.external_id = item.sku;
  return p;
}

std::vector<DemoOrderSlot> plan_order_slots(std::uint64_t seed, std::int64_t count,
                                            const std::vector<DemoBuyer>& buyers, Instant today) {
  std::vector<DemoOrderSlot> slots;
  if (buyers.empty() || count <= 0) return slots;
  // A client's share of the orders: its weight times the days it buys.
  std::vector<double> cumulative;
  double total = 0;
  for (const DemoBuyer& b : buyers) {
    total += b.weight * (b.first_day_ago - b.last_day_ago + 1);
    cumulative.push_back(total);
  }
  const bool nobody_buys = total <= 0;  // only with a handful of clients: let everyone buy
  slots.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    DemoRandom random = DemoRandom::for_item(seed, "order-slot", static_cast<std::uint64_t>(i));
    std::size_t client = 0;
    if (nobody_buys) {
      client = static_cast<std::size_t>(random.between(0, static_cast<std::int64_t>(buyers.size()) - 1));
    } else {
      const double x = random.unit() * total;
      client = static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
      client = std::min(client, buyers.size() - 1);
    }
    const DemoBuyer& b = buyers[client];
    const int first = nobody_buys ? kDemoHistoryDays : b.first_day_ago;
    const int last = nobody_buys ? 1 : std::max(b.last_day_ago, 0);
    Instant at;
    // Businesses order on weekdays; a few orders still come in on a weekend.
    for (int attempt = 0; attempt < 4; ++attempt) {
      // Nothing is ordered "today" after midnight: the day is 1..first days back.
      at = working_moment(today, random.between(std::max(last, 1), std::max(first, 1)), random);
      if (!is_weekend(at) || random.chance(0.15)) break;
    }
    slots.push_back({at.ms, static_cast<std::uint32_t>(client), static_cast<std::uint32_t>(i)});
  }
  std::sort(slots.begin(), slots.end(), [](const DemoOrderSlot& a, const DemoOrderSlot& b) {
    return a.at_ms != b.at_ms ? a.at_ms < b.at_ms : a.draw < b.draw;
  });
  return slots;
}

Order plan_order(std::uint64_t seed, const DemoOrderSlot& slot, std::int64_t position, const DemoBuyer& buyer,
                 Instant today) {
  DemoRandom random = DemoRandom::for_item(seed, "order", slot.draw);
  const auto& catalogue = demo_catalogue();
  Order o;
  o.number = numbered("ЗК-", position + 1);
  o.ordered_at = Instant{slot.at_ms};
  o.source = std::string(kDemoSource);
  o.external_id = numbered("order-", position + 1);

  const std::int64_t age_days = (today.ms - slot.at_ms) / kDayMs;
  const double s = random.unit();
  if (s < 0.04)
    o.status = OrderStatus::kCancelled;
  else if (age_days < 2)
    o.status = s < 0.5 ? OrderStatus::kNew : OrderStatus::kConfirmed;
  else if (age_days < 7)
    o.status = s < 0.25 ? OrderStatus::kConfirmed : s < 0.7 ? OrderStatus::kShipped : OrderStatus::kDelivered;
  else
    o.status = s < 0.97 ? OrderStatus::kCompleted : OrderStatus::kDelivered;

  static constexpr std::array<double, 5> kLineCounts = {30, 25, 20, 15, 10};
  const int lines = static_cast<int>(random.weighted(kLineCounts)) + 1;
  std::vector<int> chosen;
  for (int attempt = 0; static_cast<int>(chosen.size()) < lines && attempt < lines * 10; ++attempt) {
    int p = !buyer.favourites.empty() && random.chance(0.85)
                ? buyer.favourites[static_cast<std::size_t>(
                      random.between(0, static_cast<std::int64_t>(buyer.favourites.size()) - 1))]
                : static_cast<int>(random.between(0, static_cast<std::int64_t>(catalogue.size()) - 1));
    if (std::find(chosen.begin(), chosen.end(), p) == chosen.end()) chosen.push_back(p);
  }
  for (int p : chosen) {
    const DemoProduct& item = catalogue[static_cast<std::size_t>(p)];
    OrderLine line;
    line.sku = item.sku;
    line.name = item.name;
    line.price_minor = buyer.wholesale ? (item.retail_minor * 87 / 100 + 5) / 10 * 10 : item.retail_minor;
    // Quantity from a budget for the line, rounded the way the unit is sold.
    std::int64_t budget_rub = buyer.wholesale ? random.between(5'000, 120'000) : random.between(1'000, 15'000);
    if (buyer.vip) budget_rub = budget_rub * 3 / 2;
    const double units = static_cast<double>(budget_rub) * 100.0 / static_cast<double>(line.price_minor);
    std::int64_t milli = 0;
    if (item.unit == "m")
      milli = std::max<std::int64_t>(5, std::llround(units / 5) * 5) * 1000;
    else if (item.unit == "kg")
      milli = std::max<std::int64_t>(1, std::llround(units * 2)) * 500;
    else
      milli = std::max<std::int64_t>(1, std::llround(units)) * 1000;
    line.quantity = Quantity{std::min<std::int64_t>(milli, 5'000'000)};
    const std::int64_t amount = line_amount(line.price_minor, line.quantity);
    const int discount_percent = buyer.vip ? 5 : random.chance(0.1) ? 3 : 0;
    line.discount_minor = amount * discount_percent / 100;
    o.lines.push_back(std::move(line));
  }
  return o;
}

}  // namespace salescore::cli
