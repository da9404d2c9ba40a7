// The page's only server: the warledger API on the same origin. Every filter is sent to it: the
// page never holds more than one page of full events, the map's compact points and the timeline's
// days (see src/warledger/api/views.py for the answers' shapes).

export const LIST_PAGE = 50; // events per page of the list

async function getJSON(url, signal) {
  const res = await fetch(url, { signal, headers: { Accept: "application/json" } });
  if (!res.ok) {
    let detail = "";
    try {
      const body = await res.json();
      detail = body && (body.detail || body.error || "");
    } catch {
      // not JSON: the status says enough
    }
    throw new Error(`${url}: HTTP ${res.status}${detail ? ` — ${detail}` : ""}`);
  }
  return res.json();
}

/** ``path?query`` with the non-empty values of ``params`` (an object). */
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Every matching event as the map draws it: rows of [id, lat, lon, day, killed, type, place]. */
export async function fetchPoints(filters, signal) {
  const body = await getJSON(withQuery("/api/points", filters), signal);
  const points = body.points.map(([id, lat, lon, day, killed, type, place]) => ({
    event_id: id,
    latitude: lat,
    longitude: lon,
    event_date: day,
    killed,
    sub_event_type: type === null ? null : body.types[type],
    place: place === null ? null : body.places[place],
  }));
  return { total: body.total, cursor: body.cursor, points };
}

/** Events and killed per day: [{day, events, killed, unknown}], and the whole ledger's first and last day. */
export async function fetchTimeline(filters, signal) {
  const body = await getJSON(withQuery("/api/timeline", filters), signal);
  const days = body.days.map(([day, events, killed, unknown]) => ({ day, events, killed, unknown }));
  return { first: body.first, last: body.last, days };
}

/** Per filter: [{value, events}] that the other filters leave. */
export function fetchFacets(filters, signal) {
  return getJSON(withQuery("/api/facets", filters), signal);
}

/** One page of full events (the list), and how many match. */
export function fetchEventsPage(filters, offset, signal, limit = LIST_PAGE) {
  return getJSON(withQuery("/api/events", { ...filters, limit, offset }), signal);
}

/** How many events the ledger holds. */
export async function fetchLedgerTotal(signal) {
  return (await getJSON("/api/events?limit=1", signal)).total;
}

export function fetchEvent(eventId, signal) {
  return getJSON(`/api/events/${encodeURIComponent(eventId)}`, signal);
}

/** The events changed after ``cursor`` (-1: only the cursor), and the server's poll interval. */
export function fetchChanges(cursor, signal) {
  return getJSON(`/api/changes?after=${encodeURIComponent(cursor)}`, signal);
}

/** The most populous settlements in [west, south, east, north]. */
export async function fetchPlaces(bbox, limit, signal) {
  const body = await getJSON(withQuery("/api/places", { bbox: bbox.map((v) => v.toFixed(4)).join(","), limit }), signal);
  return body.places;
}
