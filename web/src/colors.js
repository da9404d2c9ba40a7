// One colour per ACLED sub-event type, the same on the map, its legend and the panel.

const KNOWN = {
  "Shelling/artillery/missile attack": "#d7301f",
  "Air/drone strike": "#2b8cbe",
  "Remote explosive/landmine/IED": "#8856a7",
  "Grenade": "#e6ab02",
  "Suicide bomb": "#1b9e77",
  "Attack": "#a6761d",
  "Armed clash": "#666666",
};
const SPARE = ["#e7298a", "#66a61e", "#7570b3", "#d95f02", "#1f78b4", "#b15928"];
const assigned = new Map();

export const UNKNOWN_TYPE = "(type unknown)";

export function typeColor(type) {
  const key = type || UNKNOWN_TYPE;
  if (KNOWN[key]) return KNOWN[key];
  if (!assigned.has(key)) assigned.set(key, key === UNKNOWN_TYPE ? "#999999" : SPARE[assigned.size % SPARE.length]);
  return assigned.get(key);
}

/** Marker diameter in px: area grows with the killed figure; unknown and 0 get the smallest. */
export function markerSize(killed) {
  const k = Number.isFinite(killed) && killed > 0 ? killed : 0;
  return Math.min(48, Math.round(10 + 4 * Math.sqrt(k)));
}
