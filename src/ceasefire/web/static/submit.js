"use strict";
(function () {
  var map = window.ceasefireMap("pick-map");
  var lat = document.getElementById("latitude");
  var lon = document.getElementById("longitude");
  var marker = null;
  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
  }
  if (lat.value && lon.value) { place([Number(lat.value), Number(lon.value)]); }
  map.on("click", function (event) {
    lat.value = event.latlng.lat.toFixed(5);
    lon.value = event.latlng.lng.toFixed(5);
    place(event.latlng);
  });
  var tz = document.getElementById("tz");
  if (tz.value === "+00:00") {
    var minutes = -new Date().getTimezoneOffset();
    var sign = minutes >= 0 ? "+" : "-";
    minutes = Math.abs(minutes);
    tz.value = sign + String(Math.floor(minutes / 60)).padStart(2, "0") + ":" + String(minutes % 60).padStart(2, "0");
  }
})();
