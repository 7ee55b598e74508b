// The archdsl extension: starts `archdsl lsp` (the language server that ships with archdsl) for
// .arch files. Highlighting comes from syntaxes/arch.tmLanguage.json; everything else (checks
// as you type, hover, go to definition, references, rename, completion, quick fixes, outline,
// formatting) from the server.
"use strict";

const fs = require("fs");
const path = require("path");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;
let output;

// The command to run: the `archdsl.path` setting, else the first workspace folder's .venv,
// else `archdsl` on the PATH.
function serverCommand() {
  const folders = vscode.workspace.workspaceFolders || [];
  const first = folders.length ? folders[0].uri.fsPath : "";
  const configured = vscode.workspace.getConfiguration("archdsl").get("path", "").trim();
  if (configured) {
    return configured.replace(/\$\{workspaceFolder\}/g, first);
  }
  const venv = process.platform === "win32" ? [".venv", "Scripts", "archdsl.exe"] : [".venv", "bin", "archdsl"];
  for (const folder of folders) {
    const candidate = path.join(folder.uri.fsPath, ...venv);
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return "archdsl";
}

async function start() {
  const command = serverCommand();
  const run = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient("archdsl", "archdsl", { run, debug: run }, {
    documentSelector: [{ language: "arch", scheme: "file" }, { language: "arch", scheme: "untitled" }],
    outputChannel: output,
  });
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    const action = await vscode.window.showErrorMessage(
      `archdsl: cannot start the language server with "${command} lsp" (${error.message || error}). ` +
      "Install archdsl (pip install archdsl, 0.1 or newer) or set archdsl.path.",
      "Open settings");
    if (action) {
      vscode.commands.executeCommand("workbench.action.openSettings", "archdsl.path");
    }
  }
}

async function restart() {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
  await start();
}

async function activate(context) {
  output = vscode.window.createOutputChannel("archdsl");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("archdsl.restartServer", restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("archdsl.path")) {
        restart();
      }
    }),
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, serverCommand };
