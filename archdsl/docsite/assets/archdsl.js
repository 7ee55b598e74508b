// archdsl: the diagrams drawn into the pages open at their natural size, where node labels read
// at the size they were drawn (11 pt: 14.7 px), never shrunk to the text column. A diagram that
// is larger than its window is panned (drag, or the arrows of the keyboard when it has focus) and
// zoomed (the wheel, a double click, + and −); "Fit" shows it whole, "1:1" returns to the natural
// size, "Full screen" gives it the screen. svg-pan-zoom (vendored beside this file) does the work.
(function () {
  "use strict";
  var PX_PER_PT = 4 / 3;

  // Screen pixels per unit of the drawing at its natural size: Graphviz writes width="971pt"
  // and a viewBox in points.
  function naturalScale(svg, box) {
    var found = /^([\d.]+)(pt|px)?$/.exec(svg.getAttribute("width") || "");
    if (!found || !box.width) return PX_PER_PT;
    return parseFloat(found[1]) * (found[2] === "px" ? 1 : PX_PER_PT) / box.width;
  }

  function button(label, title, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.title = title;
    b.setAttribute("aria-label", title);
    b.addEventListener("click", action);
    return b;
  }

  function setUp(figure) {
    var view = figure.querySelector(".arch-diagram-view");
    var svg = view && view.querySelector("svg");
    if (!svg || svg.dataset.archZoom || typeof svgPanZoom === "undefined") return;
    svg.dataset.archZoom = "1";
    var live = svg.viewBox && svg.viewBox.baseVal;
    if (!live || !live.width) return;
    // a copy: svg-pan-zoom takes the viewBox off the element, and the live one reads 0 after
    var box = {x: live.x, y: live.y, width: live.width, height: live.height};
    var natural = naturalScale(svg, box);
    function windowHeight() {
      if (document.fullscreenElement === figure) {
        return window.innerHeight - tools.offsetHeight - 4;
      }
      // the whole drawing when it is short; else a window of most of the screen
      return Math.round(Math.min(box.height * natural + 2, Math.max(260, window.innerHeight * 0.72)));
    }
    var tools = document.createElement("div");
    tools.className = "arch-diagram-tools";
    figure.insertBefore(tools, view);
    view.classList.add("arch-zoomable");
    svg.setAttribute("width", "100%");
    svg.setAttribute("height", String(windowHeight()));
    var zoom = svgPanZoom(svg, {
      zoomEnabled: true, controlIconsEnabled: false, fit: false, center: false,
      minZoom: 0.02, maxZoom: 50, zoomScaleSensitivity: 0.25, dblClickZoomEnabled: true,
      mouseWheelZoomEnabled: true, preventMouseEventsDefault: false,
      onZoom: function () { showLevel(); }
    });
    var level = document.createElement("span");
    level.className = "arch-zoom-level";
    function showLevel() {
      level.textContent = Math.round(100 * zoom.getSizes().realZoom / natural) + "%";
    }
    // Where the reader starts: the top of the drawing, centred when it fits the window, else
    // centred on its topmost nodes (the people and entry points a request starts from). Read
    // from the drawing's own geometry, so that it holds whatever the page's layout is doing.
    function topCentre(sizes) {
      var width = box.width * sizes.realZoom;
      if (width <= sizes.width) return width / 2;
      var top = Infinity, xs = [];
      var nodes = svg.querySelectorAll("g.node");
      for (var i = 0; i < nodes.length; i++) {
        var b = nodes[i].getBBox();
        if (!b.width || !b.height) continue;  // an invisible helper node: nothing drawn
        var at = shift(nodes[i]);
        if (b.y + at.y < top - 2) { top = b.y + at.y; xs = []; }
        if (b.y + at.y <= top + 2) xs.push(b.x + at.x + b.width / 2);
      }
      if (!xs.length) return width / 2;
      var centre = (xs.reduce(function (a, b) { return a + b; }, 0) / xs.length - box.x) * sizes.realZoom;
      return Math.min(Math.max(centre, sizes.width / 2), width - sizes.width / 2);
    }
    // the translation Graphviz puts between a node and the drawing (its graph's transform)
    function shift(node) {
      var x = 0, y = 0;
      for (var el = node.parentNode; el && el !== svg; el = el.parentNode) {
        if (el.classList && el.classList.contains("svg-pan-zoom_viewport")) break;
        var list = el.transform && el.transform.baseVal;
        var m = list && list.numberOfItems ? list.consolidate().matrix : null;
        if (m) { x += m.e; y += m.f; }
      }
      return {x: x, y: y};
    }
    function naturalSize() {
      zoom.resize();
      zoom.zoom(zoom.getZoom() * natural / zoom.getSizes().realZoom);
      var sizes = zoom.getSizes();
      zoom.pan({x: sizes.width / 2 - topCentre(sizes), y: -box.y * sizes.realZoom});
      showLevel();
    }
    function fit() { zoom.resize(); zoom.fit(); zoom.center(); showLevel(); }
    function fullScreen() {
      if (document.fullscreenElement === figure) document.exitFullscreen();
      else if (figure.requestFullscreen) figure.requestFullscreen();
    }
    tools.appendChild(button("+", "Zoom in", function () { zoom.zoomIn(); }));
    tools.appendChild(button("−", "Zoom out", function () { zoom.zoomOut(); }));
    tools.appendChild(button("Fit", "Show the whole diagram", fit));
    tools.appendChild(button("1:1", "Natural size", naturalSize));
    if (figure.requestFullscreen) tools.appendChild(button("Full screen", "Full screen", fullScreen));
    tools.appendChild(level);
    figure.addEventListener("fullscreenchange", function () {
      svg.setAttribute("height", String(windowHeight()));
      zoom.resize();
      if (document.fullscreenElement !== figure) naturalSize();
    });
    view.tabIndex = 0;
    view.addEventListener("keydown", function (event) {
      var step = {ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60]}[event.key];
      if (step) { zoom.panBy({x: step[0], y: step[1]}); event.preventDefault(); }
      else if (event.key === "+" || event.key === "=") zoom.zoomIn();
      else if (event.key === "-") zoom.zoomOut();
    });
    figure.archZoom = zoom;
    figure.archNatural = natural;
    naturalSize();
    var moved = false;
    view.addEventListener("pointerdown", function () { moved = true; });
    view.addEventListener("wheel", function () { moved = true; }, {passive: true});
    // once fonts and the page's own scripts have settled, start again where the reader starts
    window.addEventListener("load", function () { if (!moved) naturalSize(); });
    window.addEventListener("resize", function () {
      if (document.fullscreenElement !== figure) svg.setAttribute("height", String(windowHeight()));
      zoom.resize();
    });
  }
  function all() {
    var figures = document.querySelectorAll("figure.arch-diagram");
    for (var i = 0; i < figures.length; i++) setUp(figures[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
