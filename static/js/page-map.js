// Maps of the home, territory and initiative pages: each container says what it shows.
//   data-initiative-map="<map id>"  data-map-data-url  data-query  data-bounds
//   data-point='[lat, lng]' (an initiative page: its own marker, highlighted)

/* global L */
import { InitiativeLayer, addOverseasSwitch, fitTo, onMap, parseBounds } from "./map.js";

for (const frame of document.querySelectorAll("[data-initiative-map]")) {
  const id = frame.dataset.initiativeMap;
  onMap(id, (map) => {
    map.invalidateSize(); // the container got its final size from CSS after Leaflet measured it
    fitTo(map, parseBounds(frame.dataset.bounds));
    if ("overseas" in frame.dataset) addOverseasSwitch(map);
    if (frame.dataset.point) {
      const [lat, lng] = JSON.parse(frame.dataset.point);
      map.setView([lat, lng], 13);
      L.marker([lat, lng], {
        icon: L.divIcon({ className: "marker marker-current", iconSize: [22, 22] }),
        title: frame.dataset.title || "",
        alt: frame.dataset.title || "",
        zIndexOffset: 1000,
      }).addTo(map);
    }
    if (frame.dataset.mapDataUrl) {
      const layer = new InitiativeLayer(map, {
        dataUrl: frame.dataset.mapDataUrl,
        query: frame.dataset.query || "",
      });
      layer.refresh();
    }
  });
}
