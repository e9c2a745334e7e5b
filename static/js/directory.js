// The directory page, enhanced: filters update the list and the map without a reload, the
// address stays shareable (history API), list and map highlight each other, and "search in
// this area" restricts the list to the map's view. Without this script the page is a plain
// list with a filter form.

import { Combobox } from "./combobox.js";
import { InitiativeLayer, addOverseasSwitch, fitTo, labels, onMap, parseBounds, parseOrigin } from "./map.js";

const root = document.querySelector("[data-directory]");

if (root) {
  const listUrl = root.dataset.listUrl;
  const areaButton = root.querySelector(".search-area");
  const status = root.querySelector(".map-status");
  let layer = null;
  let map = null;
  let movedByCode = false;
  let fitWhileHidden = false;
  let lastTerritory = new URLSearchParams(window.location.search).get("territory") || "";

  const results = () => document.getElementById("directory-results");
  const card = (slug) =>
    root.querySelector(`.card[data-slug="${window.CSS && CSS.escape ? CSS.escape(slug) : slug}"]`);

  function formUrl(form) {
    const params = new URLSearchParams();
    const sortDefault = form.elements.sort ? form.elements.sort.dataset.default : "";
    for (const [name, value] of new FormData(form)) {
      if (String(value).trim() === "") continue;
      if (name === "sort" && value === sortDefault) continue; // keep addresses short
      params.append(name, value);
    }
    const query = params.toString();
    return query ? `${listUrl}?${query}` : listUrl;
  }

  async function load(url, { push = true } = {}) {
    const focusedId = document.activeElement ? document.activeElement.id : "";
    const drawerWasOpen = root.classList.contains("filters-open");
    root.setAttribute("aria-busy", "true");
    const busy = showBusySoon();
    try {
      const response = await fetch(url, { headers: { "X-Requested-With": "fetch" } });
      const text = await response.text();
      const fresh = new DOMParser().parseFromString(text, "text/html").getElementById("directory-body");
      if (!fresh) throw new Error("no directory in the answer");
      document.getElementById("directory-body").replaceWith(document.adoptNode(fresh));
      if (push) window.history.pushState({ directory: true }, "", url);
      keepLanguageLinks();
      keepFeedLink();
      updateFilterCount();
      enhanceTerritory();
      if (drawerWasOpen) root.classList.add("filters-open");
      const focusTarget = focusedId && document.getElementById(focusedId);
      if (focusTarget) focusTarget.focus();
      else results().querySelector("h2").focus?.();
      syncMap();
    } catch {
      window.location.assign(url); // fall back to a normal page load
    } finally {
      busy.done();
      root.removeAttribute("aria-busy");
    }
  }

  // -- any territory, through a combobox; the hidden select still carries the value ---------
  function enhanceTerritory() {
    const select = document.getElementById("id_territory");
    if (!select || select.hidden) return;
    const words = labels();
    const input = document.createElement("input");
    input.type = "text";
    input.id = "id_territory_search";
    input.maxLength = 80;
    input.placeholder = words.allFrance || "";
    input.setAttribute("aria-describedby", "territory-help");
    const chosen = select.selectedOptions[0];
    input.value = chosen && chosen.value ? chosen.textContent.trim() : "";
    select.hidden = true;
    select.tabIndex = -1;
    select.before(input);
    document.getElementById("territory-label").htmlFor = input.id;
    document.getElementById("territory-help").hidden = false;
    const apply = (slug, label) => {
      let option = [...select.options].find((o) => o.value === slug);
      if (!option) {
        option = new Option(label, slug);
        select.append(option);
      }
      select.value = slug;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    };
    new Combobox(input, {
      url: select.dataset.suggestUrl,
      describe: (item) => [item.label, item.detail],
      onChoose: (item) => apply(item.slug, item.label),
      status: { count: words.suggestions, none: words.noSuggestion },
    });
    // Emptying the box means all of France.
    input.addEventListener("change", () => {
      if (input.value.trim() === "" && select.value !== "") apply("", "");
    });
  }
  enhanceTerritory();

  // -- the busy state: shown only when an update takes longer than 200 ms ----------------
  function showBusySoon() {
    let bar = null;
    const timer = setTimeout(() => {
      root.classList.add("is-busy");
      bar = document.createElement("div");
      bar.className = "busy-indicator";
      bar.setAttribute("role", "progressbar");
      bar.setAttribute("aria-label", labels().loadingResults || "");
      document.body.append(bar);
    }, 200);
    return {
      done() {
        clearTimeout(timer);
        root.classList.remove("is-busy");
        if (bar) bar.remove();
      },
    };
  }

  // -- on a phone: the filters in a drawer, a list/map switch -----------------------------
  const toolbar = root.querySelector(".directory-toolbar");
  const toggle = root.querySelector(".filters-toggle");
  const countBadge = root.querySelector("[data-filters-count]");
  const VIEW_KEY = "ssemap.directory.view";

  function updateFilterCount() {
    const count = Number(results().dataset.activeFilters || 0);
    if (countBadge) {
      countBadge.textContent = count ? String(count) : "";
      const spoken = count ? ` (${(labels().activeFilters || "%s").replace("%s", count)})` : "";
      toggle.setAttribute("aria-label", `${labels().filters || ""}${spoken}`);
    }
  }

  function setDrawer(open) {
    root.classList.toggle("filters-open", open);
    toggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("drawer-open", open);
    if (open) document.getElementById("filters-heading")?.focus();
    else toggle.focus();
  }

  function setView(view) {
    root.dataset.view = view;
    for (const button of root.querySelectorAll("[data-show-view]")) {
      button.setAttribute("aria-pressed", String(button.dataset.showView === view));
    }
    try {
      sessionStorage.setItem(VIEW_KEY, view);
    } catch {
      // private browsing: the switch still works, it is just not remembered
    }
    if (view === "map" && map) {
      map.invalidateSize();
      // Fitted while hidden (zero size): fit again now that the map has its size.
      if (fitWhileHidden) {
        fitWhileHidden = false;
        movedByCode = true;
        fitTo(map, parseBounds(results().dataset.bounds));
      }
      if (layer) layer.refresh();
    }
  }

  if (toolbar) {
    toolbar.hidden = false;
    root.classList.add("has-toolbar");
    updateFilterCount();
    let remembered = "list";
    try {
      remembered = sessionStorage.getItem(VIEW_KEY) || "list";
    } catch {
      remembered = "list";
    }
    setView(remembered === "map" ? "map" : "list");
    toggle.addEventListener("click", () => setDrawer(!root.classList.contains("filters-open")));
    root.addEventListener("click", (event) => {
      if (event.target.closest("[data-close-filters]")) setDrawer(false);
      const viewButton = event.target.closest("[data-show-view]");
      if (viewButton) setView(viewButton.dataset.showView);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && root.classList.contains("filters-open")) setDrawer(false);
    });
  }

  // The language links are outside the swapped part: give them the new filters too.
  function keepLanguageLinks() {
    for (const link of document.querySelectorAll(".language-switch a[hreflang]")) {
      const target = new URL(link.href);
      target.search = window.location.search;
      link.href = target.href;
    }
  }

  /** The head's Atom feed (alerts/_feed_link.html) follows the view shown. */
  function keepFeedLink() {
    const link = document.querySelector('link[rel="alternate"][type="application/atom+xml"]');
    if (!link) return;
    const target = new URL(link.href);
    target.search = results().dataset.query || "";
    link.href = target.href;
  }

  function syncMap() {
    if (!layer) return;
    const section = results();
    const query = section.dataset.query || "";
    const territory = new URLSearchParams(query).get("territory") || "";
    if (territory !== lastTerritory) {
      lastTerritory = territory;
      window.dispatchEvent(new CustomEvent("directory:territory", { detail: { territory } }));
      const bounds = parseBounds(section.dataset.bounds);
      if (bounds) {
        movedByCode = true;
        fitTo(map, bounds);
        fitWhileHidden = map.getContainer().offsetParent === null;
      }
    }
    layer.setOrigin(parseOrigin(section.dataset.near));
    layer.setQuery(query);
  }

  // Filters: a change applies at once; the search box on submit.
  root.addEventListener("change", (event) => {
    const form = event.target.closest("#directory-filters");
    if (!form || !event.target.name || event.target.name === "q" || event.target.name === "near") {
      return;
    }
    load(formUrl(form));
  });
  root.addEventListener("submit", (event) => {
    const form = event.target.closest("#directory-filters");
    if (!form) return;
    event.preventDefault();
    load(formUrl(form));
  });
  root.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-directory-link]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    load(link.href);
  });
  window.addEventListener("popstate", () => load(window.location.href, { push: false }));

  // The list and the map follow each other.
  const hover = (event, on) => {
    const item = event.target.closest(".card");
    if (item && layer) layer.highlight(item.dataset.slug, on);
  };
  root.addEventListener("mouseover", (event) => hover(event, true));
  root.addEventListener("mouseout", (event) => hover(event, false));
  root.addEventListener("focusin", (event) => hover(event, true));
  root.addEventListener("focusout", (event) => hover(event, false));

  function highlightCard(slug, on) {
    const item = card(slug);
    if (item) item.classList.toggle("is-highlighted", on);
  }

  function selectCard(slug) {
    for (const item of root.querySelectorAll(".card.is-selected")) item.classList.remove("is-selected");
    const item = card(slug);
    if (!item) return;
    item.classList.add("is-selected");
    item.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function showStatus(state) {
    if (status) status.textContent = labels()[state] || "";
  }

  onMap("directory-map", (leafletMap) => {
    map = leafletMap;
    addOverseasSwitch(map);
    const section = results();
    const bounds = parseBounds(section.dataset.bounds);
    if (bounds) {
      movedByCode = true;
      fitTo(map, bounds);
      fitWhileHidden = map.getContainer().offsetParent === null;
    }
    layer = new InitiativeLayer(map, {
      dataUrl: root.querySelector("[data-map-data-url]").dataset.mapDataUrl,
      query: section.dataset.query || "",
      origin: parseOrigin(section.dataset.near),
      onHover: highlightCard,
      onSelect: selectCard,
      onStatus: showStatus,
    });
    layer.refresh();
    // Offer "search in this area" once the person has moved the map themselves.
    let touched = false;
    for (const type of ["pointerdown", "wheel", "keydown", "dblclick"]) {
      map.getContainer().addEventListener(type, () => {
        touched = true;
      });
    }
    map.on("moveend", () => {
      if (touched && !movedByCode && areaButton) areaButton.hidden = false;
      movedByCode = false;
    });
  });

  if (areaButton) {
    areaButton.addEventListener("click", () => {
      if (!map) return;
      const params = new URLSearchParams(window.location.search);
      const b = map.getBounds();
      const round = (value) => Math.round(value * 10000) / 10000;
      params.set(
        "bbox",
        [
          round(Math.max(b.getWest(), -180)),
          round(Math.max(b.getSouth(), -90)),
          round(Math.min(b.getEast(), 180)),
          round(Math.min(b.getNorth(), 90)),
        ].join(","),
      );
      params.delete("page");
      areaButton.hidden = true;
      load(`${listUrl}?${params}`);
    });
  }
}
