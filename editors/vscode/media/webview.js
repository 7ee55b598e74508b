// The VS Code preview panel's messages: the drawing the extension sends (`view`), the reader's
// pick of a view, and a click on an element (the extension opens its definition). Pan, zoom and
// the view are kept with the panel's state, so hiding the panel loses neither.
"use strict";

(function () {
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  const picker = $("views");
  const status = $("status");
  const state = vscode.getState() || {};
  const keep = (more) => vscode.setState(Object.assign(state, more));
  const viewer = new window.ArchViewer(
    { stage: $("stage"), drawing: $("drawing"), note: $("note"), problems: $("problems") },
    {
      onElement: (id) => vscode.postMessage({ type: "reveal", id }),
      onMove: (pan) => keep({ pan }),
    });
  let drawn = null; // the SVG on screen: an answer with the same one leaves the drawing alone

  function setViews(views, current) {
    const same = picker.options.length === views.length && views.every((v, i) => picker.options[i].value === v);
    if (!same) picker.replaceChildren(...views.map((v) => new Option(v, v)));
    if (current) picker.value = current;
  }

  window.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "waiting") {
      status.textContent = message.text;
      return;
    }
    if (message.type !== "view") return;
    setViews(message.views || [], message.view);
    keep({ view: message.view });
    viewer.problems(message.problems || [], message.more || 0);
    if (message.svg && message.svg !== drawn) {
      viewer.show(message.svg, message.note);
      drawn = message.svg;
    }
    document.body.dataset.view = message.view || "";
    status.textContent = message.problems && message.problems.length
      ? `${message.file}: not drawn again (the last good drawing stays)`
      : `${message.file} · ${message.system} · ${message.view}`;
  });

  picker.addEventListener("change", () => vscode.postMessage({ type: "pick", view: picker.value }));
  $("zoom-in").addEventListener("click", () => viewer.zoom(1.25));
  $("zoom-out").addEventListener("click", () => viewer.zoom(0.8));
  $("fit").addEventListener("click", () => viewer.fit());
  viewer.restore(state.pan);
  vscode.postMessage({ type: "ready", view: state.view });
})();
