// The page: load every event once, filter in the browser (selects + the timeline's date range),
// show the result on the map and the timeline, and an event in the panel on click.
import "./style.css";
import { fetchAllEvents, fetchEvent } from "./api.js";
import { UNKNOWN_TYPE } from "./colors.js";
import { h, clear, killedText } from "./dom.js";
import { EventMap } from "./map.js";
import { showError, showEvent, showLoading } from "./panel.js";
import { Timeline } from "./timeline.js";

const FILTERS = [
  // select id, event field, label of "everything"
  ["f-country", "country", "all countries"],
  ["f-admin1", "admin1", "all oblasts"],
  ["f-actor", "actor1", "all actors"],
  ["f-type", "sub_event_type", "all types"],
  ["f-weapon", "weapons", "all weapons"],
];

const state = {
  events: [],
  total: 0,
  filters: {}, // field -> value
  range: null, // [from, to] ISO days, inclusive
  selected: null,
  request: null,
};

const $ = (id) => document.getElementById(id);
const status = $("status");
const panel = $("panel");

const map = new EventMap($("map"), { onSelect: select });
const timeline = new Timeline($("timeline"), { onRange: setRange });

function matches(ev, skipDates = false) {
  for (const [field, value] of Object.entries(state.filters)) {
    if (!value) continue;
    const got = ev[field];
    if (Array.isArray(got) ? !got.includes(value) : got !== value) return false;
  }
  if (!skipDates && state.range) {
    const d = ev.event_date;
    if (!d || d < state.range[0] || d > state.range[1]) return false;
  }
  return true;
}

/** Options of one select: the values found among the events the other filters leave. */
function fillSelect(id, field, everything) {
  const sel = $(id);
  const current = state.filters[field] || "";
  const counts = new Map();
  for (const ev of state.events) {
    const others = { ...state.filters, [field]: "" };
    let ok = true;
    for (const [f, v] of Object.entries(others)) {
      if (!v) continue;
      const got = ev[f];
      if (Array.isArray(got) ? !got.includes(v) : got !== v) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const values = Array.isArray(ev[field]) ? ev[field] : [ev[field]];
    for (const v of values) if (v) counts.set(v, (counts.get(v) || 0) + 1);
  }
  if (current && !counts.has(current)) counts.set(current, 0);
  clear(sel);
  sel.appendChild(h("option", { value: "" }, everything));
  for (const [v, n] of [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const opt = h("option", {}, `${v} (${n})`);
    opt.value = v;
    sel.appendChild(opt);
  }
  sel.value = current;
}

function refresh({ selects = true, timelineToo = true } = {}) {
  if (selects) for (const [id, field, everything] of FILTERS) fillSelect(id, field, everything);
  const shown = state.events.filter((ev) => matches(ev));
  const mapped = shown.filter((ev) => ev.latitude !== null && ev.longitude !== null);
  map.setEvents(shown);
  if (timelineToo) timeline.setEvents(state.events.filter((ev) => matches(ev, true)));
  renderUnmapped(shown.filter((ev) => ev.latitude === null || ev.longitude === null));
  status.textContent =
    `${shown.length} of ${state.total} events shown (${mapped.length} on the map), ` +
    killedText(shown.map((ev) => ev.killed)) +
    (state.events.length < state.total ? ` — only the first ${state.events.length} were loaded` : "");
  status.dataset.shown = String(shown.length);
  status.dataset.mapped = String(mapped.length);
  const rangeEl = $("range");
  rangeEl.textContent = state.range ? `${state.range[0]} – ${state.range[1]}` : "all dates";
  rangeEl.dataset.from = state.range ? state.range[0] : "";
  rangeEl.dataset.to = state.range ? state.range[1] : "";
  $("range-clear").hidden = !state.range;
}

function renderUnmapped(events) {
  $("unmapped-count").textContent = String(events.length);
  const list = clear($("unmapped-list"));
  for (const ev of events) {
    const place = [ev.location, ev.admin1, ev.country].filter(Boolean).join(", ") || "place unknown";
    list.appendChild(
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: "linklike", dataset: { eventId: ev.event_id }, onclick: () => select(ev.event_id) },
          `${ev.event_date || "undated"} — ${place}: ${ev.killed ?? "?"} killed`,
        ),
      ),
    );
  }
}

function setRange(range) {
  state.range = range;
  refresh({ selects: false, timelineToo: false });
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

for (const [id, field] of FILTERS) {
  $(id).addEventListener("change", (e) => {
    state.filters[field] = e.target.value;
    refresh();
  });
}
$("filters").addEventListener("reset", (e) => {
  e.preventDefault();
  state.filters = {};
  timeline.clear();
  refresh();
});
$("range-clear").addEventListener("click", () => timeline.clear());

async function main() {
  const basemap = map.loadBasemap().catch((err) => {
    console.error(err);
  });
  try {
    const { events, total } = await fetchAllEvents((n, t) => {
      status.textContent = `Loading events… ${n} of ${t}`;
    });
    state.events = events;
    state.total = total;
  } catch (err) {
    status.textContent = `Could not load events: ${err.message}`;
    status.dataset.state = "error";
    return;
  }
  const types = [...new Set(state.events.map((ev) => ev.sub_event_type || UNKNOWN_TYPE))].sort();
  map.setLegend(types);
  timeline.setExtent(state.events);
  refresh();
  map.fit();
  await basemap;
  document.body.dataset.ready = "true";
}

main();
