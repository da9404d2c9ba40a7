// DOM helpers. Everything that comes from the ledger (article text, names, quotes) is untrusted:
// it only ever enters the page as text nodes or attribute values, never as HTML.

/**
 * h("a", {href, class: "x", dataset: {eventId}}, "text", child) -> element.
 * String / number children become text nodes; null / false children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "dataset") {
      for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) el.dataset[k] = String(v);
    } else if (key === "class") {
      el.className = value;
    } else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "href") {
      const safe = safeUrl(value);
      if (safe) el.setAttribute("href", safe);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** The URL when it is an absolute http(s) URL, else null (no javascript:, data:, relative ...). */
export function safeUrl(value) {
  if (typeof value !== "string" || !value) return null;
  let url;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}

/** A link that opens elsewhere, or the plain text when the URL is not http(s). */
export function link(url, text) {
  const safe = safeUrl(url);
  if (!safe) return document.createTextNode(text || "");
  return h("a", { href: safe, target: "_blank", rel: "noopener noreferrer nofollow" }, text || safe);
}

/**
 * A sum of killed over events that never turns an unknown toll into 0: "12 killed",
 * "12 killed (unknown for 2 events)", or "killed unknown" when no event gives a figure.
 */
export function killedText(values) {
  const known = values.filter((v) => v !== null && v !== undefined);
  return killedSummary(
    known.reduce((s, v) => s + v, 0),
    values.length - known.length,
    values.length,
  );
}

/** killedText of ``events`` events whose known tolls sum to ``sum``, ``unknown`` of them unknown. */
export function killedSummary(sum, unknown, events) {
  if (events && unknown === events) return "killed unknown";
  return `${sum ?? 0} killed${unknown ? ` (unknown for ${unknown} event${unknown === 1 ? "" : "s"})` : ""}`;
}

/** "a" .. "b" as one string; null when neither is known. */
export function span(low, high) {
  if (low === null && high === null) return null;
  if (low === high) return String(low);
  return `${low ?? "?"}–${high ?? "?"}`;
}
