// The HTTP front end (server/http/event_server.h) over real loopback sockets, with a
// service that echoes: pipelining, requests in pieces, chunked bodies, 100-continue,
// the limits and timeouts, and a stop with a request still running.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "http/event_server.h"
#include "loopback_sockets.h"

namespace salescore::http {
namespace {

using namespace std::chrono_literals;

// Echoes "<method> <target> <body>". /slow waits 300 ms first (on a worker); /quick...
// is answered on the loop.
class EchoService final : public HttpService {
 public:
  std::size_t body_limit(const HttpRequest& head) override { return head.target == "/upload" ? 40u << 20 : 1000; }
  Lane lane(const HttpRequest& request) override {
    if (request.target.rfind("/quick", 0) == 0) return Lane::kLoop;
    if (request.target.rfind("/wait", 0) == 0) return Lane::kWaiting;
    return Lane::kWorker;
  }
  HttpResponse answer(HttpRequest& request) override {
    if (request.body_too_large) return refuse(413, "too large");
    if (request.target == "/slow") std::this_thread::sleep_for(300ms);
    if (request.target.rfind("/wait", 0) == 0) std::this_thread::sleep_for(1000ms);
    if (request.target == "/throw") throw std::runtime_error("boom");
    if (request.target == "/large") {
      HttpResponse r;
      r.body.assign(8u << 20, 'L');
      return r;
    }
    if (request.target == "/upload") {
      HttpResponse r;
      r.body = "received " + std::to_string(request.body.size()) + " bytes, last " + request.body.substr(request.body.size() - 3);
      return r;
    }
    ++answered;
    HttpResponse r;
    r.content_type = "text/plain";
    r.body = request.method + " " + request.target + " " + request.body;
    return r;
  }
  HttpResponse refuse(int status, const std::string& message) override {
    HttpResponse r;
    r.status = status;
    r.content_type = "text/plain";
    r.body = message;
    return r;
  }
  std::atomic<int> answered{0};
};

class ServerFixture : public ::testing::Test {
 protected:
  void start(EventServerOptions options = {}) {
    listen_fd_ = loopback::listen_socket(port_, small_socket_buffers_);
    ASSERT_GE(listen_fd_, 0);
    server_ = std::make_unique<EventServer>(service_, listen_fd_, options);
    server_->start();
  }
  void TearDown() override {
    if (server_) server_->stop(1s);
    server_.reset();
    if (listen_fd_ >= 0) close(listen_fd_);
  }

  int connect_client() {
    int fd = loopback::connect_to(port_, small_socket_buffers_);
    EXPECT_GE(fd, 0);
    return fd;
  }

  static void send_all(int fd, const std::string& data) {
    std::size_t at = 0;
    while (at < data.size()) {
      ssize_t n = send(fd, data.data() + at, data.size() - at, MSG_NOSIGNAL);
      if (n <= 0) return;
      at += static_cast<std::size_t>(n);
    }
  }

  // Reads until `done(text)` holds, the peer closes, or `limit` passes. `closed` tells
  // whether the peer closed.
  template <class Done>
  static std::string read_until(int fd, Done done, bool* closed = nullptr, std::chrono::milliseconds limit = 3000ms) {
    return loopback::read_until(fd, done, closed, limit);
  }

  // Everything the server sends until it closes the connection (or `limit` passes).
  static std::string read_to_close(int fd, bool& closed, std::chrono::milliseconds limit = 3000ms) {
    return read_until(fd, [](const std::string&) { return false; }, &closed, limit);
  }

  static std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }

  static auto has(const std::string& what, std::size_t times = 1) {
    return [what, times](const std::string& text) { return count(text, what) >= times; };
  }

  EchoService service_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  bool small_socket_buffers_ = false;
  std::unique_ptr<EventServer> server_;
};

TEST_F(ServerFixture, PipelinedRequestsAreAnsweredInOrderWhicheverThreadAnswers) {
  start();
  int fd = connect_client();
  send_all(fd, "GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /quick/1 HTTP/1.1\r\nHost: t\r\n\r\nPOST /w HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
  std::string text = read_until(fd, has("HTTP/1.1 200", 3));
  close(fd);
  const auto slow = text.find("GET /slow"), quick = text.find("GET /quick/1"), post = text.find("POST /w abc");
  ASSERT_NE(slow, std::string::npos) << text;
  ASSERT_NE(quick, std::string::npos) << text;
  ASSERT_NE(post, std::string::npos) << text;
  EXPECT_LT(slow, quick);
  EXPECT_LT(quick, post);
  EXPECT_EQ(count(text, "Connection: close"), 0u);
}

TEST_F(ServerFixture, ARequestSentOneByteAtATimeIsRead) {
  start();
  int fd = connect_client();
  const std::string request = "POST /quick/x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello";
  for (char c : request) send_all(fd, std::string(1, c));
  std::string text = read_until(fd, has("hello"));
  close(fd);
  EXPECT_NE(text.find("HTTP/1.1 200 OK"), std::string::npos) << text;
  EXPECT_NE(text.find("Content-Length: 19\r\n"), std::string::npos) << text;
}

TEST_F(ServerFixture, AChunkedBodyArrivesDecoded) {
  start();
  int fd = connect_client();
  send_all(fd, "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
  std::this_thread::sleep_for(50ms);
  send_all(fd, "4\r\ndefg\r\n0\r\n\r\n");
  std::string text = read_until(fd, has("abcdefg"));
  close(fd);
  EXPECT_NE(text.find("POST /c abcdefg"), std::string::npos) << text;
}

TEST_F(ServerFixture, ExpectContinueGetsAnInterimReplyBeforeTheBody) {
  start();
  int fd = connect_client();
  send_all(fd, "POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  std::string interim = read_until(fd, has("\r\n\r\n"));
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  send_all(fd, "data");
  std::string text = read_until(fd, has("POST /e data"));
  close(fd);
  EXPECT_NE(text.find("HTTP/1.1 200 OK"), std::string::npos) << text;
}

TEST_F(ServerFixture, ABodyOverTheLimitIsRefusedAndTheClientGetsTheReplyWhileStillSending) {
  start();
  int fd = connect_client();
  send_all(fd, "POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
  send_all(fd, std::string(60000, 'x'));  // still sending when the 413 goes out
  bool closed = false;
  std::string text = read_to_close(fd, closed);
  close(fd);
  EXPECT_EQ(text.rfind("HTTP/1.1 413 Content Too Large\r\n", 0), 0u) << text;
  EXPECT_NE(text.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(closed);
  EXPECT_EQ(service_.answered.load(), 0);
}

TEST_F(ServerFixture, AnUploadLargerThanWhatIsReservedUpFrontArrivesWhole) {
  start();
  int fd = connect_client();
  const std::size_t size = 20u << 20;  // past the 16 MB reserved on the header's word
  std::string body(size - 3, 'x');
  body += "end";
  std::thread sender([&] { send_all(fd, "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n" + body); });
  std::string text = read_until(fd, has("last end"), nullptr, 10000ms);
  sender.join();
  close(fd);
  EXPECT_NE(text.find("received " + std::to_string(size) + " bytes"), std::string::npos) << text.substr(0, 200);
}

TEST_F(ServerFixture, AMalformedRequestIsRefusedAndTheServerGoesOn) {
  start();
  int fd = connect_client();
  send_all(fd, "BROKEN\r\n\r\n");
  bool closed = false;
  std::string text = read_to_close(fd, closed);
  close(fd);
  EXPECT_EQ(text.rfind("HTTP/1.1 400 Bad Request", 0), 0u) << text;
  EXPECT_TRUE(closed);
  fd = connect_client();
  send_all(fd, "GET /throw HTTP/1.1\r\nHost: t\r\n\r\nGET /quick/after HTTP/1.1\r\nHost: t\r\n\r\n");
  text = read_until(fd, has("GET /quick/after"));
  close(fd);
  EXPECT_EQ(text.rfind("HTTP/1.1 500", 0), 0u) << text;
  EXPECT_NE(text.find("boom"), std::string::npos);
}

// RFC 9112 3.2: an HTTP/1.1 request without exactly one valid Host is answered 400, and
// the reason says what was wrong.
TEST_F(ServerFixture, ARequestWithoutAHostIsRefusedWithItsReason) {
  start();
  for (const std::string head : {"GET /quick/h HTTP/1.1\r\n\r\n", "GET /quick/h HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                                 "GET /quick/h HTTP/1.1\r\nHost: a b\r\n\r\n"}) {
    int fd = connect_client();
    send_all(fd, head);
    bool closed = false;
    std::string text = read_to_close(fd, closed);
    close(fd);
    EXPECT_EQ(text.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << text;
    const std::size_t body = text.find("\r\n\r\n");
    ASSERT_NE(body, std::string::npos) << text;
    EXPECT_NE(text.find("Host", body), std::string::npos) << "the reason names Host: " << text;
    EXPECT_TRUE(closed);
  }
  EXPECT_EQ(service_.answered.load(), 0);
}

TEST_F(ServerFixture, ConnectionCloseOnALaterLineClosesTheConnection) {
  start();
  int fd = connect_client();
  send_all(fd, "GET /quick/k HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n");
  bool closed = false;
  std::string text = read_to_close(fd, closed);
  close(fd);
  EXPECT_EQ(text.rfind("HTTP/1.1 200", 0), 0u) << text;
  EXPECT_NE(text.find("Connection: close\r\n"), std::string::npos) << text;
  EXPECT_TRUE(closed);
}

TEST_F(ServerFixture, HeaderFieldsOverTheLimitAre431) {
  start();
  int fd = connect_client();
  send_all(fd, "GET /quick/x HTTP/1.1\r\nHost: t\r\nX-Pad: " + std::string(9000, 'p') + "\r\n\r\n");
  bool closed = false;
  std::string text = read_to_close(fd, closed);
  close(fd);
  EXPECT_EQ(text.rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0), 0u) << text.substr(0, 200);
  EXPECT_NE(text.find("longer than"), std::string::npos) << text.substr(0, 200);
  EXPECT_TRUE(closed);
}

// The TERM side of a chunk desync: a front end that reads "hello\n0\r\n\r\n" as a bare
// LF line end sees one request; reading it our way must not let the rest through.
TEST_F(ServerFixture, ABareLfInAChunkedBodyIsRefusedAndNothingAfterItIsRun) {
  start();
  int fd = connect_client();
  send_all(fd, "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n"
               "GET /quick/smuggled HTTP/1.1\r\nHost: t\r\n\r\n");
  bool closed = false;
  std::string text = read_to_close(fd, closed);
  close(fd);
  EXPECT_EQ(text.rfind("HTTP/1.1 400", 0), 0u) << text;
  EXPECT_EQ(text.find("smuggled"), std::string::npos) << text;
  EXPECT_NE(text.find("CRLF"), std::string::npos) << text;
  EXPECT_TRUE(closed);
  EXPECT_EQ(service_.answered.load(), 0);
}

TEST_F(ServerFixture, EmptyLinesBeforeARequestAreTakenOnlyUpToALimit) {
  start();
  int fd = connect_client();
  send_all(fd, "\r\n\r\nGET /quick/ok HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(read_until(fd, has("GET /quick/ok")).find("HTTP/1.1 200"), std::string::npos);
  std::string empty_lines;
  for (int i = 0; i < 32; ++i) empty_lines += "\r\n";
  for (int i = 0; i < 100; ++i) send_all(fd, empty_lines);
  bool closed = false;
  std::string text = read_to_close(fd, closed);
  close(fd);
  EXPECT_EQ(text.rfind("HTTP/1.1 400", 0), 0u) << text;
  EXPECT_NE(text.find("empty lines"), std::string::npos) << text;
}

TEST_F(ServerFixture, ChunkFramingOutOfProportionToItsDataIsRefused) {
  start();
  int fd = connect_client();
  send_all(fd, "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string chunk = "1;" + std::string(3000, 'e') + "\r\nx\r\n";  // 1 byte of data, 3 KB of extension
  for (int i = 0; i < 40; ++i) send_all(fd, chunk);
  bool closed = false;
  std::string text = read_to_close(fd, closed);
  close(fd);
  EXPECT_EQ(text.rfind("HTTP/1.1 400", 0), 0u) << text.substr(0, 200);
  EXPECT_NE(text.find("out of proportion"), std::string::npos);
}

// The reply must wait for the client whatever the machine: with the server's send buffer
// (inherited from the listening socket) and the client's receive buffer small, 8 MB never
// fit in the sockets, so the server's write stops at EAGAIN (its request_timeout deadline)
// again and again while the client reads. The client never pauses for the request timeout
// while it reads (it once slept 500 ms against 300 ms, betting that the kernel buffered the
// whole reply meanwhile: under load it had buffered 3.9 MB and the reply was dropped, as
// the server must do for a client that stops reading). Once the reply is out, the
// connection is idle: a pause longer than the request timeout must not close it.
TEST_F(ServerFixture, AConnectionWhoseReplyWaitedForTheClientIsStillKeptAliveAsIdle) {
  EventServerOptions options;
  options.request_timeout = 1500ms;
  options.idle_timeout = 60'000ms;
  small_socket_buffers_ = true;
  start(options);
  int fd = connect_client();
  send_all(fd, "GET /large HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string text = read_until(fd, [](const std::string& t) { return t.size() >= (8u << 20) + 100; }, nullptr, 60'000ms);
  ASSERT_GE(text.size(), 8u << 20);
  std::this_thread::sleep_for(2000ms);  // past the request timeout, well within the idle one
  send_all(fd, "GET /quick/again HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string again = read_until(fd, has("GET /quick/again"));
  close(fd);
  EXPECT_NE(again.find("HTTP/1.1 200"), std::string::npos) << "closed as if idle for the request timeout";
}

TEST_F(ServerFixture, SlowAndIdleClientsAreCutOff) {
  EventServerOptions options;
  options.request_timeout = 300ms;
  options.idle_timeout = 400ms;
  start(options);
  int slow = connect_client();
  send_all(slow, "GET /quick/s HTTP/1.1\r\nHost:");  // and nothing more
  int idle = connect_client();
  bool closed = false;
  std::string text = read_to_close(slow, closed);
  EXPECT_EQ(text.rfind("HTTP/1.1 408 Request Timeout", 0), 0u) << text;
  EXPECT_TRUE(closed);
  text = read_to_close(idle, closed);
  EXPECT_EQ(text, "");
  EXPECT_TRUE(closed);
  close(slow);  // the server lingers on the refused one until the client closes it
  close(idle);
  for (int i = 0; i < 100 && server_->open_connections() > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(server_->open_connections(), 0u);
}

TEST_F(ServerFixture, AnHttp10ClientIsClosedUnlessItAsksToKeepAlive) {
  start();
  int fd = connect_client();
  send_all(fd, "GET /quick/a HTTP/1.0\r\n\r\n");
  bool closed = false;
  std::string text = read_to_close(fd, closed);
  close(fd);
  EXPECT_TRUE(closed);
  EXPECT_NE(text.find("Connection: close"), std::string::npos) << text;
  fd = connect_client();
  send_all(fd, "GET /quick/b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  text = read_until(fd, has("GET /quick/b"));
  EXPECT_NE(text.find("Connection: keep-alive"), std::string::npos) << text;
  send_all(fd, "HEAD /quick/c HTTP/1.0\r\n\r\n");
  text = read_to_close(fd, closed);
  close(fd);
  EXPECT_NE(text.find("Content-Length: 14\r\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("HEAD /quick/c"), std::string::npos) << "a HEAD reply has no body";
}

TEST_F(ServerFixture, ManyMoreConnectionsThanWorkersAreAllAnswered) {
  EventServerOptions options;
  options.workers = 1;
  options.loops = 2;
  start(options);
  std::vector<int> clients;
  for (int i = 0; i < 200; ++i) clients.push_back(connect_client());
  for (int i = 0; i < 200; ++i)
    send_all(clients[i], "GET /" + std::string(i % 2 ? "quick/" : "w/") + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n");
  int answered = 0;
  for (int i = 0; i < 200; ++i) {
    std::string text = read_until(clients[i], has(" /" + std::string(i % 2 ? "quick/" : "w/") + std::to_string(i) + " "));
    answered += text.find("HTTP/1.1 200") == 0;
    close(clients[i]);
  }
  EXPECT_EQ(answered, 200);
}

TEST_F(ServerFixture, WaitingRequestsDoNotHoldBackTheWorkers) {
  EventServerOptions options;
  options.workers = 1;
  options.waiting_workers = 8;
  start(options);
  std::vector<int> waiting;
  for (int i = 0; i < 8; ++i) {
    waiting.push_back(connect_client());
    send_all(waiting.back(), "GET /wait/" + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n");
  }
  std::this_thread::sleep_for(50ms);  // all eight waiting
  int fd = connect_client();
  send_all(fd, "POST /w HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok");
  std::string text = read_until(fd, has("POST /w ok"));
  close(fd);
  EXPECT_NE(text.find("HTTP/1.1 200"), std::string::npos);
  // Answered while every waiting request still waits: on the one worker behind them, it
  // would have come after all eight.
  for (int w : waiting) {
    char byte;
    EXPECT_EQ(recv(w, &byte, 1, MSG_DONTWAIT | MSG_PEEK), -1) << "a waiting request was answered before the write";
  }
  for (int i = 0; i < 8; ++i) {
    EXPECT_NE(read_until(waiting[i], has("GET /wait/" + std::to_string(i))).find("HTTP/1.1 200"), std::string::npos);
    close(waiting[i]);
  }
}

TEST_F(ServerFixture, AtTheEndOfTheDrainQueuedRequestsAre503AndTheRunningOneFinishes) {
  EventServerOptions options;
  options.workers = 1;
  start(options);
  int running = connect_client();
  int queued = connect_client();
  send_all(running, "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  std::this_thread::sleep_for(50ms);  // on the one worker
  send_all(queued, "POST /w HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok");
  std::this_thread::sleep_for(50ms);  // in the queue behind it
  server_->stop(0ms);
  bool closed = false;
  std::string first = read_to_close(running, closed);
  std::string second = read_to_close(queued, closed);
  close(running);
  close(queued);
  EXPECT_EQ(first.rfind("HTTP/1.1 200", 0), 0u) << first;
  EXPECT_EQ(second.rfind("HTTP/1.1 503", 0), 0u) << second;
  EXPECT_NE(second.find("stopping"), std::string::npos) << second;
  EXPECT_EQ(service_.answered.load(), 1);
}

TEST_F(ServerFixture, StoppingAnswersTheRequestInProgressAndClosesIdleConnections) {
  start();
  int busy = connect_client();
  int idle = connect_client();
  send_all(idle, "GET /quick/i HTTP/1.1\r\nHost: t\r\n\r\n");
  read_until(idle, has("GET /quick/i"));
  send_all(busy, "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  std::this_thread::sleep_for(50ms);  // the request is in a worker
  std::thread stopper([this] { server_->stop(2s); });
  bool closed = false;
  std::string text = read_to_close(busy, closed);
  EXPECT_EQ(text.rfind("HTTP/1.1 200", 0), 0u) << text;
  EXPECT_NE(text.find("Connection: close"), std::string::npos) << text;
  EXPECT_TRUE(closed);
  std::string rest = read_to_close(idle, closed);
  EXPECT_EQ(rest, "");
  EXPECT_TRUE(closed);
  stopper.join();
  close(busy);
  close(idle);
}

}  // namespace
}  // namespace salescore::http
