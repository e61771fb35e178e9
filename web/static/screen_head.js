// The head of department's screen (a director sees the whole company): per manager
// today and this month, the last 12 months, the lead queue, approvals waiting. Every
// figure is a /api/v1/kpi answer, so the API's access rules decide what is shown.
"use strict";

const HEAD_COLUMNS = [
  ["plan", "plan.fulfilment"], ["revenue", "orders.revenue"], ["orders", "orders.count"], ["calls", "calls.count"],
  ["meetings", "meetings.count"], ["conversion", "leads.conversion"], ["overdue", "receivables.overdue"],
  ["breaches", "leads.sla_breaches"],
];

function figure(id, k) {
  if (!k) return "—";
  if (id === "plan.fulfilment") return progress(k.value);
  if (k.unit === "money") return money(k.value);
  if (k.unit === "bp") return k.defined ? pct(k.value) : "—";
  return count(k.value);
}

function agingText(k) {
  if (!k || !k.breakdown) return "";
  return Object.entries(k.breakdown).filter(([, v]) => v).map(([b, v]) => b + ": " + money(v)).join(" · ");
}

// The records behind figure `id` of manager `uid` over [from, to).
function drillFor(id, uid, from, to, name) {
  const range = "&from=" + encodeURIComponent(from.toISOString()) + "&to=" + encodeURIComponent(to.toISOString());
  const title = name + " · " + t(HEAD_COLUMNS.find((c) => c[1] === id)[0]);
  const who = uid ? "owner_id=" + uid : "";
  if (id === "orders.revenue" || id === "orders.count" || id === "plan.fulfilment")
    return drill(title, "/api/v1/orders?limit=200&" + who + range, orderColumns());
  if (id === "calls.count" || id === "meetings.count")
    return drill(title, "/api/v1/interactions?limit=200&kind=" + (id === "calls.count" ? "call" : "meeting") +
      (uid ? "&user_id=" + uid : "") + range,
      [["#", (i) => i.id], [t("client"), (i) => i.client_id ? clientLink(i.client_id) : ""], ["", (i) => i.direction],
       [t("when"), (i) => when(i.occurred_at)], ["", (i) => i.subject]]);
  if (id === "receivables.overdue")  // what each client owes past its due dates now, with aging
    return drill(title, "/api/v1/receivables?by=client" + (uid ? "&owner_id=" + uid : teamOf()),
      [[t("client"), (r) => clientLink(r.key, r.name)], [t("overdue"), (r) => r.overdue + " " + r.currency],
       ...["0-30", "31-60", "61-90", "90+"].map((b) => [b, (r) => r.aging[b]])], (r) => Number(r.overdue) > 0);
  if (id === "leads.sla_breaches")  // the breach log: who missed the first response, when
    return drill(title, "/api/v1/leads?limit=200&breached_from=" + encodeURIComponent(from.toISOString()) +
      "&breached_to=" + encodeURIComponent(to.toISOString()) + (uid ? "&assignee_id=" + uid : ""), leadColumns());
  // leads.conversion: the leads received in the period, as the KPI counts them (converted
  // ones show their status), credited to their assignee.
  return drill(title, "/api/v1/leads?limit=200&received_from=" + encodeURIComponent(from.toISOString()) +
    "&received_to=" + encodeURIComponent(to.toISOString()) + (uid ? "&assignee_id=" + uid : ""), leadColumns());
}

async function headScreen() {
  const root = el("div", { id: "head-screen" });
  mount(root);
  const me = S.me.user;
  const now = new Date(), from = monthStart(now), to = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  const dayFrom = new Date(now.getFullYear(), now.getMonth(), now.getDate()), dayTo = new Date(dayFrom.getTime() + 864e5);
  const team = me.role === "head" ? "&team=" + me.id : "";
  // Only the figures shown, every manager's in the same answer (?by=user): a screen of six
  // managers was 29 requests, each reading the sums again; now it is six.
  const ids = "&ids=" + HEAD_COLUMNS.map(([, id]) => id).join(",");
  const months = [];
  for (let i = 11; i >= 0; i--) months.push(new Date(now.getFullYear(), now.getMonth() - i, 1));
  const year = dayOf(months[0]) + ".." + dayOf(new Date(to.getTime() - 864e5));
  const history = "/api/v1/kpi?by=month&period=" + year + team + "&ids=orders.revenue,orders.count,calls.count";

  async function refresh() {
    const [users, month, day, year12, leads, approvals] = await Promise.all([
      api("GET", "/api/v1/users?limit=500").then((r) => r.items),
      api("GET", "/api/v1/kpi?by=user&period=" + monthOf(now) + team + ids),
      api("GET", "/api/v1/kpi?by=user&period=" + dayOf(now) + team + ids),
      api("GET", history),
      api("GET", "/api/v1/leads?status=new&limit=100"),
      api("GET", "/api/v1/approvals?status=pending&limit=100"),
    ]);
    const todayOf = new Map(day.rows.map((r) => [r.user_id, kpiMap(r)]));
    // One row: the month's figure (a drill-down link) and, under it, today's.
    const cell = (id, uid, mk, dk, name, key) => {
      const month = el("a", { class: "drill", id: key ? "team-" + id.replace(".", "-") : undefined,
                              dataset: { kpi: id, user: uid || "team", value: mk[id] ? mk[id].value : "" },
                              onclick: () => drillFor(id, uid, from, to, name) }, figure(id, mk[id]));
      let under = "";
      if (id === "receivables.overdue") under = el("div", { class: "muted" }, agingText(mk[id]));
      else if (id !== "plan.fulfilment")
        under = el("div", { class: "muted", dataset: { kpiToday: id, user: uid || "team" },
                            onclick: () => drillFor(id, uid, dayFrom, dayTo, name + " · " + t("today")) },
                   t("today") + ": ", figure(id, dk[id]));
      return el("td", { class: "num" }, month, under);
    };
    const rowOf = (name, uid, mk, dk, key) => el("tr", { dataset: { user: uid || "team" } },
      el("td", {}, name), HEAD_COLUMNS.map(([, id]) => cell(id, uid, mk, dk, name, key)));
    const table = el("table", { id: "managers" },
      el("tr", {}, el("th", {}, t("who")), HEAD_COLUMNS.map(([w]) => el("th", { class: "num" }, t(w)))),
      month.rows.map((r) => rowOf(r.label, r.user_id, kpiMap(r), todayOf.get(r.user_id) || {}, false)),
      rowOf(t("total"), 0, kpiMap(month), kpiMap(day), true));
    const chart = el("div", { id: "chart" });
    root.replaceChildren(
      el("div", { class: "card" }, el("h2", {}, t("month") + " " + monthOf(now) + " · " + t("today") + " " + dayOf(now)), table),
      el("div", { class: "grid" },
        el("div", { class: "card" }, el("h2", {}, t("months12")), chart),
        el("div", { class: "card", id: "lead-queue" }, el("h2", {}, t("lead_queue") + " (" + leads.items.length + ")"),
          leadTable(leads.items, users)),
        el("div", { class: "card", id: "approvals" }, el("h2", {}, t("approvals") + " (" + approvals.items.length + ")"),
          approvalTable(approvals.items, users, refresh))));
    drawHistory(chart, months, year12.rows.map(kpiMap));
  }
  S.screen = { refresh };
  await refresh();
}

// The department the head's screen shows: theirs for a head, the company for a director.
function teamOf() { return S.me.user.role === "head" ? "&head_id=" + S.me.user.id : ""; }

function userName(users, id) { const u = users.find((x) => x.id === id); return u ? u.name : "#" + id; }

function leadTable(leads, users) {
  if (!leads.length) return el("p", { class: "muted" }, t("nothing"));
  const sorted = leads.slice().sort((a, b) => new Date(a.sla_due_at) - new Date(b.sla_due_at));
  return el("table", {}, sorted.map((l) => el("tr", { dataset: { lead: l.id } },
    el("td", {}, l.company || l.contact_name), el("td", {}, l.channel), el("td", {}, userName(users, l.assignee_id)),
    el("td", { class: "num" }, l.first_action_at ? "✓ " + when(l.first_action_at) : countdown(l.sla_due_at)))));
}

function approvalTable(items, users, refresh) {
  if (!items.length) return el("p", { class: "muted" }, t("nothing"));
  return el("table", {}, items.map((a) => {
    const note = el("input", { placeholder: t("comment"), "aria-label": t("comment") });
    const msg = el("span", {});
    const decide = (how) => async () => {
      try { await api("POST", "/api/v1/approvals/" + a.id + "/" + how, { comment: note.value }); await refresh(); }
      catch (e) { msg.replaceChildren(errorBox(e)); }
    };
    return el("tr", { dataset: { approval: a.id } },
      el("td", {}, a.subject + " #" + a.subject_id, el("div", { class: "muted" }, a.summary)),
      el("td", {}, userName(users, a.requester_id), a.client_id ? el("div", {}, clientLink(a.client_id)) : ""),
      el("td", {}, note, el("button", { class: "act approve", onclick: decide("approve") }, t("approve")),
        el("button", { class: "act reject", onclick: decide("reject") }, t("reject")), msg));
  }));
}

function drawHistory(target, months, ks) {
  if (typeof uPlot === "undefined") return;
  const xs = months.map((m) => m.getTime() / 1000);
  const v = (id) => ks.map((k) => (k[id] ? k[id].value : 0));
  const opts = { width: Math.max(300, target.clientWidth || 500), height: 220, scales: { x: { time: true } },
    series: [{}, { label: t("revenue"), stroke: "#1d3557", width: 2, value: (u, x) => money(x), scale: "rub" },
             { label: t("orders"), stroke: "#2a9d8f", width: 2, scale: "n" },
             { label: t("calls"), stroke: "#e76f51", width: 1, scale: "n" }],
    axes: [{}, { scale: "rub", size: 90, values: (u, vals) => vals.map((x) => money(x)) }, { scale: "n", side: 1 }] };
  new uPlot(opts, [xs, v("orders.revenue"), v("orders.count"), v("calls.count")], target);
}
