// A route rep's screen, for a phone: today's outlets, check-in, the must-have stock
// seen, the suggested order taken as an order, check-out. The same routes as the API.
"use strict";

async function routeScreen() {
  const root = el("div", { id: "route-screen" });
  mount(root);
  const me = S.me.user;
  async function refresh() {
    const [plan, open] = await Promise.all([
      api("GET", "/api/v1/route-plan"), api("GET", "/api/v1/visits?open=true&rep_id=" + me.id + "&limit=5")]);
    const visit = open.items[0];
    const cards = plan.outlets.map((o) => {
      const here = visit && visit.outlet_id === o.outlet_id;
      return el("div", { class: "card", dataset: { outlet: o.outlet_id } },
        el("h2", {}, o.name), el("p", { class: "muted" }, t("channel") + ": " + (o.channel || "—")),
        here ? visitPanel(visit, o, refresh)
             : el("button", { class: "act", disabled: visit ? "" : undefined,
                              onclick: async () => { await api("POST", "/api/v1/visits", { outlet_id: o.outlet_id }); await refresh(); } },
                  t("check_in")));
    });
    root.replaceChildren(el("h2", {}, t("route") + " · " + dayOf(new Date())),
      ...(cards.length ? cards : [el("p", { class: "muted" }, t("no_route"))]));
  }
  S.screen = { refresh };
  await refresh();
}

function visitPanel(visit, outlet, refresh) {
  const inputs = outlet.must_have.map((sku) => [sku, el("input", { type: "number", min: "0", value: visit.stock && visit.stock[sku] || "0", name: sku, style: "width:6em" })]);
  const msg = el("div", {});
  const suggested = el("div", {});
  const act = (f) => async () => { try { await f(); } catch (e) { msg.replaceChildren(errorBox(e)); } };
  const saveStock = act(async () => {
    const stock = {};
    for (const [sku, input] of inputs) stock[sku] = String(input.value || "0");
    await api("POST", "/api/v1/visits/" + visit.id + "/stock", { stock });
    await showSuggestion();
  });
  async function showSuggestion() {
    const s = await api("GET", "/api/v1/visits/" + visit.id + "/suggested-order");
    const lines = s.lines.filter((l) => Number(l.quantity) > 0);
    suggested.replaceChildren(el("h2", {}, t("suggested")),
      el("table", {}, lines.map((l) => el("tr", {}, el("td", {}, l.sku), el("td", { class: "num" }, l.quantity),
        el("td", { class: "num" }, money(l.amount_minor))))),
      el("p", {}, t("total") + ": " + money(s.total_minor) + " " + s.currency),
      lines.length ? el("button", { class: "act", onclick: act(async () => {
        const order = await api("POST", "/api/v1/orders", { client_id: outlet.outlet_id, currency: s.currency,
          lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, price: (l.price_minor / 100).toFixed(2) })) });
        await api("POST", "/api/v1/visits/" + visit.id + "/order", { order_id: order.id });
        msg.replaceChildren(t("saved") + " #" + order.id);
      }) }, t("take_order")) : "");
  }
  // Stock already recorded (this render may follow a live refresh): show its suggestion.
  if (visit.stock_recorded_at) showSuggestion().catch((e) => msg.replaceChildren(errorBox(e)));
  return el("div", {},
    el("h2", {}, t("must_have")),
    el("table", {}, inputs.map(([sku, input]) => el("tr", {}, el("td", {}, sku), el("td", {}, input)))),
    el("button", { class: "act", onclick: saveStock }, t("save")), suggested,
    el("button", { class: "act", onclick: act(async () => { await api("POST", "/api/v1/visits/" + visit.id + "/check-out"); await refresh(); }) }, t("check_out")),
    msg);
}
