// The event panel: the facts, each figure with its sentence highlighted in the article it came
// from, claims kept apart and attributed, the toll history, the change log and the sources.
// Article text is untrusted: it is only ever inserted as text nodes.
import { typeColor } from "./colors.js";
import { h, clear, link, span } from "./dom.js";

const KIND_LABEL = {
  killed: "killed",
  injured: "injured",
  children_killed: "children killed",
  children_injured: "children injured",
  hospitalized: "hospitalised",
};
const CONTEXT = 280; // characters of article shown around a quoted sentence
const LOW_CONFIDENCE = 0.6; // a field rated under this is marked "low confidence" (records.LOW_CONFIDENCE)

/**
 * [start, end) of ``quote`` in ``text``, as UTF-16 indices for JS strings. The API gives Python
 * offsets (code points); they are checked against the quote, and the quote is searched for when
 * they do not match. null when the quote is not in the text.
 */
export function locate(text, start, end, quote) {
  if (typeof text !== "string") return null;
  const candidates = [];
  if (Number.isInteger(start) && Number.isInteger(end) && end >= start) {
    candidates.push([start, end]);
    if (/[\uD800-\uDFFF]/.test(text)) {
      // code point offsets -> UTF-16 offsets
      const cps = Array.from(text);
      const s16 = cps.slice(0, start).join("").length;
      const e16 = s16 + cps.slice(start, end).join("").length;
      candidates.unshift([s16, e16]);
    }
  }
  for (const [s, e] of candidates) {
    if (e <= text.length && (!quote || text.slice(s, e) === quote)) return [s, e];
  }
  if (quote) {
    const at = text.indexOf(quote);
    if (at >= 0) return [at, at + quote.length];
  }
  if (candidates.length && !quote) return candidates[0];
  return null;
}

/** Article text around [s, e) with that span in <mark>; the whole text when ``context`` is null. */
export function highlighted(text, s, e, context, attrs = {}) {
  let a = 0;
  let b = text.length;
  if (context !== null) {
    a = Math.max(0, s - context);
    b = Math.min(text.length, e + context);
    if (a > 0) {
      const space = text.indexOf(" ", a);
      if (space >= 0 && space < s) a = space + 1;
    }
    if (b < text.length) {
      const space = text.lastIndexOf(" ", b);
      if (space > e) b = space;
    }
  }
  return h(
    "p",
    { class: "article-text" },
    a > 0 ? "… " : null,
    text.slice(a, s),
    h("mark", attrs, text.slice(s, e)),
    text.slice(e, b),
    b < text.length ? " …" : null,
  );
}

function fmtValue(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function figureText(t) {
  const range = t.low !== null || t.high !== null ? span(t.low, t.high) : null;
  let text = t.value !== null && t.value !== undefined ? String(t.value) : "?";
  if (range && range !== text) text += ` (${range})`;
  return `${text} ${KIND_LABEL[t.kind] || t.kind}`;
}

function when(ev) {
  if (!ev.date_from && !ev.event_date) return "date unknown";
  if (ev.date_from && ev.date_to && ev.date_from !== ev.date_to) {
    return `${ev.date_from} – ${ev.date_to} (${ev.date_precision || "window"})`;
  }
  return ev.event_date || ev.date_from;
}

function where(ev) {
  return [ev.location, ev.admin1, ev.country].filter(Boolean).join(", ") || "place unknown";
}

function section(id, title, ...children) {
  return h("section", { id, class: "panel-section" }, h("h3", {}, title), ...children);
}

const known = (v) => v !== null && v !== undefined;
const count = (v) => (known(v) ? v : "unknown"); // an unknown figure is "unknown", never 0

/**
 * How likely a field is right, beside it: "confidence 0.93", and under LOW_CONFIDENCE a "low
 * confidence" badge with the value and what the field rests on in its title. null when not rated.
 */
export function confidenceNote(ev, field) {
  const value = confidenceOf(ev, field);
  if (value === null) return null;
  const evidence = (ev.evidence || {})[field];
  const title = `confidence ${value}${evidence ? ` — ${evidence}` : ""}`;
  return [
    " ",
    h("span", { class: "confidence", title, dataset: { confidence: value } }, `confidence ${value}`),
    value < LOW_CONFIDENCE ? h("span", { class: "badge badge-warn low-confidence", title }, "low confidence") : null,
  ];
}

function confidenceOf(ev, field) {
  const value = field ? (ev.confidence || {})[field] : undefined;
  return typeof value === "number" ? value : null;
}

function facts(ev) {
  // label, value, the field whose confidence it shows
  const rows = [
    ["Date", when(ev), "date"],
    ["Place", `${where(ev)}${ev.geo_precision ? ` (${ev.geo_precision} precision)` : ""}`, "place"],
    ["Struck by", ev.actor1 || "unknown", "actor1"],
    ["Type", ev.sub_event_type || "unknown", "sub_event_type"],
    ["Weapons", (ev.weapons || []).join(", ") || "—"],
    ["Targets", (ev.targets || []).join(", ") || "—"],
    ["Killed", known(ev.killed) ? `${ev.killed}${rangeNote(ev.killed_low, ev.killed_high)}` : "unknown", "killed"],
    ["Injured", known(ev.injured) ? `${ev.injured}${rangeNote(ev.injured_low, ev.injured_high)}` : "unknown", "injured"],
    ["Children killed", count(ev.children_killed), "children_killed"],
    ["Children injured", count(ev.children_injured), "children_injured"],
    ["Hospitalised", count(ev.hospitalized), "hospitalized"],
  ];
  // attackers are counted apart from the victims, and shown only when a report gives them
  if (known(ev.perpetrators_killed)) rows.push(["Attackers killed", ev.perpetrators_killed, "perpetrators_killed"]);
  if (known(ev.perpetrators_injured)) rows.push(["Attackers injured", ev.perpetrators_injured, "perpetrators_injured"]);
  rows.push(["Reported by", `${ev.n_articles} article(s), ${ev.n_outlets} outlet(s)`]);
  if (ev.wave_id) rows.push(["Wave", ev.wave_id]);
  return h(
    "dl",
    { id: "facts", class: "facts" },
    rows.map(([k, v, field]) => {
      const value = confidenceOf(ev, field);
      const low = value !== null && value < LOW_CONFIDENCE;
      return [
        h("dt", {}, k),
        h(
          "dd",
          { class: low ? "low-confidence" : null, dataset: { fact: k.toLowerCase().replace(/ /g, "_"), field } },
          String(v),
          field ? confidenceNote(ev, field) : null,
        ),
      ];
    }),
  );
}

function rangeNote(low, high) {
  if (low === null && high === null) return "";
  const s = span(low, high);
  return s ? ` (sources: ${s})` : "";
}

/** The language a quote is in (its article's, ISO 639-1): quotes stay as published. */
function languageBadge(code) {
  if (!code) return null;
  return h("span", { class: "badge lang", title: "language of the article: the quote is as published", dataset: { language: code } }, code);
}

function articleLabel(articles, id, outlet, published) {
  const art = articles[id];
  const name = outlet || (art && art.outlet) || "unknown outlet";
  const date = published || (art && art.published) || "";
  return `${name}${date ? `, ${date}` : ""}`;
}

/** One figure: what it says, who gave it, and its sentence inside the article. */
function figure(t, i, articles) {
  const art = articles[t.article];
  const pos = art ? locate(art.text, t.start, t.end, t.quote) : null;
  const body = [];
  if (pos) {
    body.push(highlighted(art.text, pos[0], pos[1], CONTEXT, { class: "quote", lang: t.language, dataset: { kind: t.kind } }));
    body.push(
      h(
        "details",
        { class: "whole-article" },
        h("summary", {}, "Whole article"),
        art.title ? h("h4", {}, art.title) : null,
        highlighted(art.text, pos[0], pos[1], null, { class: "quote", lang: t.language }),
      ),
    );
  } else if (t.quote) {
    body.push(h("p", { class: "article-text" }, h("mark", { class: "quote", lang: t.language, dataset: { kind: t.kind } }, t.quote)));
  }
  return h(
    "li",
    { class: `figure${t.credible === false ? " not-credible" : ""}`, dataset: { kind: t.kind, index: i, article: t.article } },
    h(
      "div",
      { class: "figure-head" },
      h("strong", {}, figureText(t)),
      " — ",
      t.reported_by ? `according to ${t.reported_by}, ` : "",
      "reported in ",
      art && art.url ? link(art.url, articleLabel(articles, t.article, t.outlet, t.published)) :
        articleLabel(articles, t.article, t.outlet, t.published),
      languageBadge(t.language),
      t.credible === false ? h("span", { class: "badge" }, "not counted: source not credible") : null,
    ),
    body,
  );
}

const squash = (text) => (text || "").replace(/\s+/g, " ").trim();

function claimsList(claims, articles) {
  if (!claims.length) return h("p", { class: "empty" }, "No party's claims about this strike.");
  return h(
    "ul",
    { class: "claims" },
    claims.map((c) =>
      h(
        "li",
        { class: `claim${c.disputed ? " disputed" : ""}`, dataset: { by: c.by || "" } },
        h("div", { class: "claim-by" }, h("strong", {}, c.by || "Unattributed"), " claims"),
        c.statement ? h("p", { class: "claim-statement" }, c.statement) : null,
        c.killed !== null && c.killed !== undefined ? h("span", { class: "badge" }, `${c.killed} killed (claimed)`) : null,
        c.injured !== null && c.injured !== undefined ? h("span", { class: "badge" }, `${c.injured} injured (claimed)`) : null,
        c.disputed ? h("span", { class: "badge badge-warn" }, "disputed") : null,
        c.quote && squash(c.quote) !== squash(c.statement) ? h("blockquote", { lang: c.language }, c.quote) : null,
        h("div", { class: "claim-src" }, "— in ", articleLabel(articles, c.article), languageBadge(c.language)),
      ),
    ),
  );
}

function table(headers, rows, id) {
  return h(
    "table",
    { id, class: "grid" },
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))),
  );
}

function tollHistory(history, articles) {
  if (!history.length) return h("p", { class: "empty" }, "No figures reported.");
  return table(
    ["kind", "figure", "range", "given by", "credible", "report", "language"],
    history.map((t) => [
      KIND_LABEL[t.kind] || t.kind,
      t.value ?? "?",
      span(t.low, t.high) ?? "",
      t.reported_by || "",
      t.credible === false ? "no" : "yes",
      articleLabel(articles, t.article, t.outlet, t.published),
      t.language || "",
    ]),
    "toll-history",
  );
}

function changeLog(changes) {
  if (!changes.length) return h("p", { class: "empty" }, "No changes logged.");
  return table(
    ["when", "what", "field", "from", "to", "why"],
    changes.map((c) => [
      (c.at || "").replace("T", " ").slice(0, 19),
      c.action,
      c.field || "",
      fmtValue(c.old),
      fmtValue(c.new),
      c.why || "",
    ]),
    "change-log",
  );
}

function linkLog(links) {
  if (!links || !links.length) return null;
  return h(
    "details",
    { class: "links" },
    h("summary", {}, `Linking decisions (${links.length})`),
    table(
      ["when", "report", "event", "chosen", "score", "reason"],
      links.map((l) => [
        (l.at || "").replace("T", " ").slice(0, 19),
        l.mention_id || "",
        l.event_id || "",
        l.chosen ? "yes" : "no",
        typeof l.score === "number" ? l.score.toFixed(2) : "",
        l.reason || "",
      ]),
      "link-log",
    ),
  );
}

function sources(ev, articles) {
  const byArticle = new Map();
  for (const s of ev.sources || []) {
    if (!byArticle.has(s.article)) byArticle.set(s.article, { src: s, quotes: [] });
    if (s.quote) byArticle.get(s.article).quotes.push(s.quote);
  }
  if (!byArticle.size) return h("p", { class: "empty" }, "No sources.");
  return h(
    "ul",
    { id: "sources", class: "sources" },
    [...byArticle.entries()].map(([id, { src, quotes }]) => {
      const art = articles[id] || {};
      const outlet = src.outlet || art.outlet || "unknown outlet";
      const url = src.url || art.url;
      return h(
        "li",
        { dataset: { article: id } },
        h("strong", {}, outlet),
        src.published || art.published ? `, ${src.published || art.published}` : "",
        languageBadge(src.language || art.language),
        art.title ? [": ", h("em", {}, art.title)] : null,
        " ",
        url ? link(url, "open article") : h("span", { class: "muted" }, "(no link)"),
        quotes.map((q) => h("blockquote", { lang: src.language || art.language }, q)),
      );
    }),
  );
}

export function showLoading(panel, eventId) {
  clear(panel);
  panel.dataset.eventId = eventId;
  panel.dataset.state = "loading";
  panel.appendChild(h("p", { class: "hint" }, "Loading event…"));
}

export function showError(panel, message) {
  clear(panel);
  panel.dataset.state = "error";
  panel.appendChild(h("p", { class: "error" }, message));
}

/** Fill the panel with GET /api/events/{id}'s answer. */
export function showEvent(panel, data) {
  const ev = data.event;
  const articles = data.articles || {};
  clear(panel);
  panel.dataset.eventId = ev.event_id;
  panel.dataset.state = "ready";
  const history = ev.toll_history || [];
  panel.append(
    h(
      "header",
      { class: "panel-head" },
      h("span", { class: "swatch", style: `background:${typeColor(ev.sub_event_type)}` }),
      h("h2", { id: "panel-title" }, `${where(ev)} — ${when(ev)}`),
      h("code", { class: "event-id" }, ev.event_id),
      h("button", { type: "button", id: "panel-close", "aria-label": "Close" }, "×"),
    ),
    facts(ev),
    section(
      "figures",
      "Figures and the sentences they come from",
      history.length
        ? h("ol", { class: "figures" }, history.map((t, i) => figure(t, i, articles)))
        : h("p", { class: "empty" }, "No figures reported."),
    ),
    section("claims", "Claims by parties (not verified, kept apart from the facts)", claimsList(ev.claims || [], articles)),
    section("toll", "Toll history (oldest report first)", tollHistory(history, articles)),
    section("changes", "Change log", changeLog(data.changes || []), linkLog(data.links)),
    section("sources-section", "Sources", sources(ev, articles)),
  );
}
