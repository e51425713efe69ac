"use strict";
(function () {
  var colours = { VIOLATION: "#b2182b", DISPUTED: "#e08214", NOT_A_VIOLATION: "#1b7837",
                  UNVERIFIED: "#777777", OUT_OF_SCOPE: "#2166ac", NOT_ASSESSED: "#999999" };
  var rows = JSON.parse(document.getElementById("incidents-data").textContent);
  var map = window.ceasefireMap("map");
  var cluster = L.markerClusterGroup({ maxClusterRadius: 40 });
  var bounds = [];
  rows.forEach(function (r) {
    var marker = L.circleMarker([r.latitude, r.longitude], {
      radius: 8, color: "#222", weight: 1, fillColor: colours[r.verdict] || "#999", fillOpacity: 0.9 });
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = "/incidents/" + encodeURIComponent(r.id);
    link.textContent = r.date + " · " + r.place;  // textContent: names from reports are never HTML
    var line = document.createElement("div");
    line.textContent = r.verdict + " · " + (r.sub_event_type || r.event_type || "") +
      (r.perpetrator ? " · by " + r.perpetrator : "");
    popup.appendChild(link);
    popup.appendChild(line);
    marker.bindPopup(popup);
    marker.options.incidentId = r.id;
    cluster.addLayer(marker);
    bounds.push([r.latitude, r.longitude]);
  });
  map.addLayer(cluster);
  if (bounds.length) { map.fitBounds(bounds, { maxZoom: 10, padding: [20, 20] }); }
  document.getElementById("map").dataset.markers = String(rows.length);

  // Choosing a value applies the filters at once (the Apply button is for browsers without scripts).
  Array.prototype.forEach.call(document.querySelectorAll("#filters select"), function (select) {
    select.addEventListener("change", function () { document.getElementById("filters").submit(); });
  });

  // The date slider moves the end of the period; releasing it applies the filters.
  var slider = document.getElementById("day-slider");
  var label = document.getElementById("day-label");
  var until = document.getElementById("until");
  var start = new Date(slider.dataset.start + "T00:00:00Z");
  var days = Math.max(1, Math.round((new Date(slider.dataset.end + "T00:00:00Z") - start) / 86400000));
  slider.max = String(days);
  slider.value = slider.dataset.until
    ? String(Math.round((new Date(slider.dataset.until + "T00:00:00Z") - start) / 86400000)) : String(days);
  function dayOf(value) { return new Date(start.getTime() + value * 86400000).toISOString().slice(0, 10); }
  slider.addEventListener("input", function () { label.textContent = dayOf(Number(slider.value)); });
  slider.addEventListener("change", function () {
    until.value = dayOf(Number(slider.value));
    document.getElementById("filters").submit();
  });
})();
