// The parse-only limit of `bench/run telephony`: connects to an AMI peer, reads the
// stream it sends until the peer closes, frames every message with the connector's
// parser and drops it. Prints "events=<n> seconds=<s>" (from the first byte to the last).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "ami_frame.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: telephony_parse_only PORT (an AMI peer on 127.0.0.1)\n");
    return 2;
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[1])));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("connect");
    return 1;
  }
  salescore::telephony::AmiFrameParser parser;
  std::vector<salescore::telephony::AmiFrame> frames;
  std::vector<char> buffer(1 << 16);
  std::size_t events = 0;
  auto first = std::chrono::steady_clock::now();
  bool started = false;
  while (true) {
    const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n <= 0) break;
    if (!started) first = std::chrono::steady_clock::now(), started = true;
    parser.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)), frames);
    for (const auto& f : frames) events += !f.event().empty();
    frames.clear();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - first).count();
  ::close(fd);
  std::printf("events=%zu seconds=%.3f\n", events, seconds);
  return 0;
}
