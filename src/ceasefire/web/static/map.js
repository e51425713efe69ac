"use strict";
(function () {
  // Shapes and colours come from the server's palette (ceasefire.publish.palette), one for every page and the report.
  var palette = {}, severity = [];
  JSON.parse(document.getElementById("palette-data").textContent).forEach(function (v) {
    palette[v.verdict] = v;
    severity.push(v.verdict);
  });
  function style(verdict) { return palette[verdict] || palette.NOT_ASSESSED; }
  function worst(verdicts) {
    var best = severity.length - 1;
    verdicts.forEach(function (v) { var i = severity.indexOf(v); if (i >= 0 && i < best) { best = i; } });
    return severity[best];
  }
  var rows = JSON.parse(document.getElementById("incidents-data").textContent);
  var map = window.ceasefireMap("map");
  var cluster = L.markerClusterGroup({
    maxClusterRadius: 40,
    iconCreateFunction: function (group) {
      var verdict = worst(group.getAllChildMarkers().map(function (m) { return m.options.verdict; }));
      var count = group.getChildCount();
      return L.divIcon({ className: "verdict-cluster verdict-" + verdict.toLowerCase(), iconSize: [44, 30], iconAnchor: [22, 15],
                         html: style(verdict).svg.replace('width="20" height="20"', 'width="28" height="28"') +
                               '<span class="cluster-count">' + count + "</span>",
                         verdict: verdict });
    }
  });
  var areas = L.layerGroup(), outlines = L.svg();  // SVG, not canvas: each area stays an element with a name
  var bounds = [], points = 0, circles = 0;
  function popupFor(r) {
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = "/incidents/" + encodeURIComponent(r.id);
    link.textContent = r.date + " · " + r.place;  // textContent: names from reports are never HTML
    var line = document.createElement("div");
    line.textContent = style(r.verdict).label + (r.reviewed ? " (reviewed)" : " (automatic)") + " · " +
      (r.sub_event_type || r.event_type || "") + (r.perpetrator ? " · by " + r.perpetrator : "") +
      (r.geo_precision > 1 ? " · place known only to about " + Math.round(r.uncertainty_km) + " km" : "");
    popup.appendChild(link);
    popup.appendChild(line);
    return popup;
  }
  rows.forEach(function (r) {
    var s = style(r.verdict), layer;
    if (r.geo_precision > 1) {
      // A place known only roughly is an area, never a point: a hollow circle as large as what is known.
      layer = L.circle([r.latitude, r.longitude], { radius: Math.max(r.uncertainty_km, 5) * 1000, color: s.colour,
        weight: 3, dashArray: "6 4", fill: true, fillOpacity: 0.04, className: "coarse-place", renderer: outlines });
      layer.options.verdict = r.verdict;
      areas.addLayer(layer);
      circles += 1;
    } else {
      layer = L.marker([r.latitude, r.longitude], { verdict: r.verdict, keyboard: true, title: r.place + " " + s.label,
        icon: L.divIcon({ className: "verdict-marker", html: s.svg, iconSize: [20, 20], iconAnchor: [10, 10] }) });
      cluster.addLayer(layer);
      points += 1;
      bounds.push([r.latitude, r.longitude]);
    }
    layer.bindPopup(popupFor(r));
    layer.options.incidentId = r.id;
  });
  map.addLayer(areas);
  map.addLayer(cluster);
  if (bounds.length) { map.fitBounds(bounds, { maxZoom: 10, padding: [20, 20] }); }
  document.getElementById("map").dataset.areas = String(circles);
  document.getElementById("map").dataset.markers = String(points);

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
