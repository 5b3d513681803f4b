import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { User } from '../scim/resources/user';
import type { ReportRow, RowPatch } from '../report/row';

/** A manager reference that could not be set when its user was written; retried at the end of the run. */
export interface PendingReference {
  hrId: string;
  userId: string;
  managerHrId: string;
}

/**
 * Per-run working files, outside Temporal history: report rows, pending manager references, the target
 * snapshot of a full run, and the HR ids a full run has seen. Every write is idempotent (a retried
 * activity rewrites its own part), so a crash never duplicates a row. Several workers on one task
 * queue must share this folder (a shared volume), as they share the report folder.
 */
export class RunStore {
  constructor(readonly root: string) {}

  runDir(runKey: string): string {
    return path.join(this.root, '.runs', runKey.replace(/[^A-Za-z0-9_.-]/g, '_'));
  }

  #dir(runKey: string, kind: string): string {
    const dir = path.join(this.runDir(runKey), kind);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  #writeJsonl(file: string, items: readonly unknown[]): void {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, items.map((i) => JSON.stringify(i)).join('\n') + (items.length ? '\n' : ''));
    renameSync(tmp, file);
  }

  #readJsonl<T>(file: string): T[] {
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as T];
        } catch {
          return []; // a line cut short by a crash mid-append
        }
      });
  }

  #parts(runKey: string, kind: string): string[] {
    const dir = this.#dir(runKey, kind);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => f.slice(0, -'.jsonl'.length))
      .sort()
      .map((f) => path.join(dir, `${f}.jsonl`));
  }

  /** Rows of one part (a page of the plan, a chunk of writes), replacing what that part wrote before. */
  writeRows(runKey: string, part: string, rows: readonly RowPatch[]): void {
    this.#writeJsonl(path.join(this.#dir(runKey, 'rows'), `${part}.jsonl`), rows);
  }

  /** Appends as each write completes, so a retried chunk knows what is already done. */
  appendRow(runKey: string, part: string, row: ReportRow): void {
    appendFileSync(path.join(this.#dir(runKey, 'rows'), `${part}.jsonl`), `${JSON.stringify(row)}\n`);
  }

  readPart(runKey: string, part: string): ReportRow[] {
    return this.#readJsonl<ReportRow>(path.join(this.#dir(runKey, 'rows'), `${part}.jsonl`));
  }

  /** Every row, in part order: later parts (apply after plan, fixes after apply) override earlier ones. */
  *rows(runKey: string): Generator<RowPatch> {
    for (const file of this.#parts(runKey, 'rows')) yield* this.#readJsonl<RowPatch>(file);
  }

  appendReference(runKey: string, part: string, ref: PendingReference): void {
    appendFileSync(path.join(this.#dir(runKey, 'refs'), `${part}.jsonl`), `${JSON.stringify(ref)}\n`);
  }

  references(runKey: string): PendingReference[] {
    const latest = new Map<string, PendingReference>();
    for (const file of this.#parts(runKey, 'refs')) for (const r of this.#readJsonl<PendingReference>(file)) latest.set(r.hrId, r);
    return [...latest.values()];
  }

  writeSnapshotPage(runKey: string, pass: string, part: string, users: readonly User[]): void {
    this.#writeJsonl(path.join(this.#dir(runKey, `snapshot-${pass}`), `${part}.jsonl`), users);
  }

  *snapshot(runKey: string, pass: string): Generator<User> {
    for (const file of this.#parts(runKey, `snapshot-${pass}`)) yield* this.#readJsonl<User>(file);
  }

  writeSeen(runKey: string, pass: string, part: string, hrIds: readonly string[]): void {
    this.#writeJsonl(path.join(this.#dir(runKey, `seen-${pass}`), `${part}.jsonl`), hrIds);
  }

  seen(runKey: string, pass: string): Set<string> {
    const ids = new Set<string>();
    for (const file of this.#parts(runKey, `seen-${pass}`)) for (const id of this.#readJsonl<string>(file)) ids.add(id);
    return ids;
  }

  /** Working files go once the report is written; the report itself stays. */
  remove(runKey: string): void {
    rmSync(this.runDir(runKey), { recursive: true, force: true });
  }
}
