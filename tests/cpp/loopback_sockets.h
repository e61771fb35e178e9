// Loopback TCP sockets for the tests of the HTTP front end (http_event_server_test,
// http_stream_test): a listening socket on a free port, a client connected to it, and a
// fixed buffer size where a test counts what the kernel holds.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace salescore::http::loopback {

// A fixed 64 KB buffer (the kernel doubles it, and no longer tunes it to the traffic).
// `option`: SO_SNDBUF or SO_RCVBUF. False if the kernel refused it.
inline bool fix_buffer(int fd, int option) {
  int bytes = 64 << 10;
  return setsockopt(fd, SOL_SOCKET, option, &bytes, sizeof bytes) == 0;
}

// A socket listening on 127.0.0.1 at a free port (`port`), or -1. Accepted sockets
// inherit its send buffer size: `small_send_buffer` fixes it for them.
inline int listen_socket(std::uint16_t& port, bool small_send_buffer = false, int backlog = 512) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if ((small_send_buffer && !fix_buffer(fd, SO_SNDBUF)) || bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      listen(fd, backlog) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return -1;
  }
  port = ntohs(addr.sin_port);
  return fd;
}

// A client connected to 127.0.0.1:`port` (blocking), or -1.
inline int connect_to(std::uint16_t port, bool small_receive_buffer = false) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if ((small_receive_buffer && !fix_buffer(fd, SO_RCVBUF)) ||
      connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Reads until `done(text)` holds, the peer closes (`*closed`, when given), or `limit`
// passes; `chunk` bytes a read at most.
template <class Done>
std::string read_until(int fd, Done done, bool* closed, std::chrono::milliseconds limit, std::size_t chunk = 4096) {
  std::string text;
  std::vector<char> buf(chunk);
  const auto end = std::chrono::steady_clock::now() + limit;
  if (closed) *closed = false;
  while (!done(text) && std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    ssize_t n = recv(fd, buf.data(), buf.size(), 0);
    if (n <= 0) {
      if (closed) *closed = true;
      break;
    }
    text.append(buf.data(), static_cast<std::size_t>(n));
  }
  return text;
}

}  // namespace salescore::http::loopback
