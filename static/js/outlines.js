// Territory outlines on the maps, drawn under the markers (GeoJSON from
// /territories/<slug>/outline.geojson, revalidated by its ETag).
//   Territory page: a map frame with data-outline-url draws it and fits the map to it.
//   Directory: a frame with data-outline-url-template draws the outline of the territory
//   being filtered, fits the map to it, and follows the filter ("directory:territory" from
//   directory.js).

/* global L */
import { onMap } from "./map.js";

const PANE = "outlines";
const STYLE = { color: "#1f4e8c", weight: 2, opacity: 0.9, fillColor: "#1f4e8c", fillOpacity: 0.05 };
const SLUG_PLACEHOLDER = "territory-slug";

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
    if (!response.ok) return null;
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
