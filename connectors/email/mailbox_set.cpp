#include "mailbox_set.h"

#include <atomic>
#include <thread>

namespace salescore::email {

sc_status run_mailboxes(const sc_host_api* api, sc_host* host, const std::vector<SyncSettings>& mailboxes) {
  MarkBook book(api, host);
  if (sc_status st = book.load(); st != SC_OK) return st;
  if (mailboxes.size() == 1) return MailboxSync(api, host, mailboxes[0], book, "").run();
  std::atomic<bool> abort{false};
  std::vector<sc_status> results(mailboxes.size(), SC_OK);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < mailboxes.size(); ++i) {
    threads.emplace_back([&, i] {
      MailboxSync sync(api, host, mailboxes[i], book, i == 0 ? std::string() : mailboxes[i].imap.login, &abort);
      results[i] = sync.run();
      if (results[i] != SC_OK) abort = true;
    });
  }
  for (auto& t : threads) t.join();
  for (sc_status st : results)
    if (st != SC_OK) return st;
  return SC_OK;
}

}  // namespace salescore::email
