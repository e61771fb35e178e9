// salescore user passwd|deactivate|activate LOGIN: the password a person logs in to the
// screens with, and whether they may log in at all (AccountService, as REST and Python).
// The password is read from the terminal without echo (twice), or as the first line of
// standard input when that is not a terminal; it never appears in argv, a log or an event.
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "commands.h"
#include "engine_open.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "user",
    .summary = "set a user's password, deactivate or reactivate a user",
    .positionals = "passwd|deactivate|activate LOGIN",
    .min_positionals = 2,
    .max_positionals = 2,
    .options = {db_option(), config_option(), set_option()},
    .details =
        "passwd LOGIN: asks for the new password twice on the terminal (not echoed), or reads\n"
        "one line from standard input when it is not a terminal:\n"
        "  printf '%s\\n' \"$PASSWORD\" | salescore user passwd petrova.ma --db sqlite:crm.db\n"
        "At least 10 characters. Stored as an Argon2id hash; every session of the user ends.\n"
        "deactivate LOGIN: the user's sessions end and their API tokens stop working;\n"
        "activate LOGIN: lets them in again.",
};

// One line from stdin; echo off while a terminal is reading it.
std::string read_secret_line(const char* prompt) {
  const bool tty = isatty(STDIN_FILENO);
  termios saved{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int run(const Args& args) {
  const std::string& action = args.positionals()[0];
  if (action != "passwd" && action != "deactivate" && action != "activate")
    return usage_error(kSpec.name, "unknown action '" + action + "' (passwd, deactivate or activate)");
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = false, .must_exist = true}, engine); rc != kExitOk)
    return rc;
  auto user = engine->users().by_login(Actor::system(), args.positionals()[1]);
  if (!user.ok()) return fail(kSpec.name, "cannot find the user", user.status());
  if (action != "passwd") {
    auto changed = engine->accounts().set_active(Actor::system(), user->id, action == "activate");
    if (!changed.ok()) return fail(kSpec.name, "cannot " + action + " " + user->login, changed.status());
    std::cerr << user->login << (changed->active ? " is active.\n" : " is deactivated; their sessions have ended.\n");
    return kExitOk;
  }
  const std::string password = read_secret_line("New password: ");
  if (isatty(STDIN_FILENO) && read_secret_line("Again: ") != password)
    return usage_error(kSpec.name, "the two passwords differ: nothing changed");
  Status st = engine->accounts().set_password(Actor::system(), user->id, password);
  if (!st.is_ok()) return fail(kSpec.name, "cannot set the password of " + user->login, st);
  std::cerr << "Password of " << user->login << " set; their sessions have ended.\n";
  return kExitOk;
}

}  // namespace

const Command& user_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
