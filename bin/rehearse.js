#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` / `npm install` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'harness', 'bin.js');
if (!existsSync(entry)) {
  process.stderr.write('rehearse: not built yet — run `npm ci` (or `npm run build`) in ' + root + '\n');
  process.exit(2);
}
await import(entry);
