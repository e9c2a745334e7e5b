// Territory outlines on the maps, drawn under the markers (GeoJSON from
// /territories/<slug>/outline.geojson, revalidated by its ETag).
//   Territory page: a map frame with data-outline-url draws it and fits the map to it.
//   Directory: a frame with data-outline-url-template draws the outline of the territory
//   being filtered, fits the map to it, and follows the filter ("directory:territory" from
//   directory.js).
//   Every map of the page: the regions and departments (static/geo/base-map.geojson, coarse)
//   drawn under everything, so a map is readable when tiles are slow, blocked or absent.

/* global L */
import { onMap } from "./map.js";

const PANE = "outlines";
const STYLE = { color: "#1f4e8c", weight: 2, opacity: 0.9, fillColor: "#1f4e8c", fillOpacity: 0.05 };
const SLUG_PLACEHOLDER = "territory-slug";
const BASE_PANE = "base-outlines";
const BASE_MAP_URL = new URL("../geo/base-map.geojson", import.meta.url).href;
const BASE_STYLE = {
  region: { color: "#5b6b63", weight: 1.5, opacity: 0.8, fill: false },
  department: { color: "#8a968f", weight: 0.7, opacity: 0.7, fill: false },
};
const BASE_MAX_ZOOM = 8;
let baseMap = null; // one fetch for every map of the page

async function drawBaseMap(map) {
  if (!map.getPane(BASE_PANE)) map.createPane(BASE_PANE).style.zIndex = "250"; // over tiles (200)
  baseMap ??= fetch(BASE_MAP_URL)
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
  const collection = await baseMap;
  if (!collection) return;
  // Departments first, so the regions' thicker lines are drawn over them.
  const ordered = [...collection.features].sort(
    (a, b) => (a.properties.kind === "region") - (b.properties.kind === "region"),
  );
  const layer = L.geoJSON(
    { type: "FeatureCollection", features: ordered },
    { pane: BASE_PANE, interactive: false, style: (feature) => BASE_STYLE[feature.properties.kind] },
  );
  // Simplified to about 2 km: shown only at the zooms where that is under a few pixels.
  const follow = () => {
    if (map.getZoom() <= BASE_MAX_ZOOM) layer.addTo(map);
    else map.removeLayer(layer);
  };
  follow();
  map.on("zoomend", follow);
}

window.addEventListener("map:init", (event) => {
  if (event.detail && event.detail.map) drawBaseMap(event.detail.map);
});

function outlinePane(map) {
  if (!map.getPane(PANE)) {
    // Above the tiles (200), under the markers (600) and their shadows: points stay clickable.
    map.createPane(PANE).style.zIndex = "350";
  }
  return PANE;
}

/** Fetch an outline and draw it; resolves to the Leaflet layer, or null if there is none. */
export async function drawOutline(map, url, { fit = false } = {}) {
  let feature;
  try {
    const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
    if (!response.ok || response.status === 204) return null; // 204: no outline known
    feature = await response.json();
  } catch {
    return null; // a missing outline never breaks the map
  }
  const layer = L.geoJSON(feature, { pane: outlinePane(map), style: STYLE, interactive: false });
  layer.addTo(map);
  const name = feature.properties && feature.properties.name;
  if (name) map.getContainer().dataset.outlineDrawn = name; // for tests and assistive checks
  if (fit) map.fitBounds(layer.getBounds(), { padding: [16, 16] });
  return layer;
}

for (const frame of document.querySelectorAll("[data-outline-url]")) {
  onMap(frame.dataset.initiativeMap, (map) => drawOutline(map, frame.dataset.outlineUrl, { fit: true }));
}

for (const frame of document.querySelectorAll("[data-outline-url-template]")) {
  const template = frame.dataset.outlineUrlTemplate;
  const territoryOf = (query) => new URLSearchParams(query || "").get("territory") || "";
  onMap(frame.dataset.initiativeMap, (map) => {
    let current = null;
    let shown = "";
    const show = async (territory) => {
      if (territory === shown) return;
      shown = territory;
      if (current) map.removeLayer(current);
      current = null;
      if (!territory) return;
      // Fitted to the whole territory, not only to its initiatives: "what is in my territory".
      const url = template.replace(SLUG_PLACEHOLDER, encodeURIComponent(territory));
      const layer = await drawOutline(map, url, { fit: true });
      if (shown === territory) current = layer;
      else if (layer) map.removeLayer(layer); // the filter changed while it loaded
    };
    const results = document.getElementById("directory-results");
    show(territoryOf(results ? results.dataset.query : window.location.search));
    window.addEventListener("directory:territory", (event) => show(event.detail.territory || ""));
  });
}
