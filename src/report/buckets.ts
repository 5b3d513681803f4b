import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { FILE_MODE } from '../staging/runstore';
import { earlier, foldWords, rowKey, type ReportRow, type RowWord } from './row';

/**
 * About this much of the run's row parts goes into one bucket: parsed, a bucket's words take a few times
 * their bytes in memory, and that is what the fold holds at once.
 */
export const BUCKET_BYTES = 8 * 1024 * 1024;
/** Each bucket is a file open at once during the partition and the merge. */
const MAX_BUCKETS = 256;

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

/** Lines appended to a file in blocks: one write per block, not per line. */
class LineWriter {
  readonly #fd: number;
  #pending: string[] = [];
  #size = 0;
  constructor(file: string) {
    this.#fd = openSync(file, 'w', FILE_MODE);
  }
  write(value: unknown): void {
    const line = `${JSON.stringify(value)}\n`;
    this.#pending.push(line);
    this.#size += line.length;
    if (this.#size >= 1 << 16) this.flush();
  }
  flush(): void {
    if (this.#pending.length) writeSync(this.#fd, this.#pending.join(''));
    this.#pending = [];
    this.#size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}

/** A file's lines, read a block at a time. */
function* lines(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const block = Buffer.alloc(1 << 16);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (let got = readSync(fd, block); got > 0; got = readSync(fd, block)) {
      const parts = (rest + decoder.write(block.subarray(0, got))).split('\n');
      rest = parts.pop() as string;
      yield* parts;
    }
    if (rest !== '') yield rest;
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
  const writers = Array.from({ length: buckets }, (_, i) => new LineWriter(wordFile(i)));
  try {
    for (const w of words) writers[bucketOf(rowKey(w.row), buckets)].write(w);
  } finally {
    for (const w of writers) w.close();
  }
  for (let i = 0; i < buckets; i++) {
    const bucket = readFileSync(wordFile(i), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as RowWord);
    const out = new LineWriter(foldFile(i));
    try {
      for (const { first, row } of foldWords(bucket)) out.write({ first: { stage: first.stage, part: first.part, line: first.line }, row } satisfies Placed);
    } finally {
      out.close();
    }
  }
  const heads = Array.from({ length: buckets }, (_, i) => {
    const it = lines(foldFile(i));
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
