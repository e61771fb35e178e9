#include "outbound_actions.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "call_record.h"

namespace salescore::telephony {

std::string dialled(const std::string& phone, const std::string& format) {
  std::string digits;
  for (char c : phone)
    if (c >= '0' && c <= '9') digits += c;
  if (format == "e164") return "+" + digits;
  if (format == "ru8" && digits.size() == 11 && digits[0] == '7') return "8" + digits.substr(1);
  return digits;
}

bool store_recording(const std::string& dir, const std::string& name, const std::string& bytes, std::string& why) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  const fs::path target = fs::path(dir) / name;
  const fs::path partial = fs::path(dir) / (name + ".partial");
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      why = "cannot write " + partial.string();
      fs::remove(partial, ec);
      return false;
    }
  }
  fs::rename(partial, target, ec);
  if (ec) why = "cannot rename " + partial.string() + ": " + ec.message();
  return !ec;
}

namespace {

Poco::JSON::Object::Ptr parsed(const std::string& payload) {
  return Poco::JSON::Parser().parse(payload).extract<Poco::JSON::Object::Ptr>();
}

// A file name from a PBX's id: letters, digits, '-', '_' and '.' kept, the rest '_' (an id
// is outside input: no path of its own).
std::string safe_name(const std::string& id) {
  std::string out;
  for (char c : id) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
  return out.empty() || out[0] == '.' ? "_" + out : out;
}

}  // namespace

sc_status OutboundActions::deliver(const sc_outbound* item) const {
  const std::string kind = item->kind;
  const std::string payload(item->payload, item->payload_size);
  const std::string key = item->idempotency_key ? item->idempotency_key : std::to_string(item->id);
  try {
    if (kind == "call") return call(payload, key);
    if (kind == "recording") return recording(payload);
  } catch (const std::exception& e) {  // a payload that is no JSON object of the expected fields
    return api->fail(host, SC_INVALID_ARGUMENT, (kind + " action: " + e.what()).c_str());
  }
  return SC_OK;  // nothing else is queued for telephony
}

sc_status OutboundActions::call(const std::string& payload, const std::string& key) const {
  auto o = parsed(payload);
  std::string extension = o->optValue<std::string>("extension", "");
  const std::string phone = o->optValue<std::string>("phone", "");
  // salescore's dial() names the manager by login: their extension is in `extensions`.
  const std::string login = o->optValue<std::string>("login", "");
  for (const auto& [ext, who] : logins)
    if (extension.empty() && !login.empty() && who == login) extension = ext;
  if (extension.empty() && !login.empty())
    return api->fail(host, SC_INVALID_ARGUMENT,
                     ("click-to-call: " + login + " has no extension in [connector.telephony] extensions").c_str());
  if (extension.empty() || phone.empty())
    return api->fail(host, SC_INVALID_ARGUMENT, "call action: needs an extension and a phone");
  const std::string number = dialled(phone, dial_format);
  if (click_to_call == "zadarma" || click_to_call == "mango") {
    // The cloud PBX rings the extension, then the number; its webhooks then report the
    // call (NOTIFY_OUT_START/END, events/summary), which lands on the timeline as any call.
    ApiOutcome done = click_to_call == "zadarma" ? cloud.zadarma_callback(extension, number)
                                                 : cloud.mango_callback("c2c-" + key, extension, number);
    return done.status == SC_OK ? SC_OK : api->fail(host, done.status, ("click-to-call: " + done.reason).c_str());
  }
  Originate call;
  call.extension = extension;
  call.phone = phone;
  call.action_id = "c2c-" + key;
  call.channel = originate_channel;
  if (auto at = call.channel.find("{extension}"); at != std::string::npos) call.channel.replace(at, 11, extension);
  call.context = originate_context;
  call.exten = number;
  call.caller_id = extension;
  std::string why;
  const sc_status st = ami->originate(call, why);
  return st == SC_OK ? SC_OK : api->fail(host, st, ("click-to-call: " + why).c_str());
}

sc_status OutboundActions::recording(const std::string& payload) const {
  auto o = parsed(payload);
  const std::string pbx = o->getValue<std::string>("pbx");
  const std::string id = o->getValue<std::string>("id");
  const std::string call_key = o->getValue<std::string>("call");
  if (recordings_dir.empty()) return SC_OK;  // downloads were switched off after it was queued
  if (pbx != "zadarma" && pbx != "mango")
    return api->fail(host, SC_INVALID_ARGUMENT, ("recording: unknown PBX '" + pbx + "'").c_str());
  ApiOutcome file = pbx == "zadarma" ? cloud.zadarma_recording(id) : cloud.mango_recording(id);
  if (file.status != SC_OK) return api->fail(host, file.status, ("recording of " + call_key + ": " + file.reason).c_str());
  const std::string name = pbx + "-" + safe_name(id) + ".mp3";
  std::string why;
  if (!store_recording(recordings_dir, name, file.body, why))
    return api->fail(host, SC_UNAVAILABLE, ("recording of " + call_key + ": " + why).c_str());
  // The call names its recording as stored (the host refuses it for a call it does not have).
  Poco::JSON::Object record;
  record.set("recording", (std::filesystem::path(recordings_dir) / name).string());
  std::ostringstream json;
  record.stringify(json);
  const sc_status st = emit_call_record(api, host, call_key, json.str(), "recording:" + call_key);
  // Refused (no such call yet): the record is a dead letter with the reason, to replay.
  return st == SC_RESOURCE_EXHAUSTED || st == SC_UNAVAILABLE ? st : SC_OK;
}

}  // namespace salescore::telephony
