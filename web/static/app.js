// The screens' shared parts: talking to /api/v1 with the session cookie and its CSRF
// token, building DOM nodes (always as text: a client named "<script>" stays a name),
// numbers, drill-down lists, and the live refresh from /api/v1/changes.
"use strict";
const S = { me: null, csrf: "", seq: -1, screen: null, live: false };

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (method !== "GET") { headers["Content-Type"] = "application/json"; headers["X-CSRF-Token"] = S.csrf; }
  const r = await fetch(path, { method, headers, credentials: "same-origin",
                                body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const json = text ? JSON.parse(text) : {};
  if (!r.ok) {
    if (r.status === 401 && S.me && path !== "/api/v1/login") { S.me = null; go("/login"); }
    throw new ApiError(r.status, (json.error && json.error.message) || r.statusText);
  }
  return json;
}

// el("td", {class: "num", onclick: f}, "text", node, ...): children are text or nodes.
function el(tag, attrs, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(n.dataset, v);
    else n.setAttribute(k, v);
  }
  for (const k of kids.flat()) {
    if (k === undefined || k === null || k === false) continue;
    n.appendChild(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return n;
}

function mount(...nodes) {
  const app = document.getElementById("app");
  app.replaceChildren(...nodes);
}

const LOCALES = { ru: "ru-RU", en: "en-GB", zh: "zh-CN", bg: "bg-BG" };
function money(minor) {
  return (Number(minor || 0) / 100).toLocaleString(LOCALES[LANG], { maximumFractionDigits: 0 });
}
function count(n) { return Number(n || 0).toLocaleString(LOCALES[LANG]); }
function pct(bp) { return (Number(bp || 0) / 100).toFixed(1) + "%"; }
function when(iso) { return iso ? new Date(iso).toLocaleString(LOCALES[LANG], { dateStyle: "short", timeStyle: "short" }) : ""; }
function pad(n) { return String(n).padStart(2, "0"); }
function monthOf(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1); }
function dayOf(d) { return monthOf(d) + "-" + pad(d.getDate()); }
function monthStart(d) { return new Date(d.getFullYear(), d.getMonth(), 1); }

// "12:03 left" or "breached 5:10 ago" for an SLA due time.
function countdown(dueIso) {
  const ms = new Date(dueIso) - Date.now();
  const m = Math.floor(Math.abs(ms) / 60000), s = Math.floor(Math.abs(ms) / 1000) % 60;
  const hhmm = (m >= 60 ? Math.floor(m / 60) + "h " + pad(m % 60) : m) + ":" + pad(s);
  return ms >= 0 ? el("span", { class: "ok", dataset: { due: dueIso } }, hhmm)
                 : el("span", { class: "late", dataset: { due: dueIso } }, t("sla_breached") + " " + hhmm);
}
// Countdowns tick every second without asking the server.
setInterval(() => {
  for (const n of document.querySelectorAll("[data-due]")) n.replaceWith(countdown(n.dataset.due));
}, 1000);

function kpiMap(reply) {
  const m = {};
  for (const k of reply.kpis || []) m[k.id] = k;
  return m;
}

function progress(bp) {
  const w = Math.max(0, Math.min(100, Number(bp || 0) / 100));
  return el("div", { class: "bar", title: pct(bp) }, el("span", { style: "width:" + w + "%" }), el("em", {}, pct(bp)));
}

function errorBox(e) { return el("p", { class: "error", role: "alert" }, String(e.message || e)); }

// A drill-down: the records behind a figure, shown above the screen (those `keep` keeps).
async function drill(title, path, columns, keep) {
  const box = document.getElementById("drill") || el("div", { id: "drill", class: "card" });
  document.getElementById("app").prepend(box);
  box.replaceChildren(el("h2", {}, title), el("p", { class: "muted" }, "…"));
  try {
    const page = await api("GET", path);
    const items = (page.items || []).filter(keep || (() => true));
    const rows = items.map((r) => el("tr", { dataset: { id: r.id } },
      columns.map(([, f]) => el("td", {}, f(r)))));
    box.replaceChildren(el("h2", {}, title + " (" + items.length + (page.next ? "+" : "") + ")"),
      el("button", { class: "act", onclick: () => box.remove() }, t("back")),
      items.length ? el("table", { class: "records" },
        el("tr", {}, columns.map(([h]) => el("th", {}, h))), rows) : el("p", { class: "muted" }, t("nothing")));
  } catch (e) { box.replaceChildren(el("h2", {}, title), errorBox(e)); }
}

// Clients' names for the links in tables that carry only an id: each read once (through
// the API, so its access rules apply) until the event log moves.
const clientNames = new Map();
function clientName(id) {
  if (!clientNames.has(id))
    clientNames.set(id, api("GET", "/api/v1/clients/" + id).then((c) => c.name || "#" + id, () => "#" + id));
  return clientNames.get(id);
}

function clientLink(id, label) {
  const a = el("a", { class: "drill", href: "/client/" + id, onclick: (ev) => { ev.preventDefault(); go("/client/" + id); } },
    label || ("#" + id));
  if (!label) clientName(id).then((name) => { a.textContent = name; });
  return a;
}

const orderColumns = () => [["#", (o) => o.number || o.id], [t("client"), (o) => clientLink(o.client_id)],
  [t("amount"), (o) => o.total + " " + o.currency], [t("status"), (o) => o.status], [t("when"), (o) => when(o.ordered_at)]];
const leadColumns = () => [["#", (l) => l.id], [t("client"), (l) => l.company || l.contact_name], ["", (l) => l.channel],
  [t("status"), (l) => l.status], [t("sla_left"), (l) => l.first_action_at ? when(l.first_action_at) : countdown(l.sla_due_at)]];

// Live: wait on /api/v1/changes and refresh the screen when the log moves. Only that
// something changed comes from there; the figures come again through the access rules.
async function liveLoop() {
  if (S.live) return;
  S.live = true;
  let timer = null;
  while (S.me) {
    try {
      const r = await api("GET", "/api/v1/changes?after=" + Math.max(S.seq, 0) + "&wait=20");
      const moved = S.seq >= 0 && r.seq !== S.seq;
      S.seq = r.seq;
      if (moved) clientNames.clear();
      if (moved && S.screen && S.screen.refresh) {
        clearTimeout(timer);
        timer = setTimeout(() => S.screen.refresh().catch(() => {}), 150);
      }
    } catch (e) {
      if (e.status === 401) break;
      await new Promise((ok) => setTimeout(ok, 2000));
    }
  }
  S.live = false;
}
