// @vitest-environment node
import { join } from 'node:path';

import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The layering rules are enforced by the tools, so the tools are tested:
// a forbidden import must fail lint, a DOM type must fail engine/'s
// typecheck (DESIGN §2).
describe('layering', () => {
  const eslint = new ESLint({ cwd: process.cwd() });

  async function lint(path: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path });
    return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
  }

  it('fails lint when engine/ imports electron', async () => {
    const messages = await lint(
      'engine/raft/bad.ts',
      "import { app } from 'electron';\nexport const x = app;\n",
    );
    expect(messages.join('\n')).toMatch(/no-restricted-imports.*electron/);
  });

  it('fails lint when engine/ imports react or another layer', async () => {
    const react = await lint(
      'engine/state/bad.ts',
      "import { useState } from 'react';\nexport const x = useState;\n",
    );
    expect(react.join('\n')).toMatch(/no-restricted-imports/);
    const main = await lint(
      'engine/node/bad.ts',
      "import { x } from '../../main/serve';\nexport const y = x;\n",
    );
    expect(main.join('\n')).toMatch(/no-restricted-imports/);
  });

  it('fails lint when the Raft core reads the clock or Math.random', async () => {
    const messages = await lint(
      'engine/raft/bad.ts',
      'export const t = Date.now() + Math.random();\n',
    );
    expect(messages.filter((m) => m.includes('restricted'))).toHaveLength(2);
  });

  it('fails lint when renderer/ imports main/ or engine/ values', async () => {
    const messages = await lint(
      'renderer/src/bad.ts',
      "import { startBrowserServer } from '../../main/server/browser-server';\n" +
        "import { SeededRng } from '../../engine/ports/rng';\n" +
        'export const x = [startBrowserServer, SeededRng];\n',
    );
    expect(messages.filter((m) => m.includes('no-restricted'))).toHaveLength(2);
  });

  it('allows renderer/ to import engine/ types', async () => {
    const messages = await lint(
      'renderer/src/ok.ts',
      "import type { Rng } from '../../engine/ports/rng';\n" +
        'export type X = Rng;\n',
    );
    expect(messages).toEqual([]);
  });

  it('fails engine typecheck on a DOM type', () => {
    const configPath = join(process.cwd(), 'engine/tsconfig.json');
    const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(
      config,
      ts.sys,
      join(process.cwd(), 'engine'),
    );
    const file = join(process.cwd(), 'engine/dom-probe.ts');
    const source = 'export const el: HTMLElement | undefined = undefined;\n';
    const host = ts.createCompilerHost(parsed.options);
    const readFile = host.readFile;
    host.readFile = (name) => (name === file ? source : readFile(name));
    host.fileExists = (name) => name === file || ts.sys.fileExists(name);
    const program = ts.createProgram([file], parsed.options, host);
    const messages = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(messages.join('\n')).toContain("Cannot find name 'HTMLElement'");
  });
});
