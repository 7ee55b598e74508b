// `archdsl preview`'s page: asks the server for the views and the drawing of the one picked,
// redraws when the server says a save was drawn (Server-Sent Events at /events), and shows the
// facts of a clicked element. Everything it shows from the spec goes in as text, never as markup.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const picker = $("views");
  const status = $("status");
  const facts = $("facts");
  const viewer = new window.ArchViewer(
    { stage: $("stage"), drawing: $("drawing"), note: $("note"), problems: $("problems") },
    { onElement: showFacts });
  let current = new URLSearchParams(location.search).get("view");
  let shown = -1; // the redraw whose drawing is on screen
  let asking = 0; // the number of the latest request for a drawing: older answers are dropped

  function setViews(views) {
    const same = picker.options.length === views.length &&
      views.every((view, i) => picker.options[i].value === view);
    if (!same) {
      picker.replaceChildren(...views.map((view) => new Option(view, view)));
    }
    if (!current || !views.includes(current)) {
      current = views[0] || null;
    }
    if (current) {
      picker.value = current;
    }
  }

  async function draw(generation) {
    if (!current) {
      return;
    }
    const mine = ++asking;
    const started = performance.now();
    const answer = await fetch(`/view.svg?view=${encodeURIComponent(current)}`);
    if (mine !== asking) {
      return; // a newer view or save was asked for meanwhile
    }
    if (!answer.ok) {
      const body = await answer.json().catch(() => ({}));
      viewer.problems([{ text: body.error || `the drawing failed (${answer.status})` }], 0);
      return;
    }
    const svg = await answer.text();
    const note = JSON.parse(answer.headers.get("X-Archdsl-Note") || '""');
    viewer.show(svg, note);
    shown = generation;
    document.body.dataset.generation = String(generation);
    document.body.dataset.view = current;
    status.textContent = `${current}: drawn ${new Date().toLocaleTimeString()} ` +
      `(${((performance.now() - started) / 1000).toFixed(2)} s to fetch)`;
  }

  function pick(view) {
    current = view;
    const url = new URL(location.href);
    url.searchParams.set("view", view);
    history.replaceState(null, "", url);
    draw(shown);
  }

  async function showFacts(id) {
    const answer = await fetch(`/element?id=${encodeURIComponent(id)}`);
    facts.replaceChildren();
    const add = (tag, text, className) => {
      const el = document.createElement(tag);
      el.textContent = text;
      if (className) {
        el.className = className;
      }
      facts.appendChild(el);
      return el;
    };
    if (!answer.ok) {
      add("h2", id);
      add("p", "A group of elements in this overview: pick its layer's view to see them one by one.", "hint");
      return;
    }
    const element = await answer.json();
    add("h2", element.title);
    add("p", `${element.id} · ${element.kind}${element.layer ? " · layer " + element.layer : ""}`, "id");
    if (element.state) {
      add("p", `state: ${element.state} (${element.state_source})`, `state ${element.state}`);
    }
    if (element.description) {
      add("p", element.description);
    }
    const list = (title, items, text) => {
      if (!items || !items.length) {
        return;
      }
      add("h3", title);
      const ul = add("ul", "");
      for (const item of items) {
        const li = document.createElement("li");
        li.textContent = text(item);
        ul.appendChild(li);
      }
    };
    list("Keeps", element.keeps, (keep) => keep);
    list("Calls", element.calls, (r) => `${r.id} (${r.how})${r.label ? ": " + r.label : ""}`);
    list("Called by", element.called_by, (r) => `${r.id} (${r.how})${r.label ? ": " + r.label : ""}`);
    list("Findings", element.findings, (f) => `${f.code} ${f.severity} (line ${f.line}): ${f.message}`);
    add("p", `${element.file}:${element.line}:${element.column}`, "where");
  }

  picker.addEventListener("change", () => pick(picker.value));
  $("zoom-in").addEventListener("click", () => viewer.zoom(1.25));
  $("zoom-out").addEventListener("click", () => viewer.zoom(0.8));
  $("fit").addEventListener("click", () => viewer.fit());

  const events = new EventSource("/events");
  events.addEventListener("redraw", (event) => {
    const news = JSON.parse(event.data);
    setViews(news.views);
    viewer.problems(news.problems, news.more);
    document.body.dataset.problems = String(news.problems.length);
    if (news.problems.length) {
      status.textContent = "not drawn: the save has a problem (the last good drawing stays)";
    }
    if (news.generation !== shown && (!news.problems.length || shown < 0)) {
      draw(news.generation);
    }
  });
  events.addEventListener("error", () => {
    status.textContent = "disconnected: is `archdsl preview` still running? (trying again)";
  });
})();
