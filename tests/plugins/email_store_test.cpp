// The e-mail connector's keeping: the checkpoint of several mailboxes (and the older
// one-mailbox form), the content-addressed attachment store, and parsing with a time
// budget.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "attachment_store.h"
#include "mark_book.h"
#include "parse_budget.h"

namespace salescore::email {
namespace {

TEST(EmailMarkBook, EveryMailboxsMarksRoundTripAndAnOlderCheckpointIsTheFirstMailboxs) {
  std::map<std::string, FolderMarks> book;
  book[""]["INBOX"] = FolderMark{7, 42, 1234567890123ULL};
  book["sales@example.com"]["INBOX"] = FolderMark{9, 3, 0};
  book["sales@example.com"]["Sent"] = FolderMark{10, 1, 5};
  auto back = book_from_json(book_to_json(book));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[""]["INBOX"].last_uid, 42u);
  EXPECT_EQ(back[""]["INBOX"].modseq, 1234567890123ULL);
  EXPECT_EQ(back["sales@example.com"]["Sent"].uidvalidity, 10u);
  EXPECT_EQ(back["sales@example.com"]["INBOX"].modseq, 0u);
  // What the connector saved before it had several mailboxes.
  auto old = book_from_json(R"({"folders":{"INBOX":{"uidvalidity":7,"last_uid":42}}})");
  EXPECT_EQ(old[""]["INBOX"].last_uid, 42u);
  EXPECT_EQ(old[""]["INBOX"].modseq, 0u);
  EXPECT_ANY_THROW(book_from_json("[1,2]"));
}

TEST(EmailAttachmentStore, ContentIsKeptOnceUnderItsHash) {
  const auto dir = std::filesystem::temp_directory_path() / ("sc-attachments-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string error;
  const std::string raw =
      "From: a@b.example\r\nMessage-ID: <att@b.example>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
      "--zz\r\nContent-Type: application/pdf; name=price.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "JVBERi0xLjQgcHJpY2U=\r\n--zz--\r\n";
  auto kept = parse_mail(raw, error, 1024);
  ASSERT_TRUE(kept) << error;
  ASSERT_EQ(kept->attachments.size(), 1u);
  const MailAttachment& a = kept->attachments[0];
  EXPECT_EQ(a.content, "%PDF-1.4 price");
  EXPECT_EQ(store_attachment(dir.string(), a), "");
  EXPECT_EQ(store_attachment(dir.string(), a), "");  // the second time finds it there
  std::ifstream in(attachment_path(dir.string(), a.sha256), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "%PDF-1.4 price");
  // Over the limit: only the fingerprint, nothing stored.
  auto fingerprint_only = parse_mail(raw, error, 4);
  ASSERT_TRUE(fingerprint_only);
  EXPECT_TRUE(fingerprint_only->attachments[0].content.empty());
  EXPECT_EQ(fingerprint_only->attachments[0].sha256, a.sha256);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(store_attachment(dir.string(), fingerprint_only->attachments[0]), "");
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(EmailParseBudget, AParseOverItsBudgetIsGivenUpAndTheSyncGoesOn) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> finished{false};
  MailParser stuck = [released, &finished](const std::string& raw, std::string& error, std::uint64_t keep) {
    released.wait();  // a decoder that does not come back until the test lets it
    auto mail = parse_mail(raw, error, keep);
    finished = true;
    return mail;
  };
  BudgetedParse late = parse_within("From: a@b.example\r\n\r\nhi\r\n", 50, 0, stuck);
  EXPECT_TRUE(late.over_budget);
  EXPECT_FALSE(late.mail);
  EXPECT_NE(late.error.find("parsing took longer than 50 ms"), std::string::npos) << late.error;
  release.set_value();  // the worker left behind ends on its own
  while (!finished) std::this_thread::yield();

  BudgetedParse on_time = parse_within("From: a@b.example\r\nSubject: hi\r\n\r\nhi\r\n", 60000, 0);
  ASSERT_TRUE(on_time.mail) << on_time.error;
  EXPECT_EQ(on_time.mail->subject, "hi");
  EXPECT_FALSE(on_time.over_budget);
}

TEST(EmailParseBudget, OneStuckMessageOfAPageIsGivenUpAndTheRestOfThePageIsRead) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> stuck_ended{0};
  MailParser parser = [released, &stuck_ended](const std::string& raw, std::string& error, std::uint64_t keep) {
    const bool stuck = raw.find("Subject: loop") != std::string::npos;
    if (stuck) released.wait();
    auto mail = parse_mail(raw, error, keep);
    if (stuck) ++stuck_ended;
    return mail;
  };
  std::vector<std::string> page = {"From: a@b.example\r\nSubject: one\r\n\r\n1\r\n",
                                   "From: a@b.example\r\nSubject: loop\r\n\r\n2\r\n",
                                   "From: a@b.example\r\nSubject: three\r\n\r\n3\r\n",
                                   "not a message at all"};
  std::vector<BudgetedParse> out = parse_page_within(page, 200, 0, parser);
  ASSERT_EQ(out.size(), 4u);
  ASSERT_TRUE(out[0].mail) << out[0].error;
  EXPECT_EQ(out[0].mail->subject, "one");
  EXPECT_TRUE(out[1].over_budget);
  EXPECT_FALSE(out[1].mail);
  ASSERT_TRUE(out[2].mail) << out[2].error;
  EXPECT_EQ(out[2].mail->subject, "three") << "the page goes on past the stuck message, in order";
  EXPECT_FALSE(out[3].mail);
  EXPECT_FALSE(out[3].over_budget);
  EXPECT_FALSE(out[3].error.empty()) << "what is no message says why";
  release.set_value();  // the worker left behind ends on its own and writes nothing
  while (stuck_ended == 0) std::this_thread::yield();
  EXPECT_TRUE(parse_page_within({}, 50, 0).empty());
}

}  // namespace
}  // namespace salescore::email
