// The page: every filter (selects, text, least killed, the timeline's date range) goes to the API,
// which answers with the matching events' points (the map, the unmapped list, the status), their
// days (the timeline, without the date range), the values left for each select, and one page of
// the events list; an event's panel reads the event alone. The page polls for changes (live.js).
import "./style.css";
import {
  fetchChanges,
  fetchEvent,
  fetchFacets,
  fetchLedgerTotal,
  fetchPoints,
  fetchTimeline,
} from "./api.js";
import { h, clear, killedText } from "./dom.js";
import { EventList } from "./list.js";
import { Poller, pollFromUrl } from "./live.js";
import { EventMap } from "./map.js";
import { showError, showEvent, showLoading } from "./panel.js";
import { Timeline } from "./timeline.js";

const SELECTS = [
  // select id, API filter (and /api/facets key), label of "everything"
  ["f-country", "country", "all countries"],
  ["f-admin1", "admin1", "all oblasts"],
  ["f-actor", "actor1", "all actors"],
  ["f-type", "sub_event_type", "all types"],
  ["f-weapon", "weapon", "all weapons"],
];
const UNMAPPED_SHOWN = 200; // events without coordinates listed under the map, at most
const TYPING_MS = 350; // the text filter is sent once typing pauses

const state = {
  filters: {}, // API filter -> value
  range: null, // [from, to] ISO days, inclusive
  selected: null,
  request: null, // the panel's
  view: null, // the current reading of the view (an AbortController)
  ledgerTotal: 0,
};

const $ = (id) => document.getElementById(id);
const status = $("status");
const panel = $("panel");

const map = new EventMap($("map"), { onSelect: select });
const timeline = new Timeline($("timeline"), { onRange: setRange });
const list = new EventList($("list"), { onSelect: select });

/** The filters as API parameters; ``dates: false`` leaves the date range out (the timeline's own). */
function query({ dates = true } = {}) {
  const q = { ...state.filters };
  if (dates && state.range) [q.date_from, q.date_to] = state.range;
  return q;
}

/** Read the view again for the filters now: points, values of the selects, timeline and list.
 * RETURNS the points read, or null when a later reading took over or it failed (the status says why). */
async function reload({ withTimeline = true, fit = false, quiet = false } = {}) {
  if (state.view) state.view.abort();
  const view = new AbortController();
  state.view = view;
  const { signal } = view;
  if (!quiet) status.dataset.state = "loading";
  try {
    const [points, facets, days] = await Promise.all([
      fetchPoints(query(), signal),
      fetchFacets(query(), signal),
      withTimeline ? fetchTimeline(query({ dates: false }), signal) : null,
      quiet ? list.refresh() : list.setFilters(query()),
    ]);
    if (state.view !== view) return null;
    for (const [id, name, everything] of SELECTS) fillSelect(id, name, everything, facets[name]);
    if (days) {
      timeline.setExtent(days.first, days.last);
      timeline.setDays(days.days);
    }
    map.addLegendTypes(points.points.map((p) => p.sub_event_type));
    if (fit) map.fit(points.points);
    renderUnmapped(points.points.filter((p) => p.latitude === null || p.longitude === null));
    showStatus(points.points);
    await map.setPoints(points.points);
    if (state.view === view) status.dataset.state = "ready";
    return points;
  } catch (err) {
    if (err.name !== "AbortError" && state.view === view) {
      status.textContent = `Could not load events: ${err.message}`;
      status.dataset.state = "error";
    }
    return null;
  }
}

/** A select's options: the values the other filters leave, with their counts. */
function fillSelect(id, name, everything, values) {
  const sel = $(id);
  const current = state.filters[name] || "";
  const options = values.map((v) => [v.value, v.events]);
  if (current && !options.some(([v]) => v.toLowerCase() === current.toLowerCase())) options.push([current, 0]);
  clear(sel);
  sel.appendChild(h("option", { value: "" }, everything));
  for (const [v, n] of options) {
    const opt = h("option", {}, `${v} (${n})`);
    opt.value = v;
    sel.appendChild(opt);
  }
  sel.value = options.find(([v]) => v.toLowerCase() === current.toLowerCase())?.[0] ?? "";
}

function showStatus(points) {
  const mapped = points.filter((p) => p.latitude !== null && p.longitude !== null).length;
  status.textContent =
    `${points.length} of ${state.ledgerTotal} events shown (${mapped} on the map), ` +
    killedText(points.map((p) => p.killed)) +
    (status.dataset.updated ? ` — updated ${status.dataset.updated.slice(11, 19)}` : "");
  status.dataset.shown = String(points.length);
  status.dataset.mapped = String(mapped);
  showRange();
}

function showRange() {
  const rangeEl = $("range");
  rangeEl.textContent = state.range ? `${state.range[0]} – ${state.range[1]}` : "all dates";
  rangeEl.dataset.from = state.range ? state.range[0] : "";
  rangeEl.dataset.to = state.range ? state.range[1] : "";
  $("range-clear").hidden = !state.range;
}

function renderUnmapped(points) {
  $("unmapped-count").textContent = String(points.length);
  const ul = clear($("unmapped-list"));
  for (const p of points.slice(0, UNMAPPED_SHOWN)) {
    ul.appendChild(
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: "linklike", dataset: { eventId: p.event_id }, onclick: () => select(p.event_id) },
          `${p.event_date || "undated"} — ${p.place || "place unknown"}: ${p.killed ?? "?"} killed`,
        ),
      ),
    );
  }
  if (points.length > UNMAPPED_SHOWN) {
    ul.appendChild(h("li", { class: "muted" }, `… and ${points.length - UNMAPPED_SHOWN} more: see the list of events`));
  }
}

function setRange(range) {
  state.range = range;
  showRange();
  reload({ withTimeline: false });
}

function setFilter(name, value) {
  if (value === "" || value === null) delete state.filters[name];
  else state.filters[name] = value;
  reload();
}

async function select(eventId) {
  state.selected = eventId;
  map.highlight(eventId);
  if (state.request) state.request.abort();
  const request = new AbortController();
  state.request = request;
  showLoading(panel, eventId);
  try {
    const data = await fetchEvent(eventId, request.signal);
    if (state.selected !== eventId) return;
    showEvent(panel, data);
    panel.scrollTop = 0;
  } catch (err) {
    if (err.name !== "AbortError") showError(panel, `Could not load event ${eventId}: ${err.message}`);
  }
}

/** The ledger changed: read the view again where it is, and the open event when it is among those changed. */
async function onLedgerChange(changed, replaced) {
  status.dataset.updated = new Date().toISOString();
  state.ledgerTotal = await fetchLedgerTotal();
  await reload({ quiet: true });
  if (state.selected && (replaced || changed.includes(state.selected))) {
    const top = panel.scrollTop;
    await select(state.selected);
    panel.scrollTop = top;
  }
  document.body.dataset.cursor = String(poller.cursor);
}

const poller = new Poller({
  fetchChanges: (cursor) => fetchChanges(cursor),
  onChange: onLedgerChange,
  seconds: pollFromUrl(),
});

panel.addEventListener("click", (e) => {
  if (e.target instanceof Element && e.target.id === "panel-close") {
    state.selected = null;
    map.highlight(null);
    clear(panel);
    delete panel.dataset.eventId;
    panel.dataset.state = "empty";
    panel.appendChild(h("p", { class: "hint" }, "Click a point on the map to see an event."));
  }
});

for (const [id, name] of SELECTS) $(id).addEventListener("change", (e) => setFilter(name, e.target.value));
let typing = null;
$("f-q").addEventListener("input", (e) => {
  clearTimeout(typing);
  typing = setTimeout(() => setFilter("q", e.target.value.trim()), TYPING_MS);
});
$("f-min-killed").addEventListener("change", (e) => {
  const n = e.target.value === "" ? "" : String(Math.max(0, Math.floor(Number(e.target.value))));
  setFilter("min_killed", Number.isFinite(Number(n)) ? n : "");
});
$("filters").addEventListener("submit", (e) => e.preventDefault());
$("filters").addEventListener("reset", (e) => {
  e.preventDefault();
  state.filters = {};
  state.range = null;
  $("f-q").value = "";
  $("f-min-killed").value = "";
  timeline.clear(false);
  reload();
});
$("range-clear").addEventListener("click", () => timeline.clear());

async function main() {
  const basemap = map.loadBasemap().catch((err) => console.error(err));
  const [total, first] = await Promise.all([fetchLedgerTotal().catch(() => null), reload({ fit: true })]);
  if (!first || total === null) {
    if (status.dataset.state !== "error") {
      status.textContent = "Could not load events: the API did not answer";
      status.dataset.state = "error";
    }
    return;
  }
  state.ledgerTotal = total;
  showStatus(first.points);
  await basemap;
  document.body.dataset.cursor = String(first.cursor);
  document.body.dataset.ready = "true";
  poller.start(first.cursor);
}

main();
