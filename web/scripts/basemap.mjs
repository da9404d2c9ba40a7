// The world basemap without stripes across it. world-atlas' 1:50m countries (Natural Earth) cut
// the shapes that cross the antimeridian (Russia's Chukotka, Fiji, Antarctica) with a jump of
// 360° from one vertex to the next, which a flat map draws as a line across the whole world. Here
// every ring is made continuous (its longitudes go on past ±180) and a shape reaching past ±180 is
// drawn twice, once on each side; a ring around a pole (Antarctica) is closed along the pole. Run by
// `npm run build`; writes src/generated/countries.json (TopoJSON, git-ignored), which map.js loads
// as a file of the build; tests/web checks that no edge of it spans more than 180° of longitude.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";
import { topology } from "topojson-server";

const QUANTIZE = 1e5; // as world-atlas: about 400 m at the equator
const POLE_STEP = 90; // degrees between the vertices added along a pole (no edge spans more than 180)

/** The ring's longitudes made continuous; ``turns``: how many times it went round the globe. */
export function unwrap(ring) {
  let shift = 0;
  const out = [[ring[0][0], ring[0][1]]];
  for (let i = 1; i < ring.length; i++) {
    const step = ring[i][0] - ring[i - 1][0];
    if (step > 180) shift -= 360;
    else if (step < -180) shift += 360;
    out.push([ring[i][0] + shift, ring[i][1]]);
  }
  return { ring: out, turns: Math.round(shift / 360) };
}

/** A ring that went round the globe, closed along the pole it encloses. */
function closeAlongPole(ring) {
  const pole = ring.reduce((s, p) => s + p[1], 0) / ring.length < 0 ? -90 : 90;
  const last = ring[ring.length - 1][0];
  const first = ring[0][0];
  const out = ring.slice();
  const dir = Math.sign(first - last);
  for (let lon = last; dir * (first - lon) > 0; lon += dir * POLE_STEP) out.push([lon, pole]);
  out.push([first, pole], [first, ring[0][1]]);
  return out;
}

const shifted = (ring, by) => ring.map(([lon, lat]) => [lon + by, lat]);

/** A polygon's rings made continuous, moved so that the most western vertex lies in [-180, 180). */
function continuous(rings) {
  return rings.map((r) => {
    const { ring, turns } = unwrap(r);
    const whole = turns === 0 ? ring : closeAlongPole(ring);
    const west = Math.min(...whole.map((p) => p[0]));
    return shifted(whole, -360 * Math.floor((west + 180) / 360));
  });
}

/** The polygons to draw for one: itself made continuous, and its copy 360° west when it reaches past 180. */
export function fixPolygon(rings) {
  const fixed = continuous(rings);
  const east = Math.max(...fixed.flat().map((p) => p[0]));
  return east > 180 ? [fixed, fixed.map((r) => shifted(r, -360))] : [fixed];
}

export function fixGeometry(geometry) {
  if (!geometry) return geometry;
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  return { type: "MultiPolygon", coordinates: polygons.flatMap(fixPolygon) };
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = require.resolve("world-atlas/countries-50m.json");
  const world = JSON.parse(readFileSync(source, "utf8"));
  const countries = feature(world, world.objects.countries);
  for (const f of countries.features) f.geometry = fixGeometry(f.geometry);
  const topo = topology({ countries }, QUANTIZE);
  const out = join(here, "..", "src", "generated");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "countries.json"), JSON.stringify(topo));
  console.log(`countries.json: ${countries.features.length} countries from ${source}, antimeridian mended`);
}
