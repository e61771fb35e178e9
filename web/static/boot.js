// Start-up: who is logged in (else the login page), the bar, and the screen of the path.
"use strict";

function go(path) {
  if (location.pathname !== path) history.pushState({}, "", path);
  route().catch((e) => mount(errorBox(e)));
}
window.addEventListener("popstate", () => route().catch((e) => mount(errorBox(e))));

function homeOf(user) {
  if (user.role === "head" || user.role === "director" || user.role === "admin") return "/head";
  return "/manager";
}

function drawBar() {
  const bar = document.getElementById("bar");
  if (!S.me) { bar.replaceChildren(el("b", {}, "salescore")); return; }
  const link = (path, key) => el("a", { href: path, onclick: (ev) => { ev.preventDefault(); go(path); } }, t(key));
  const lang = el("select", { id: "lang", "aria-label": "language", onchange: async () => {
    await api("POST", "/api/v1/session/language", { language: lang.value });
    S.me.language = lang.value; setLang(lang.value); drawBar(); route();
  } }, LANGS.map((l) => el("option", { value: l, selected: l === LANG ? "" : undefined }, l)));
  const logout = el("button", { id: "logout", onclick: async () => {
    try { await api("POST", "/api/v1/logout"); } finally { S.me = null; S.csrf = ""; go("/login"); }
  } }, t("logout"));
  const u = S.me.user;
  bar.replaceChildren(el("b", {}, "salescore"),
    u.role !== "manager" && u.role !== "assistant" ? link("/head", "head") : "", link("/manager", "manager"),
    link("/route", "route"), el("span", { class: "who" }, u.name), lang, logout);
}

function loginScreen(message) {
  const login = el("input", { name: "login", autocomplete: "username", placeholder: t("login"), required: "" });
  const password = el("input", { name: "password", type: "password", autocomplete: "current-password",
                                 placeholder: t("password"), required: "" });
  const msg = el("div", { id: "login-error" }, message ? errorBox(message) : "");
  const submit = async (ev) => {
    ev.preventDefault();
    try {
      const s = await api("POST", "/api/v1/login", { login: login.value, password: password.value });
      await started(s);
      go(homeOf(s.user));
    } catch (e) { msg.replaceChildren(errorBox(e)); }
  };
  mount(el("form", { class: "login card", onsubmit: submit }, el("h2", {}, "salescore"), login, password,
    el("button", { class: "act", type: "submit", id: "sign-in" }, t("sign_in")), msg));
}

async function started(session) {
  S.me = session;
  S.csrf = session.csrf_token || "";
  setLang(session.language || (navigator.language || "en").slice(0, 2));
  drawBar();
  liveLoop();
}

async function route() {
  S.screen = null;
  const path = location.pathname;
  if (!S.me) {
    try { await started(await api("GET", "/api/v1/session")); }
    catch (e) { drawBar(); loginScreen(e.status === 401 ? null : e); return; }
  }
  if (path === "/login" || path === "/") return go(homeOf(S.me.user));
  if (path === "/head") return headScreen();
  if (path === "/manager") return managerScreen();
  if (path === "/route") return routeScreen();
  if (path.startsWith("/client/")) return clientScreen(Number(path.slice(8)));
  mount(errorBox("404"));
}

setLang((navigator.language || "en").slice(0, 2));
route().catch((e) => mount(errorBox(e)));
