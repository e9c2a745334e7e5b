// The admin's point widget: a Leaflet map whose pin follows and writes latitude/longitude.
(function () {
  "use strict";

  function setUp(container) {
    var latInput = document.getElementById(container.dataset.latitudeInput);
    var lonInput = document.getElementById(container.dataset.longitudeInput);
    if (!latInput || !lonInput || typeof L === "undefined") return;
    var map = L.map(container, { scrollWheelZoom: false });
    L.tileLayer(container.dataset.tiles, { attribution: container.dataset.attribution, maxZoom: 19 }).addTo(map);
    var marker = null;

    function read() {
      var lat = parseFloat(latInput.value);
      var lon = parseFloat(lonInput.value);
      return isFinite(lat) && isFinite(lon) ? [lat, lon] : null;
    }
    function write(latlng) {
      latInput.value = Math.round(latlng.lat * 1e6) / 1e6;
      lonInput.value = Math.round(latlng.lng * 1e6) / 1e6;
    }
    function place(point) {
      if (!marker) {
        marker = L.marker(point, { draggable: true }).addTo(map);
        marker.on("dragend", function () { write(marker.getLatLng()); });
      } else {
        marker.setLatLng(point);
      }
    }

    var start = read();
    if (start) {
      place(start);
      map.setView(start, 14);
    } else {
      map.setView([46.6, 2.4], 5);
    }
    map.on("click", function (event) {
      place(event.latlng);
      write(event.latlng);
    });
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("change", function () {
        var point = read();
        if (point) {
          place(point);
          map.panTo(point);
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".admin-point-map").forEach(setUp);
  });
})();
