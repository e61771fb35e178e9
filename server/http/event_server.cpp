#include "http/event_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <mutex>
#include <unordered_map>

#include "http/response_format.h"
#include "http/worker_pool.h"

namespace salescore::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 64 * 1024;
// After a reply that closes the connection, what the client still sends is read and
// thrown away, up to this much or this long, before the socket is closed: closing with
// unread data makes the kernel reset the connection, and the client would lose the
// reply (a 413 sent while the body is still coming). nginx calls it a lingering close.
constexpr std::uint64_t kLingerBytes = 8 << 20;
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr auto kTick = std::chrono::milliseconds(250);
constexpr std::uint64_t kReserveUpFront = 16 << 20;
// Empty lines tolerated before a request line (RFC 9112 2.2 asks for "at least one").
constexpr std::size_t kMaxBlankBytes = 1024;
// Chunk size lines, extensions and trailers: at most this plus an eighth of the body.
constexpr std::uint64_t kMaxChunkFramingBytes = 64 * 1024;
// epoll data of the two descriptors that are not connections.
constexpr std::uint64_t kListenTag = 0;
constexpr std::uint64_t kWakeTag = 1;

struct Connection {
  // kStreaming: a streamed reply's head has gone out and its pieces follow.
  enum class Phase { kHead, kBody, kBusy, kStreaming, kLinger };

  int fd = -1;
  std::uint64_t id = 0;
  std::string remote, remote_host;
  Phase phase = Phase::kHead;
  bool dead = false;         // closed; erased after the current event
  bool peer_closed = false;  // the client sent FIN
  bool head_started = false; // bytes of a request have arrived
  bool close_after_write = false;
  std::string in;            // received, not yet parsed: in[in_pos..]
  std::size_t in_pos = 0;
  std::string out;           // to send: out[out_pos..]
  std::size_t out_pos = 0;
  HttpRequest request;
  BodyFraming framing;
  ChunkedDecoder chunked;
  std::uint64_t body_left = 0;
  std::size_t body_limit = 0;
  std::size_t blank_bytes = 0;  // empty lines dropped before this request's line
  std::size_t head_scanned = 0; // unread bytes the last incomplete parse of the head saw
  ReplyFraming reply;
  std::uint64_t linger_left = 0;
  Clock::time_point deadline;
  // A streamed reply in progress (HttpResponse::stream): what produces its pieces,
  // whether a worker is producing one now, and whether they go out as chunks (HTTP/1.1)
  // or as they are (HTTP/1.0, ended by closing).
  std::shared_ptr<BodyStream> stream;
  bool piece_asked = false;
  bool stream_chunked = true;

  std::string_view unread() const { return std::string_view(in).substr(in_pos); }
  bool flushed() const { return out_pos == out.size(); }
};

std::string peer_host(const sockaddr_storage& ss, std::uint16_t& port) {
  char text[INET6_ADDRSTRLEN] = "?";
  port = 0;
  if (ss.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(ss);
    inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
    port = ntohs(a.sin_port);
  } else if (ss.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(ss);
    inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text);
    port = ntohs(a.sin6_port);
  }
  return text;
}

// A piece of a streamed reply, from the worker that produced it to the connection's loop.
struct Piece {
  std::uint64_t id;
  std::string data;
  StreamStep step;
};

HttpResponse answer_safely(HttpService& service, HttpRequest& request) {
  try {
    return service.answer(request);
  } catch (const std::exception& e) {
    return service.refuse(500, std::string("unexpected error: ") + e.what());
  } catch (...) {
    return service.refuse(500, "unexpected error");
  }
}

}  // namespace

class EventServer::Loop {
 public:
  Loop(EventServer& server, std::size_t index) : server_(server), index_(index) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_ < 0 || wake_ < 0) throw std::runtime_error(std::string("event loop: ") + std::strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeTag;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
    listen(true);
  }

  ~Loop() {
    for (auto& [id, c] : connections_) close_socket(*c);
    for (auto& [fd, peer] : arrivals_) {  // handed over while the loop was stopping
      ::close(fd);
      --server_.open_;
    }
    ::close(wake_);
    ::close(epoll_);
  }

  void start() { thread_ = std::thread([this] { run(); }); }

  void begin_drain() {
    draining_ = true;
    wake();
  }

  void finish() {
    stopping_ = true;
    wake();
    if (thread_.joinable()) thread_.join();
  }

  // From a worker: the answer to connection `id`'s request.
  void post(std::uint64_t id, HttpResponse response) {
    {
      std::lock_guard lock(mutex_);
      answers_.emplace_back(id, std::move(response));
    }
    wake();
  }

  // From a worker: the next piece of connection `id`'s streamed reply.
  void post_piece(std::uint64_t id, std::string data, StreamStep step) {
    {
      std::lock_guard lock(mutex_);
      pieces_.push_back(Piece{id, std::move(data), step});
    }
    wake();
  }

  // From the accepting loop: a new connection for this loop.
  void adopt(int fd, const sockaddr_storage& peer) {
    {
      std::lock_guard lock(mutex_);
      arrivals_.emplace_back(fd, peer);
    }
    wake();
  }

 private:
  void wake() {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_, &one, sizeof one);
  }

  // The listening socket in this loop's poll set. EPOLLEXCLUSIVE: a new connection wakes
  // one loop, not all.
  void listen(bool on) {
    if (on == listening_) return;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    ev.data.u64 = kListenTag;
    if (on)
      epoll_ctl(epoll_, EPOLL_CTL_ADD, server_.listen_fd_, &ev);
    else
      epoll_ctl(epoll_, EPOLL_CTL_DEL, server_.listen_fd_, nullptr);
    listening_ = on;
  }

  void run() {
    epoll_event events[256];
    auto next_sweep = Clock::now() + kTick;
    while (!stopping_) {
      int n = epoll_wait(epoll_, events, 256, static_cast<int>(kTick.count()));
      now_ = Clock::now();
      for (int i = 0; i < n; ++i) {
        const std::uint64_t tag = events[i].data.u64;
        if (tag == kListenTag)
          accept_all();
        else if (tag == kWakeTag)
          take_messages();
        else
          on_ready(tag, events[i].events);
      }
      reap();
      if (draining_) drain_idle();
      if (now_ >= next_sweep) {
        sweep();
        reap();
        next_sweep = now_ + kTick;
      }
    }
    // Answers posted since the last wake-up (the 503s of a stop) still go out, as far
    // as the sockets take them without waiting.
    now_ = Clock::now();
    take_messages();
    reap();
  }

  void accept_all() {
    if (draining_) return;
    for (;;) {
      sockaddr_storage peer{};
      socklen_t len = sizeof peer;
      int fd = accept4(server_.listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: stop accepting for a tick instead of spinning on the
          // ready listening socket; connections wait in the backlog meanwhile.
          std::cerr << "serve: cannot accept a connection: " << std::strerror(errno) << " (pausing accepts)\n";
          listen(false);
          accept_paused_until_ = now_ + kTick;
        }
        return;
      }
      if (server_.open_.load() >= server_.options_.max_connections) {
        ::close(fd);  // over the limit: refused at once rather than queued without end
        continue;
      }
      ++server_.open_;
      // Spread connections over the loops so that every core serves some.
      auto& loops = server_.loops_;
      Loop& target = *loops[next_loop_++ % loops.size()];
      if (&target == this)
        add_connection(fd, peer);
      else
        target.adopt(fd, peer);
    }
  }

  void add_connection(int fd, const sockaddr_storage& peer) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    c->id = next_id_++ * 1024 + index_ + 2;  // unique per loop, never a tag
    std::uint16_t port = 0;
    c->remote_host = peer_host(peer, port);
    c->remote = c->remote_host + ":" + std::to_string(port);
    c->deadline = now_ + server_.options_.idle_timeout;
    // Edge-triggered: each readiness is reported once, so a connection whose request is
    // in a worker does not wake the loop again and again; the loop reads until EAGAIN.
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.u64 = c->id;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      ::close(fd);
      --server_.open_;
      return;
    }
    connections_.emplace(c->id, std::move(c));
  }

  void take_messages() {
    std::uint64_t count;
    while (::read(wake_, &count, sizeof count) > 0) {
    }
    std::vector<std::pair<std::uint64_t, HttpResponse>> answers;
    std::vector<std::pair<int, sockaddr_storage>> arrivals;
    std::vector<Piece> pieces;
    {
      std::lock_guard lock(mutex_);
      answers.swap(answers_);
      arrivals.swap(arrivals_);
      pieces.swap(pieces_);
    }
    for (auto& [fd, peer] : arrivals) add_connection(fd, peer);
    for (auto& answer : answers) {
      // Not a structured binding: clang 14 (the fuzz tree's compiler) cannot capture one.
      auto it = connections_.find(answer.first);
      if (it == connections_.end()) continue;  // the client went away meanwhile
      Connection& c = *it->second;
      if (c.dead) continue;
      guarded(c, [&] {
        complete(c, answer.second);
        pump(c);
      });
    }
    for (Piece& piece : pieces) {
      auto it = connections_.find(piece.id);
      if (it == connections_.end() || it->second->dead) continue;  // gone: its stream with it
      Connection& c = *it->second;
      guarded(c, [&] {
        take_piece(c, piece);
        pump(c);
      });
    }
  }

  void on_ready(std::uint64_t id, std::uint32_t events) {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;
    Connection& c = *it->second;
    if (c.dead) return;
    guarded(c, [&] { on_ready(c, events); });
  }

  void on_ready(Connection& c, std::uint32_t events) {
    if (events & EPOLLERR) {
      close_connection(c);
      return;
    }
    if ((events & EPOLLOUT) && !c.flushed()) {
      flush(c);
      if (c.dead) return;
    }
    // Always, not only on EPOLLIN: input that arrived while a reply was stuck was
    // reported then (edge-triggered) and is still waiting to be read.
    pump(c);
  }

  // Reads and answers what the connection has sent until it must wait: for more input,
  // for a worker, or for the client to read what was sent.
  void pump(Connection& c) {
    while (!c.dead) {
      // A request in progress, or a streamed reply still going out: the next request
      // waits in the socket (and in `in`) until it is done.
      if (c.phase == Connection::Phase::kBusy || c.phase == Connection::Phase::kStreaming) return;
      // A reply not yet taken by the client: nothing more is read meanwhile, so a client
      // that pipelines requests without reading cannot make us buffer answers.
      if (!c.flushed()) return;
      if (c.phase == Connection::Phase::kLinger) {
        linger(c);
        return;
      }
      if (advance(c)) continue;
      if (c.peer_closed) {
        close_connection(c);  // nothing complete left to answer
        return;
      }
      if (!receive(c)) return;
    }
  }

  // Reads once into the connection's buffer. False when there is nothing to read now
  // (or the connection failed and is closed).
  bool receive(Connection& c) {
    if (c.in_pos == c.in.size()) {
      c.in.clear();
      c.in_pos = 0;
    } else if (c.in_pos > 0 && c.in_pos >= c.in.size() / 2) {
      c.in.erase(0, c.in_pos);
      c.in_pos = 0;
    }
    ssize_t n = ::recv(c.fd, buffer_, sizeof buffer_, 0);
    if (n > 0) {
      c.in.append(buffer_, static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0) {
      c.peer_closed = true;
      return true;
    }
    if (errno == EINTR) return true;
    if (errno != EAGAIN && errno != EWOULDBLOCK) close_connection(c);
    return false;
  }

  // One step of reading the request from buffered input; false when more input is needed.
  bool advance(Connection& c) {
    if (c.unread().empty() && c.phase == Connection::Phase::kHead) return false;
    switch (c.phase) {
      case Connection::Phase::kHead:
        return read_head(c);
      case Connection::Phase::kBody:
        return read_body(c);
      default:
        return false;
    }
  }

  bool read_head(Connection& c) {
    if (!c.head_started) {
      c.head_started = true;
      c.deadline = now_ + server_.options_.request_timeout;
    }
    // A head sent a few bytes at a time is parsed again only once a line has ended (or
    // it outgrew the limits): not from the start on every read.
    const std::string_view unread = c.unread();
    if (c.head_scanned > 0 && unread.size() > c.head_scanned &&
        unread.substr(c.head_scanned).find('\n') == std::string_view::npos &&
        unread.size() <= server_.options_.head_limits.max_head) {
      c.head_scanned = unread.size();
      return false;
    }
    HeadParse head = parse_request_head(unread, server_.options_.head_limits, c.request, c.framing);
    if (head.state == HeadParse::State::kIncomplete) {
      // Empty lines before the request are dropped, and only so many are taken.
      c.in_pos += head.consumed;
      c.blank_bytes += head.consumed;
      c.head_scanned = c.unread().size();
      if (c.blank_bytes > kMaxBlankBytes) {
        refuse(c, 400, "more than " + std::to_string(kMaxBlankBytes) + " bytes of empty lines before the request");
        return true;
      }
      return false;
    }
    c.head_scanned = 0;
    c.blank_bytes = 0;
    if (head.state == HeadParse::State::kBad) {
      refuse(c, head.status, head.error);
      return true;
    }
    c.in_pos += head.consumed;
    c.reply.keep_alive = c.request.wants_keep_alive();
    c.reply.http10 = c.request.minor_version == 0;
    c.reply.head_only = c.request.method == "HEAD";
    c.body_limit = server_.service_.body_limit(c.request);
    switch (c.framing.kind) {
      case BodyFraming::Kind::kNone:
        dispatch(c);
        return true;
      case BodyFraming::Kind::kLength:
        if (c.framing.length > c.body_limit) {
          too_large(c);
          return true;
        }
        // Room for the body, but not more than kReserveUpFront on the word of a header:
        // a client announcing 256 MB and sending nothing must not cost 256 MB. Past it,
        // the rest is reserved at once (read_body), so a large upload is copied once.
        c.request.body.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(c.framing.length, kReserveUpFront)));
        c.body_left = c.framing.length;
        break;
      case BodyFraming::Kind::kChunked:
        c.chunked.reset();
        break;
    }
    c.phase = Connection::Phase::kBody;
    c.deadline = now_ + server_.options_.request_timeout;
    const std::string* expect = c.request.header("Expect");
    const bool body_here = c.framing.kind == BodyFraming::Kind::kLength && c.unread().size() >= c.body_left;
    if (expect && iequals(*expect, "100-continue") && c.request.minor_version == 1 && !body_here) {
      c.out += "HTTP/1.1 100 Continue\r\n\r\n";
      flush(c);
    }
    return true;
  }

  bool read_body(Connection& c) {
    std::string_view data = c.unread();
    if (data.empty()) return false;
    c.deadline = now_ + server_.options_.request_timeout;  // it is progressing
    if (c.framing.kind == BodyFraming::Kind::kLength) {
      std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(c.body_left, data.size()));
      // Past what was reserved up front, the room doubles (up to the announced length):
      // a client that stops one byte after 16 MB does not get 256 MB committed.
      if (c.request.body.size() + take > c.request.body.capacity())
        c.request.body.reserve(static_cast<std::size_t>(
            std::min<std::uint64_t>(c.framing.length, 2 * static_cast<std::uint64_t>(c.request.body.capacity()))));
      c.request.body.append(data.substr(0, take));
      c.in_pos += take;
      c.body_left -= take;
      if (c.body_left == 0) dispatch(c);
      return true;
    }
    std::size_t used = 0;
    auto state = c.chunked.feed(data, c.request.body, used);
    c.in_pos += used;
    if (state == ChunkedDecoder::State::kBad) {
      refuse(c, 400, "malformed chunked body: " + c.chunked.error());
    } else if (c.chunked.framing_bytes() > kMaxChunkFramingBytes + c.request.body.size() / 8) {
      refuse(c, 400, "chunked body: the chunk framing (sizes, extensions, trailers) is out of proportion to its data");
    } else if (c.request.body.size() > c.body_limit) {
      too_large(c);
    } else if (state == ChunkedDecoder::State::kDone) {
      dispatch(c);
    }
    return true;
  }

  // The body is over the route's limit: the service answers 413, and the rest of the
  // body is read and dropped by the lingering close.
  void too_large(Connection& c) {
    c.request.body.clear();
    c.request.body.shrink_to_fit();
    c.request.body_too_large = true;
    c.reply.keep_alive = false;
    dispatch(c);
  }

  void dispatch(Connection& c) {
    c.phase = Connection::Phase::kBusy;
    c.request.remote = c.remote;
    c.request.remote_host = c.remote_host;
    c.deadline = Clock::time_point::max();
    const HttpService::Lane lane =
        c.request.body_too_large ? HttpService::Lane::kLoop : server_.service_.lane(c.request);
    if (lane == HttpService::Lane::kLoop) {
      HttpResponse response = answer_safely(server_.service_, c.request);
      complete(c, response);
      return;
    }
    WorkerPool& pool = lane == HttpService::Lane::kWaiting ? *server_.waiters_ : *server_.workers_;
    pool.submit([this, id = c.id, request = std::move(c.request)]() mutable {
      // Past the drain time, requests still queued are refused rather than run with
      // nobody left to tell the client what became of them.
      if (server_.refusing_.load())
        post(id, server_.service_.refuse(503, "the server is stopping; the request was not run"));
      else
        post(id, answer_safely(server_.service_, request));
    });
  }

  // Queues the reply and resets the connection for its next request (a streamed
  // reply: once its last piece is queued).
  void complete(Connection& c, const HttpResponse& response) {
    ReplyFraming framing = c.reply;
    if (response.close || draining_ || c.peer_closed) framing.keep_alive = false;
    const bool streamed = response.stream && !framing.head_only;
    if (response.stream && framing.http10) framing.keep_alive = false;  // its body ends with the connection
    append_response(c.out, response, framing, date_.now());
    c.request = HttpRequest{};
    c.framing = BodyFraming{};
    c.phase = Connection::Phase::kHead;
    c.head_started = false;
    c.close_after_write = !framing.keep_alive;
    c.deadline = now_ + server_.options_.idle_timeout;
    if (streamed) {
      c.phase = Connection::Phase::kStreaming;
      c.stream = std::make_shared<BodyStream>(response.stream);
      c.stream_chunked = !framing.http10;
    }
    flush(c);
  }

  // ---- Streamed replies (HttpResponse::stream) ----

  // Asks a worker for the next piece, unless one is being produced or the client has
  // not yet taken what is queued: the high-water mark is the backpressure, so a slow
  // client never makes the server hold more than that. The job holds the stream, not
  // the connection: if the client goes away meanwhile, the piece is dropped on arrival
  // and no other is asked for.
  void ask_piece(Connection& c) {
    if (c.dead || !c.stream || c.piece_asked) return;
    if (c.out.size() - c.out_pos >= server_.options_.stream_high_water) return;
    c.piece_asked = true;
    server_.workers_->submit([this, id = c.id, stream = c.stream] {
      std::string data;
      StreamStep step = StreamStep::kFailed;  // stopping, or the producer threw
      if (!server_.refusing_.load()) {
        try {
          step = (*stream)(data);
        } catch (const std::exception& e) {
          std::cerr << "serve: a streamed reply failed: " << e.what() << "\n";
        } catch (...) {
          std::cerr << "serve: a streamed reply failed\n";
        }
      }
      post_piece(id, std::move(data), step);
    });
  }

  void take_piece(Connection& c, Piece& piece) {
    c.piece_asked = false;
    if (!c.stream) return;
    append_piece(c.out, piece.data, c.stream_chunked);
    if (piece.step == StreamStep::kMore) {
      flush(c);  // and asks for the next piece if the client keeps up
      return;
    }
    c.stream.reset();
    c.phase = Connection::Phase::kHead;
    c.deadline = now_ + server_.options_.idle_timeout;
    if (piece.step == StreamStep::kDone) {
      if (c.stream_chunked) c.out += kLastChunk;
    } else {
      // No last chunk, and the connection closes once the rest is sent: the client
      // sees a cut body (or, on HTTP/1.0, a body that ends early), never a whole one.
      c.close_after_write = true;
    }
    flush(c);
  }

  // A request that cannot be read: answered, then the connection is closed (where the
  // next request would start is unknown).
  void refuse(Connection& c, int status, const std::string& message) {
    HttpResponse response = server_.service_.refuse(status, message);
    c.reply = ReplyFraming{};
    c.reply.keep_alive = false;
    c.in_pos = c.in.size();
    complete(c, response);
  }

  void flush(Connection& c) {
    while (c.out_pos < c.out.size()) {
      ssize_t n = ::send(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_pos += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        // The client is not reading: it gets request_timeout to make progress.
        if (c.phase != Connection::Phase::kBusy) c.deadline = now_ + server_.options_.request_timeout;
        if (c.phase == Connection::Phase::kStreaming) ask_piece(c);  // up to the high-water mark
        return;  // EPOLLOUT resumes
      }
      close_connection(c);
      return;
    }
    c.out.clear();
    c.out_pos = 0;
    if (c.phase == Connection::Phase::kStreaming) {
      c.deadline = Clock::time_point::max();  // waiting for the next piece, not for the client
      ask_piece(c);
      return;
    }
    // A reply that had to wait for the client set the write deadline: back to idle.
    if (c.phase == Connection::Phase::kHead && !c.head_started) c.deadline = now_ + server_.options_.idle_timeout;
    if (c.close_after_write && c.phase != Connection::Phase::kLinger) {
      ::shutdown(c.fd, SHUT_WR);
      c.phase = Connection::Phase::kLinger;
      c.linger_left = kLingerBytes;
      c.deadline = now_ + kLingerTime;
      c.in.clear();
      c.in_pos = 0;
    }
  }

  void linger(Connection& c) {
    for (;;) {
      ssize_t n = ::recv(c.fd, buffer_, sizeof buffer_, 0);
      if (n > 0 && static_cast<std::uint64_t>(n) < c.linger_left) {
        c.linger_left -= static_cast<std::uint64_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      close_connection(c);  // EOF, an error, or enough thrown away
      return;
    }
  }

  void sweep() {
    if (!listening_ && !draining_ && now_ >= accept_paused_until_) listen(true);
    for (auto& [id, ptr] : connections_) {
      Connection& c = *ptr;
      if (c.dead || now_ < c.deadline) continue;
      if (!c.flushed() || c.phase == Connection::Phase::kLinger || !c.head_started) {
        close_connection(c);  // a reply not read, a linger over, or an idle connection
      } else {
        refuse(c, 408, "the request did not arrive within " +
                           std::to_string(server_.options_.request_timeout.count() / 1000) + " s");
      }
    }
  }

  // While stopping: connections with no request in progress are closed now. Each is
  // read first: a request the kernel already holds for it (its event not yet taken
  // from epoll) is answered, not reset.
  void drain_idle() {
    if (listening_) listen(false);
    auto idle = [](const Connection& c) {
      return !c.dead && c.phase == Connection::Phase::kHead && !c.head_started && c.flushed() && c.unread().empty();
    };
    for (auto& [id, ptr] : connections_) {
      Connection& c = *ptr;
      if (!idle(c)) continue;
      guarded(c, [&] { pump(c); });
      if (idle(c)) close_connection(c);
    }
    reap();
  }

  // Runs `step` on a connection; whatever it throws (bad_alloc on a huge body, a bug)
  // costs that connection, never the loop and every other client on it.
  template <class Step>
  void guarded(Connection& c, Step step) {
    try {
      step();
    } catch (const std::exception& e) {
      std::cerr << "serve: closing the connection from " << c.remote << ": " << e.what() << "\n";
      if (!c.dead) close_connection(c);
    }
  }

  void close_socket(Connection& c) {
    if (c.fd >= 0) {
      ::close(c.fd);
      c.fd = -1;
      --server_.open_;
    }
  }

  void close_connection(Connection& c) {
    close_socket(c);
    c.dead = true;
    dead_.push_back(c.id);
  }

  void reap() {
    for (std::uint64_t id : dead_) connections_.erase(id);
    dead_.clear();
  }

  EventServer& server_;
  std::size_t index_;
  int epoll_ = -1;
  int wake_ = -1;
  bool listening_ = false;
  Clock::time_point accept_paused_until_{};
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> draining_{false};
  Clock::time_point now_ = Clock::now();
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::vector<std::uint64_t> dead_;
  std::uint64_t next_id_ = 1;
  std::size_t next_loop_ = 0;
  HttpDate date_;
  char buffer_[kReadChunk];

  std::mutex mutex_;  // guards the three queues below, filled from other threads
  std::vector<std::pair<std::uint64_t, HttpResponse>> answers_;
  std::vector<std::pair<int, sockaddr_storage>> arrivals_;
  std::vector<Piece> pieces_;
};

EventServer::EventServer(HttpService& service, int listen_fd, EventServerOptions options)
    : service_(service), listen_fd_(listen_fd), options_(std::move(options)) {
  if (options_.loops < 1) options_.loops = 1;
  if (options_.workers < 1) options_.workers = 1;
  if (options_.waiting_workers < 1) options_.waiting_workers = 1;
}

EventServer::~EventServer() {
  if (started_ && !stopped_) stop(std::chrono::milliseconds(0));
}

void EventServer::start() {
  // Several loops accept from one socket: whoever loses the race must get EAGAIN, not
  // block in accept().
  const int flags = fcntl(listen_fd_, F_GETFL, 0);
  if (flags < 0 || fcntl(listen_fd_, F_SETFL, flags | O_NONBLOCK) != 0)
    throw std::runtime_error(std::string("listening socket: ") + std::strerror(errno));
  workers_ = std::make_unique<WorkerPool>(options_.workers);
  waiters_ = std::make_unique<WorkerPool>(options_.waiting_workers);
  for (int i = 0; i < options_.loops; ++i) loops_.push_back(std::make_unique<Loop>(*this, static_cast<std::size_t>(i)));
  for (auto& loop : loops_) loop->start();
  started_ = true;
}

void EventServer::stop(std::chrono::milliseconds drain) {
  if (!started_ || stopped_) return;
  stopped_ = true;
  for (auto& loop : loops_) loop->begin_drain();
  const auto deadline = Clock::now() + drain;
  while (open_.load() > 0 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // Queued requests not yet started get a 503 while the loops can still send it.
  refusing_ = true;
  const auto refused_by = Clock::now() + std::chrono::seconds(1);
  while (workers_->queued() + waiters_->queued() > 0 && Clock::now() < refused_by)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  for (auto& loop : loops_) loop->finish();  // each sends what was posted to it first
  workers_.reset();  // requests still running end (an engine call is not cut short)
  waiters_.reset();
  loops_.clear();
}

}  // namespace salescore::http
