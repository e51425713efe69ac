// A map that works offline: the pack's areas as an outline always, web tiles on top when they load.
"use strict";
window.ceasefireMap = function (elementId) {
  var element = document.getElementById(elementId);
  var map = L.map(element, { preferCanvas: true, maxZoom: 18 }).setView([35.0, 38.5], 7);
  var tiles = element.dataset.tiles;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: "&copy; OpenStreetMap contributors" }).addTo(map);
  }
  fetch("/api/v1/areas").then(function (r) { return r.json(); }).then(function (outline) {
    L.geoJSON(outline, {
      pointToLayer: function (feature, latlng) {
        var p = feature.properties;
        var big = p.kind === "governorate" || p.kind === "country";
        var shape = L.circle(latlng, { radius: p.radius_km * 1000, weight: 1, color: "#888", fill: big ? false : true,
                                       fillOpacity: 0.05, interactive: false });
        if (big || p.kind === "region") {
          shape.bindTooltip(p.name, { permanent: p.kind !== "country", direction: "center", className: "area-label" });
        }
        return shape;
      }
    }).addTo(map);
  });
  return map;
};
