# bench: AMI events into calls (100,000 calls, ~20 events each) vs a Python socket reader + sqlite3 vs parse only
# needs: telephony_parse_only salescore_connector_telephony
"""bench/run telephony [CALLS]

Generates CALLS calls' worth of AMI events (default 100,000; 21 events a call, shaped
like the recorded sessions of ../shared/fixtures/ami: an outside caller on the
operator's trunk dials a manager's extension, it rings, is answered, both are bridged,
they talk and hang up), and in the same run measures:
  (a) salescore: `salescore serve` with the telephony connector, whose AMI session logs
      in to a local TCP peer (this script) that then sends the whole stream; timed from
      the first byte sent until the database has every call (an interaction each);
  (b) a Python script as a user would write it: a socket reader that frames the same
      stream, groups the events by Linkedid into calls and inserts each finished call
      with sqlite3 (a commit per 1,000 calls);
  (c) the parse-only limit: the connector's frame parser over the same stream from the
      same peer, every message framed and dropped (telephony_parse_only).
Last line: telephony: events_per_s=.. calls_per_s=.. python_events_per_s=..
parse_only_events_per_s=.. ratio_python=<salescore events/s over python's>
"""
from __future__ import annotations

import os
import pathlib
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = pathlib.Path(os.environ.get("BUILD_DIR", ROOT / "build"))
BIN = BUILD / "server" / "salescore"
PARSE_ONLY = BUILD / "bench" / "telephony_parse_only"
START = int(time.time()) - 3600  # an hour ago: calls as a live PBX sends them (older ones are closed by max_call_hours)


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def frame(**headers) -> str:
    return "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"


def one_call(i: int) -> list[str]:
    """The AMI events of one answered inbound call, as Asterisk 22 sends them."""
    t = START + i // 50  # 50 calls a second of PBX time
    a, b = f"{t}.{2 * i}", f"{t}.{2 * i + 1}"
    cust, ext = f"PJSIP/operator-{2 * i:08x}", f"PJSIP/102-{2 * i + 1:08x}"
    number = f"8495{1000000 + i % 9000000:07d}"
    ts = lambda dt: f"{t + dt}.000000"
    c = dict(Channel=cust, Uniqueid=a, Linkedid=a, CallerIDNum=number, Context="from-trunk", Exten="600")
    e = dict(Channel=ext, Uniqueid=b, Linkedid=a, CallerIDNum="102", Context="from-internal", Exten="102")
    d = dict(DestChannel=ext, DestUniqueid=b, DestLinkedid=a, DestCallerIDNum="102", DestContext="from-internal",
             DestExten="102")
    bridge = f"br-{i}"
    return [
        frame(Event="Newchannel", Timestamp=ts(0), ChannelState=0, ChannelStateDesc="Down", **c),
        frame(Event="Newstate", Timestamp=ts(0), ChannelState=4, ChannelStateDesc="Ring", **c),
        frame(Event="Newexten", Timestamp=ts(0), Application="Dial", AppData="PJSIP/102,30", **c),
        frame(Event="VarSet", Timestamp=ts(0), Variable="DIALEDPEERNUMBER", Value="102", **c),
        frame(Event="Newchannel", Timestamp=ts(0), ChannelState=0, ChannelStateDesc="Down", **e),
        frame(Event="NewCallerid", Timestamp=ts(0), **e),
        frame(Event="DialBegin", Timestamp=ts(0), DialString="102", **c, **d),
        frame(Event="Newstate", Timestamp=ts(0), ChannelState=5, ChannelStateDesc="Ringing", **e),
        frame(Event="NewConnectedLine", Timestamp=ts(1), ConnectedLineNum="102", **c),
        frame(Event="Newstate", Timestamp=ts(1), ChannelState=6, ChannelStateDesc="Up", **e),
        frame(Event="DialEnd", Timestamp=ts(1), DialStatus="ANSWER", **c, **d),
        frame(Event="Newstate", Timestamp=ts(1), ChannelState=6, ChannelStateDesc="Up", **c),
        frame(Event="BridgeCreate", Timestamp=ts(1), BridgeUniqueid=bridge, BridgeType="basic"),
        frame(Event="BridgeEnter", Timestamp=ts(1), BridgeUniqueid=bridge, **c),
        frame(Event="BridgeEnter", Timestamp=ts(1), BridgeUniqueid=bridge, **e),
        frame(Event="VarSet", Timestamp=ts(1), Variable="BRIDGEPEER", Value=ext, **c),
        frame(Event="BridgeLeave", Timestamp=ts(5), BridgeUniqueid=bridge, **c),
        frame(Event="Hangup", Timestamp=ts(5), Cause=16, **{"Cause-txt": "Normal Clearing"}, **c),
        frame(Event="BridgeLeave", Timestamp=ts(5), BridgeUniqueid=bridge, **e),
        frame(Event="BridgeDestroy", Timestamp=ts(5), BridgeUniqueid=bridge),
        frame(Event="Hangup", Timestamp=ts(5), Cause=16, **{"Cause-txt": "Normal Clearing"}, **e),
    ]


def stream(calls: int) -> tuple[bytes, int]:
    """The calls' events, interleaved as a busy PBX sends them: a call's events are spread
    over those of the 20 calls around it."""
    parts, events = [], 0
    window = 20
    for start in range(0, calls, window):
        group = [one_call(i) for i in range(start, min(calls, start + window))]
        for step in range(21):
            for g in group:
                parts.append(g[step])
                events += 1
    return "".join(parts).encode(), events


class AmiPeer:
    """A local AMI: answers Login, Filter, CoreShowChannels and Ping, then sends the stream
    once per connection (`raw`: no handshake, the stream and close, for parse only)."""

    def __init__(self, blob: bytes, raw: bool = False):
        self.blob, self.raw = blob, raw
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.sent_at: float | None = None
        self.sent_done: float | None = None
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn: socket.socket):
        with conn:
            if self.raw:
                conn.sendall(b"Asterisk Call Manager/11.0.0\r\n")
                self.sent_at = time.perf_counter()
                conn.sendall(self.blob)
                return
            conn.sendall(b"Asterisk Call Manager/11.0.0\r\n")
            buf, streamed = b"", False
            while True:
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                buf += data
                while b"\r\n\r\n" in buf:
                    msg, buf = buf.split(b"\r\n\r\n", 1)
                    h = dict(line.split(": ", 1) for line in msg.decode().split("\r\n") if ": " in line)
                    action, aid = h.get("Action", ""), h.get("ActionID", "")
                    reply = f"Response: Success\r\nActionID: {aid}\r\n"
                    if action == "Login":
                        reply += "Message: Authentication accepted\r\n"
                    elif action == "CoreShowChannels":
                        reply += ("EventList: start\r\n\r\nEvent: CoreShowChannelsComplete\r\nActionID: " + aid +
                                  "\r\nEventList: Complete\r\nListItems: 0\r\n")
                    elif action == "Ping":
                        reply += "Ping: Pong\r\n"
                    conn.sendall((reply + "\r\n").encode())
                    if action == "CoreShowChannels" and not streamed:
                        streamed = True
                        self.sent_at = time.perf_counter()
                        conn.sendall(self.blob)
                        self.sent_done = time.perf_counter()

    def close(self):
        self.sock.close()


def run_salescore(blob: bytes, events: int, calls: int, work: pathlib.Path) -> float:
    db = work / "crm.db"
    subprocess.run([str(BIN), "init", "--db", f"sqlite:{db}"], check=True, capture_output=True)
    # Extension 102's manager, so each call is a manager's (the engine resolves the login).
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO users (login, name, role, active, created_at) "
                    "VALUES ('m102', 'Manager 102', 'manager', 1, 0)")
    peer = AmiPeer(blob)
    config = work / "salescore.ini"
    config.write_text(f"[connector.telephony]\nami_port = {peer.port}\nami_user = salescore\nami_secret = s\n"
                      "trunks = PJSIP/operator*\nextensions = 102:m102\n")
    log = open(work / "serve.log", "w")
    proc = subprocess.Popen([str(BIN), "serve", "--db", f"sqlite:{db}", "--config", str(config), "--listen",
                             "127.0.0.1:0"], stdout=subprocess.DEVNULL, stderr=log)
    try:
        con = sqlite3.connect(db, timeout=30)
        deadline = time.time() + float(os.environ.get("TELEPHONY_BENCH_TIMEOUT", 1800))
        done = 0
        while time.time() < deadline:
            time.sleep(0.25)
            if proc.poll() is not None:
                raise SystemExit(f"salescore serve exited: see {work / 'serve.log'}")
            done = con.execute("SELECT COUNT(*) FROM interactions WHERE kind = 'call'").fetchone()[0]
            if done >= calls:
                break
        finished = time.perf_counter()
        con.close()
        if done < calls:
            raise SystemExit(f"only {done} of {calls} calls recorded in time")
        return finished - peer.sent_at
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
        peer.close()


def run_python(blob: bytes, calls: int, work: pathlib.Path) -> float:
    """The script a user would write: read the socket, group by Linkedid, insert calls."""
    peer = AmiPeer(blob)
    db = sqlite3.connect(work / "python.db")
    db.execute("CREATE TABLE calls (linkedid TEXT PRIMARY KEY, caller TEXT, callee TEXT, started REAL, "
               "answered REAL, ended REAL, cause TEXT)")
    sock = socket.create_connection(("127.0.0.1", peer.port))
    f = sock.makefile("rb")
    f.readline()  # banner
    for action in ("Login\r\nUsername: s\r\nSecret: s", "CoreShowChannels"):
        sock.sendall(f"Action: {action}\r\nActionID: 1\r\n\r\n".encode())
    open_calls: dict[str, dict] = {}
    recorded = pending = 0
    msg: dict[str, str] = {}
    start = None
    for raw in f:
        line = raw.decode().rstrip("\r\n")
        if line:
            k, _, v = line.partition(": ")
            msg[k] = v
            continue
        event, msg = msg, {}
        if "Event" not in event or "Linkedid" not in event:
            continue
        if start is None:
            start = peer.sent_at
        call = open_calls.setdefault(event["Linkedid"], {"channels": set(), "started": event.get("Timestamp")})
        name = event["Event"]
        if name == "Newchannel":
            call["channels"].add(event["Uniqueid"])
            if event["Uniqueid"] == event["Linkedid"]:
                call["caller"], call["callee"] = event.get("CallerIDNum"), event.get("Exten")
        elif name == "DialEnd" and event.get("DialStatus") == "ANSWER":
            call["answered"] = event.get("Timestamp")
        elif name == "Hangup":
            call["channels"].discard(event["Uniqueid"])
            call["cause"] = event.get("Cause")
            if not call["channels"]:
                db.execute("INSERT OR REPLACE INTO calls VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (event["Linkedid"], call.get("caller"), call.get("callee"), call["started"],
                            call.get("answered"), event.get("Timestamp"), call.get("cause")))
                del open_calls[event["Linkedid"]]
                recorded += 1
                pending += 1
                if pending == 1000:
                    db.commit()
                    pending = 0
                if recorded == calls:
                    break
    db.commit()
    finished = time.perf_counter()
    sock.close()
    peer.close()
    db.close()
    if recorded != calls:
        raise SystemExit(f"the Python reader recorded {recorded} of {calls} calls")
    return finished - start


def run_parse_only(blob: bytes, events: int) -> float:
    peer = AmiPeer(blob, raw=True)
    out = subprocess.run([str(PARSE_ONLY), str(peer.port)], check=True, capture_output=True, text=True).stdout
    peer.close()
    fields = dict(kv.split("=") for kv in out.split())
    if int(fields["events"]) != events:
        raise SystemExit(f"parse only framed {fields['events']} of {events} events")
    return float(fields["seconds"])


def main():
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    say(f"generating {calls} calls' worth of AMI events")
    blob, events = stream(calls)
    say(f"{events} events, {len(blob) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(os.environ.get("TELEPHONY_BENCH_DIR") or tmp)  # kept there: its serve.log
        parse_s = run_parse_only(blob, events)
        say(f"parse only: {parse_s:.2f} s")
        python_s = run_python(blob, calls, work)
        say(f"python socket reader + sqlite3: {python_s:.2f} s")
        salescore_s = run_salescore(blob, events, calls, work)
        say(f"salescore serve, telephony connector: {salescore_s:.2f} s")
    eps, py_eps, parse_eps = events / salescore_s, events / python_s, events / parse_s
    print(f"calls={calls} events={events} salescore_s={salescore_s:.2f} python_s={python_s:.2f} parse_only_s={parse_s:.2f}")
    print(f"telephony: events_per_s={eps:.0f} calls_per_s={calls / salescore_s:.0f} python_events_per_s={py_eps:.0f} "
          f"parse_only_events_per_s={parse_eps:.0f} ratio_python={eps / py_eps:.2f}")


if __name__ == "__main__":
    main()
