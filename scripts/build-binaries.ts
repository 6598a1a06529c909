// `npm run services:build`: builds (or finds cached) the pinned Temporal CLI and FerretDB binaries, nothing else.
import { loadConfig } from '../core/config';
import { BINARIES, ensureBinary, SetupError, type BinaryName } from './binaries';

const cfg = loadConfig();
try {
  for (const name of Object.keys(BINARIES) as BinaryName[]) {
    console.log(`${name}: ${await ensureBinary(cfg.cacheDir, name, (m) => console.log(`  ${m}`))}`);
  }
} catch (err) {
  console.error(err instanceof SetupError ? `error: ${err.message}` : err);
  process.exit(1);
}
