// archdsl: diagrams drawn into the pages get zoom and pan (svg-pan-zoom, vendored beside this
// file). Small diagrams keep their own height; large ones get a window of 70% of the screen,
// fitted, with + / − / reset buttons; the mouse wheel zooms, dragging pans, a double click zooms in.
(function () {
  "use strict";
  function setUp(figure) {
    var svg = figure.querySelector("svg");
    if (!svg || svg.dataset.archZoom) return;
    svg.dataset.archZoom = "1";
    var box = svg.viewBox && svg.viewBox.baseVal;
    var width = box && box.width ? box.width : svg.getBBox().width;
    var height = box && box.height ? box.height : svg.getBBox().height;
    var room = figure.clientWidth || 640;
    var natural = room * height / width;
    var shown = Math.min(Math.max(natural, 160), window.innerHeight * 0.7);
    svg.setAttribute("width", "100%");
    svg.setAttribute("height", String(Math.round(shown)));
    svg.style.display = "block";
    var zoom = svgPanZoom(svg, {
      zoomEnabled: true, controlIconsEnabled: true, fit: true, center: true,
      minZoom: 0.2, maxZoom: 40, zoomScaleSensitivity: 0.3, dblClickZoomEnabled: true,
      mouseWheelZoomEnabled: true, preventMouseEventsDefault: false
    });
    figure.archZoom = zoom;
    window.addEventListener("resize", function () { zoom.resize(); zoom.fit(); zoom.center(); });
  }
  function all() {
    var figures = document.querySelectorAll("figure.arch-diagram");
    for (var i = 0; i < figures.length; i++) setUp(figures[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
