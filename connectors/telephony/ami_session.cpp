#include "ami_session.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <sstream>

namespace salescore::telephony {

namespace {
// The events the assembler reads: Asterisk is asked to send only these (a whitelist
// regex, understood by every Asterisk since 12; needs the "system" permission).
constexpr const char* kEventFilter =
    "Event: (Newchannel|Newstate|NewCallerid|NewConnectedLine|Newexten|Hangup|DialBegin|DialEnd|Bridge|LocalBridge|"
    "BlindTransfer|AttendedTransfer|Pickup|Agent|VarSet|Cdr|CoreShowChannel|OriginateResponse|Rename|FullyBooted)";

// Calls kept for the engine beyond this many: the session stops reading (and reconnects
// with backoff) rather than hold ever more in memory.
constexpr std::size_t kMaxUnsent = 200'000;

std::int64_t system_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "1796607087.815000" (timestampevents = yes in manager.conf) -> ms; 0 when absent.
std::int64_t timestamp_ms(std::string_view t) {
  if (t.empty()) return 0;
  char* end = nullptr;
  const double seconds = std::strtod(std::string(t).c_str(), &end);
  return seconds > 0 ? static_cast<std::int64_t>(seconds * 1000.0 + 0.5) : 0;
}

// OriginateResponse's Reason (AST_CONTROL_*): 5 busy, 3 and 1 nobody answered, others failed.
std::string originate_disposition(std::string_view reason) {
  if (reason == "5") return "busy";
  if (reason == "3" || reason == "1") return "no answer";
  return "failed";
}
}  // namespace

AmiSession::AmiSession(const sc_host_api* api, sc_host* host, AmiSettings settings, PbxPlan plan)
    : api_(api), host_(host), settings_(std::move(settings)), plan_(plan), assembler_(std::move(plan)) {}

sc_status AmiSession::fail(sc_status code, const std::string& why) { return api_->fail(host_, code, why.c_str()); }

std::string AmiSession::next_id(const char* what) { return std::string(what) + "-" + std::to_string(++counter_); }

void AmiSession::stop() {
  std::lock_guard lock(mutex_);
  if (conn_) conn_->close();
}

sc_status AmiSession::run() {
  auto c = std::make_shared<AmiConnection>();
  if (std::string why = c->open(settings_.host, settings_.port, settings_.connect_timeout_ms); !why.empty())
    return fail(SC_UNAVAILABLE, "AMI: " + why);
  last_received_ms_ = system_ms();
  const std::string login_id = next_id("login");
  c->send(ami_action({{"Action", "Login"}, {"Username", settings_.user}, {"Secret", settings_.secret},
                      {"Events", settings_.events}, {"ActionID", login_id}}));
  auto login = await(*c, login_id);
  if (!login) return fail(SC_UNAVAILABLE, "AMI: no answer to Login (" + c->why_closed() + ")");
  if (login->get("Response") != "Success")
    return fail(SC_UNAUTHENTICATED, "AMI refused the login of '" + settings_.user + "': " +
                                        std::string(login->get("Message")));
  if (settings_.filter) {
    const std::string id = next_id("filter");
    c->send(ami_action({{"Action", "Filter"}, {"Operation", "Add"}, {"Filter", kEventFilter}, {"ActionID", id}}));
    auto r = await(*c, id);
    if (r && r->get("Response") != "Success")
      api_->log(host_, SC_LOG_WARN,
                ("AMI event filter refused (" + std::string(r->get("Message")) +
                 "): reading every event; give the AMI user the 'system' permission or set filter = false")
                    .c_str());
  }
  // Calls in progress: what we hold open but Asterisk no longer has ended while we were away.
  assembler_.begin_resync();
  const std::string resync_id = next_id("resync");
  c->send(ami_action({{"Action", "CoreShowChannels"}, {"ActionID", resync_id}}));
  if (!await(*c, resync_id, "CoreShowChannelsComplete"))
    return fail(SC_UNAVAILABLE, "AMI: no answer to CoreShowChannels (" + c->why_closed() + ")");
  assembler_.end_resync(api_->now_ms(host_));
  {
    std::lock_guard lock(mutex_);
    conn_ = c;
  }
  api_->log(host_, SC_LOG_INFO, ("AMI session up; " + std::to_string(assembler_.open_calls()) +
                                 " call(s) in progress after the resync").c_str());
  flush_unsent();  // what the last connection could not hand over; the loop retries the rest
  std::int64_t last_ping = system_ms(), last_sweep = 0, retry_at = 0, retry_wait = 250;
  std::vector<ReceivedFrame> frames;
  sc_status result = SC_OK;
  while (!api_->stopping(host_)) {
    frames.clear();
    c->take(frames, 200);
    for (const auto& f : frames) handle(f);
    const bool idle = c->queued() == 0;
    // The engine cannot take calls now (a busy database, backpressure): the session goes
    // on reading and assembling, since events left in the queue would be lost with the
    // connection, and hands over what it kept every so often, in order.
    const std::int64_t now = system_ms();
    if (!unsent_.empty() && now >= retry_at) {
      if (flush_unsent() == SC_OK) {
        retry_wait = 250;
      } else {
        retry_at = now + retry_wait;
        retry_wait = std::min<std::int64_t>(retry_wait * 2, 2000);
      }
    }
    emit_finished(idle);  // a call the host cannot take is kept in unsent_
    if (unsent_.size() > kMaxUnsent) {
      result = fail(SC_RESOURCE_EXHAUSTED, "AMI: " + std::to_string(unsent_.size()) +
                                               " calls wait for the engine; reconnecting later");
      break;
    }
    if (!c->alive() && idle) {
      result = fail(SC_UNAVAILABLE, "AMI connection lost: " + c->why_closed());
      break;
    }
    if (now - last_received_ms_ > 2LL * settings_.ping_interval_ms + settings_.reply_timeout_ms) {
      result = fail(SC_UNAVAILABLE, "AMI: no answer to Ping; reconnecting");
      break;
    }
    if (now - last_ping >= settings_.ping_interval_ms) {
      c->send(ami_action({{"Action", "Ping"}, {"ActionID", next_id("ping")}}));
      last_ping = now;
    }
    if (now - last_sweep >= 60000) {
      last_sweep = now;
      const std::vector<Call> stale = assembler_.close_stale(api_->now_ms(host_), settings_.max_call_ms);
      for (const Call& call : stale)
        if (call.closed_by == "timeout")
          api_->log(host_, SC_LOG_WARN, ("call " + call.key + " closed by timeout: no hangup seen").c_str());
      emit_calls(stale);  // or kept in unsent_
    }
  }
  if (result == SC_OK) c->send(ami_action({{"Action", "Logoff"}, {"ActionID", next_id("logoff")}}));
  {
    std::lock_guard lock(mutex_);
    conn_.reset();
    for (auto& [id, reply] : replies_) reply.frame = AmiFrame{};  // wake deliver(): no session
    replied_.notify_all();
  }
  c->close();
  return result;
}

std::optional<AmiFrame> AmiSession::await(AmiConnection& c, const std::string& action_id, const char* until_event) {
  const std::int64_t deadline = system_ms() + settings_.reply_timeout_ms;
  std::vector<ReceivedFrame> frames;
  std::optional<AmiFrame> answer;
  while (system_ms() < deadline && !api_->stopping(host_)) {
    frames.clear();
    c.take(frames, 100);
    for (auto& f : frames) {
      const bool ours = f.frame.get("ActionID") == action_id;
      if (ours && !until_event && f.frame.has("Response")) answer = f.frame;
      else if (ours && until_event && f.frame.event() == until_event) answer = f.frame;
      else if (ours && until_event && f.frame.get("Response") == "Error") answer = f.frame;
      else handle(f);
    }
    if (answer) return answer;
    if (!c.alive() && frames.empty()) return std::nullopt;
  }
  return std::nullopt;
}

void AmiSession::handle(const ReceivedFrame& f) {
  last_received_ms_ = f.received_ms;
  const AmiFrame& e = f.frame;
  const std::string action_id(e.get("ActionID"));
  if (!action_id.empty() && e.has("Response") && !e.has("Event")) {
    std::lock_guard lock(mutex_);
    if (auto it = replies_.find(action_id); it != replies_.end()) {
      it->second.frame = e;
      replied_.notify_all();
    }
    return;
  }
  if (e.event() == "OriginateResponse") {
    Originate placed;
    {
      std::lock_guard lock(mutex_);
      auto it = originates_.find(action_id);
      if (it == originates_.end()) return;
      placed = it->second;
      originates_.erase(it);
    }
    if (e.get("Response") == "Success") return;  // the call itself is assembled from its events
    // The call never started: no channel events will tell the manager why, so say it here.
    Call call;
    call.key = "originate:" + placed.action_id;
    call.direction = "outbound";
    call.started_ms = call.ended_ms = f.received_ms;
    call.disposition = originate_disposition(e.get("Reason"));
    call.manager = call.caller = placed.extension;
    call.callee = call.customer = placed.phone;
    call.hangup_cause = "originate reason " + std::string(e.get("Reason"));
    emit_calls({call});
    return;
  }
  const std::int64_t at = timestamp_ms(e.get("Timestamp"));
  assembler_.on_event(e, at ? at : f.received_ms);
}

sc_status AmiSession::emit_finished(bool flush) { return emit_calls(assembler_.take_finished(flush)); }

sc_status AmiSession::emit_calls(const std::vector<Call>& calls) {
  // The calls that what was read finished go over together: one transaction for them
  // all, where a call each cost a commit of its own (bench/RESULTS.md, telephony). An
  // internal call has no client's timeline to land on.
  std::vector<CallRecord> finished;
  for (const Call& call : calls)
    if (CallRecord r = call_record(call, plan_.logins, plan_.internal_max_digits); !r.skip)
      finished.push_back(std::move(r));
  sc_status first = SC_OK;
  for (std::size_t at = 0; at < finished.size(); at += kCallsPerHandOver) {
    const auto from = finished.begin() + static_cast<std::ptrdiff_t>(at);
    const auto to = finished.begin() + static_cast<std::ptrdiff_t>(std::min(finished.size(), at + kCallsPerHandOver));
    if (sc_status st = emit({std::make_move_iterator(from), std::make_move_iterator(to)}); st != SC_OK && first == SC_OK)
      first = st;
  }
  return first;
}

sc_status AmiSession::flush_unsent() {
  while (!unsent_.empty()) {
    const std::size_t n = std::min(unsent_.size(), kCallsPerHandOver);
    const std::vector<CallRecord> next(unsent_.begin(), unsent_.begin() + static_cast<std::ptrdiff_t>(n));
    if (sc_status st = emit_call_records(api_, host_, next.data(), next.size());
        st == SC_RESOURCE_EXHAUSTED || st == SC_UNAVAILABLE)
      return st;
    unsent_.erase(unsent_.begin(), unsent_.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return SC_OK;
}

sc_status AmiSession::emit(std::vector<CallRecord> calls) {
  if (calls.empty()) return SC_OK;
  if (!unsent_.empty()) {  // keep the order: what the host refused goes first
    for (auto& r : calls) unsent_.push_back(std::move(r));
    return SC_RESOURCE_EXHAUSTED;
  }
  const sc_status st = emit_call_records(api_, host_, calls.data(), calls.size());
  if (st != SC_RESOURCE_EXHAUSTED && st != SC_UNAVAILABLE) return SC_OK;  // applied, or dead letters with their reasons
  for (auto& r : calls) unsent_.push_back(std::move(r));
  return st;
}

sc_status AmiSession::originate(const Originate& call, std::string& why) {
  std::shared_ptr<AmiConnection> c;
  {
    std::lock_guard lock(mutex_);
    c = conn_;
    if (!c) {
      why = "no AMI session is up";
      return SC_UNAVAILABLE;
    }
    replies_[call.action_id] = Reply{};
    originates_[call.action_id] = call;
  }
  const std::string action = ami_action({{"Action", "Originate"}, {"Channel", call.channel},
                                         {"Context", call.context}, {"Exten", call.exten}, {"Priority", "1"},
                                         {"CallerID", call.caller_id}, {"Async", "true"},
                                         {"ActionID", call.action_id}});
  if (action.empty()) {
    why = "a line break in the extension or number";
    std::lock_guard lock(mutex_);
    replies_.erase(call.action_id);
    originates_.erase(call.action_id);
    return SC_INVALID_ARGUMENT;
  }
  c->send(action);
  std::unique_lock lock(mutex_);
  replied_.wait_for(lock, std::chrono::milliseconds(settings_.reply_timeout_ms),
                    [&] { return replies_[call.action_id].frame.has_value(); });
  std::optional<AmiFrame> reply = std::move(replies_[call.action_id].frame);
  replies_.erase(call.action_id);
  if (!reply || reply->headers.empty()) {
    originates_.erase(call.action_id);
    why = "no answer to Originate";
    return SC_UNAVAILABLE;
  }
  if (reply->get("Response") != "Success") {
    originates_.erase(call.action_id);
    why = "Asterisk refused the Originate: " + std::string(reply->get("Message"));
    return SC_INVALID_ARGUMENT;
  }
  return SC_OK;
}

}  // namespace salescore::telephony
