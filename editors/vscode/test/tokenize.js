// Tokenizes files with the extension's TextMate grammar, as VS Code does (vscode-textmate with
// the Oniguruma regular expressions compiled to WebAssembly), and prints the tokens as JSON:
// {"file": [[line, start, end, [scope, ...]], ...], ...}.
// Usage: node test/tokenize.js GRAMMAR FILE...
"use strict";

const fs = require("fs");
const textmate = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

async function main(grammarPath, files) {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async () => textmate.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath),
  });
  const grammar = await registry.loadGrammar("source.arch");
  const result = {};
  for (const file of files) {
    const tokens = [];
    let stack = textmate.INITIAL;
    fs.readFileSync(file, "utf8").split(/\r?\n/).forEach((line, number) => {
      const lineTokens = grammar.tokenizeLine(line, stack);
      for (const token of lineTokens.tokens) {
        tokens.push([number, token.startIndex, Math.min(token.endIndex, line.length), token.scopes]);
      }
      stack = lineTokens.ruleStack;
    });
    result[file] = tokens;
  }
  process.stdout.write(JSON.stringify(result));
}

const [grammarPath, ...files] = process.argv.slice(2);
main(grammarPath, files).catch((error) => {
  console.error(error);
  process.exit(1);
});
