// The archdsl preview's drawing: one view in a frame, pan and zoom that survive each redraw, a
// note about how it was drawn, the problems of a save shown over the last good drawing, and a
// click on an element told to the page. Shared by `archdsl preview`'s page (page.js) and the
// VS Code panel (webview.js, which carries a copy of this file); neither loads anything else.
"use strict";

(function (global) {
  const MIN_SCALE = 0.05;
  const MAX_SCALE = 8;
  const DRAG_PX = 4; // a press that moves further is a pan, not a click
  // A drawing first shows no smaller than this: its labels (11 pt, 14.7 px at full size) stay
  // 11 px, readable; "Fit" (or 0) shows the whole drawing however small.
  const READABLE_SCALE = 0.75;

  // An SVG drawing's text as a node of this document, with anything that could run removed
  // (the page's Content-Security-Policy forbids it too).
  function parseSvg(text) {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const svg = doc.documentElement;
    if (!svg || svg.nodeName.toLowerCase() !== "svg" || doc.getElementsByTagName("parsererror").length) {
      throw new Error("the drawing is not an SVG image");
    }
    for (const bad of Array.from(svg.querySelectorAll("script, foreignObject, iframe"))) {
      bad.remove();
    }
    for (const el of Array.from(svg.querySelectorAll("*"))) {
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on") || (name.endsWith("href") && /^\s*javascript:/i.test(attr.value))) {
          el.removeAttribute(attr.name);
        }
      }
    }
    return document.importNode(svg, true);
  }

  // The element id a node of the drawing stands for: a participant's data-id, a Graphviz node's title.
  function elementOf(target) {
    const group = target.closest && target.closest("g.node, g.participant");
    if (!group) {
      return null;
    }
    if (group.dataset && group.dataset.id) {
      return { id: group.dataset.id, group };
    }
    const title = group.querySelector("title");
    return title ? { id: title.textContent.trim(), group } : null;
  }

  class Viewer {
    // `parts`: the elements it draws into ({stage, drawing, note, problems}); `onElement(id)`:
    // told when an element is clicked; `onMove(view)`: told when pan or zoom change.
    constructor(parts, { onElement, onMove } = {}) {
      this.parts = parts;
      this.onElement = onElement || (() => {});
      this.onMove = onMove || (() => {});
      this.view = { x: 0, y: 0, scale: 1 };
      this.fitted = false; // pan and zoom are the reader's once they move them
      this.selected = null;
      this.press = null;
      this.listen();
    }

    // Replace the drawing; pan, zoom and the selected element stay as they were.
    show(svgText, note) {
      const svg = parseSvg(svgText);
      const drawing = this.parts.drawing;
      drawing.replaceChildren(svg);
      this.parts.note.textContent = note || "";
      this.parts.note.hidden = !note;
      if (!this.fitted) {
        this.fit(READABLE_SCALE);
      } else {
        this.apply();
      }
      if (this.selected) {
        this.mark(this.selected);
      }
    }

    // The problems of the last save over the drawing (an empty list hides them).
    problems(list, more) {
      const box = this.parts.problems;
      box.replaceChildren();
      for (const problem of list) {
        const line = document.createElement("div");
        line.className = "problem";
        line.textContent = problem.text;
        if (problem.hint) {
          const hint = document.createElement("div");
          hint.className = "hint";
          hint.textContent = `hint: ${problem.hint}`;
          line.appendChild(hint);
        }
        box.appendChild(line);
      }
      if (more) {
        const line = document.createElement("div");
        line.className = "problem more";
        line.textContent = `and ${more} more`;
        box.appendChild(line);
      }
      box.hidden = list.length === 0;
    }

    // The whole drawing in the frame, no larger than its own size and no smaller than `least`.
    fit(least = MIN_SCALE) {
      const svg = this.parts.drawing.querySelector("svg");
      const frame = this.parts.stage.getBoundingClientRect();
      if (!svg || !frame.width) {
        return;
      }
      const width = svg.width.baseVal.value || svg.getBoundingClientRect().width;
      const height = svg.height.baseVal.value || svg.getBoundingClientRect().height;
      const scale = Math.max(least, Math.min(1, (frame.width - 16) / width, (frame.height - 16) / height));
      this.view = { x: Math.max(8, (frame.width - width * scale) / 2), y: 8, scale };
      this.fitted = false;
      this.apply();
    }

    // Zoom by `factor` around a point of the frame (its centre when none is given).
    zoom(factor, around) {
      const frame = this.parts.stage.getBoundingClientRect();
      const at = around || { x: frame.width / 2, y: frame.height / 2 };
      const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.view.scale * factor));
      const k = scale / this.view.scale;
      this.view = { x: at.x - (at.x - this.view.x) * k, y: at.y - (at.y - this.view.y) * k, scale };
      this.moved();
    }

    // Pan and zoom as a page restores them (VS Code keeps them when the panel is hidden).
    restore(view) {
      if (view && Number.isFinite(view.scale)) {
        this.view = { x: view.x, y: view.y, scale: view.scale };
        this.fitted = true;
        this.apply();
      }
    }

    moved() {
      this.fitted = true;
      this.apply();
      this.onMove(this.view);
    }

    apply() {
      const { x, y, scale } = this.view;
      this.parts.drawing.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
    }

    mark(id) {
      for (const old of Array.from(this.parts.drawing.querySelectorAll(".selected"))) {
        old.classList.remove("selected");
      }
      this.selected = id;
      for (const group of Array.from(this.parts.drawing.querySelectorAll("g.node, g.participant"))) {
        const found = elementOf(group);
        if (found && found.id === id) {
          group.classList.add("selected");
        }
      }
    }

    listen() {
      const stage = this.parts.stage;
      stage.addEventListener("wheel", (event) => {
        event.preventDefault();
        const frame = stage.getBoundingClientRect();
        this.zoom(Math.exp(-event.deltaY / 300), { x: event.clientX - frame.left, y: event.clientY - frame.top });
      }, { passive: false });
      stage.addEventListener("pointerdown", (event) => {
        this.press = { x: event.clientX, y: event.clientY, from: { ...this.view }, dragged: false };
      });
      stage.addEventListener("pointermove", (event) => {
        const press = this.press;
        if (!press) {
          return;
        }
        const dx = event.clientX - press.x;
        const dy = event.clientY - press.y;
        if (!press.dragged && Math.hypot(dx, dy) < DRAG_PX) {
          return;
        }
        if (!press.dragged) {
          press.dragged = true;
          stage.setPointerCapture(event.pointerId);
          stage.classList.add("panning");
        }
        this.view = { ...press.from, x: press.from.x + dx, y: press.from.y + dy };
        this.moved();
      });
      const release = () => {
        stage.classList.remove("panning");
        setTimeout(() => { this.press = null; }, 0); // the click that follows still knows it was a pan
      };
      stage.addEventListener("pointerup", release);
      stage.addEventListener("pointercancel", release);
      stage.addEventListener("click", (event) => {
        event.preventDefault(); // a component's link would leave the preview
        if (this.press && this.press.dragged) {
          return;
        }
        const found = elementOf(event.target);
        if (found) {
          this.mark(found.id);
          this.onElement(found.id);
        }
      });
      stage.addEventListener("keydown", (event) => {
        const keys = { "+": () => this.zoom(1.25), "=": () => this.zoom(1.25), "-": () => this.zoom(0.8),
                       "0": () => this.fit() };
        if (keys[event.key]) {
          event.preventDefault();
          keys[event.key]();
        }
      });
    }
  }

  global.ArchViewer = Viewer;
})(window);
