import { byReason, mappingForTarget, refusalSticks, refusedAsUnknownAttribute, type UnsupportedAttribute } from '../domain/capabilities';
import type { ManagedAttribute, MappingConfig } from '../domain/mapping/config';
import type { TargetProfile } from '../domain/profile';
import type { LearnedEntry, RunStore } from '../staging/runstore';

/**
 * What a run knows about its target, as one activity sees it: what prepare decided from discovery, and what
 * earlier activities (on any worker) learned from refusals. Read from the run store when the activity starts;
 * what this activity learns is appended there and remembered at once.
 */
export class TargetLearning {
  #entries: LearnedEntry[] = [];
  readonly #filters = new Set<string>();
  readonly #operations = new Set<string>();
  /** Operation forms already in the log (sticky or not), so that each is written once per activity. */
  readonly #noted = new Set<string>();
  readonly #unavailable = new Set<string>();
  #tooLong = Infinity;
  #patchUnavailable = false;

  constructor(
    private readonly store: RunStore,
    private readonly runKey: string,
  ) {
    this.refresh();
  }

  /** Reads what the run has learned so far (an activity calls it when it starts: other workers may have learned more). */
  refresh(): this {
    this.#entries = this.store.learned(this.runKey);
    this.#filters.clear();
    this.#operations.clear();
    this.#noted.clear();
    this.#unavailable.clear();
    this.#tooLong = Infinity;
    this.#patchUnavailable = false;
    for (const e of this.#entries) this.#remember(e);
    return this;
  }

  #remember(e: LearnedEntry): void {
    if (e.kind === 'filter') this.#filters.add(e.form);
    if (e.kind === 'operation') this.#noted.add(e.form);
    if (e.kind === 'operation' && sticks(e)) this.#operations.add(e.form);
    if (e.kind === 'index-unavailable') this.#unavailable.add(e.name);
    if (e.kind === 'filter-length') this.#tooLong = Math.min(this.#tooLong, e.terms);
    if (e.kind === 'patch-unavailable') this.#patchUnavailable = true;
  }

  #learn(e: LearnedEntry): void {
    this.#entries.push(e);
    this.#remember(e);
    this.store.appendLearned(this.runKey, e);
  }

  /** The latest decision: a reset run prepares again in the same folder. */
  #target(): Extract<LearnedEntry, { kind: 'target' }> | undefined {
    return [...this.#entries].reverse().find((e) => e.kind === 'target');
  }

  /** The mapping this run writes with (see mappingForTarget). */
  mapping(config: MappingConfig, profile: TargetProfile): MappingConfig {
    const target = this.#target();
    const unknown = this.#entries.flatMap((e) => (e.kind === 'operation' && e.attribute && notAnAttribute(e) ? [e.attribute] : []));
    return mappingForTarget(config, { profile, decided: target?.writable, unknown });
  }

  /** The extensions every create of this run carries, as prepare decided (see requiredExtensions). */
  requiredExtensions(): string[] {
    return this.#target()?.requiredExtensions ?? [];
  }

  filterRefused(form: string): boolean {
    return this.#filters.has(form);
  }

  learnFilter(form: string, detail?: string): void {
    if (!this.#filters.has(form)) this.#learn({ kind: 'filter', form, ...(detail ? { detail } : {}) });
  }

  operationRefused(form: string): boolean {
    return this.#operations.has(form);
  }

  /**
   * A refused operation. Refused for its path (invalidPath, mutability, noTarget), the form is not sent again in the
   * run; refused for its value (invalidValue, or a bare 400) it may suit the next user, so it is only noted once.
   */
  learnOperation(form: string, attribute: string | undefined, scimType: string | undefined, detail?: string): void {
    const sticky = refusalSticks(scimType);
    if (this.#operations.has(form) || (this.#noted.has(form) && !sticky)) return;
    this.#learn({ kind: 'operation', form, ...(attribute ? { attribute } : {}), ...(scimType ? { scimType } : {}), ...(detail ? { detail } : {}) });
  }

  /** Terms an `or`-joined query may carry: `most`, or half of the fewest the target found too long (414). */
  termsPerQuery(most: number): number {
    return Math.max(1, Math.min(most, Math.floor(this.#tooLong / 2)));
  }

  learnFilterLength(terms: number, detail?: string): void {
    if (terms < this.#tooLong) this.#learn({ kind: 'filter-length', terms, ...(detail ? { detail } : {}) });
  }

  learnReadOnce(reason: string): void {
    if (!this.#entries.some((e) => e.kind === 'read-once')) this.#learn({ kind: 'read-once', reason });
  }

  /** Whether users and groups are replaced (PUT) rather than patched in this run: see activities/update. */
  patchUnavailable(): boolean {
    return this.#patchUnavailable;
  }

  /** A PATCH answered 501 or 405: the target doesn't do PATCH, and the rest of the run replaces instead. */
  learnPatchUnavailable(status: number | undefined, detail?: string): void {
    if (!this.#patchUnavailable) this.#learn({ kind: 'patch-unavailable', ...(status !== undefined ? { status } : {}), ...(detail ? { detail } : {}) });
  }

  indexUnavailable(name: string): boolean {
    return this.#unavailable.has(name);
  }

  learnIndexUnavailable(name: string, detail?: string): void {
    if (!this.#unavailable.has(name)) this.#learn({ kind: 'index-unavailable', name, ...(detail ? { detail } : {}) });
  }
}

const sticks = (e: Extract<LearnedEntry, { kind: 'operation' }>) => refusalSticks(e.scimType);

const notAnAttribute = (e: Extract<LearnedEntry, { kind: 'operation' }>) => refusedAsUnknownAttribute(e.form, e.scimType);

/** What prepare decided from discovery: recorded first in the run's learned log. */
export function recordTargetDecision(
  store: RunStore,
  runKey: string,
  d: { writable: ManagedAttribute[]; unsupported: UnsupportedAttribute[]; source: 'schemas' | 'profile' },
  requiredExtensions: readonly string[] = [],
): void {
  store.appendLearned(runKey, { kind: 'target', writable: d.writable, unsupported: d.unsupported, source: d.source, ...(requiredExtensions.length ? { requiredExtensions: [...requiredExtensions] } : {}) });
}

/** What prepare found in discovery: a target that declares `patch.supported: false` is replaced (PUT) from the start. */
export function recordPatchDeclaredUnsupported(store: RunStore, runKey: string): void {
  store.appendLearned(runKey, { kind: 'patch-unavailable', declared: true });
}

/** One line per reason (see byReason). */
function unsupportedLines(unsupported: readonly { attribute: string; reason: string }[]): string[] {
  return byReason(unsupported).map(({ reason, attributes }) => `${attributes.length === 1 ? 'attribute' : 'attributes'} ${attributes.join(', ')} not written: ${reason}`);
}

/**
 * The run's notices for the summary, one line per distinct thing learned: unsupported mapped attributes,
 * refused filter forms and operations, indexes that couldn't be read. Sorted and deduplicated (several
 * workers may learn the same thing at once).
 */
export function learnedNotices(entries: readonly LearnedEntry[]): string[] {
  const lines = new Set<string>();
  const target = [...entries].reverse().find((e) => e.kind === 'target');
  if (target?.kind === 'target') for (const line of unsupportedLines(target.unsupported)) lines.add(line);
  for (const e of entries) {
    if (e.kind === 'filter') lines.add(`${e.form}: refused by the target (400 invalidFilter); lookups went on without it`);
    if (e.kind === 'operation' && e.attribute && notAnAttribute(e)) lines.add(`attribute ${e.attribute} not written: the target refused it as an unknown path (${e.form})`);
    else if (e.kind === 'operation' && sticks(e)) lines.add(`${e.form}: refused by the target (${e.scimType}); not sent again in this run`);
    else if (e.kind === 'operation') lines.add(`${e.form}: refused by the target for some values (${e.scimType ?? 'HTTP 400'}); the rows concerned say so`);
    if (e.kind === 'index-unavailable') lines.add(`could not read ${e.name} from the target; rows that needed it say so`);
    if (e.kind === 'read-once') lines.add(e.reason);
    if (e.kind === 'patch-unavailable' && e.declared) lines.add('the target does not support PATCH (ServiceProviderConfig patch.supported: false): users and groups were updated by replacing them (PUT)');
    else if (e.kind === 'patch-unavailable') lines.add(`the target answered PATCH with ${e.status ?? 'a refusal'} (${e.status === 405 ? 'method not allowed' : 'not implemented'}): users and groups were updated by replacing them (PUT) from then on`);
  }
  // Only the shortest: each refusal halves the terms again.
  const tooLong = Math.min(...entries.flatMap((e) => (e.kind === 'filter-length' ? [e.terms] : [])));
  if (Number.isFinite(tooLong)) lines.add(`or-combined filter of ${tooLong} terms: too long for the target (414 URI too long); lookups went on with at most ${Math.max(1, Math.floor(tooLong / 2))} a query`);
  return [...lines].sort();
}
