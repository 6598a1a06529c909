/**
 * Builds the editor into editor/dist (what the API serves at `/`) when the sources are newer than the build.
 * A lock directory keeps two test files from building into the same folder at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DIST_INDEX = path.join(ROOT, 'editor/dist/index.html');
const SOURCES = ['editor/src', 'editor/index.html', 'editor/vite.config.ts', 'nodes', 'workflows/model'].map((p) => path.join(ROOT, p));
const LOCK = path.join(ROOT, '.cache/editor-build.lock');

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

function isFresh(): boolean {
  return fs.existsSync(DIST_INDEX) && fs.statSync(DIST_INDEX).mtimeMs >= Math.max(...SOURCES.map(newestMtime));
}

export async function ensureEditorBuilt(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // Another file is building; a lock older than two minutes is left over from a killed run.
      if (fs.existsSync(LOCK) && Date.now() - fs.statSync(LOCK).mtimeMs > 120_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another editor build');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    // A child process: vite inside a vitest worker would see NODE_ENV=test and bundle React's development build.
    if (!isFresh()) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'editor/vite.config.ts', '--logLevel', 'warn'], {
        cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, encoding: 'utf8', timeout: 180_000,
      });
      if (r.status !== 0) throw new Error(`editor build failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    }
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
