import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { FILE_MODE } from '../staging/runstore';
import { earlier, foldWords, rowKey, type ReportRow, type RowWord } from './row';

/**
 * About this much of the run's row parts goes into one bucket: parsed, a bucket's words take a few times
 * their bytes in memory, and that is what the fold holds at once. Small enough that a bucket is folded
 * between two scavenges and dies young: words that live through two are promoted to the old space, which
 * V8 (by default, on a large machine) lets grow to about four times its live size before collecting it.
 * At 100,000 employees, 8 MB buckets took the worker's heap from 66 MB to 275 MB in the report; 512 KB
 * ones leave it where it was (2 MB ones did not). Past MAX_BUCKETS (about 130 MB of row parts, some
 * 140,000 employees) the buckets grow again.
 */
export const BUCKET_BYTES = 512 * 1024;
/** Each bucket is a file open at once during the partition and the merge. */
const MAX_BUCKETS = 256;
/** The block of each bucket file's reader or writer, outside the heap: up to MAX_BUCKETS of them are open at once. */
const BLOCK_BYTES = 16 * 1024;

/** How many buckets a run whose row parts hold `bytes` folds in, about `per` bytes each. */
export const bucketsFor = (bytes: number, per = BUCKET_BYTES): number => Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(bytes / per)));

/** FNV-1a of the row key: every word of one row lands in the same bucket. */
function bucketOf(key: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

/**
 * Lines appended to a file in blocks: one write per block, not per line. The block is a buffer outside the
 * heap: a line is copied into it at once, so its string dies young instead of waiting for the block in
 * the heap (a bucket's writer waits long, and what survives two scavenges is promoted to the old space,
 * which V8 lets grow to several times its live size before collecting it).
 */
class LineWriter {
  readonly #fd: number;
  readonly #block: Buffer;
  #size = 0;
  constructor(file: string, blockBytes: number) {
    this.#fd = openSync(file, 'w', FILE_MODE);
    this.#block = Buffer.allocUnsafe(blockBytes);
  }
  write(value: unknown): void {
    const line = `${JSON.stringify(value)}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.#size + bytes > this.#block.length) this.flush();
    if (bytes > this.#block.length) writeSync(this.#fd, line);
    else this.#size += this.#block.write(line, this.#size);
  }
  flush(): void {
    if (this.#size) writeSync(this.#fd, this.#block, 0, this.#size);
    this.#size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}

/**
 * A file's lines, read a block at a time into a buffer outside the heap and decoded one line at a time
 * (see LineWriter: no block-sized string, no array of a block's lines). A line longer than the block
 * grows it.
 */
function* lines(file: string, blockBytes: number): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    let block = Buffer.allocUnsafe(blockBytes);
    let start = 0;
    let end = 0;
    for (;;) {
      const newline = block.indexOf(0x0a, start);
      if (newline >= 0 && newline < end) {
        if (newline > start) yield block.toString('utf8', start, newline);
        start = newline + 1;
        continue;
      }
      // No whole line left in the block: keep the partial one, at its start, and read on.
      if (start > 0) {
        block.copy(block, 0, start, end);
        end -= start;
        start = 0;
      }
      if (end === block.length) block = Buffer.concat([block, Buffer.allocUnsafe(block.length)]);
      const got = readSync(fd, block, end, block.length - end, null);
      if (got === 0) break;
      end += got;
    }
    if (end > start) yield block.toString('utf8', start, end);
  } finally {
    closeSync(fd);
  }
}

type Placed = { first: Pick<RowWord, 'stage' | 'part' | 'line'>; row: ReportRow };

/**
 * foldWords' rows, in its order, holding about one bucket's words in memory instead of the whole run's:
 * the words are partitioned by row key into `buckets` files in `dir` (an empty folder of the caller's),
 * each bucket is folded by foldWords, the one place of precedence, and the folded buckets (each in its
 * rows' order) are merged by each row's first word, which is the order foldWords gives the whole run.
 */
export function* foldInBuckets(words: Iterable<RowWord>, dir: string, buckets: number): Generator<ReportRow> {
  if (buckets <= 1) {
    for (const f of foldWords(words)) yield f.row;
    return;
  }
  const wordFile = (i: number) => path.join(dir, `words-${i}.jsonl`);
  const foldFile = (i: number) => path.join(dir, `folded-${i}.jsonl`);
  const writers = Array.from({ length: buckets }, (_, i) => new LineWriter(wordFile(i), BLOCK_BYTES));
  try {
    for (const w of words) writers[bucketOf(rowKey(w.row), buckets)].write(w);
  } finally {
    for (const w of writers) w.close();
  }
  for (let i = 0; i < buckets; i++) {
    const bucket = Array.from(lines(wordFile(i), BLOCK_BYTES), (l) => JSON.parse(l) as RowWord);
    const out = new LineWriter(foldFile(i), BLOCK_BYTES);
    try {
      for (const { first, row } of foldWords(bucket)) out.write({ first: { stage: first.stage, part: first.part, line: first.line }, row } satisfies Placed);
    } finally {
      out.close();
    }
  }
  const heads = Array.from({ length: buckets }, (_, i) => {
    const it = lines(foldFile(i), BLOCK_BYTES);
    const next = (): Placed | undefined => {
      const r = it.next();
      return r.done ? undefined : (JSON.parse(r.value) as Placed);
    };
    return { it, next, at: next() };
  });
  try {
    for (;;) {
      let min: (typeof heads)[number] | undefined;
      for (const h of heads) if (h.at && (!min || earlier(h.at.first, (min.at as Placed).first) < 0)) min = h;
      if (!min) return;
      yield (min.at as Placed).row;
      min.at = min.next();
    }
  } finally {
    // A reader stopped early closes its files.
    for (const h of heads) h.it.return(undefined);
  }
}
