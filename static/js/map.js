// The initiatives layer of every ssemap map: points (clustered in the browser) and the
// cluster features the server may send instead of points at low zoom
// ({"cluster": true, "count": N, "bbox": [W, S, E, N]}). Popups are DOM nodes: no HTML
// string is ever built from data.

/* global L */

const CACHE_SIZE = 24;

/** The words of the page's language, from the hidden #map-labels element. */
export function labels() {
  const element = document.getElementById("map-labels");
  return element ? element.dataset : {};
}

/** Run ``callback(map)`` when django-leaflet has created the map ``id``. */
export function onMap(id, callback) {
  window.addEventListener("map:init", (event) => {
    if (event.detail && event.detail.id === id) callback(event.detail.map);
  });
}

/** Only same-origin links: a URL from data never becomes ``javascript:``. */
function safeUrl(url) {
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.origin === window.location.origin ? parsed.href : "#";
  } catch {
    return "#";
  }
}

function popupContent(properties) {
  const box = document.createElement("div");
  box.className = "popup";
  const title = document.createElement("a");
  title.className = "popup-title";
  title.href = safeUrl(properties.url);
  title.textContent = properties.name || "";
  box.append(title);
  if (properties.commune) {
    const place = document.createElement("p");
    place.className = "popup-place";
    place.textContent = properties.commune;
    box.append(place);
  }
  if (properties.precision && properties.precision !== "exact") {
    // An approximate point must not be read as an address (geography.js, issue 12).
    const note = document.createElement("p");
    note.className = "popup-precision";
    const key = properties.precision === "commune" ? "precisionCommune" : "precisionApproximate";
    note.textContent = labels()[key] || "";
    box.append(note);
  }
  if (properties.sample) {
    const mark = document.createElement("p");
    mark.className = "sample-mark sample-mark-small";
    mark.textContent = labels().sample || "Sample";
    box.append(mark);
  }
  return box;
}

function pointIcon(properties) {
  return L.divIcon({
    className: `${properties.sample ? "marker marker-sample" : "marker"} marker-${properties.precision || "exact"}`,
    iconSize: [18, 18],
  });
}

function clusterIcon(count) {
  const size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
  const outer = document.createElement("div");
  const inner = document.createElement("span");
  inner.textContent = count >= 10000 ? `${Math.round(count / 1000)}k` : String(count);
  outer.append(inner);
  return L.divIcon({
    html: outer,
    className: `marker-cluster marker-cluster-${size} server-cluster`,
    iconSize: [40, 40],
  });
}

function bboxString(bounds) {
  const round = (value, up) => (up ? Math.ceil(value * 100) : Math.floor(value * 100)) / 100;
  return [
    round(Math.max(bounds.getWest(), -180), false),
    round(Math.max(bounds.getSouth(), -90), false),
    round(Math.min(bounds.getEast(), 180), true),
    round(Math.min(bounds.getNorth(), 90), true),
  ].join(",");
}

/**
 * ``bounds`` widened to whole blocks of 2×2 map tiles at the current zoom: views that differ
 * by a few pixels ask for the same URL, which the browser, this layer and the server cache.
 */
function tileBounds(map, bounds) {
  const zoom = map.getZoom();
  const block = 512;
  const min = map.project(bounds.getNorthWest(), zoom);
  const max = map.project(bounds.getSouthEast(), zoom);
  const snap = (value, up) => (up ? Math.ceil(value / block) : Math.floor(value / block)) * block;
  return L.latLngBounds(
    map.unproject(L.point(snap(min.x, false), snap(min.y, false)), zoom),
    map.unproject(L.point(snap(max.x, true), snap(max.y, true)), zoom),
  );
}

export class InitiativeLayer {
  /**
   * @param {L.Map} map
   * @param {{dataUrl: string, query?: string, onHover?: Function, onSelect?: Function,
   *          onStatus?: Function}} options
   */
  constructor(map, options) {
    this.map = map;
    this.dataUrl = options.dataUrl;
    this.query = options.query || "";
    this.onHover = options.onHover || (() => {});
    this.onSelect = options.onSelect || (() => {});
    this.onStatus = options.onStatus || (() => {});
    this.points = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 45,
      chunkedLoading: true,
    });
    this.serverClusters = L.layerGroup();
    this.markers = new Map();
    this.cache = new Map();
    this.loaded = null; // {bounds, zoom, query} of what is on the map
    map.addLayer(this.points);
    map.addLayer(this.serverClusters);
    map.on("moveend", () => this.refresh());
  }

  setQuery(query) {
    this.query = query;
    this.refresh();
  }

  /** The map-data URL for the current view, slightly larger than the view. */
  requestFor() {
    const bounds = tileBounds(this.map, this.map.getBounds().pad(0.2));
    const params = new URLSearchParams(this.query);
    for (const name of ["page", "sort", "near", "bbox", "zoom"]) params.delete(name);
    params.set("bbox", bboxString(bounds));
    params.set("zoom", String(this.map.getZoom()));
    return { url: `${this.dataUrl}?${params}`, bounds };
  }

  async refresh() {
    const view = this.map.getBounds();
    const zoom = this.map.getZoom();
    const loaded = this.loaded;
    if (loaded && loaded.query === this.query && loaded.zoom === zoom && loaded.bounds.contains(view)) {
      return;
    }
    const { url, bounds } = this.requestFor();
    if (this.controller) this.controller.abort();
    this.controller = new AbortController();
    this.onStatus("loading");
    try {
      let data = this.cache.get(url);
      if (!data) {
        const response = await fetch(url, { signal: this.controller.signal, headers: { Accept: "application/geo+json, application/json" } });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        data = await response.json();
        this.cache.set(url, data);
        if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value);
      }
      this.render(data);
      this.loaded = { bounds, zoom, query: this.query };
      this.onStatus("loaded");
    } catch (error) {
      if (error.name !== "AbortError") this.onStatus("failed");
    }
  }

  render(collection) {
    this.points.clearLayers();
    this.serverClusters.clearLayers();
    this.markers.clear();
    const markers = [];
    for (const feature of collection.features || []) {
      if (!feature.geometry || feature.geometry.type !== "Point") continue;
      const [lng, lat] = feature.geometry.coordinates;
      const properties = feature.properties || {};
      if (properties.cluster) {
        this.serverClusters.addLayer(this.clusterMarker(lat, lng, properties));
        continue;
      }
      const marker = L.marker([lat, lng], {
        icon: pointIcon(properties),
        title: properties.name || "",
        alt: properties.name || "",
        keyboard: true,
      });
      marker.bindPopup(() => popupContent(properties));
      const slug = feature.id;
      marker.on("mouseover", () => this.onHover(slug, true));
      marker.on("mouseout", () => this.onHover(slug, false));
      marker.on("click", () => this.onSelect(slug));
      this.markers.set(slug, marker);
      markers.push(marker);
    }
    this.points.addLayers(markers);
  }

  clusterMarker(lat, lng, properties) {
    const count = Number(properties.count) || 0;
    const marker = L.marker([lat, lng], {
      icon: clusterIcon(count),
      title: `${count} ${labels().cluster || ""}`.trim(),
      keyboard: true,
    });
    marker.on("click", () => {
      const box = properties.bbox;
      const zoom = this.map.getZoom();
      if (Array.isArray(box) && box.length === 4) {
        const [west, south, east, north] = box.map(Number);
        this.map.fitBounds([[south, west], [north, east]], { padding: [24, 24] });
        if (this.map.getZoom() === zoom) this.map.setZoom(zoom + 2);
      } else {
        this.map.setView([lat, lng], Math.min(zoom + 2, this.map.getMaxZoom()));
      }
    });
    return marker;
  }

  /** Highlight the marker of ``slug`` (or the cluster that holds it). */
  highlight(slug, on) {
    const marker = this.markers.get(slug);
    if (!marker) return;
    const shown = this.points.getVisibleParent(marker);
    const element = shown && shown.getElement ? shown.getElement() : null;
    if (element) element.classList.toggle("is-highlighted", on);
  }

  /** Show the marker of ``slug``, opening clusters as needed, with its popup. */
  reveal(slug) {
    const marker = this.markers.get(slug);
    if (!marker) return;
    this.points.zoomToShowLayer(marker, () => marker.openPopup());
  }
}

/** [[south, west], [north, east]] from a data attribute, or null. */
export function parseBounds(text) {
  if (!text) return null;
  try {
    const bounds = JSON.parse(text);
    return Array.isArray(bounds) && bounds.length === 2 ? bounds : null;
  } catch {
    return null;
  }
}

export function fitTo(map, bounds) {
  if (!bounds) return;
  const [[south, west], [north, east]] = bounds;
  if (south === north && west === east) map.setView([south, west], 13);
  else map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
}
