import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';

const run = promisify(execFile);

/**
 * The two real servers we run on machines without Docker, built from the Go module proxy.
 * Pinned: later Temporal CLI releases carry a local `replace` and cannot be built from the proxy;
 * FerretDB 2.x needs a PostgreSQL extension we cannot install.
 */
export const BINARIES = {
  temporal: { module: 'github.com/temporalio/cli', version: 'v1.5.1', pkg: './cmd/temporal', build: '' },
  ferretdb: {
    module: 'github.com/FerretDB/FerretDB',
    version: 'v1.24.2',
    pkg: './cmd/ferretdb',
    // Bumped whenever `prepare` changes, so a cached binary built without it is rebuilt.
    build: 'j2',
    prepare: async (src: string) => {
      // FerretDB panics at start unless its embedded version file is filled (its release tooling does that).
      await fs.writeFile(path.join(src, 'build/version/version.txt'), 'v1.24.2\n');
      await patchSource(src, 'internal/backends/postgresql/metadata/registry.go', FERRETDB_GIN_ANCHOR, FERRETDB_GIN_PATCH);
    },
  },
} as const satisfies Record<string, { module: string; version: string; pkg: string; build: string; prepare?: (src: string) => Promise<void> }>;

/**
 * FerretDB 1.x (PostgreSQL backend) pushes an equality filter down as `_jsonb->'field' @> value`, but indexes a
 * field with a btree on `(_jsonb->'field')`, which cannot answer `@>`: every find scanned its whole collection
 * (measured: 5 ms per find at 2,000 documents, 43 ms at 60,000). Beside each index FerretDB creates, this adds a
 * GIN (jsonb_path_ops) index on each top-level key field, which serves `@>` once PostgreSQL plans with the
 * parameter values (our cluster runs with plan_cache_mode=force_custom_plan). No fast-update pending list: it is
 * scanned by every query until merged, and our writes are a steady stream of small inserts.
 */
const FERRETDB_GIN_ANCHOR = `		if _, err = p.Exec(ctx, q); err != nil {
			_ = r.indexesDrop(ctx, p, dbName, collectionName, created)
			return lazyerrors.Error(err)
		}
`;
const FERRETDB_GIN_PATCH = `${FERRETDB_GIN_ANCHOR}
		// Journeys patch: a GIN index per top-level key field, so that pushed-down \`@>\` filters use an index.
		for _, key := range index.Key {
			if strings.Contains(key.Field, ".") {
				continue
			}
			gh := fnv.New32a()
			must.NotFail(gh.Write([]byte(key.Field)))
			gq := fmt.Sprintf(
				"CREATE INDEX IF NOT EXISTS %s ON %s USING gin ((%s->%s) jsonb_path_ops) WITH (fastupdate = off)",
				pgx.Identifier{fmt.Sprintf("%s_g%08x", tableNamePart, gh.Sum32())}.Sanitize(),
				pgx.Identifier{dbName, c.TableName}.Sanitize(),
				DefaultColumn, quoteString(key.Field),
			)
			if _, err = p.Exec(ctx, gq); err != nil {
				_ = r.indexesDrop(ctx, p, dbName, collectionName, created)
				return lazyerrors.Error(err)
			}
		}
`;

async function patchSource(root: string, file: string, anchor: string, replacement: string) {
  const p = path.join(root, file);
  const text = await fs.readFile(p, 'utf8');
  if (text.split(anchor).length !== 2) throw new SetupError(`cannot patch ${file}: its code differs from the pinned version`);
  await fs.writeFile(p, text.replace(anchor, replacement));
}

export type BinaryName = keyof typeof BINARIES;

export class SetupError extends Error {}

const GO_MISSING =
  'Go is not installed (needed once to build the Temporal dev server and FerretDB). ' +
  'Install Go >= 1.23 (Debian: apt-get install golang, or https://go.dev/dl), ' +
  'or point Journeys at running servers with TEMPORAL_ADDRESS=host:7233 and MONGODB_URI=mongodb://...';

export function binaryPath(cacheDir: string, name: BinaryName): string {
  const { version, build } = BINARIES[name];
  return path.join(cacheDir, 'bin', `${name}-${version}${build ? `-${build}` : ''}`);
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}

/** Returns the cached binary, building it with the local Go toolchain when it is missing. */
export async function ensureBinary(cacheDir: string, name: BinaryName, log: (msg: string) => void): Promise<string> {
  const target = binaryPath(cacheDir, name);
  if (await exists(target)) return target;
  const spec = BINARIES[name];
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };
  try {
    await run('go', ['version'], { env });
  } catch {
    throw new SetupError(GO_MISSING);
  }
  log(`building ${name} ${spec.version} from the Go module proxy (first run only, a few minutes)…`);
  const started = Date.now();
  const work = path.join(cacheDir, 'src', `${name}-${spec.version}-${process.pid}`);
  try {
    // `go mod download` + build in a writable copy: `go install mod@version` also asks the proxy for the
    // module's version list (for deprecation notices), which some mirrors refuse.
    const { stdout } = await run('go', ['mod', 'download', '-json', `${spec.module}@${spec.version}`], { env, maxBuffer: 1 << 24 });
    const dir = JSON.parse(stdout).Dir as string;
    await fs.rm(work, { recursive: true, force: true });
    await fs.cp(dir, work, { recursive: true });
    await run('chmod', ['-R', 'u+w', work]);
    if ('prepare' in spec) await spec.prepare(work);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    await run('go', ['build', '-trimpath', '-o', tmp, spec.pkg], { cwd: work, env, maxBuffer: 1 << 26 });
    await fs.rename(tmp, target);
  } catch (err) {
    if (err instanceof SetupError) throw err;
    const e = err as { stderr?: string; message: string };
    throw new SetupError(
      `building ${name} ${spec.version} failed: ${(e.stderr || e.message).trim().split('\n').slice(-8).join('\n')}\n` +
        'Check that the Go module proxy is reachable (GOPROXY) and Go >= 1.23 is installed, ' +
        `or set ${name === 'temporal' ? 'TEMPORAL_ADDRESS' : 'MONGODB_URI'} to use a running server.`,
    );
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  log(`built ${name} in ${((Date.now() - started) / 1000).toFixed(0)}s → ${target}`);
  return target;
}
