// The page's only server: the warledger API on the same origin.

const PAGE = 1000; // the API's largest page
const MAX_EVENTS = 50000; // the page filters in the browser; past this it stops loading

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

/** Every event of the ledger, page by page; ``onPage(loaded, total)`` reports progress. */
export async function fetchAllEvents(onPage, signal) {
  const events = [];
  let total = Infinity;
  for (let offset = 0; offset < total && offset < MAX_EVENTS; offset += PAGE) {
    const page = await getJSON(`/api/events?limit=${PAGE}&offset=${offset}`, signal);
    total = page.total;
    events.push(...page.events);
    if (onPage) onPage(events.length, total);
    if (!page.events.length) break;
  }
  return { events, total: Number.isFinite(total) ? total : events.length };
}

export function fetchEvent(eventId, signal) {
  return getJSON(`/api/events/${encodeURIComponent(eventId)}`, signal);
}
