// The archdsl extension: starts `archdsl lsp` (the language server that ships with archdsl) for
// .arch files. Highlighting comes from syntaxes/arch.tmLanguage.json; everything else (checks
// as you type, hover, go to definition, references, rename, completion, quick fixes, outline,
// formatting, and the drawings of the preview panel, preview.js) from the server.
"use strict";

const fs = require("fs");
const path = require("path");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");
const { openPreview } = require("./preview");

let client;
let output;

// The program that runs the server, and where it came from: the `archdsl.path` setting, else
// the first workspace folder's .venv that has archdsl, else `archdsl` on the PATH.
function serverChoice() {
  const folders = vscode.workspace.workspaceFolders || [];
  const first = folders.length ? folders[0].uri.fsPath : "";
  const setting = vscode.workspace.getConfiguration("archdsl").inspect("path") || {};
  const fromWorkspace = String(setting.workspaceFolderValue || setting.workspaceValue || "").trim();
  const configured = fromWorkspace || String(setting.globalValue || "").trim();
  if (configured) {
    return {
      command: configured.replace(/\$\{workspaceFolder\}/g, first),
      origin: fromWorkspace ? "the workspace's settings (archdsl.path)" : "your settings (archdsl.path)",
      workspace: Boolean(fromWorkspace),
    };
  }
  const venv = process.platform === "win32" ? [".venv", "Scripts", "archdsl.exe"] : [".venv", "bin", "archdsl"];
  for (const folder of folders) {
    const candidate = path.join(folder.uri.fsPath, ...venv);
    if (fs.existsSync(candidate)) {
      return { command: candidate, origin: "the workspace's .venv", workspace: true };
    }
  }
  return { command: "archdsl", origin: "the PATH", workspace: false };
}

function serverCommand() {
  return serverChoice().command;
}

// A program the workspace chose (its .venv, or an archdsl.path in its settings) is one anyone
// who wrote the repository chose: it runs only once the user says so, remembered per workspace
// and program. Otherwise the server runs `archdsl` from the PATH.
async function allowed(context, choice) {
  if (!choice.workspace) {
    return true;
  }
  const key = `archdsl.allowed:${choice.command}`;
  const known = context.workspaceState.get(key);
  if (known !== undefined) {
    return known;
  }
  const answer = await vscode.window.showWarningMessage(
    `archdsl: start the language server with "${choice.command}"? It comes from ${choice.origin}: ` +
    "run it only if you trust the files of this workspace.",
    { modal: true }, "Run it", "Use archdsl from the PATH");
  const yes = answer === "Run it";
  await context.workspaceState.update(key, yes);
  return yes;
}

async function start(context) {
  let choice = serverChoice();
  if (!(await allowed(context, choice))) {
    choice = { command: "archdsl", origin: "the PATH", workspace: false };
  }
  const command = choice.command;
  output.appendLine(`archdsl: starting the language server: "${command} lsp" (from ${choice.origin})`);
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

async function restart(context) {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
  await start(context);
}

async function activate(context) {
  output = vscode.window.createOutputChannel("archdsl");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("archdsl.restartServer", () => restart(context)),
    vscode.commands.registerCommand("archdsl.openPreview", () => openPreview(context, () => client)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("archdsl.path")) {
        restart(context);
      }
    }),
  );
  await start(context);
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, serverCommand, serverChoice };
