// Streamed replies of the HTTP front end (HttpResponse::stream, event_server.h) over
// real loopback sockets: a long body arrives whole and in order, a client that does not
// read holds back only its own stream (bounded by the high-water mark, counted in
// pieces produced), a client that goes away stops its stream and frees it, and a stream
// that fails after its head ends without the last chunk.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "http/chunked_decoder.h"
#include "http/event_server.h"
#include "loopback_sockets.h"

namespace salescore::http {
namespace {

using namespace std::chrono_literals;

// /rows/N: N lines "row <i>\n", 100 a piece. /endless: 16 KB pieces without end.
// /fail/K: K pieces, then a failure. Anything else: "plain" (a normal reply).
class StreamService final : public HttpService {
 public:
  std::size_t body_limit(const HttpRequest&) override { return 1000; }
  Lane lane(const HttpRequest&) override { return Lane::kWorker; }

  HttpResponse answer(HttpRequest& request) override {
    HttpResponse r;
    r.content_type = "text/plain";
    const std::string& t = request.target;
    if (t.rfind("/rows/", 0) == 0) {
      const long total = std::stol(t.substr(6));
      r.body = "start\n";
      r.stream = producer(total, -1, 100, 0);
    } else if (t == "/endless") {
      r.stream = producer(-1, -1, 1, 16 << 10);
    } else if (t.rfind("/fail/", 0) == 0) {
      r.stream = producer(-1, std::stol(t.substr(6)), 10, 0);
    } else {
      r.body = "plain";
    }
    return r;
  }
  HttpResponse refuse(int status, const std::string& message) override {
    HttpResponse r;
    r.status = status;
    r.body = message;
    return r;
  }

  std::atomic<long> pieces{0};  // produced, by every stream
  std::atomic<int> alive{0};    // streams not yet freed

 private:
  // Counts itself alive while any copy of the producer exists.
  struct Tracker {
    explicit Tracker(std::atomic<int>& n) : alive(n) { ++alive; }
    ~Tracker() { --alive; }
    std::atomic<int>& alive;
  };

  BodyStream producer(long rows, long fail_after, int per_piece, std::size_t filler) {
    auto tracker = std::make_shared<Tracker>(alive);
    auto next = std::make_shared<long>(0);
    auto made = std::make_shared<long>(0);
    return [=, this](std::string& out) {
      (void)tracker;
      ++pieces;
      if (fail_after >= 0 && (*made)++ >= fail_after) return StreamStep::kFailed;
      if (filler > 0) out.append(filler, 'x');
      for (int i = 0; i < per_piece && (rows < 0 || *next < rows); ++i) out += "row " + std::to_string((*next)++) + "\n";
      return rows >= 0 && *next >= rows ? StreamStep::kDone : StreamStep::kMore;
    };
  }
};

// A reply as the client saw it: the head, the body the chunks carried, and whether the
// last chunk arrived.
struct Seen {
  std::string head, body;
  bool complete = false;
};

Seen decode(const std::string& wire) {
  Seen s;
  const std::size_t end = wire.find("\r\n\r\n");
  if (end == std::string::npos) return s;
  s.head = wire.substr(0, end + 4);
  ChunkedDecoder decoder;
  std::size_t used = 0;
  s.complete = decoder.feed(std::string_view(wire).substr(end + 4), s.body, used) == ChunkedDecoder::State::kDone;
  return s;
}

class StreamTest : public ::testing::Test {
 protected:
  void start(EventServerOptions options = {}) {
    // Fixed small socket buffers, so that what a client that does not read leaves
    // unsent is the server's to hold.
    listen_fd_ = loopback::listen_socket(port_, true);
    ASSERT_GE(listen_fd_, 0);
    options.request_timeout = 30s;  // the stalled client is closed by the test, not the server
    server_ = std::make_unique<EventServer>(service_, listen_fd_, options);
    server_->start();
  }
  void TearDown() override {
    if (server_) server_->stop(1s);
    server_.reset();
    if (listen_fd_ >= 0) close(listen_fd_);
  }

  int request(const std::string& text) {
    int fd = loopback::connect_to(port_, true);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(send(fd, text.data(), text.size(), MSG_NOSIGNAL), static_cast<ssize_t>(text.size()));
    return fd;
  }
  static std::string get(const std::string& target, const char* version = "HTTP/1.1") {
    return "GET " + target + " " + version + "\r\nHost: x\r\n\r\n";
  }

  // Reads until `done(text)`, the peer closes (`closed`), or 20 s pass.
  template <class Done>
  static std::string read_until(int fd, Done done, bool* closed = nullptr) {
    return loopback::read_until(fd, done, closed, 20s, 64 << 10);
  }
  static bool ends_reply(const std::string& text) { return decode(text).complete; }
  // Everything the server sends until it closes the connection; then closed here too.
  static std::string whole_connection(int fd) {
    bool closed = false;
    std::string wire = read_until(fd, [](const std::string&) { return false; }, &closed);
    close(fd);
    EXPECT_TRUE(closed) << "the server did not close the connection";
    return wire;
  }

  // Waits until `done()` holds (or 10 s pass) and says whether it does.
  template <class Done>
  static bool eventually(Done done) {
    for (int looks = 0; looks < 500 && !done(); ++looks) std::this_thread::sleep_for(20ms);
    return done();
  }
  bool streams_freed() const {
    return eventually([this] { return service_.alive.load() == 0; });
  }

  // Waits until `value()` stops changing (the same for 5 looks in a row) and returns it.
  template <class Value>
  static auto settled(Value value) {
    auto last = value();
    for (int same = 0, looks = 0; same < 5 && looks < 400; ++looks) {
      std::this_thread::sleep_for(20ms);
      auto now = value();
      same = now == last ? same + 1 : 0;
      last = now;
    }
    return last;
  }

  StreamService service_;
  std::unique_ptr<EventServer> server_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
};

TEST_F(StreamTest, LongBodyArrivesWholeInOrderAndTheConnectionGoesOn) {
  start();
  int fd = request(get("/rows/50000"));
  Seen seen = decode(read_until(fd, ends_reply));
  ASSERT_TRUE(seen.complete);
  EXPECT_NE(seen.head.find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_EQ(seen.head.find("Content-Length"), std::string::npos);
  std::string expected = "start\n";
  for (int i = 0; i < 50000; ++i) expected += "row " + std::to_string(i) + "\n";
  EXPECT_EQ(seen.body, expected);  // every row once, in order
  // Kept alive: the next request on the same connection is answered as usual.
  send(fd, get("/plain").data(), get("/plain").size(), MSG_NOSIGNAL);
  std::string next = read_until(fd, [](const std::string& t) { return t.find("plain") != std::string::npos; });
  EXPECT_NE(next.find("Content-Length: 5"), std::string::npos);
  close(fd);
  EXPECT_TRUE(streams_freed());
}

TEST_F(StreamTest, ARequestPipelinedBehindAStreamIsAnsweredAfterIt) {
  start();
  int fd = request(get("/rows/5000") + get("/plain"));
  const std::string wire =
      read_until(fd, [](const std::string& t) { return t.size() > 5 && t.compare(t.size() - 5, 5, "plain") == 0; });
  close(fd);
  const std::size_t second = wire.rfind("HTTP/1.1 200");
  ASSERT_NE(second, std::string::npos);
  Seen first = decode(wire.substr(0, second));
  EXPECT_TRUE(first.complete);
  EXPECT_EQ(first.body.size(), std::string("start\n").size() + [] {
    std::size_t n = 0;
    for (int i = 0; i < 5000; ++i) n += ("row " + std::to_string(i) + "\n").size();
    return n;
  }());
  EXPECT_NE(wire.find("Content-Length: 5", second), std::string::npos);
}

TEST_F(StreamTest, ClientThatDoesNotReadHoldsBackOnlyItsOwnStream) {
  EventServerOptions options;
  options.workers = 2;
  start(options);
  int stalled = request(get("/endless"));
  // Its producer stops once the high-water mark (256 KB) and the socket buffers (about
  // 256 KB) are full: a few dozen 16 KB pieces, not the endless body.
  const long produced = settled([&] { return service_.pieces.load(); });
  EXPECT_GT(produced, 0);
  EXPECT_LT(produced, 100) << "1.6 MB or more produced for a client that reads nothing";
  // Meanwhile other clients are served, streamed replies included.
  int other = request(get("/rows/2000"));
  Seen seen = decode(read_until(other, ends_reply));
  EXPECT_TRUE(seen.complete);
  close(other);
  // Gone with unread data (the kernel resets it): its stream stops and is freed.
  close(stalled);
  EXPECT_TRUE(streams_freed());
  const long after = service_.pieces.load();
  EXPECT_EQ(settled([&] { return service_.pieces.load(); }), after);
  EXPECT_TRUE(eventually([this] { return server_->open_connections() == 0; }));
}

TEST_F(StreamTest, ClientGoneMidStreamStopsTheProducer) {
  start();
  int fd = request(get("/endless"));
  read_until(fd, [](const std::string& t) { return t.size() > (1u << 20); });
  close(fd);
  EXPECT_TRUE(streams_freed());
  // The server goes on serving.
  int next = request(get("/rows/10"));
  EXPECT_TRUE(decode(read_until(next, ends_reply)).complete);
  close(next);
}

TEST_F(StreamTest, FailureAfterTheHeadCutsTheReply) {
  start();
  int fd = request(get("/fail/5"));
  const std::string wire = whole_connection(fd);
  Seen seen = decode(wire);
  EXPECT_NE(seen.head.find("200 OK"), std::string::npos);
  EXPECT_EQ(seen.body.substr(0, 6), "row 0\n");  // the pieces before the failure went out
  EXPECT_FALSE(seen.complete);  // ... and no last chunk: the client knows it is cut
  EXPECT_EQ(wire.find("\r\n0\r\n\r\n"), std::string::npos);
}

TEST_F(StreamTest, Http10ClientGetsTheBodyUntilTheConnectionCloses) {
  start();
  int fd = request(get("/rows/3000", "HTTP/1.0"));
  const std::string wire = whole_connection(fd);
  const std::size_t end = wire.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(wire.substr(0, end).find("chunked"), std::string::npos);
  EXPECT_NE(wire.find("Connection: close"), std::string::npos);
  std::string expected = "start\n";
  for (int i = 0; i < 3000; ++i) expected += "row " + std::to_string(i) + "\n";
  EXPECT_EQ(wire.substr(end + 4), expected);
}

TEST_F(StreamTest, StopWithAStreamInProgressEndsIt) {
  start();
  int fd = request(get("/endless"));
  read_until(fd, [](const std::string& t) { return t.size() > 100'000; });
  server_->stop(100ms);
  server_.reset();
  EXPECT_EQ(service_.alive.load(), 0);
  close(fd);
}

}  // namespace
}  // namespace salescore::http
