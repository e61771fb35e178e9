// A scripted Asterisk Manager Interface on loopback, for the telephony tests: the
// documented wire format (banner, "Key: Value" lines, blank-line framing, ActionID echo),
// Login / Filter / Ping / CoreShowChannels / Originate / Logoff answered, and per
// connection a script of event frames, replayed from the sessions recorded from a real
// Asterisk 22 (../shared/fixtures/ami/) or built to the AMI event reference.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "ami_frame.h"

namespace salescore::plugins::testing {

// One frame as text ("Event: Hangup\r\nUniqueid: ...\r\n\r\n").
using AmiText = std::string;

// The frames Asterisk sent in a recorded session (`<<` lines), events only, each given a
// Timestamp header (as timestampevents = yes does) from the session's EventTV clock.
inline std::vector<AmiText> recorded_events(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::vector<std::vector<std::string>> frames;
  std::vector<double> at;
  std::vector<std::string> current;
  double current_at = 0, base = 0;
  const std::regex row(R"(^\[\s*([0-9.]+)\] (<<|>>) ?(.*)$)");
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, row) || m[2] != "<<") continue;
    const std::string body = m[3];
    if (body.empty()) {
      if (!current.empty()) frames.push_back(current), at.push_back(current_at);
      current.clear();
      continue;
    }
    if (current.empty()) current_at = std::stod(m[1]);
    if (base == 0 && body.rfind("EventTV: ", 0) == 0) {
      std::tm tm{};
      strptime(body.substr(9, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
      base = static_cast<double>(timegm(&tm)) + std::stod("0" + body.substr(28, 4)) - current_at;
    }
    current.push_back(body);
  }
  std::vector<AmiText> out;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].front().rfind("Event: ", 0) != 0) continue;  // banner and responses: the peer answers itself
    AmiText t;
    for (const auto& l : frames[i]) t += l + "\r\n";
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "Timestamp: %.6f\r\n", base + at[i]);
    out.push_back(t + stamp + "\r\n");
  }
  return out;
}

class ScriptedAmiPeer {
 public:
  struct Connection {
    std::vector<AmiText> events;  // sent after the login is accepted
    bool drop_after = false;      // close the socket once they are sent (a lost connection)
  };

  ScriptedAmiPeer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(listener_, 4);
    socklen_t len = sizeof a;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~ScriptedAmiPeer() { stop(); }

  int port() const { return port_; }
  void add_connection(Connection c) { connections_.push_back(std::move(c)); }
  // What CoreShowChannels lists on the given connection (0-based): CoreShowChannel frames.
  void live_channels(std::size_t connection, std::vector<AmiText> frames) {
    if (live_.size() <= connection) live_.resize(connection + 1);
    live_[connection] = std::move(frames);
  }
  std::string secret = "rec";
  std::atomic<bool> hold_events{false};  // set: the scripted events wait until it is cleared
  std::vector<AmiText> after_originate;  // events sent once an Originate is accepted

  void start() {
    thread_ = std::thread([this] { serve(); });
  }
  void stop() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    {
      std::lock_guard lock(mutex_);
      if (client_ >= 0) ::shutdown(client_, SHUT_RDWR);
    }
    if (thread_.joinable()) thread_.join();
  }

  int connections_made() const { return made_; }
  // Connections whose whole script of events has been written to the socket.
  int scripts_sent() const { return scripts_sent_; }
  std::vector<std::string> actions() {
    std::lock_guard lock(mutex_);
    return actions_;
  }
  std::vector<telephony::AmiFrame> originates() {
    std::lock_guard lock(mutex_);
    return originates_;
  }

 private:
  void serve() {
    while (!stopping_) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      {
        std::lock_guard lock(mutex_);
        client_ = fd;
      }
      const std::size_t index = static_cast<std::size_t>(made_++);
      converse(fd, index);
      {
        std::lock_guard lock(mutex_);
        client_ = -1;
      }
      ::close(fd);
    }
  }

  static void write_all(int fd, const std::string& s) {
    std::size_t sent = 0;
    while (sent < s.size()) {
      const ssize_t n = ::send(fd, s.data() + sent, s.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  void converse(int fd, std::size_t index) {
    write_all(fd, "Asterisk Call Manager/11.0.0\r\n");
    telephony::AmiFrameParser parser;
    std::vector<telephony::AmiFrame> frames;
    char buf[4096];
    parser.feed("banner\r\n", frames);  // our own parser expects a banner first
    frames.clear();
    while (true) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      parser.feed(std::string_view(buf, static_cast<std::size_t>(n)), frames);
      for (const auto& f : frames) {
        const std::string action(f.get("Action"));
        const std::string id(f.get("ActionID"));
        {
          std::lock_guard lock(mutex_);
          actions_.push_back(action);
          if (action == "Originate") originates_.push_back(f);
        }
        const std::string echo = "ActionID: " + id + "\r\n";
        if (action == "Login") {
          if (f.get("Secret") != secret) {
            write_all(fd, "Response: Error\r\n" + echo + "Message: Authentication failed\r\n\r\n");
            return;
          }
          write_all(fd, "Response: Success\r\n" + echo + "Message: Authentication accepted\r\n\r\n");
          write_all(fd, "Event: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n\r\n");
        } else if (action == "Filter") {
          write_all(fd, "Response: Success\r\n" + echo + "Message: Filter Added Successfully\r\n\r\n");
        } else if (action == "Ping") {
          write_all(fd, "Response: Success\r\n" + echo + "Ping: Pong\r\nTimestamp: 1796607000.000000\r\n\r\n");
        } else if (action == "CoreShowChannels") {
          write_all(fd, "Response: Success\r\n" + echo + "EventList: start\r\nMessage: Channels will follow\r\n\r\n");
          std::size_t count = 0;
          if (index < live_.size())
            for (const auto& c : live_[index]) write_all(fd, c.substr(0, c.size() - 2) + echo + "\r\n"), ++count;
          write_all(fd, "Event: CoreShowChannelsComplete\r\n" + echo + "EventList: Complete\r\nListItems: " +
                            std::to_string(count) + "\r\n\r\n");
          // The recorded calls start once the connector is ready for them.
          if (index < connections_.size()) {
            while (hold_events && !stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
            for (const auto& e : connections_[index].events) write_all(fd, e);
            if (!connections_[index].events.empty()) ++scripts_sent_;
            if (connections_[index].drop_after) return;
          }
        } else if (action == "Originate") {
          write_all(fd, "Response: Success\r\n" + echo + "Message: Originate successfully queued\r\n\r\n");
          for (const auto& e : after_originate) write_all(fd, e);
        } else if (action == "Logoff") {
          write_all(fd, "Response: Goodbye\r\n" + echo + "Message: Thanks for all the fish.\r\n\r\n");
          return;
        } else {
          write_all(fd, "Response: Error\r\n" + echo + "Message: Invalid/unknown command\r\n\r\n");
        }
      }
      frames.clear();
    }
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> made_{0};
  std::atomic<int> scripts_sent_{0};
  std::mutex mutex_;
  int client_ = -1;
  std::vector<Connection> connections_;
  std::vector<std::vector<AmiText>> live_;
  std::vector<std::string> actions_;
  std::vector<telephony::AmiFrame> originates_;
};

}  // namespace salescore::plugins::testing
