// 防火一张图: draws the map API's features with Leaflet — areas as outlines with township
// names (approximate ones dashed), hotspots as circles coloured by stage with a popup — over
// the configured tiles, or on a plain background when none are configured.
// Started once the page is parsed: the phone's bottom bar comes after the map in the page.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var el = document.getElementById("fire-map");
  if (!el || !window.L) return;
  var d = el.dataset;

  // The map fills the screen below its own top edge (less the phone's bottom bar).
  function fitHeight() {
    var bar = document.querySelector(".bottombar");
    var below = bar && bar.offsetHeight ? bar.offsetHeight + 8 : 12;
    var top = el.getBoundingClientRect().top + window.scrollY;
    var h = window.innerHeight - top - below;
    el.style.height = Math.max(320, h) + "px";
  }
  fitHeight();

  var map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix("Leaflet");
  if (d.tiles) {
    var opts = { subdomains: d.subdomains || "abc", maxZoom: +d.maxZoom || 18, attribution: d.attribution || "" };
    var base = L.tileLayer(d.tiles, opts).addTo(map);
    if (d.annotation) L.tileLayer(d.annotation, opts).addTo(map);
    var warned = false;
    base.on("tileerror", function () {
      if (warned) return;
      warned = true;
      var note = document.getElementById("map-failed");
      if (note) { note.textContent = "底图加载失败，仅显示乡镇范围。"; note.hidden = false; }
    });
  }

  function escapeHtml(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function areaStyle(p) {
    if (p.level === "county") return { color: "#2f5d3a", weight: 3, fill: false };
    return {
      color: p.approximate ? "#b07a1e" : "#4b7f57",
      weight: 1.5,
      dashArray: p.approximate ? "6 4" : null,
      fillColor: p.approximate ? "#f6e7c8" : "#cfe6d2",
      fillOpacity: d.tiles ? 0.15 : 0.45,
    };
  }

  function hotspotPopup(p) {
    return "<strong>卫星热点 " + escapeHtml(p.number) + "</strong><br>" +
      escapeHtml(p.township) + " · " + escapeHtml(p.stage_label) +
      (p.verdict ? "（" + escapeHtml(p.verdict) + "）" : "") + "<br>" +
      "<span>" + escapeHtml(p.detected) + "</span><br>" +
      '<a href="' + escapeHtml(p.link) + '">查看详情</a>';
  }

  function checkpointPopup(p) {
    return "<strong>" + escapeHtml(p.name) + "</strong><br>" +
      escapeHtml(p.township) + " · " + escapeHtml(p.kind_label) + "<br>" +
      '<a href="' + escapeHtml(p.link) + '">查看点位与二维码</a>';
  }

  function draw(collection) {
    var areas = collection.features.filter(function (f) { return f.properties.kind === "area"; });
    var others = collection.features.filter(function (f) { return f.properties.kind !== "area"; });
    var areaLayer = L.geoJSON(areas, {
      style: function (f) { return areaStyle(f.properties); },
      onEachFeature: function (f, layer) {
        if (f.properties.level === "township") {
          layer.bindTooltip(escapeHtml(f.properties.name), { permanent: true, direction: "center", className: "area-label" });
        }
      },
    }).addTo(map);
    var pointLayer = L.geoJSON(others, {
      pointToLayer: function (f, at) {
        var p = f.properties;
        if (p.kind === "hotspot") {
          return L.circleMarker(at, { radius: 8, color: "#fff", weight: 2, fillColor: p.colour, fillOpacity: 0.95, className: "hotspot-marker" });
        }
        if (p.kind === "checkpoint") {
          return L.circleMarker(at, { radius: 5, color: "#0958d9", weight: 2, fillColor: "#fff", fillOpacity: 1, className: "checkpoint-marker" });
        }
        return L.marker(at); // layers the script does not know yet
      },
      onEachFeature: function (f, layer) {
        if (f.properties.kind === "hotspot") layer.bindPopup(hotspotPopup(f.properties));
        else if (f.properties.kind === "checkpoint") layer.bindPopup(checkpointPopup(f.properties));
        else if (f.properties.name) layer.bindPopup(escapeHtml(f.properties.name));
      },
    }).addTo(map);
    // Fit to the county outline; without one, to whatever is drawn.
    var county = areas.filter(function (f) { return f.properties.level === "county"; });
    var bounds = county.length ? L.geoJSON(county).getBounds() : areaLayer.getBounds();
    if (!bounds.isValid()) bounds = pointLayer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12], maxZoom: 14 });
    else map.setView([30.6, 104.1], 7);
  }

  map.setView([30.6, 104.1], 7);
  fetch(d.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(draw)
    .catch(function () { document.getElementById("map-failed").hidden = false; });

  window.addEventListener("resize", function () { fitHeight(); map.invalidateSize(); });
});
