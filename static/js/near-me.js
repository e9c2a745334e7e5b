// "Near me" on the directory: only when the person presses the button, the browser's
// position (rounded to about 100 m) becomes the "near" parameter, the list is sorted by
// distance and the map is centred there. Nothing is asked for before the click.

import { labels, onMap } from "./map.js";

let map = null;
onMap("directory-map", (leafletMap) => {
  map = leafletMap;
});

function setUp(root) {
  const button = root.querySelector("[data-near-me]");
  if (!button || !("geolocation" in navigator)) return;
  button.hidden = false; // without geolocation the button would only disappoint
  const status = root.querySelector("[data-near-me-status]");
  const say = (key) => {
    if (status) status.textContent = labels()[key] || "";
  };
  button.addEventListener("click", () => {
    say("nearMeLocating");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const latitude = position.coords.latitude.toFixed(3);
        const longitude = position.coords.longitude.toFixed(3);
        const form = button.closest("form");
        form.elements.near.value = `${latitude},${longitude}`;
        if (form.elements.sort) form.elements.sort.value = "distance";
        say("");
        if (map) map.setView([Number(latitude), Number(longitude)], 12);
        form.requestSubmit();
      },
      () => say("nearMeFailed"),
      { maximumAge: 600000, timeout: 15000 },
    );
  });
}

// The filters form is replaced on every directory update: set up each new one.
const directory = document.querySelector("[data-directory]");
if (directory) {
  setUp(directory);
  new MutationObserver(() => {
    const button = directory.querySelector("[data-near-me]");
    if (button && button.hidden) setUp(directory);
  }).observe(directory, { childList: true, subtree: true });
}
