// The list of matching events, one page at a time from GET /api/events (read only while the list
// is open): date, place, killed and type; a row opens the event in the panel.
import { fetchEventsPage, LIST_PAGE } from "./api.js";
import { typeColor } from "./colors.js";
import { h, clear } from "./dom.js";

export class EventList {
  constructor(el, { onSelect }) {
    this.el = el; // <details id="list">
    this.onSelect = onSelect;
    this.filters = {};
    this.offset = 0;
    this.request = null;
    this.body = el.querySelector("tbody");
    this.summary = el.querySelector("#list-summary");
    el.querySelector("#list-prev").addEventListener("click", () => this.load(Math.max(0, this.offset - LIST_PAGE)));
    el.querySelector("#list-next").addEventListener("click", () => this.load(this.offset + LIST_PAGE));
    el.addEventListener("toggle", () => {
      if (el.open && this.stale) this.load(this.offset);
    });
  }

  /** New filters: back to the first page (read now when the list is open, else when it opens). */
  setFilters(filters) {
    this.filters = filters;
    this.offset = 0;
    return this.refresh();
  }

  /** The same page again (the ledger changed). */
  refresh() {
    this.stale = true;
    return this.el.open ? this.load(this.offset) : Promise.resolve();
  }

  async load(offset) {
    if (this.request) this.request.abort();
    const request = new AbortController();
    this.request = request;
    this.el.dataset.state = "loading";
    try {
      const page = await fetchEventsPage(this.filters, offset, request.signal);
      if (this.request !== request) return;
      this.stale = false;
      this.offset = offset;
      this.render(page);
    } catch (err) {
      if (err.name === "AbortError") return;
      this.el.dataset.state = "error";
      this.summary.textContent = `Could not load the list: ${err.message}`;
    }
  }

  render(page) {
    const { total, offset, events } = page;
    clear(this.body);
    for (const ev of events) {
      const place = [ev.location, ev.admin1, ev.country].filter(Boolean).join(", ") || "place unknown";
      this.body.appendChild(
        h(
          "tr",
          { dataset: { eventId: ev.event_id } },
          h("td", {}, ev.event_date || "undated"),
          h(
            "td",
            {},
            h("button", { type: "button", class: "linklike", onclick: () => this.onSelect(ev.event_id) }, place),
          ),
          h("td", { class: "num" }, ev.killed ?? "?"),
          h(
            "td",
            {},
            h("span", { class: "swatch", style: `background:${typeColor(ev.sub_event_type)}` }),
            " ",
            ev.sub_event_type || "type unknown",
          ),
        ),
      );
    }
    const last = offset + events.length;
    this.summary.textContent = total ? `${offset + 1}–${last} of ${total}` : "none";
    this.el.querySelector("#list-prev").disabled = offset === 0;
    this.el.querySelector("#list-next").disabled = last >= total;
    Object.assign(this.el.dataset, { state: "ready", total: String(total), offset: String(offset) });
  }
}
