// Runs the preview panel of extension.js with stand-ins for the `vscode` API and the language
// client, as VS Code would, and prints as JSON what the panel showed, asked and opened.
//
//   node test/preview.js '{"cspSource": "https://file+.vscode-resource.example", "answer": {...}}'
//
// The steps: the command opens the panel for an open shop.arch; the page says it is ready; the
// reader picks a view; clicks an element; the document is edited; the panel is closed.
"use strict";

const Module = require("module");
const path = require("path");

const scenario = JSON.parse(process.argv[2] || "{}");
const seen = { html: "", requests: [], posted: [], opened: [], revealed: [], titles: [], disposed: 0 };
const handlers = { message: null, change: null, dispose: null };
const document = { uri: uri("file:///work/specs/shop.arch"), languageId: "arch" };

function uri(text) {
  return { toString: () => text, fsPath: text.replace("file://", ""), path: text.replace("file://", "") };
}

class Position { constructor(line, character) { Object.assign(this, { line, character }); } }
class Range { constructor(start, end) { Object.assign(this, { start, end }); } }

const vscode = {
  Uri: { file: (p) => uri(`file://${p}`), parse: uri },
  ViewColumn: { One: 1, Beside: -2 },
  Position, Range,
  TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
  workspace: {
    workspaceFolders: [],
    getConfiguration: () => ({ inspect: () => ({}) }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
    onDidChangeTextDocument: (f) => { handlers.change = f; return { dispose() {} }; },
    openTextDocument: async (u) => ({ uri: u }),
  },
  window: {
    activeTextEditor: { document },
    createOutputChannel: () => ({ appendLine() {}, dispose() {} }),
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
    showInformationMessage: async () => undefined,
    onDidChangeActiveTextEditor: () => ({ dispose() {} }),
    showTextDocument: async (doc, options) => {
      seen.opened.push({ uri: doc.uri.toString(), column: options.viewColumn, selection: options.selection });
      return {};
    },
    createWebviewPanel: (type, title, column, options) => {
      seen.titles.push(title);
      seen.panel = { type, column, enableScripts: options.enableScripts,
                     roots: options.localResourceRoots.map((r) => r.fsPath) };
      const webview = {
        cspSource: scenario.cspSource,
        asWebviewUri: (u) => ({ toString: () => `${scenario.cspSource}/${path.relative(context.extensionPath, u.fsPath)}` }),
        onDidReceiveMessage: (f) => { handlers.message = f; return { dispose() {} }; },
        postMessage: (m) => { seen.posted.push(m); return Promise.resolve(true); },
        set html(text) { seen.html = text; },
      };
      return { webview, title, reveal() {}, onDidDispose: (f) => { handlers.dispose = f; } };
    },
  },
  commands: {
    registerCommand: (name, f) => { (seen.commands = seen.commands || {})[name] = f; return { dispose() {} }; },
    executeCommand: () => undefined,
  },
};
// the editor reveals the whole definition once it is open
Object.defineProperty(vscode.window, "activeTextEditor", {
  get() { return this._active || { document, revealRange: (r) => seen.revealed.push(r) }; },
});

class LanguageClient {
  async start() {}
  async stop() {}
  async sendRequest(method, params) {
    seen.requests.push({ method, params });
    return { ...scenario.answer, view: params.view || scenario.answer.view };
  }
}

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") return { LanguageClient, TransportKind: { stdio: 0 } };
  return load.call(this, request, parent, isMain);
};

const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const extension = require(path.join(__dirname, "..", "extension.js"));
const context = {
  subscriptions: [], extensionPath: path.join(__dirname, ".."),
  workspaceState: { get: () => undefined, update: async () => {} },
};

(async () => {
  await extension.activate(context);
  seen.commands["archdsl.openPreview"]();
  await handlers.message({ type: "ready" });
  await handlers.message({ type: "pick", view: "layer:api" });
  await handlers.message({ type: "reveal", id: "shop.orders" });
  await handlers.message({ type: "reveal", id: "shop.nobody" });
  await handlers.message({ type: "bogus" });
  handlers.change({ document: { languageId: "arch" } });
  handlers.change({ document: { languageId: "arch" } }); // a burst of edits: one redraw
  handlers.change({ document: { languageId: "markdown" } });
  await settle(400);
  handlers.dispose();
  delete seen.commands;
  process.stdout.write(JSON.stringify(seen));
})();
