#include "ami_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace salescore::telephony {

namespace {
std::int64_t system_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Connects `fd` within the timeout (a PBX behind a dead route must not hang the session).
bool connect_within(int fd, const sockaddr* addr, socklen_t len, int timeout_ms, std::string& why) {
  const int flags = fcntl(fd, F_GETFL, 0);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  int rc = ::connect(fd, addr, len);
  if (rc != 0 && errno != EINPROGRESS) {
    why = std::strerror(errno);
    return false;
  }
  if (rc != 0) {
    pollfd p{fd, POLLOUT, 0};
    rc = ::poll(&p, 1, timeout_ms);
    if (rc <= 0) {
      why = rc == 0 ? "timed out" : std::strerror(errno);
      return false;
    }
    int err = 0;
    socklen_t elen = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
    if (err) {
      why = std::strerror(err);
      return false;
    }
  }
  fcntl(fd, F_SETFL, flags);
  return true;
}
}  // namespace

std::string ami_action(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [k, v] : headers) {
    if (k.find_first_of("\r\n:") != std::string::npos || v.find_first_of("\r\n") != std::string::npos) return "";
    out += k + ": " + v + "\r\n";
  }
  return out + "\r\n";
}

AmiConnection::~AmiConnection() {
  close();
  if (reader_.joinable()) reader_.join();
  if (fd_ >= 0) ::close(fd_);
}

std::string AmiConnection::open(const std::string& host, int port, int timeout_ms) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0)
    return "cannot resolve " + host + ": " + gai_strerror(rc);
  std::string why = "no address";
  for (addrinfo* a = found; a; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (connect_within(fd, a->ai_addr, a->ai_addrlen, timeout_ms, why)) {
      fd_ = fd;
      break;
    }
    ::close(fd);
  }
  freeaddrinfo(found);
  if (fd_ < 0) return "cannot connect to " + host + ":" + std::to_string(port) + ": " + why;
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(fd_, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  alive_ = true;
  reader_ = std::thread([this] { read_loop(); });
  return "";
}

void AmiConnection::read_loop() {
  AmiFrameParser parser;
  std::vector<AmiFrame> frames;
  std::string buffer(64 * 1024, '\0');
  while (true) {
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::lock_guard lock(mutex_);
      why_ = n == 0 ? "the PBX closed the connection" : std::string("read failed: ") + std::strerror(errno);
      alive_ = false;
      ready_.notify_all();
      return;
    }
    frames.clear();
    parser.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)), frames);
    malformed_ = parser.malformed_lines();
    if (frames.empty()) continue;
    const std::int64_t now = system_ms();
    std::lock_guard lock(mutex_);
    for (auto& f : frames) queue_.push_back(ReceivedFrame{std::move(f), now});
    ready_.notify_one();
  }
}

bool AmiConnection::send(const std::string& message) {
  if (!alive_ || message.empty()) return false;
  std::lock_guard lock(send_mutex_);
  std::size_t sent = 0;
  while (sent < message.size()) {
    const ssize_t n = ::send(fd_, message.data() + sent, message.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

void AmiConnection::take(std::vector<ReceivedFrame>& out, int wait_ms) {
  std::unique_lock lock(mutex_);
  if (queue_.empty() && alive_)
    ready_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return !queue_.empty() || !alive_; });
  // A bounded slice, so a flood does not starve pings and emits on the session thread.
  for (std::size_t i = 0; i < 5000 && !queue_.empty(); ++i) {
    out.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
}

std::size_t AmiConnection::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::string AmiConnection::why_closed() const {
  std::lock_guard lock(mutex_);
  return why_;
}

void AmiConnection::close() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  std::lock_guard lock(mutex_);
  alive_ = false;
  ready_.notify_all();
}

}  // namespace salescore::telephony
