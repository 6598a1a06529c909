import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const outDir = path.resolve(import.meta.dirname, 'dist');

/**
 * Writes `.br` and `.gz` next to every text asset of the build, so the API serves them precompressed
 * (@fastify/static `preCompressed`) instead of compressing on every request.
 */
function precompress(): Plugin {
  let dir = outDir;
  return {
    name: 'journeys-precompress',
    apply: 'build',
    configResolved(config) { dir = path.resolve(config.root, config.build.outDir); },
    closeBundle() {
      const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      for (const file of walk(dir)) {
        if (!/\.(js|css|html|svg|json|txt)$/.test(file)) continue;
        const data = fs.readFileSync(file);
        if (data.length < 512) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: path.resolve(import.meta.dirname),
  plugins: [react(), precompress()],
  build: {
    // No source maps in the production build (EDITOR_SOURCEMAP=1 writes them for local debugging; the API never serves .map files).
    sourcemap: process.env.EDITOR_SOURCEMAP === '1',
    // EDITOR_MINIFY=0: readable function names in a CPU profile (npm run bench:editor with BENCH_PROFILE).
    minify: process.env.EDITOR_MINIFY !== '0',
    outDir,
    emptyOutDir: true,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
