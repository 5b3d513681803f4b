import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { User } from '../scim/model/resources/user';
import type { PendingMembership } from '../domain/memberships';
import type { PlannedChange } from '../domain/plan';
import { latestReferences } from '../domain/references';
import { STAGES, type ReportRow, type RowPatch, type RowWord, type Stage } from '../report/row';
import type { PageRef } from '../workflows/contracts';

export type { PendingMembership };

/** The index written once the run's memberships are sent (none left pending for the report). */
export const MEMBERSHIPS_SENT = 'memberships-sent';
import { fileNameOf, inside } from './filename';

/** A manager reference that could not be set when its user was written; retried at the end of the run. */
export interface PendingReference {
  hrId: string;
  userId: string;
  managerHrId: string;
  /** The employee's HR `updated_at`: if the reference is never set, the watermark stays before it. */
  updatedAt?: string;
}

/** A reference an earlier plan of the employee left, withdrawn by a later one (see withdrawnReferences). */
export interface WithdrawnReference {
  hrId: string;
  userId: string;
  withdrawn: true;
  updatedAt?: string;
}

/** One thing a run learned about its target; see RunStore.appendLearned. */
export type LearnedEntry =
  | { kind: 'target'; writable: string[]; unsupported: { attribute: string; reason: string }[]; source: 'schemas' | 'profile'; requiredExtensions?: string[] }
  | { kind: 'filter'; form: string; detail?: string }
  | { kind: 'operation'; form: string; attribute?: string; scimType?: string; detail?: string }
  | { kind: 'index-unavailable'; name: string; detail?: string }
  /** An `or`-joined lookup of this many terms was too long for the target (414): fewer go in a query from then on. */
  | { kind: 'filter-length'; terms: number; detail?: string }
  /** A delta read the whole target once instead of asking on (see domain/readonce). */
  | { kind: 'read-once'; reason: string }
  /** The target doesn't do PATCH: declared (ServiceProviderConfig) or answered (501, 405). Users and groups are replaced (PUT) from then on. */
  | { kind: 'patch-unavailable'; declared?: true; status?: number; detail?: string };

/** A user this run wrote (created, adopted or patched): its id, and the version the write answered with. */
export interface WrittenUser {
  hrId: string;
  userId: string;
  /** Absent when the write answered without a version (a /Bulk success carries no user). */
  version?: string;
  /** The user the write answered, kept for the joiners created before any HR page (see managersFirst). */
  user?: User;
}

/** What the plan pass records of an actionable change, for the managers the apply pass creates first. */
export interface PlannedEntry {
  hrId: string;
  /** A manager the change refers to who had no user yet. */
  managerHrId?: string;
  /** The planned change of a joiner (a create). */
  create?: PlannedChange;
}

/** Where one line of a run file is: read back alone instead of keeping what it holds in memory. */
export interface StoredLine {
  file: string;
  offset: number;
  length: number;
}

function readLine(line: StoredLine): string {
  const fd = openSync(line.file, 'r');
  try {
    const bytes = Buffer.alloc(line.length);
    const got = readSync(fd, bytes, 0, line.length, line.offset);
    return bytes.toString('utf8', 0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * What this worker keeps in memory of a written user: the id and version only. A user the write answered
 * (a manager created first: thousands in a large company) stays in a file of its own, and `line` says where.
 */
interface WrittenEntry {
  userId: string;
  version?: string;
  line?: StoredLine;
}

/**
 * A written-users line: what every reader needs (id and version), and where the answered user is when one
 * was kept. The user itself is in the part's `answered` file, which only its one reader parses: reading
 * the run's written users parses these short lines, never the users.
 */
interface WrittenLine {
  hrId: string;
  userId: string;
  version?: string;
  /** The answered user's line in `answered/<part>.jsonl`: its byte offset and length. */
  answered?: [number, number];
}

/** This worker's copy of a run's written users, and how far it has read each part file. */
interface WrittenCache {
  /** Which run folder the copy is of: a run folder removed and made again (a workflow id reused) is another run. */
  folder: string | null;
  byHrId: Map<string, WrittenEntry>;
  readBytes: Map<string, number>;
}

/** What the cache keeps of a written-users line; `answeredFile` is its part's file of answered users. */
function entryOf(written: WrittenLine, answeredFile: string): WrittenEntry {
  const [offset, length] = written.answered ?? [];
  return {
    userId: written.userId,
    ...(written.version !== undefined ? { version: written.version } : {}),
    ...(offset !== undefined && length !== undefined ? { line: { file: answeredFile, offset, length } } : {}),
  };
}

/** The user the write answered, read back from its line; none if the line is not that user's any more. */
function answeredUser(hrId: string, line: StoredLine): User | undefined {
  try {
    const answered = JSON.parse(readLine(line)) as { hrId?: string; user?: User };
    return answered.hrId === hrId ? answered.user : undefined;
  } catch {
    // Gone or cut short: the caller reads the user from the target instead.
    return undefined;
  }
}

/** The folder of the users writes answered, beside `written` (see WrittenLine). */
const ANSWERED = 'answered';

/** Runs whose written users, and whose folders, this worker keeps in memory (a worker serves few runs at once). */
const CACHED_RUNS = 8;

/**
 * The users a run has written, by HR id, as one activity sees them: from this worker's memory. The first
 * miss reads what was appended since this worker last looked (all of it when this worker's memory is
 * cold, say after a restart, or when other workers ran the earlier chunks); later misses don't read
 * again: the chunks this activity could need a user from finished before it started (a chunk written
 * beside it needs none of its joiners, see chunkWaves; the page a plan made ahead overlaps is checked by
 * planHrPage), and whatever the activity writes itself is remembered as it writes it.
 */
export class WrittenUsers {
  #loaded = false;
  constructor(
    private readonly cached: () => ReadonlyMap<string, WrittenEntry>,
    private readonly load: () => void,
  ) {}

  #entry(hrId: string): WrittenEntry | undefined {
    const hit = this.cached().get(hrId);
    if (hit || this.#loaded) return hit;
    this.#loaded = true;
    this.load();
    return this.cached().get(hrId);
  }

  /** The user as recorded, with the user the write answered when it was kept (read back from the run store). */
  get(hrId: string): WrittenUser | undefined {
    const entry = this.#entry(hrId);
    if (!entry) return undefined;
    const user = entry.line ? answeredUser(hrId, entry.line) : undefined;
    return { hrId, userId: entry.userId, ...(entry.version !== undefined ? { version: entry.version } : {}), ...(user ? { user } : {}) };
  }

  userIdOf(hrId: string): string | undefined {
    return this.#entry(hrId)?.userId;
  }
}

/**
 * Names the written-users folder of one run: a folder removed and made again (a workflow id reused) gets
 * another name, which an inode number would not promise. The first writer's name wins.
 */
const FOLDER_NAME_FILE = '.folder';
/** Written when the run starts: the run's working state proves with it that it is this run's. */
const OWNER_FILE = '.owner';
/** The run key (the workflow id) the folder is for: its name may be a hash of it. */
const KEY_FILE = '.key';
/** Owner only: the working files hold employee records. */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

function folderName(dir: string): string | null {
  try {
    return readFileSync(path.join(dir, FOLDER_NAME_FILE), 'utf8');
  } catch {
    return null;
  }
}

function nameFolder(dir: string): string {
  try {
    writeFileSync(path.join(dir, FOLDER_NAME_FILE), randomUUID(), { flag: 'wx', mode: FILE_MODE });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return folderName(dir) as string;
}

/** Page and chunk numbers in part names, padded so that the names sort in order. */
export const pad = (n: number) => String(n).padStart(6, '0');

/** A page's name in the run store: `hr-000003`, `orphans-000200`. */
export const pageName = (page: PageRef) => (page.read === 'hr' ? `hr-${pad(page.page)}` : `orphans-${pad(page.offset)}`);

/**
 * The run's working folder is not there (or is another run's) on this worker: workers that don't share
 * reportDir, a replaced pod, a wiped disk. Never read as "nothing yet": that would be "the target has no
 * users" or "HR sent nobody", and so duplicates, wrongful deactivations or lost report rows.
 */
export class RunStateMissingError extends Error {
  constructor(readonly runKey: string, what: string) {
    super(
      `the working state of run ${JSON.stringify(runKey)} ${what} on this worker: every worker of a task queue must share reportDir (a shared volume); ` +
        'run the sync again once they do',
    );
    this.name = 'RunStateMissingError';
  }
}

/**
 * Per-run working files, outside Temporal history: report rows, pending manager references, the users
 * the run wrote, the target snapshot of a full run, and the HR ids a full run has seen. Every write is
 * idempotent (a retried activity rewrites its own part), so a crash never duplicates a row. Several
 * workers on one task queue must share this folder (a shared volume), as they share the report folder.
 */
export class RunStore {
  readonly #written = new Map<string, WrittenCache>();
  /** Per run: its folder, and the kind folders this store has made in it (see #dir). */
  readonly #folders = new Map<string, { run: string; kinds: Map<string, string> }>();
  constructor(readonly root: string) {}

  runDir(runKey: string): string {
    return this.#foldersOf(runKey).run;
  }

  #foldersOf(runKey: string): { run: string; kinds: Map<string, string> } {
    let known = this.#folders.get(runKey);
    if (!known) {
      known = { run: inside(path.join(this.root, '.runs'), fileNameOf(runKey)), kinds: new Map() };
      this.#folders.set(runKey, known);
      while (this.#folders.size > CACHED_RUNS) this.#folders.delete(this.#folders.keys().next().value as string);
    }
    return known;
  }

  /**
   * Starts the run's working state, owned by `token` (the first run id of the workflow: the same on a retry
   * of the first activity, another for a new run under a reused workflow id, whose leftovers go).
   */
  begin(runKey: string, token: string): void {
    const dir = this.runDir(runKey);
    // The folder may go here, and the kind folders this store made in it with it.
    this.#foldersOf(runKey).kinds.clear();
    if (existsSync(dir) && this.#owner(runKey) !== token) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    try {
      writeFileSync(path.join(dir, OWNER_FILE), token, { flag: 'wx', mode: FILE_MODE });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    writeFileSync(path.join(dir, KEY_FILE), runKey, { mode: FILE_MODE });
  }

  /** Every activity that uses the run's working state checks first that it is there and is this run's. */
  check(runKey: string, token: string): void {
    const owner = this.#owner(runKey);
    if (owner === null) throw new RunStateMissingError(runKey, `is missing (no ${path.join(this.runDir(runKey), OWNER_FILE)})`);
    if (owner !== token) throw new RunStateMissingError(runKey, 'belongs to another run');
  }

  #owner(runKey: string): string | null {
    try {
      return readFileSync(path.join(this.runDir(runKey), OWNER_FILE), 'utf8');
    } catch {
      return null;
    }
  }

  /**
   * A kind's folder inside the run's. The run's own is made only by begin(), so a missing one is an error,
   * never empty: the kind's is made without `recursive`, which would make the run's again. It is made once
   * per store, not asked after on every call (a large run makes hundreds of thousands); whatever meets it
   * missing later (the run folder removed under a running run: an operator, a sweep elsewhere) asks again
   * through #remake, so that still fails loudly.
   */
  #dir(runKey: string, kind: string): string {
    const { run, kinds } = this.#foldersOf(runKey);
    const made = kinds.get(kind);
    if (made !== undefined) return made;
    const dir = path.join(run, kind);
    this.#make(runKey, dir);
    kinds.set(kind, dir);
    return dir;
  }

  #make(runKey: string, dir: string): void {
    try {
      mkdirSync(dir, { mode: DIR_MODE });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new RunStateMissingError(runKey, `is missing (no ${path.dirname(dir)})`);
      if (code !== 'EEXIST') throw err;
    }
  }

  /**
   * A kind's folder met missing after #dir made it: made again when the run's folder is there (made again by
   * begin(), on this worker or another), else RunStateMissingError, never read as nothing written.
   */
  #remake(runKey: string, dir: string): void {
    this.#foldersOf(runKey).kinds.delete(path.basename(dir));
    this.#make(runKey, dir);
  }

  /** `write` to `file`; once more after #remake when its folder was gone (ENOENT). */
  #writing(runKey: string, file: string, write: () => void): void {
    try {
      write();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.#remake(runKey, path.dirname(file));
      write();
    }
  }

  /** Whether a run file is there; when not, whether its folder still is (see #remake). */
  #exists(runKey: string, file: string): boolean {
    if (existsSync(file)) return true;
    if (!existsSync(path.dirname(file))) this.#remake(runKey, path.dirname(file));
    return false;
  }

  /**
   * A part file #parts listed, read whole. Gone since (removed under the run) is missing state, never a part
   * with nobody in it: the run's folder gone says so, else the part's name.
   */
  #listedPart(runKey: string, file: string, of: string): Buffer {
    try {
      return readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const run = this.runDir(runKey);
      if (!existsSync(run)) throw new RunStateMissingError(runKey, `is missing (no ${run})`);
      throw new RunStateMissingError(runKey, `lost ${file}, a part of ${of}, while reading it`);
    }
  }

  #writeJsonl(runKey: string, file: string, items: readonly unknown[]): void {
    this.#writeAtomically(runKey, file, items.map((i) => JSON.stringify(i)).join('\n') + (items.length ? '\n' : ''));
  }

  #writeAtomically(runKey: string, file: string, data: string | Buffer): void {
    const tmp = `${file}.tmp-${process.pid}`;
    this.#writing(runKey, tmp, () => writeFileSync(tmp, data, { mode: FILE_MODE }));
    renameSync(tmp, file);
  }

  #append(runKey: string, file: string, line: string): void {
    this.#writing(runKey, file, () => appendFileSync(file, line, { mode: FILE_MODE }));
  }

  #readJsonl<T>(runKey: string, file: string): T[] {
    if (!this.#exists(runKey, file)) return [];
    return parseJsonl<T>(readFileSync(file, 'utf8'));
  }

  /** Every line of one kind's parts, in the parts' order; a part listed and gone since is missing (see #listedPart). */
  *#partLines<T>(runKey: string, kind: string, of: string): Generator<{ file: string; lines: T[] }> {
    for (const file of this.#parts(runKey, kind)) yield { file, lines: parseJsonl<T>(this.#listedPart(runKey, file, of).toString('utf8')) };
  }

  *#partsRead<T>(runKey: string, kind: string, of: string): Generator<T> {
    for (const { lines } of this.#partLines<T>(runKey, kind, of)) yield* lines;
  }

  #parts(runKey: string, kind: string): string[] {
    const dir = this.#dir(runKey, kind);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.#remake(runKey, dir);
      names = [];
    }
    return names
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => f.slice(0, -'.jsonl'.length))
      .sort()
      .map((f) => path.join(dir, `${f}.jsonl`));
  }

  /** Rows of one part (a page of the plan, a chunk of writes), replacing what that part wrote before. */
  writeRows(runKey: string, stage: Stage, part: string, rows: readonly RowPatch[]): void {
    this.#writeJsonl(runKey, path.join(this.#dir(runKey, 'rows'), `${part}.jsonl`), rows.map((row) => ({ stage, row })));
  }

  /** Appends as each write completes, so a retried chunk knows what is already done. */
  appendRow(runKey: string, stage: Stage, part: string, row: ReportRow): void {
    this.#append(runKey, path.join(this.#dir(runKey, 'rows'), `${part}.jsonl`), `${JSON.stringify({ stage, row })}\n`);
  }

  readPart(runKey: string, part: string): ReportRow[] {
    const file = path.join(this.#dir(runKey, 'rows'), `${part}.jsonl`);
    return words(this.#readJsonl<{ stage: Stage; row: RowPatch }>(runKey, file), file, part).map((w) => w.row as ReportRow);
  }

  /** Every word on the run's rows, each with its stage and place: foldWords orders them, not the listing. */
  *rows(runKey: string): Generator<RowWord> {
    for (const { file, lines } of this.#partLines<{ stage: Stage; row: RowPatch }>(runKey, 'rows', 'the report rows')) yield* words(lines, file, path.basename(file, '.jsonl'));
  }

  /** How many bytes the run's row parts hold: what a fold of them sizes its buckets by. */
  rowBytes(runKey: string): number {
    return this.#parts(runKey, 'rows').reduce((sum, file) => sum + fileSize(file), 0);
  }

  /** A folder of the run's for one activity's scratch files, emptied first: a retry starts again. */
  scratch(runKey: string, kind: string): string {
    const dir = this.#dir(runKey, kind);
    rmSync(dir, { recursive: true, force: true });
    this.#make(runKey, dir);
    return dir;
  }

  appendReference(runKey: string, part: string, ref: PendingReference | WithdrawnReference): void {
    this.#append(runKey, path.join(this.#dir(runKey, 'refs'), `${part}.jsonl`), `${JSON.stringify(ref)}\n`);
  }

  /** The references of each employee's latest plan (see latestReferences). */
  references(runKey: string): PendingReference[] {
    return latestReferences([...this.#partsRead<PendingReference | WithdrawnReference>(runKey, 'refs', 'the pending references')]);
  }

  /** The group memberships a chunk's writes made necessary, replacing what that chunk recorded before. */
  writeMemberships(runKey: string, part: string, entries: readonly PendingMembership[]): void {
    this.#writeJsonl(runKey, path.join(this.#dir(runKey, 'members'), `${part}.jsonl`), entries);
  }

  *memberships(runKey: string): Generator<PendingMembership> {
    yield* this.#partsRead<PendingMembership>(runKey, 'members', 'the pending memberships');
  }

  /** The plan pass's actionable changes of one page (see PlannedEntry), replacing what that page recorded before. */
  writePlanned(runKey: string, part: string, entries: readonly PlannedEntry[]): void {
    this.#writeJsonl(runKey, path.join(this.#dir(runKey, 'planned'), `${part}.jsonl`), entries);
  }

  *planned(runKey: string): Generator<PlannedEntry> {
    yield* this.#partsRead<PlannedEntry>(runKey, 'planned', "the plan pass's changes");
  }

  /**
   * A page's actionable plan, one line per write chunk, replacing what that page stored before (a retried
   * page activity rewrites its own file whole). The apply activities read it back by chunk.
   */
  writePlan(runKey: string, pass: string, page: PageRef, chunks: readonly (readonly PlannedChange[])[]): void {
    this.#writeJsonl(runKey, this.#planFile(runKey, pass, page), chunks);
  }

  /**
   * One chunk of a stored page plan. A missing file or chunk is missing state (the folder was not shared,
   * or was wiped), never an empty chunk: writing nothing would report the page's users as never planned.
   */
  planChunk(runKey: string, pass: string, page: PageRef, chunk: number): PlannedChange[] {
    const file = this.#planFile(runKey, pass, page);
    const lines = this.#exists(runKey, file) ? readFileSync(file, 'utf8').split('\n') : [];
    // Only the chunk's own line is parsed: a page's file holds all its chunks.
    const line = lines[chunk];
    if (line === undefined || line.trim() === '') throw new RunStateMissingError(runKey, `has no stored plan for chunk ${chunk} of ${pageName(page)} (${file})`);
    return JSON.parse(line) as PlannedChange[];
  }

  /** The HR ids a stored page plan writes, each chunk of it. Missing like planChunk. */
  plannedHrIds(runKey: string, pass: string, page: PageRef): Set<string> {
    const file = this.#planFile(runKey, pass, page);
    if (!this.#exists(runKey, file)) throw new RunStateMissingError(runKey, `has no stored plan of ${pageName(page)} (${file})`);
    return new Set(this.#readJsonl<PlannedChange[]>(runKey, file).flatMap((chunk) => chunk.map((c) => c.hrId)));
  }

  #planFile(runKey: string, pass: string, page: PageRef): string {
    return path.join(this.#dir(runKey, `plan-${pass}`), `${pageName(page)}.jsonl`);
  }

  writeSnapshotPage(runKey: string, pass: string, part: string, users: readonly User[]): void {
    this.#writeJsonl(runKey, path.join(this.#dir(runKey, `snapshot-${pass}`), `${part}.jsonl`), users);
  }

  *snapshot(runKey: string, pass: string): Generator<User> {
    yield* this.#partsRead<User>(runKey, `snapshot-${pass}`, `the ${pass} snapshot`);
  }

  /** The snapshot's users, each with where its line is: an index of the snapshot keeps that, not the user. */
  *snapshotLines(runKey: string, pass: string): Generator<{ user: User; line: StoredLine }> {
    for (const file of this.#parts(runKey, `snapshot-${pass}`)) {
      const bytes = this.#listedPart(runKey, file, `the ${pass} snapshot`);
      for (let start = 0; start < bytes.length; ) {
        let end = bytes.indexOf(0x0a, start);
        if (end < 0) end = bytes.length;
        if (end > start) yield { user: JSON.parse(bytes.toString('utf8', start, end)) as User, line: { file, offset: start, length: end - start } };
        start = end + 1;
      }
    }
  }

  /**
   * One user of a snapshot again, from its line; undefined when the line is not a user any more (a page
   * read again since, by a retry that outlived its timeout: the caller reads the snapshot again).
   */
  snapshotUser(line: StoredLine): User | undefined {
    try {
      return JSON.parse(readLine(line)) as User;
    } catch {
      return undefined;
    }
  }

  writeSeen(runKey: string, pass: string, part: string, hrIds: readonly string[]): void {
    this.#writeJsonl(runKey, path.join(this.#dir(runKey, `seen-${pass}`), `${part}.jsonl`), hrIds);
  }

  seen(runKey: string, pass: string): Set<string> {
    const ids = new Set<string>();
    for (const id of this.#partsRead<string>(runKey, `seen-${pass}`, `the ${pass} pass's seen users`)) ids.add(id);
    return ids;
  }

  /**
   * Notes that reading `from` (null: the first page) of a paged read answered `next`. Returns the cursors
   * this read has already read when `next` is one of them: the pages would cycle (A, B, A...) forever.
   * A retried page notes itself again, harmlessly.
   */
  noteCursor(runKey: string, read: string, from: string | null, next: string | null): void | { cycle: string } {
    const file = path.join(this.#dir(runKey, 'cursors'), `${fileNameOf(read)}.jsonl`);
    const alreadyRead = new Set(this.#readJsonl<{ from: string | null }>(runKey, file).map((l) => l.from));
    alreadyRead.add(from);
    if (next !== null && alreadyRead.has(next)) return { cycle: next };
    this.#append(runKey, file, `${JSON.stringify({ from, next })}\n`);
  }

  /**
   * Records a user the run wrote, as the write lands: a reference to them (or a reference of theirs) can
   * then be set without a lookup, and with the version the write answered, without a GET. Appending the
   * same user again (a retried chunk) is harmless: the last line read wins.
   */
  recordWritten(runKey: string, part: string, user: WrittenUser): void {
    const dir = this.#dir(runKey, 'written');
    const cache = this.#writtenCache(runKey);
    if (cache.folder === null) this.#writing(runKey, path.join(dir, FOLDER_NAME_FILE), () => (cache.folder = nameFolder(dir)));
    const answeredFile = path.join(this.#dir(runKey, ANSWERED), `${part}.jsonl`);
    const line: WrittenLine = { hrId: user.hrId, userId: user.userId, ...(user.version !== undefined ? { version: user.version } : {}) };
    if (user.user) {
      // The user first, then the line that points at it: the line is what says the user is there.
      // (Appends in this process don't interleave: they are synchronous.)
      const text = JSON.stringify({ hrId: user.hrId, user: user.user });
      line.answered = [fileSize(answeredFile), Buffer.byteLength(text)];
      this.#append(runKey, answeredFile, `${text}\n`);
    }
    this.#append(runKey, path.join(dir, `${part}.jsonl`), `${JSON.stringify(line)}\n`);
    cache.byHrId.set(user.hrId, entryOf(line, answeredFile));
  }

  /** The users the run has written so far, for one activity (see WrittenUsers). */
  writtenUsers(runKey: string): WrittenUsers {
    const folder = folderName(path.join(this.runDir(runKey), 'written'));
    const cache = this.#writtenCache(runKey);
    if (cache.folder !== folder) {
      cache.folder = folder;
      cache.byHrId.clear();
      cache.readBytes.clear();
    }
    return new WrittenUsers(
      () => this.#writtenCache(runKey).byHrId,
      () => this.#loadWritten(runKey),
    );
  }

  #writtenCache(runKey: string): WrittenCache {
    const key = this.runDir(runKey);
    let cache = this.#written.get(key);
    if (!cache) {
      cache = { folder: null, byHrId: new Map(), readBytes: new Map() };
      this.#written.set(key, cache);
      while (this.#written.size > CACHED_RUNS) this.#written.delete(this.#written.keys().next().value as string);
    }
    return cache;
  }

  /**
   * Reads only what was appended to the run's written-user parts since this worker last read them: new
   * part files whole, grown ones from where it stopped. A line still being appended (no newline yet) is
   * left for the next read.
   */
  #loadWritten(runKey: string): void {
    const cache = this.#writtenCache(runKey);
    const dir = path.join(this.runDir(runKey), 'written');
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
      const file = path.join(dir, name);
      const fd = openSync(file, 'r');
      try {
        const size = fstatSync(fd).size;
        let from = cache.readBytes.get(file) ?? 0;
        if (size < from) from = 0; // rewritten since: read it again
        if (size === from) continue;
        const bytes = Buffer.alloc(size - from);
        const got = readSync(fd, bytes, 0, bytes.length, from);
        const complete = bytes.subarray(0, got).lastIndexOf(0x0a) + 1;
        if (complete === 0) continue;
        const answeredFile = path.join(this.runDir(runKey), ANSWERED, name);
        for (const text of bytes.toString('utf8', 0, complete).split('\n')) {
          if (text.trim() === '') continue;
          try {
            const written = JSON.parse(text) as WrittenLine;
            if (typeof written.hrId === 'string' && typeof written.userId === 'string') cache.byHrId.set(written.hrId, entryOf(written, answeredFile));
          } catch {
            // a line cut short by a crash mid-append: that user is looked up instead
          }
        }
        cache.readBytes.set(file, from + complete);
      } finally {
        closeSync(fd);
      }
    }
  }

  /**
   * What the run learns about its target (refused filters and operations, the inactive-user index), one
   * line each, appended: activities on any worker read what earlier ones learned. Missing is "nothing learned yet".
   */
  appendLearned(runKey: string, entry: LearnedEntry): void {
    this.#append(runKey, path.join(this.#dir(runKey, 'learned'), 'learned.jsonl'), `${JSON.stringify(entry)}\n`);
  }

  learned(runKey: string): LearnedEntry[] {
    return this.#readJsonl<LearnedEntry>(runKey, path.join(this.#dir(runKey, 'learned'), 'learned.jsonl'));
  }

  /**
   * Target state read once for the run or a pass (the inactive users when the target refuses a combined
   * filter, group members when user reads carry no groups), or a list worked out once (the managers created
   * first). Beside its lines, where each starts (see indexSlice); that goes first, the lines last, since
   * the lines are what says the index is there.
   */
  writeIndex(runKey: string, name: string, items: readonly unknown[]): void {
    const dir = this.#dir(runKey, 'index');
    const lines = items.map((i) => `${JSON.stringify(i)}\n`);
    const offsets = Buffer.alloc(8 * (lines.length + 1));
    let at = 0;
    for (const [i, line] of lines.entries()) {
      offsets.writeDoubleLE(at, 8 * i);
      at += Buffer.byteLength(line);
    }
    offsets.writeDoubleLE(at, 8 * lines.length);
    this.#writeAtomically(runKey, path.join(dir, `${name}.offsets`), offsets);
    this.#writeAtomically(runKey, path.join(dir, `${name}.jsonl`), lines.join(''));
  }

  /** `undefined` when that index was never written (never read as "nothing there"). */
  index<T>(runKey: string, name: string): T[] | undefined {
    const file = path.join(this.#dir(runKey, 'index'), `${name}.jsonl`);
    return this.#exists(runKey, file) ? this.#readJsonl<T>(runKey, file) : undefined;
  }

  /**
   * Items `from` (inclusive) to `to` (exclusive) of an index, and how many it holds: reads those lines
   * only, so a run that goes through a long list a chunk at a time reads it once, not once per chunk.
   * `undefined` when that index was never written.
   */
  indexSlice<T>(runKey: string, name: string, from: number, to: number): { items: T[]; total: number } | undefined {
    const dir = this.#dir(runKey, 'index');
    const file = path.join(dir, `${name}.jsonl`);
    if (!this.#exists(runKey, file)) return undefined;
    let offsets: Buffer;
    try {
      offsets = readFileSync(path.join(dir, `${name}.offsets`));
    } catch {
      offsets = Buffer.alloc(0);
    }
    const total = offsets.length / 8 - 1;
    const fd = openSync(file, 'r');
    try {
      // Offsets that don't end where the lines do are not these lines' (never expected): read the lines whole.
      if (total < 0 || !Number.isInteger(total) || offsets.readDoubleLE(8 * total) !== fstatSync(fd).size) {
        const all = this.#readJsonl<T>(runKey, file);
        return { items: all.slice(from, to), total: all.length };
      }
      const first = Math.min(Math.max(0, from), total);
      const last = Math.min(Math.max(first, to), total);
      const start = offsets.readDoubleLE(8 * first);
      const bytes = Buffer.alloc(offsets.readDoubleLE(8 * last) - start);
      readSync(fd, bytes, 0, bytes.length, start);
      const items = bytes.length ? bytes.toString('utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as T) : [];
      return { items, total };
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Every run folder, for the retention sweep: the run key it names (null when it names none: a folder
   * made before the key was kept), its owner token, and its last write (the folder's or a direct entry's).
   */
  folders(): { name: string; runKey: string | null; token: string | null; modifiedAt: Date }[] {
    const root = path.join(this.root, '.runs');
    if (!existsSync(root)) return [];
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return null;
      }
    };
    const out: ReturnType<RunStore['folders']> = [];
    for (const d of readdirSync(root, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      const dir = path.join(root, d.name);
      try {
        let newest = statSync(dir).mtimeMs;
        for (const entry of readdirSync(dir)) newest = Math.max(newest, statSync(path.join(dir, entry)).mtimeMs);
        out.push({ name: d.name, runKey: read(path.join(dir, KEY_FILE)), token: read(path.join(dir, OWNER_FILE)), modifiedAt: new Date(newest) });
      } catch (err) {
        // Removed while being looked at (its run ended, another worker swept it): nothing left to judge.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return out;
  }

  /** Working files go once the report is written; the report itself stays. */
  remove(runKey: string): void {
    this.#written.delete(this.runDir(runKey));
    rmSync(this.runDir(runKey), { recursive: true, force: true });
  }
}

/** JSON lines; a line cut short by a crash mid-append is left out. */
function parseJsonl<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as T];
      } catch {
        return [];
      }
    });
}

/** A row part's words, each with its stage and place. */
function words(lines: readonly { stage: Stage; row: RowPatch }[], file: string, part: string): RowWord[] {
  return lines.map(({ stage, row }, line) => {
    // Without its stage a word could only be ordered by its file's name: never guessed.
    if (!STAGES.includes(stage)) throw new Error(`report row ${line + 1} of ${file} names no stage (${JSON.stringify(stage)}): written by an older hrsync`);
    return { stage, part, line, row };
  });
}
