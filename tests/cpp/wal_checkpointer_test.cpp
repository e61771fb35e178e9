// The WAL checkpointer (core/src/store/wal_checkpointer.h) under the load that grew the
// WAL to 1.5 GB in the soak: readers that overlap, so that SQLite never finds the moment
// without one that it needs to start the WAL over. The checkpointer's TRUNCATE does; the
// automatic PASSIVE checkpoint alone lets the WAL grow with what is written.
#include "store/wal_checkpointer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <utility>

#include <unistd.h>

namespace salescore::store {
namespace {

namespace fs = std::filesystem;

sqlite3* open_wal(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);  // the engine's default
  return db;
}

void exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "") << " in " << sql;
}

// One commit of `rows` rows of 4 KiB each.
void commit_rows(sqlite3* db, int rows) {
  exec(db, "BEGIN");
  for (int i = 0; i < rows; ++i) exec(db, "INSERT INTO letters(body) VALUES (zeroblob(4096))");
  exec(db, "COMMIT");
}

std::uintmax_t wal_bytes(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path + "-wal", ec);
  return ec ? 0 : size;
}

// Readers that overlap, as 64 connections' do: a new snapshot begins before the last
// one ends, so at no moment does no reader hold the WAL. Each lives a few milliseconds.
class OverlappingReaders {
 public:
  explicit OverlappingReaders(const std::string& path) : a_(open_wal(path)), b_(open_wal(path)) {
    thread_ = std::thread([this] { run(); });
  }
  ~OverlappingReaders() {
    stop_ = true;
    thread_.join();
    sqlite3_close_v2(a_);
    sqlite3_close_v2(b_);
  }

 private:
  static void begin_snapshot(sqlite3* db) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* read = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM letters", -1, &read, nullptr) == SQLITE_OK) sqlite3_step(read);
    sqlite3_finalize(read);
  }
  void run() {
    begin_snapshot(a_);
    for (bool turn = false; !stop_; turn = !turn) {
      begin_snapshot(turn ? a_ : b_);
      sqlite3_exec(turn ? b_ : a_, "COMMIT", nullptr, nullptr, nullptr);
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
    sqlite3_exec(a_, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_exec(b_, "COMMIT", nullptr, nullptr, nullptr);
  }
  sqlite3* a_;
  sqlite3* b_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("salescore-wal-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "crm.db").string();
    writer_ = open_wal(path_);
    sqlite3_busy_timeout(writer_, 10000);  // as the engine's writer: a TRUNCATE holds it back briefly
    exec(writer_, "CREATE TABLE letters(id INTEGER PRIMARY KEY, body BLOB)");
  }
  void TearDown() override {
    sqlite3_close_v2(writer_);
    fs::remove_all(dir_);
  }

  // Commits of 10 rows of 4 KiB under overlapping readers until `bytes` have been
  // written; returns the largest and the last size of the WAL file seen.
  std::pair<std::uintmax_t, std::uintmax_t> write_under_readers(std::uintmax_t bytes) {
    OverlappingReaders readers(path_);
    std::uintmax_t largest = 0, last = 0;
    for (std::uintmax_t written = 0; written < bytes; written += 10 * 4096) {
      commit_rows(writer_, 10);
      last = wal_bytes(path_);
      largest = std::max(largest, last);
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    return {largest, last};
  }

  std::int64_t rows() {
    sqlite3_stmt* count = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(writer_, "SELECT COUNT(*) FROM letters", -1, &count, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(count), SQLITE_ROW);
    const std::int64_t n = sqlite3_column_int64(count, 0);
    sqlite3_finalize(count);
    return n;
  }

  fs::path dir_;
  std::string path_;
  sqlite3* writer_ = nullptr;
};

// 160 MB written: the soak's pattern in small. kRestartPages of the default 4 KiB page
// is 16 MB.
constexpr std::uintmax_t kWritten = 160u << 20;

TEST_F(WalCheckpointerTest, UnderOverlappingReadersTheWalIsStartedOverAndStaysBounded) {
  std::pair<std::uintmax_t, std::uintmax_t> sizes;
  {
    WalCheckpointer checkpointer(writer_, path_);
    sizes = write_under_readers(kWritten);
  }
  EXPECT_LT(sizes.first, kWritten / 2) << "the WAL file reached " << sizes.first << " bytes";
  std::cout << "WAL file: largest " << sizes.first / 1024 << " KiB, last " << sizes.second / 1024 << " KiB of "
            << kWritten / 1024 << " KiB written\n";
  EXPECT_EQ(rows(), static_cast<std::int64_t>(kWritten / 4096)) << "nothing lost on the way";
  exec(writer_, "PRAGMA integrity_check");
}

TEST_F(WalCheckpointerTest, WithoutItTheWalGrowsWithWhatIsWritten) {
  // The contrast that gives the test above its meaning: SQLite's own automatic
  // checkpoint (PASSIVE) never finds a moment without a reader, and the WAL holds
  // about everything written, as in the soak (1.5 GB).
  const auto sizes = write_under_readers(kWritten);
  EXPECT_GT(sizes.first, kWritten / 2) << "the WAL file reached only " << sizes.first << " bytes";
  std::cout << "WAL file without the checkpointer: largest " << sizes.first / 1024 << " KiB\n";
}

}  // namespace
}  // namespace salescore::store
