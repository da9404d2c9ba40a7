// Builds the page into the Python package, where the API serves it at "/".
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  build: {
    outDir: "../src/warledger/web/static",
    emptyOutDir: true,
    // the basemap (world-atlas TopoJSON) is fetched as a file, never inlined
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npm run dev` against a running `warledger serve` / uvicorn on :8000
    proxy: { "/api": "http://127.0.0.1:8000" },
  },
});
