// The analysis page's interactive map: LSOAs shaded by rate, hotspots outlined, from the
// page's own GeoJSON endpoint. No inline script: settings come from data- attributes.
(function () {
  "use strict";
  var element = document.getElementById("analysis-map");
  if (!element || !window.L) { return; }
  var colours = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];
  var hotColour = "#d55e00";
  var map = window.L.map(element, { scrollWheelZoom: false, attributionControl: true });
  var tiles = element.getAttribute("data-tile-url");
  if (tiles) {
    window.L.tileLayer(tiles, { attribution: element.getAttribute("data-tile-attribution") || "" }).addTo(map);
  }
  function band(value, edges) {
    var i = 0;
    while (i < edges.length && value >= edges[i]) { i += 1; }
    return Math.min(i, colours.length - 1);
  }
  fetch(element.getAttribute("data-geojson-url"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (data) {
      var values = data.features.map(function (f) { return f.properties.value || 0; }).sort(function (a, b) { return a - b; });
      var edges = [0.2, 0.4, 0.6, 0.8].map(function (q) { return values[Math.floor(q * (values.length - 1))]; });
      var rates = window.L.geoJSON(data, {
        style: function (feature) {
          return { color: "#505a5f", weight: 0.5, fillColor: colours[band(feature.properties.value || 0, edges)], fillOpacity: 0.8 };
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties;
          layer.bindTooltip(p.lsoa_code + ": " + (p.value || 0).toFixed(1) + " per 1,000" + (p["class"] === "hot" ? " (hotspot)" : ""));
        }
      }).addTo(map);
      var hot = window.L.geoJSON(data, {
        filter: function (feature) { return feature.properties["class"] === "hot"; },
        style: function () { return { color: hotColour, weight: 2.5, fill: false }; }
      }).addTo(map);
      window.L.control.layers(null, { "Rate per 1,000 residents": rates, "Hotspots (Gi*, FDR 5%)": hot }, { collapsed: false }).addTo(map);
      map.fitBounds(rates.getBounds());
      element.setAttribute("data-loaded", String(data.features.length));
    })
    .catch(function () {
      element.textContent = "The interactive map could not be loaded. The static map and the tables below show the same data.";
    });
})();
