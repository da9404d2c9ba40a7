// Settlement names at city zoom: the map draws no tiles, so past LABEL_ZOOM the most populous
// settlements in view (GET /api/places, GeoNames through the gazetteer) are written on it, the
// largest first, leaving out a name that would overlap one already written.
import L from "./leaflet-global.js";
import { fetchPlaces } from "./api.js";
import { h } from "./dom.js";

export const LABEL_ZOOM = 9; // labels from this zoom on (about 3° of longitude across the map)
const ASKED = 150; // settlements asked for per view
const WAIT_MS = 150; // after the map stops moving
const CHAR_PX = 6.6; // a label's width per character at the labels' font size
const LINE_PX = 14;

export class PlaceLabels {
  constructor(map, el) {
    this.map = map;
    this.el = el;
    map.createPane("labels");
    map.getPane("labels").style.zIndex = 450; // over the basemap, under the events' markers
    map.getPane("labels").style.pointerEvents = "none";
    this.layer = L.layerGroup().addTo(map);
    this.request = null;
    this.timer = null;
    map.on("moveend", () => this.schedule());
    el.dataset.labels = "0";
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), WAIT_MS);
  }

  async update() {
    if (this.request) this.request.abort();
    if (this.map.getZoom() < LABEL_ZOOM) {
      this.show([]);
      return;
    }
    const request = new AbortController();
    this.request = request;
    const b = this.map.getBounds().pad(0.1);
    try {
      const places = await fetchPlaces(
        [b.getWest(), Math.max(-90, b.getSouth()), b.getEast(), Math.min(90, b.getNorth())],
        ASKED,
        request.signal,
      );
      if (this.request === request && this.map.getZoom() >= LABEL_ZOOM) this.show(places);
    } catch (err) {
      if (err.name !== "AbortError") console.error(err);
    }
  }

  /** Write the names, most populous first, each where it overlaps none written before it. */
  show(places) {
    this.layer.clearLayers();
    const taken = [];
    const center = this.map.getCenter().lng;
    let shown = 0;
    for (const p of places) {
      // the copy of the world in view (the box may run past 180)
      const lon = p.longitude + 360 * Math.round((center - p.longitude) / 360);
      const at = this.map.latLngToContainerPoint([p.latitude, lon]);
      const box = { x0: at.x - 4, y0: at.y - LINE_PX, x1: at.x + 8 + CHAR_PX * p.name.length, y1: at.y + 4 };
      if (taken.some((t) => box.x0 < t.x1 && t.x0 < box.x1 && box.y0 < t.y1 && t.y0 < box.y1)) continue;
      taken.push(box);
      const big = p.population >= 100000;
      const label = h(
        "span",
        { class: big ? "place-name big" : "place-name" },
        h("span", { class: "place-dot" }),
        p.name,
      );
      const icon = L.divIcon({ html: label, className: "place-label", iconSize: null, iconAnchor: [3, 3] });
      const marker = L.marker([p.latitude, lon], { icon, interactive: false, keyboard: false, pane: "labels" });
      marker.on("add", () => {
        const el = marker.getElement();
        if (el) {
          el.dataset.name = p.name;
          el.dataset.population = String(p.population);
        }
      });
      this.layer.addLayer(marker);
      shown += 1;
    }
    this.el.dataset.labels = String(shown);
  }
}
