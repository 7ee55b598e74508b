// "archdsl: Open Preview": a panel beside the editor showing a view of the current file's system,
// drawn by the language server from the unsaved text (request `archdsl/renderView`) after the
// check of each edit, with a view picker; clicking an element opens its definition.
//
// The panel's page (media/webview.html's parts, built here) runs media/viewer.js (the drawing,
// shared with `archdsl preview`'s page) and media/webview.js (the messages), under a
// Content-Security-Policy that allows only those two scripts (by nonce) and the extension's files.
"use strict";

const crypto = require("crypto");
const path = require("path");
const vscode = require("vscode");

const METHOD = "archdsl/renderView";
const SETTLE_MS = 120; // edits this close together are one redraw (the check batches them too)

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// The page of the panel: nothing inline but a nonce'd script tag's source, nothing remote.
function pageHtml(webview, media, nonce) {
  const uri = (name) => escapeHtml(webview.asWebviewUri(vscode.Uri.file(path.join(media, name))).toString());
  const policy = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en" data-vscode>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${uri("preview.css")}">
<title>archdsl preview</title>
</head>
<body>
<header class="bar">
  <label>View <select id="views" aria-label="View"></select></label>
  <span class="zoom">
    <button type="button" id="zoom-out" title="Zoom out (-)" aria-label="Zoom out">−</button>
    <button type="button" id="fit" title="Fit the drawing (0)" aria-label="Fit">Fit</button>
    <button type="button" id="zoom-in" title="Zoom in (+)" aria-label="Zoom in">+</button>
  </span>
  <span id="status" class="status" role="status">waiting for the language server…</span>
</header>
<main class="body">
  <div id="stage" class="stage" tabindex="0" aria-label="The drawing: drag to pan, wheel or + and - to zoom, click an element to open its definition">
    <div id="drawing" class="drawing"></div>
    <div id="problems" class="problems" role="alert" hidden></div>
    <div id="note" class="note" hidden></div>
  </div>
</main>
<script nonce="${nonce}" src="${uri("viewer.js")}"></script>
<script nonce="${nonce}" src="${uri("webview.js")}"></script>
</body>
</html>`;
}

class Preview {
  // `client()`: the running language client, or undefined while none runs.
  constructor(context, client, document) {
    this.client = client;
    this.uri = document.uri;
    this.view = undefined; // the system view until the reader picks another
    this.answer = undefined;
    this.busy = false;
    this.again = false;
    this.timer = undefined;
    const media = path.join(context.extensionPath, "media");
    this.panel = vscode.window.createWebviewPanel("archdsl.preview", this.title(), vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.file(media)],
    });
    this.panel.webview.html = pageHtml(this.panel.webview, media, crypto.randomBytes(18).toString("base64"));
    this.disposables = [
      this.panel.webview.onDidReceiveMessage((message) => this.received(message)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.languageId === "arch") this.soon();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && editor.document.languageId === "arch" && editor.document.uri.toString() !== this.uri.toString()) {
          this.uri = editor.document.uri; // the panel follows the file being edited
          this.view = undefined;
          this.panel.title = this.title();
          this.soon();
        }
      }),
    ];
    this.panel.onDidDispose(() => this.dispose());
  }

  title() {
    return `Preview ${path.basename(this.uri.fsPath || this.uri.path)}`;
  }

  received(message) {
    if (!message || typeof message.type !== "string") return;
    if (message.type === "ready") {
      if (typeof message.view === "string") this.view = message.view;
      this.refresh();
    } else if (message.type === "pick" && typeof message.view === "string") {
      this.view = message.view;
      this.refresh();
    } else if (message.type === "reveal" && typeof message.id === "string") {
      this.reveal(message.id);
    }
  }

  soon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), SETTLE_MS);
  }

  // Ask for the drawing; one request at a time, and one more if edits came meanwhile.
  async refresh() {
    if (this.busy) {
      this.again = true;
      return;
    }
    const client = this.client();
    if (!client) {
      this.post({ type: "waiting", text: "the archdsl language server is not running (archdsl: Restart the language server)" });
      return;
    }
    this.busy = true;
    try {
      const params = { uri: this.uri.toString() };
      if (this.view) params.view = this.view;
      const answer = await client.sendRequest(METHOD, params);
      this.answer = answer;
      this.view = answer.view;
      this.post({ type: "view", ...answer, file: path.basename(this.uri.fsPath || this.uri.path) });
    } catch (error) {
      this.post({ type: "waiting", text: `the language server could not draw: ${error.message || error}` });
    } finally {
      this.busy = false;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    }
  }

  // Open the definition of a clicked element beside the panel.
  async reveal(id) {
    const place = ((this.answer && this.answer.elements) || []).find((element) => element.id === id);
    if (!place) return;
    const start = new vscode.Position(place.range.start.line, place.range.start.character);
    const end = new vscode.Position(place.range.end.line, place.range.end.character);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(place.uri));
    await vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Range(start, start),
      preserveFocus: false,
    });
    const editor = vscode.window.activeTextEditor;
    if (editor) editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  post(message) {
    this.panel.webview.postMessage(message);
  }

  dispose() {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    if (Preview.current === this) Preview.current = undefined;
  }
}

// The command: show the panel for the active .arch file (one panel; it follows the file edited).
function openPreview(context, client) {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "arch") {
    vscode.window.showInformationMessage("archdsl: open a .arch file to preview its system.");
    return undefined;
  }
  if (Preview.current) {
    Preview.current.uri = editor.document.uri;
    Preview.current.panel.title = Preview.current.title();
    Preview.current.panel.reveal(vscode.ViewColumn.Beside);
    Preview.current.refresh();
    return Preview.current;
  }
  Preview.current = new Preview(context, client, editor.document);
  return Preview.current;
}

module.exports = { openPreview, pageHtml, METHOD };
