// Activates extension.js with stand-ins for the `vscode` API and the language client, as VS Code
// would in a workspace, and prints as JSON what the user was asked and which program started.
//
//   node test/activate.js '{"folder": "/path", "globalPath": "", "workspacePath": "", "answer": "Run it",
//                           "remembered": null}'
"use strict";

const Module = require("module");
const path = require("path");

const scenario = JSON.parse(process.argv[2] || "{}");
const seen = { asked: [], started: [], logged: [] };
const state = new Map(scenario.remembered ? Object.entries(scenario.remembered) : []);

const vscode = {
  workspace: {
    workspaceFolders: scenario.folder ? [{ uri: { fsPath: scenario.folder } }] : [],
    getConfiguration: () => ({
      inspect: () => ({ globalValue: scenario.globalPath || undefined,
                        workspaceValue: scenario.workspacePath || undefined }),
    }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
  },
  window: {
    createOutputChannel: () => ({ appendLine: (line) => seen.logged.push(line), dispose() {} }),
    showWarningMessage: async (message, options, ...buttons) => {
      seen.asked.push({ message, modal: Boolean(options && options.modal), buttons });
      return scenario.answer;
    },
    showErrorMessage: async () => undefined,
  },
  commands: { registerCommand: () => ({ dispose() {} }), executeCommand: () => undefined },
};

class LanguageClient {
  constructor(id, name, serverOptions) {
    seen.started.push({ command: serverOptions.run.command, args: serverOptions.run.args });
  }
  async start() {}
  async stop() {}
}

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") return { LanguageClient, TransportKind: { stdio: 0 } };
  return load.call(this, request, parent, isMain);
};

const extension = require(path.join(__dirname, "..", "extension.js"));
const context = {
  subscriptions: [],
  workspaceState: { get: (key) => state.get(key), update: async (key, value) => { state.set(key, value); } },
};
extension.activate(context).then(() => {
  seen.remembered = Object.fromEntries(state);
  process.stdout.write(JSON.stringify(seen));
});
