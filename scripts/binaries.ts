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
    build: 'j3',
    prepare: async (src: string) => {
      // FerretDB panics at start unless its embedded version file is filled (its release tooling does that).
      await fs.writeFile(path.join(src, 'build/version/version.txt'), 'v1.24.2\n');
      await patchSource(src, 'internal/backends/postgresql/metadata/registry.go', FERRETDB_GIN_ANCHOR, FERRETDB_GIN_PATCH);
      for (const [file, anchor, replacement] of FERRETDB_CAS_PATCHES) await patchSource(src, file, anchor, replacement);
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

/**
 * FerretDB 1.x applies `update` and `findAndModify` by reading the matching documents, computing each new version in
 * Go and overwriting it by _id (`UPDATE … SET _jsonb = $1 WHERE _id = $2`): it lost MongoDB's single-document
 * atomicity (200 parallel `$inc` of one field left ~60; two `updateOne({ _id, status: 'active' }, …)` both won).
 * These patches make that write a compare-and-swap: the backend (PostgreSQL and SQLite) writes only while the stored
 * document is still the one read (`AND _jsonb = $3`, the read document marshalled again) and reports what it wrote.
 * When the swap fails, a single-document update or findAndModify runs again from its query (so a document that no
 * longer matches the filter is not updated); updateMany re-reads that document and updates it if it still matches;
 * an upsert whose insert hit a duplicate _id runs again and updates the document inserted meanwhile (a real duplicate
 * still fails with E11000); findAndModify with `remove` looks again when a concurrent delete took its document. After
 * 100 lost races an update fails with WriteConflict (code 112). Retries take turns on a lock per _id hash inside
 * FerretDB, as otherwise N writers of one document fail each other's swaps ~N² times (measured: 200 parallel `$push`
 * 12–18 s instead of 1.6 s); correctness rests on the swap alone. Updates also read all their matched documents
 * before writing, to release the query's PostgreSQL connection: writers holding one while waiting for another
 * exhausted FerretDB's pool (50) and hung at 100 parallel updates. Checked by test/store/atomicity.test.ts.
 * Entries: [file, anchor (must occur exactly once), replacement].
 */
const FERRETDB_CAS_PATCHES: [file: string, anchor: string, replacement: string][] = [
  [
    'internal/backends/collection.go',
    `type UpdateAllParams struct {
	Docs []*types.Document
}
`,
    `type UpdateAllParams struct {
	Docs []*types.Document

	// Journeys patch: when set, Docs[i] is written only if the stored document is still Expected[i], the document
	// as read (compare-and-swap); Updated counts the documents written.
	Expected []*types.Document
}
`,
  ],
  [
    'internal/backends/postgresql/collection.go',
    `	err = pool.InTransaction(ctx, p, func(tx pgx.Tx) error {
		for _, doc := range params.Docs {
			var b []byte
			if b, err = sjson.Marshal(doc); err != nil {
				return lazyerrors.Error(err)
			}

			id, _ := doc.Get("_id")
			must.NotBeZero(id)

			arg := must.NotFail(sjson.MarshalSingleValue(id))

			var tag pgconn.CommandTag
			if tag, err = tx.Exec(ctx, q, b, arg); err != nil {
`,
    `	if params.Expected != nil {
		q += fmt.Sprintf(" AND %s = $3", metadata.DefaultColumn) // Journeys patch: jsonb equality with the document read
	}

	err = pool.InTransaction(ctx, p, func(tx pgx.Tx) error {
		for i, doc := range params.Docs {
			var b []byte
			if b, err = sjson.Marshal(doc); err != nil {
				return lazyerrors.Error(err)
			}

			id, _ := doc.Get("_id")
			must.NotBeZero(id)

			args := []any{b, must.NotFail(sjson.MarshalSingleValue(id))}
			if params.Expected != nil {
				args = append(args, must.NotFail(sjson.Marshal(params.Expected[i])))
			}

			var tag pgconn.CommandTag
			if tag, err = tx.Exec(ctx, q, args...); err != nil {
`,
  ],
  [
    'internal/backends/sqlite/collection.go',
    `	err := db.InTransaction(ctx, func(tx *fsql.Tx) error {
		for _, doc := range params.Docs {
			b, err := sjson.Marshal(doc)
			if err != nil {
				return lazyerrors.Error(err)
			}

			id, _ := doc.Get("_id")
			must.NotBeZero(id)

			arg := string(must.NotFail(sjson.MarshalSingleValue(id)))

			r, err := tx.ExecContext(ctx, q, string(b), arg)
`,
    `	if params.Expected != nil {
		q += fmt.Sprintf(" AND %s = ?", metadata.DefaultColumn) // Journeys patch: the stored text is what sjson.Marshal wrote
	}

	err := db.InTransaction(ctx, func(tx *fsql.Tx) error {
		for i, doc := range params.Docs {
			b, err := sjson.Marshal(doc)
			if err != nil {
				return lazyerrors.Error(err)
			}

			id, _ := doc.Get("_id")
			must.NotBeZero(id)

			args := []any{string(b), string(must.NotFail(sjson.MarshalSingleValue(id)))}
			if params.Expected != nil {
				args = append(args, string(must.NotFail(sjson.Marshal(params.Expected[i]))))
			}

			r, err := tx.ExecContext(ctx, q, args...)
`,
  ],
  [
    'internal/handler/common/update.go',
    `	"fmt"
	"math"
`,
    `	"fmt"
	"hash/fnv"
	"math"
`,
  ],
  [
    'internal/handler/common/update.go',
    `	isFindAndModify := (strings.ToLower(cmd) == "findandmodify")

	for {
		var upsert, modified bool

		_, doc, err := iter.Next()
`,
    `	isFindAndModify := (strings.ToLower(cmd) == "findandmodify")

	// Journeys patch: see UpdateRetrier. The matched documents are read first, releasing the query's connection
	// before writing: a writer holding one connection while it waits for another could deadlock the pool.
	var read, reread *types.Document
	var conflicts int

	matched, err := iterator.ConsumeValues(iter)
	if err != nil {
		return nil, lazyerrors.Error(err)
	}

	for {
		var upsert, modified bool

		doc, err := reread, error(nil)
		switch {
		case doc != nil:
			reread = nil
		case len(matched) > 0:
			doc, matched, conflicts = matched[0], matched[1:], 0
		default:
			err = iterator.ErrIteratorDone
		}
`,
  ],
  [
    'internal/handler/common/update.go',
    `			result.Matched.Count++
			if isFindAndModify {
				result.Matched.Doc = doc.DeepCopy()
			}
`,
    `			result.Matched.Count++
			read = doc.DeepCopy()
			if isFindAndModify {
				result.Matched.Doc = read
			}
`,
  ],
  [
    'internal/handler/common/update.go',
    `			_, err = c.InsertAll(ctx, &backends.InsertAllParams{Docs: []*types.Document{doc}})
			if err != nil {
`,
    `			_, err = c.InsertAll(ctx, &backends.InsertAllParams{Docs: []*types.Document{doc}})
			if backends.ErrorCodeIs(err, backends.ErrorCodeInsertDuplicateID) {
				// Journeys patch: maybe a concurrent upsert inserted it first: the retry updates it.
				return nil, UpdateConflict(must.NotFail(doc.Get("_id")), err)
			}
			if err != nil {
`,
  ],
  [
    'internal/handler/common/update.go',
    `			_, err := c.UpdateAll(ctx, &backends.UpdateAllParams{Docs: []*types.Document{doc}})
			if err != nil {
				return nil, lazyerrors.Error(err)
			}
`,
    `			res, err := c.UpdateAll(ctx, &backends.UpdateAllParams{Docs: []*types.Document{doc}, Expected: []*types.Document{read}})
			if err != nil {
				return nil, lazyerrors.Error(err)
			}

			// Journeys patch: another write changed or deleted the document since it was read.
			if id := must.NotFail(read.Get("_id")); res.Updated == 0 {
				if !param.Multi {
					return nil, UpdateConflict(id, nil) // the caller runs the update again
				}

				if conflicts++; conflicts >= updateAttempts {
					return nil, writeConflictError(id, conflicts)
				}

				// update its current version instead, if it still matches
				result.Matched.Count--
				if reread, err = rereadDocument(ctx, c, id, param.Filter); err != nil {
					return nil, lazyerrors.Error(err)
				}

				continue
			}
`,
  ],
  [
    'internal/handler/common/update.go',
    `// processFilterEqualityCondition copies`,
    `// updateConflict is the error of an update attempt that lost a race for the document with that _id (see UpdateRetrier).
type updateConflict struct {
	id  any
	dup error // for an upsert, its insert's duplicate key error
}

// UpdateConflict returns the error of an update attempt that lost a race for the document with that _id;
// dup is the duplicate key error of an upsert's insert, if that is what failed.
func UpdateConflict(id any, dup error) error {
	return &updateConflict{id: id, dup: dup}
}

func (e *updateConflict) Error() string {
	return fmt.Sprintf("document %v changed while being updated", e.id)
}

func (e *updateConflict) Unwrap() error { return e.dup }

const (
	updateAttempts = 100 // compare-and-swap attempts per document before an update fails with WriteConflict
	upsertAttempts = 3   // inserts of an upsert before it reports the duplicate key
)

// updateTurns serialize, per _id hash, the retries of updates in this process.
var updateTurns = func() (turns [256]chan struct{}) {
	for i := range turns {
		turns[i] = make(chan struct{}, 1)
	}
	return
}()

// UpdateRetrier runs a single-document update (or findAndModify) again while it loses races:
// see Retry. Its zero value is ready to use.
type UpdateRetrier struct {
	attempts int
	turn     chan struct{}
}

// Retry tells whether the update attempt that returned err should run again; when not, it returns the error to
// report. A retry first takes the turn of its document (the other writers of a document that keep losing would
// otherwise fail each other's compare-and-swap N² times; correctness does not depend on it).
func (r *UpdateRetrier) Retry(ctx context.Context, err error) (bool, error) {
	var uc *updateConflict
	if !errors.As(err, &uc) {
		r.done()
		return false, err
	}

	r.attempts++

	switch {
	case uc.dup != nil && r.attempts >= upsertAttempts:
		r.done()
		return false, uc.dup // the document exists but does not match the filter
	case r.attempts >= updateAttempts:
		r.done()
		return false, writeConflictError(uc.id, r.attempts)
	}

	h := fnv.New32a()
	_, _ = fmt.Fprintf(h, "%T %v", uc.id, uc.id)

	if turn := updateTurns[h.Sum32()%uint32(len(updateTurns))]; turn != r.turn {
		r.done()

		select {
		case turn <- struct{}{}:
			r.turn = turn
		case <-ctx.Done():
			return false, lazyerrors.Error(context.Cause(ctx))
		}
	}

	return true, nil
}

func (r *UpdateRetrier) done() {
	if r.turn != nil {
		<-r.turn
		r.turn = nil
	}
}

func writeConflictError(id any, attempts int) error {
	return handlererrors.NewCommandErrorMsg(
		handlererrors.ErrorCode(112), // WriteConflict
		fmt.Sprintf("WriteConflict: document %v changed during each of %d attempts to update it", id, attempts),
	)
}

// rereadDocument returns the stored document with that _id, or nil if it is gone or no longer matches filter.
func rereadDocument(ctx context.Context, c backends.Collection, id any, filter *types.Document) (*types.Document, error) {
	docs, err := c.Query(ctx, &backends.QueryParams{Filter: must.NotFail(types.NewDocument("_id", id))})
	if err != nil {
		return nil, lazyerrors.Error(err)
	}
	defer docs.Iter.Close()

	for {
		_, doc, err := docs.Iter.Next()
		if errors.Is(err, iterator.ErrIteratorDone) {
			return nil, nil
		}

		if err != nil {
			return nil, lazyerrors.Error(err)
		}

		if types.Compare(must.NotFail(doc.Get("_id")), id) != types.Equal {
			continue
		}

		if matches, err := FilterDocument(doc, filter); err != nil || !matches {
			return nil, err
		}

		return doc, nil
	}
}

// processFilterEqualityCondition copies`,
  ],
  [
    'internal/handler/msg_update.go',
    `		var qp backends.QueryParams
		if !h.DisablePushdown {
			qp.Filter = u.Filter
		}

		res, err := c.Query(ctx, &qp)
		if err != nil {
			return 0, 0, nil, lazyerrors.Error(err)
		}

		closer := iterator.NewMultiCloser()
		defer closer.Close()

		closer.Add(res.Iter)

		iter := common.FilterIterator(res.Iter, closer, u.Filter)

		if !u.Multi {
			iter = common.LimitIterator(iter, closer, 1)
		}

		result, err := common.UpdateDocument(ctx, c, "update", iter, &u)
		if err != nil {
`,
    `		// Journeys patch: run it again while it loses races (see common.UpdateRetrier).
		var result *common.UpdateResult
		var retrier common.UpdateRetrier
		for retry := true; retry; {
			result, err = func() (*common.UpdateResult, error) {
				var qp backends.QueryParams
				if !h.DisablePushdown {
					qp.Filter = u.Filter
				}

				res, err := c.Query(ctx, &qp)
				if err != nil {
					return nil, lazyerrors.Error(err)
				}

				closer := iterator.NewMultiCloser()
				defer closer.Close()

				closer.Add(res.Iter)

				iter := common.FilterIterator(res.Iter, closer, u.Filter)

				if !u.Multi {
					iter = common.LimitIterator(iter, closer, 1)
				}

				return common.UpdateDocument(ctx, c, "update", iter, &u)
			}()
			retry, err = retrier.Retry(ctx, err)
		}
		if err != nil {
`,
  ],
  [
    'internal/handler/msg_findandmodify.go',
    `	// closer accumulates all things that should be closed / canceled.
	closer := iterator.NewMultiCloser(iterator.CloserFunc(cancel))
	defer closer.Close()
`,
    `	defer cancel()

	// Journeys patch: run it again while it loses races (see common.UpdateRetrier).
	var retrier common.UpdateRetrier
	for {
		res, err := h.findAndModifyOnce(ctx, c, params)
		if retry, err := retrier.Retry(ctx, err); !retry {
			return res, err
		}
	}
}

// findAndModifyOnce is an attempt of findAndModifyDocument.
func (h *Handler) findAndModifyOnce(ctx context.Context, c backends.Collection, params *common.FindAndModifyParams) (*findAndModifyResult, error) { //nolint:lll // for readability
	// closer accumulates all things that should be closed / canceled.
	closer := iterator.NewMultiCloser()
	defer closer.Close()
`,
  ],
  [
    'internal/handler/msg_findandmodify.go',
    `		if doc != nil {
			if _, err = c.DeleteAll(ctx, &backends.DeleteAllParams{IDs: []any{must.NotFail(doc.Get("_id"))}}); err != nil {
				return nil, lazyerrors.Error(err)
			}
`,
    `		if doc != nil {
			iter.Close() // Journeys patch: release the query's connection first (see common.UpdateDocument)

			var del *backends.DeleteAllResult
			if del, err = c.DeleteAll(ctx, &backends.DeleteAllParams{IDs: []any{must.NotFail(doc.Get("_id"))}}); err != nil {
				return nil, lazyerrors.Error(err)
			}

			// Journeys patch: a concurrent delete took it; look again.
			if del.Deleted == 0 {
				return nil, common.UpdateConflict(must.NotFail(doc.Get("_id")), nil)
			}
`,
  ],
];

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
