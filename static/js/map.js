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
    if (event.detail && event.detail.id === id) {
      gentleGestures(event.detail.map);
      callback(event.detail.map);
    }
  });
}

/** A number in the page's language, with the same thousands separator as the server's. */
export function formatNumber(value) {
  const lang = document.documentElement.lang || "fr";
  return new Intl.NumberFormat(lang).format(value).replace(/\u202f/g, "\u00a0");
}

/**
 * The map never traps the page: on a touch screen one finger scrolls the page and two move the
 * map, or a tap activates it; a mouse wheel zooms only once the map has been clicked.
 */
function gentleGestures(map) {
  const container = map.getContainer();
  const touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  map.scrollWheelZoom.disable();
  if (touch) map.dragging.disable();
  let hint = null;
  let hintTimer = null;
  const activate = () => {
    map.scrollWheelZoom.enable();
    if (touch) map.dragging.enable();
    if (hint) hint.hidden = true;
  };
  const deactivate = () => {
    map.scrollWheelZoom.disable();
    if (touch) map.dragging.disable();
  };
  map.on("click focus", activate);
  container.addEventListener("mouseleave", () => map.scrollWheelZoom.disable());
  document.addEventListener("touchstart", (event) => {
    if (!container.contains(event.target)) deactivate();
  }, { passive: true });
  if (touch) {
    container.addEventListener("touchmove", (event) => {
      if (map.dragging.enabled() || event.touches.length > 1) return;
      if (!hint) {
        hint = document.createElement("p");
        hint.className = "map-hint";
        hint.textContent = labels().gestureHint || "";
        container.parentElement.append(hint);
      }
      hint.hidden = false;
      clearTimeout(hintTimer);
      hintTimer = setTimeout(() => {
        hint.hidden = true;
      }, 1500);
    }, { passive: true });
  }
}

// The overseas departments, off-screen on the national view: a switch flies there and back.
const REGIONS = [
  ["metropole", [[41.3, -5.2], [51.1, 9.6]]],
  ["guadeloupe", [[15.8, -61.85], [16.52, -61.0]]],
  ["martinique", [[14.38, -61.24], [14.9, -60.8]]],
  ["guyane", [[2.1, -54.6], [5.8, -51.6]]],
  ["reunion", [[-21.4, 55.2], [-20.85, 55.85]]],
  ["mayotte", [[-13.02, 45.0], [-12.62, 45.3]]],
];

/** Buttons under the map that show metropolitan France or one overseas department. */
export function addOverseasSwitch(map) {
  const names = labels();
  const box = document.createElement("div");
  box.className = "map-insets";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", names.overseas || "");
  for (const [key, bounds] of REGIONS) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = names[`region${key[0].toUpperCase()}${key.slice(1)}`] || key;
    button.addEventListener("click", () => map.fitBounds(bounds));
    box.append(button);
  }
  L.DomEvent.disableClickPropagation(box);
  map.getContainer().parentElement.append(box);
}

/** The theme's class: its colour and shape come from the stylesheet, as in the legend. */
function themeClasses(theme) {
  const safe = String(theme || "").replace(/[^a-z0-9-]/g, "");
  return safe ? ` theme-${safe}` : "";
}

/** « 12 initiatives »: what a screen reader says for a cluster (not « 12, button »). */
function clusterName(count) {
  const words = labels();
  return `${formatNumber(count)} ${count === 1 ? words.one || "" : words.many || ""}`.trim();
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

const KM_PER_DEGREE = 111.2; // as initiatives/geo.py measures the list's distances

/** ``"lat,lng"`` (a results section's ``data-near``) → [lat, lng], or null. */
export function parseOrigin(text) {
  const origin = (text || "").split(",").map(Number);
  return origin.length === 2 && origin.every(Number.isFinite) ? origin : null;
}

/** « 1,2 km »: the distance from ``origin`` [lat, lng] as the list writes it, or "". */
export function distanceText(origin, lat, lng) {
  if (!origin) return "";
  const k = Math.cos((origin[0] * Math.PI) / 180);
  const km = Math.hypot(lat - origin[0], (lng - origin[1]) * k) * KM_PER_DEGREE;
  const lang = document.documentElement.lang || "fr";
  const digits = km < 10 ? 1 : 0;
  const text = new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(km);
  return `${text.replace(/\u202f/g, "\u00a0")} km`;
}

function popupContent(properties, distance) {
  const box = document.createElement("div");
  box.className = "popup";
  const title = document.createElement("a");
  title.className = "popup-title";
  title.href = safeUrl(properties.url);
  title.textContent = properties.name || "";
  box.append(title);
  if (properties.commune || distance) {
    const place = document.createElement("p");
    place.className = "popup-place";
    place.textContent = properties.commune || "";
    if (distance) {
      // Sorted near a point (a commune or "Near me"): how far, as the list says it.
      const away = document.createElement("span");
      away.className = "popup-distance";
      away.textContent = (labels().distanceAway || "%s").replace("%s", distance);
      place.append(properties.commune ? " · " : "", away);
    }
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
  if (properties.stale) {
    const stale = document.createElement("p");
    stale.className = "popup-stale";
    stale.textContent = labels().stale || "Not confirmed for a long time";
    box.append(stale);
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
    className: (properties.sample ? "marker marker-sample" : "marker") + ` marker-${properties.precision || "exact"}` + (properties.stale ? " marker-stale" : "") + themeClasses(properties.theme),
    iconSize: [18, 18],
  });
}

function clusterIcon(count, extra = "server-cluster") {
  const size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
  const outer = document.createElement("div");
  const inner = document.createElement("span");
  inner.textContent = count >= 10000 ? `${Math.round(count / 1000)}k` : String(count);
  outer.append(inner);
  const icon = L.divIcon({
    html: outer,
    className: `marker-cluster marker-cluster-${size} ${extra}`.trim(),
    iconSize: [40, 40],
  });
  // Leaflet makes the icon a button named by its text; the label names it properly.
  const createIcon = icon.createIcon.bind(icon);
  icon.createIcon = (old) => {
    const element = createIcon(old);
    element.setAttribute("aria-label", clusterName(count));
    return element;
  };
  return icon;
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
      iconCreateFunction: (cluster) => clusterIcon(cluster.getChildCount(), ""),
    });
    this.onEmpty = options.onEmpty || null;
    this.emptyBox = null;
    this.serverClusters = L.layerGroup();
    this.markers = new Map();
    this.cache = new Map();
    this.loaded = null; // {bounds, zoom, query} of what is on the map
    this.origin = options.origin || null;
    map.addLayer(this.points);
    map.addLayer(this.serverClusters);
    map.on("moveend", () => this.refresh());
  }

  setQuery(query) {
    this.query = query;
    this.refresh();
  }

  /** The point distances are measured from ([lat, lng]), or null: shown in the popups. */
  setOrigin(origin) {
    this.origin = origin;
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
    // A hidden map (the list view on a phone) has no real view: load it when it is shown.
    if (this.map.getContainer().offsetParent === null) return;
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
      this.showEmpty(!(data.features || []).length);
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
      marker.bindPopup(() => popupContent(properties, distanceText(this.origin, lat, lng)));
      const slug = feature.id;
      marker.on("mouseover", () => this.onHover(slug, true));
      marker.on("mouseout", () => this.onHover(slug, false));
      marker.on("click", () => this.onSelect(slug));
      this.markers.set(slug, marker);
      markers.push(marker);
    }
    this.points.addLayers(markers);
  }

  /** Say so on the map when nothing matches here, and offer to widen the search. */
  showEmpty(empty) {
    if (!empty) {
      if (this.emptyBox) this.emptyBox.hidden = true;
      return;
    }
    if (!this.emptyBox) {
      const words = labels();
      const box = document.createElement("div");
      box.className = "map-empty";
      box.setAttribute("role", "status");
      const text = document.createElement("p");
      text.textContent = words.empty || "";
      const zoomOut = document.createElement("button");
      zoomOut.type = "button";
      zoomOut.textContent = words.widen || "";
      zoomOut.addEventListener("click", () => {
        this.map.fitBounds(REGIONS[0][1]);
        if (this.onEmpty) this.onEmpty();
      });
      box.append(text, zoomOut);
      L.DomEvent.disableClickPropagation(box);
      this.map.getContainer().parentElement.append(box);
      this.emptyBox = box;
    }
    this.emptyBox.hidden = false;
  }

  clusterMarker(lat, lng, properties) {
    const count = Number(properties.count) || 0;
    const marker = L.marker([lat, lng], {
      icon: clusterIcon(count),
      title: `${formatNumber(count)} ${labels().cluster || ""}`.trim(),
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
