// salescore doctor: what in a database a person should look at. Today: the documents
// that migration 15 found typed onto deals with no record behind them (no sent proposal,
// no signed contract, no granted discount) and kept as attested so the deals still pass
// the gates they passed, for a head to review.
#include <iostream>

#include "commands.h"
#include "engine_open.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "doctor",
    .summary = "list what a head should review (documents no record backs)",
    .positionals = "",
    .min_positionals = 0,
    .max_positionals = 0,
    .options = {db_option(), config_option(), set_option()},
    .details =
        "Opens the database (applying pending migrations) and lists, one line each, the\n"
        "deal documents that an older salescore let people type in and that no record\n"
        "backs: migration 15 kept them as attested by an unknown person so the deals keep\n"
        "their stage. Exits 0 either way; the list is for review, not an error.",
};

// "ivanov.ap", or the id when the user is gone.
std::string login_of(Engine& engine, Id user_id) {
  if (user_id == 0) return "nobody";
  auto user = engine.users().get(Actor::system(), user_id);
  return user.ok() ? user->login : "user " + std::to_string(user_id);
}

int run(const Args& args) {
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = false, .must_exist = true}, engine); rc != kExitOk)
    return rc;
  AttestationQuery query;
  query.by_migration_only = true;
  query.page.limit = 500;
  std::int64_t listed = 0;
  while (true) {
    auto page = engine->deals().attestations(Actor::system(), query);
    if (!page.ok()) return fail(kSpec.name, "cannot list the attested documents", page.status());
    for (const DocumentAttestation& a : *page) {
      if (listed++ == 0)
        std::cout << "Deal documents typed in by hand that no record backs (kept as attested by the migration):\n";
      auto deal = engine->deals().get(Actor::system(), a.deal_id);
      if (!deal.ok()) return fail(kSpec.name, "cannot read deal " + std::to_string(a.deal_id), deal.status());
      std::cout << "  deal " << deal->id << " \"" << deal->title << "\" (" << deal->stage << ", owner "
                << login_of(*engine, deal->owner_id) << "): " << a.document << ", kept "
                << format_iso8601(a.attested_at) << "\n";
    }
    if (static_cast<int>(page->size()) < query.page.limit) break;
    query.page.after_id = page->back().id;
  }
  if (listed == 0)
    std::cout << "Deal documents: nothing to review.\n";
  else
    std::cout << listed << " document(s) to review with the deals' owners: each stands for a proposal, contract, "
              << "approval or paper nobody recorded.\n";
  return kExitOk;
}

}  // namespace

const Command& doctor_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
