// A manager's screen: tasks today (overdue first), their leads with SLA countdowns,
// their clients by segment, their plan; and the client card with its timeline and the
// records' actions. The API refuses what the manager may not see, and the card says so.
"use strict";

async function managerScreen() {
  const root = el("div", { id: "manager-screen" });
  mount(root);
  const me = S.me.user, now = new Date();
  async function refresh() {
    const [today, leadsNew, leadsWork, k, clients] = await Promise.all([
      api("GET", "/api/v1/today"),
      api("GET", "/api/v1/leads?status=new&assignee_id=" + me.id + "&limit=100"),
      api("GET", "/api/v1/leads?status=in_progress&assignee_id=" + me.id + "&limit=100"),
      api("GET", "/api/v1/kpi?period=" + monthOf(now) + "&user=" + me.id +
                 "&ids=plan.fulfilment,orders.revenue,plan.amount,clients.by_segment"),
      api("GET", "/api/v1/clients?owner_id=" + me.id + "&limit=200"),
    ]);
    const km = kpiMap(k);
    const order = { overdue: 0, due_today: 1, reminder: 2 };
    const items = today.items.slice().sort((a, b) => order[a.section] - order[b.section]);
    const done = (task) => async () => { await api("PATCH", "/api/v1/tasks/" + task.id, { status: "done" }); await refresh(); };
    const seg = (km["clients.by_segment"] || { breakdown: {} }).breakdown;
    root.replaceChildren(
      el("div", { class: "card", id: "plan" }, el("h2", {}, t("plan") + " " + monthOf(now)),
        progress(km["plan.fulfilment"] && km["plan.fulfilment"].value),
        el("p", {}, t("revenue") + ": ", el("b", { dataset: { kpi: "orders.revenue", value: km["orders.revenue"].value } },
          money(km["orders.revenue"].value)), " / " + money(km["plan.amount"] ? km["plan.amount"].value : 0))),
      el("div", { class: "grid" },
        el("div", { class: "card", id: "tasks-today" }, el("h2", {}, t("tasks_today") + " (" + items.length + ")"),
          items.length ? el("table", {}, items.map((it) => el("tr", { dataset: { task: it.task.id, section: it.section } },
            el("td", {}, el("span", { class: it.section === "overdue" ? "tag late" : "tag" },
              t(it.section === "overdue" ? "overdue_task" : it.section))),
            el("td", {}, it.task.title, el("div", { class: "muted" }, it.client_name)),
            el("td", {}, when(it.task.due_at)),
            el("td", {}, el("button", { class: "act", onclick: done(it.task) }, "✓"))))) : el("p", { class: "muted" }, t("nothing"))),
        el("div", { class: "card", id: "my-leads" }, el("h2", {}, t("my_leads")),
          leadTable(leadsNew.items.concat(leadsWork.items), [me])),
        el("div", { class: "card", id: "segments" }, el("h2", {}, t("clients_by_segment")),
          el("p", {}, Object.entries(seg).map(([s, n]) => el("span", { class: "tag" }, s + ": " + n))),
          bySegment(clients.items))));
  }
  S.screen = { refresh };
  await refresh();
}

// The manager's clients grouped by the segment the rules put them in (the client's
// `segment` field), the ones to act on first: hot and warm, then new, cooling, sleeping.
const SEGMENT_ORDER = ["hot", "warm", "new", "cooling", "sleeping"];
function bySegment(clients) {
  if (!clients.length) return el("p", { class: "muted" }, t("nothing"));
  const groups = new Map();
  for (const c of clients) {
    const key = c.segment || "—";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  const rank = (s) => { const i = SEGMENT_ORDER.indexOf(s); return i < 0 ? SEGMENT_ORDER.length : i; };
  const keys = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return el("table", { id: "clients-by-segment" }, keys.flatMap((key) => [
    el("tr", { class: "group", dataset: { segment: key } },
      el("th", { colspan: "2" }, key + " (" + groups.get(key).length + ")")),
    ...groups.get(key).map((c) => el("tr", { dataset: { client: c.id, segment: key } },
      el("td", {}, clientLink(c.id, c.name)), el("td", {}, c.tier)))]));
}

const STAGES = ["new", "qualified", "proposal", "negotiation", "contract", "won", "lost"];

async function clientScreen(id) {
  const root = el("div", { id: "client-card" });
  mount(root);
  async function refresh() {
    let c;
    try { c = await api("GET", "/api/v1/clients/" + id); }
    catch (e) { root.replaceChildren(errorBox(e)); return; }
    const q = "client_id=" + id + "&limit=100";
    const [calls, orders, visits, claims, deals] = await Promise.all([
      api("GET", "/api/v1/interactions?" + q), api("GET", "/api/v1/orders?" + q),
      api("GET", "/api/v1/visits?outlet_id=" + id + "&limit=100"), api("GET", "/api/v1/claims?" + q),
      api("GET", "/api/v1/deals?" + q)]);
    const events = [].concat(
      calls.items.map((i) => [i.occurred_at, i.kind + " " + (i.direction || ""), i.subject || ""]),
      orders.items.map((o) => [o.ordered_at, t("orders") + " " + (o.number || o.id), o.total + " " + o.currency + " · " + o.status]),
      visits.items.map((v) => [v.checked_in_at, "visit", v.order_id ? "order #" + v.order_id : ""]),
      claims.items.map((x) => [x.created_at, "claim " + x.kind, x.description || ""]),
      deals.items.map((d) => [d.created_at, t("deals") + " " + d.title, d.stage])
    ).sort((a, b) => new Date(b[0]) - new Date(a[0]));
    const title = el("input", { placeholder: t("title"), name: "title" });
    const due = el("input", { type: "datetime-local", name: "due" });
    const msg = el("span", {});
    const addTask = async (ev) => {
      ev.preventDefault();
      try {
        await api("POST", "/api/v1/tasks", { title: title.value, client_id: id, assignee_id: S.me.user.id,
          due_at: due.value ? new Date(due.value).toISOString() : new Date(Date.now() + 864e5).toISOString() });
        msg.replaceChildren(t("saved")); await refresh();
      } catch (e) { msg.replaceChildren(errorBox(e)); }
    };
    root.replaceChildren(
      el("div", { class: "card" }, el("h2", { id: "client-name" }, c.name),
        el("p", { class: "muted" }, [c.inn, (c.phones || []).join(", "), (c.emails || []).join(", ")].filter(Boolean).join(" · ")),
        c.notes ? el("p", { id: "client-notes" }, c.notes) : ""),
      el("div", { class: "grid" },
        el("div", { class: "card" }, el("h2", {}, t("timeline")),
          el("ul", { class: "timeline" }, events.map(([at, what, more]) => el("li", {}, el("b", {}, when(at)), " ", what, " ", el("span", { class: "muted" }, more))))),
        el("div", { class: "card" }, el("h2", {}, t("deals")),
          el("table", {}, deals.items.map((d) => dealRow(d, refresh))),
          el("h2", {}, t("add_task")),
          el("form", { onsubmit: addTask }, title, " ", due, " ", el("button", { class: "act" }, t("save")), msg))));
  }
  S.screen = { refresh };
  await refresh();
}

function dealRow(d, refresh) {
  const pick = el("select", {}, STAGES.map((s) => el("option", { value: s, selected: s === d.stage ? "" : undefined }, s)));
  const msg = el("span", {});
  const advance = async () => {
    try { await api("POST", "/api/v1/deals/" + d.id + "/advance", { stage: pick.value }); await refresh(); }
    catch (e) { msg.replaceChildren(errorBox(e)); }
  };
  return el("tr", { dataset: { deal: d.id } }, el("td", {}, d.title), el("td", {}, d.stage),
    el("td", {}, pick, el("button", { class: "act", onclick: advance }, t("advance")), msg));
}
