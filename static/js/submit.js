// The public submission and correction forms: commune autocomplete (ARIA combobox),
// a draggable pin that writes the coordinates, and live hints about possible duplicates.
// Without this script the form still works: the commune is resolved by the server.

const form = document.querySelector("form.submit-form");

const input = document.getElementById("id_commune");
const codeInput = document.getElementById("id_commune_code");
const listbox = document.getElementById("commune-listbox");
const status = document.getElementById("commune-status");
const latInput = document.getElementById("id_latitude");
const lonInput = document.getElementById("id_longitude");
const nameInput = document.getElementById("id_name");
const hints = document.getElementById("duplicate-hints");
const hintList = document.getElementById("duplicate-list");
const mapWrap = document.getElementById("submit-map-wrap");

const msg = (key, values = {}) =>
  (form.dataset[key] || "").replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) return { results: [] };
  return response.json();
}

// ---- The map: a pin that starts at the commune and writes the coordinates ----------------
let map = null;
let marker = null;

function round(value) {
  return Math.round(value * 1e6) / 1e6;
}

function writeCoordinates(latlng) {
  latInput.value = round(latlng.lat);
  lonInput.value = round(latlng.lng);
}

function placePin(lat, lon, zoom) {
  if (!map) return;
  const latlng = [lat, lon];
  if (!marker) {
    marker = L.marker(latlng, { draggable: true, autoPan: true, title: msg("msgPin"), alt: msg("msgPin") });
    marker.on("dragend", () => writeCoordinates(marker.getLatLng()));
    marker.addTo(map);
  } else {
    marker.setLatLng(latlng);
  }
  map.setView(latlng, zoom ?? Math.max(map.getZoom(), 13));
}

function readNumber(field) {
  const value = parseFloat((field.value || "").replace(",", "."));
  return Number.isFinite(value) ? value : null;
}

if (mapWrap) {
  mapWrap.hidden = false;
  window.addEventListener("map:init", (event) => {
    if (event.detail.map.getContainer().id !== "submit-map") return;
    map = event.detail.map;
    const lat = readNumber(latInput);
    const lon = readNumber(lonInput);
    if (lat !== null && lon !== null) placePin(lat, lon, 14);
    map.on("click", (e) => {
      placePin(e.latlng.lat, e.latlng.lng, map.getZoom());
      writeCoordinates(e.latlng);
    });
  });
  const followInputs = () => {
    const lat = readNumber(latInput);
    const lon = readNumber(lonInput);
    if (lat !== null && lon !== null) placePin(lat, lon, map ? map.getZoom() : 14);
  };
  latInput.addEventListener("change", followInputs);
  lonInput.addEventListener("change", followInputs);
}

// ---- The commune combobox (WAI-ARIA 1.2 combobox with a listbox popup) -------------------
let options = [];
let active = -1;

input.setAttribute("role", "combobox");
input.setAttribute("aria-autocomplete", "list");
input.setAttribute("aria-expanded", "false");
input.setAttribute("aria-controls", listbox.id);

function close() {
  listbox.hidden = true;
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
  active = -1;
}

function highlight(index) {
  const items = listbox.querySelectorAll("[role=option]");
  items.forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
  active = index;
  if (index >= 0) {
    input.setAttribute("aria-activedescendant", items[index].id);
    items[index].scrollIntoView({ block: "nearest" });
  } else {
    input.removeAttribute("aria-activedescendant");
  }
}

function render(results) {
  options = results;
  listbox.replaceChildren();
  results.forEach((commune, i) => {
    const li = document.createElement("li");
    li.id = `commune-option-${i}`;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.dataset.code = commune.code;
    const name = document.createElement("span");
    name.className = "option-name";
    name.textContent = commune.label;
    const detail = document.createElement("span");
    detail.className = "option-detail";
    detail.textContent = [commune.department, commune.postcodes.slice(0, 3).join(", ")]
      .filter(Boolean)
      .join(" · ");
    li.append(name, " ", detail);
    // mousedown, not click: keep the focus in the input.
    li.addEventListener("mousedown", (event) => {
      event.preventDefault();
      choose(i);
    });
    listbox.append(li);
  });
  if (results.length) {
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent =
      results.length === 1 ? msg("msgResultsOne") : msg("msgResultsMany", { count: results.length });
  } else {
    close();
    status.textContent = msg("msgNoResults");
  }
  active = -1;
}

function choose(index) {
  const commune = options[index];
  if (!commune) return;
  input.value = commune.label;
  codeInput.value = commune.code;
  close();
  status.textContent = msg("msgChosen", { label: commune.label });
  if (commune.latitude !== null && commune.longitude !== null) {
    placePin(commune.latitude, commune.longitude, 13);
    latInput.value = round(commune.latitude);
    lonInput.value = round(commune.longitude);
  }
  checkDuplicates();
}

const search = debounce(async () => {
  const text = input.value.trim();
  if (text.length < 2) {
    close();
    return;
  }
  const url = `${form.dataset.communesUrl}?q=${encodeURIComponent(text)}`;
  const data = await getJSON(url);
  if (input.value.trim() === text) render(data.results || []);
}, 200);

input.addEventListener("input", () => {
  codeInput.value = "";
  search();
});

input.addEventListener("keydown", (event) => {
  const open = !listbox.hidden;
  switch (event.key) {
    case "ArrowDown":
      event.preventDefault();
      if (!open && options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      if (options.length) highlight((active + 1) % options.length);
      break;
    case "ArrowUp":
      event.preventDefault();
      if (options.length) highlight(active <= 0 ? options.length - 1 : active - 1);
      break;
    case "Enter":
      if (open && active >= 0) {
        event.preventDefault(); // choose, do not submit the form
        choose(active);
      }
      break;
    case "Escape":
      if (open) {
        event.preventDefault();
        close();
      }
      break;
    default:
      break;
  }
});

input.addEventListener("blur", () => setTimeout(close, 100));

// ---- Possible duplicates ------------------------------------------------------------------
async function checkDuplicates() {
  if (!hints || !form.dataset.duplicatesUrl) return;
  const name = nameInput.value.trim();
  const commune = codeInput.value || input.value.trim();
  if (name.length < 3 || !commune) {
    hints.hidden = true;
    return;
  }
  const params = new URLSearchParams({ name, commune });
  const data = await getJSON(`${form.dataset.duplicatesUrl}?${params}`);
  const results = data.results || [];
  hintList.replaceChildren();
  for (const item of results) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.name;
    link.target = "_blank";
    const where = document.createTextNode(` — ${item.commune} · `);
    const correct = document.createElement("a");
    correct.href = item.correct_url;
    correct.textContent = msg("msgCorrect");
    li.append(link, where, correct);
    hintList.append(li);
  }
  hints.hidden = results.length === 0;
}

if (nameInput && hints) {
  nameInput.addEventListener("input", debounce(checkDuplicates, 400));
  if (nameInput.value && input.value) checkDuplicates();
}

// After a failed submission, bring the error summary into view for screen readers too.
const summary = document.getElementById("form-errors");
if (summary) summary.focus();
