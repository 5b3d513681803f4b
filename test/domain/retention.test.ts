import assert from 'node:assert/strict';
import { runFolderFate, type RunFolder } from '../../src/domain/retention';

const now = new Date('2026-12-10T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 24 * 3600 * 1000);

describe('domain: when a run folder goes', () => {
  const cases: [string, RunFolder, number, boolean][] = [
    ['an open run keeps it, however old', { token: 'r1', execution: { status: 'RUNNING', firstRunId: 'r1' }, modifiedAt: daysAgo(90) }, 0, false],
    ['a failed run closed within the kept days keeps it, for a reset', { token: 'r1', execution: { status: 'FAILED', firstRunId: 'r1', closedAt: daysAgo(2) }, modifiedAt: daysAgo(2) }, 7, false],
    ['a failed run closed longer ago loses it', { token: 'r1', execution: { status: 'FAILED', firstRunId: 'r1', closedAt: daysAgo(8) }, modifiedAt: daysAgo(8) }, 7, true],
    ['a cancelled run at 0 kept days loses it once closed', { token: 'r1', execution: { status: 'CANCELED', firstRunId: 'r1', closedAt: now }, modifiedAt: now }, 0, true],
    ['the closing time counts, not the last write', { token: 'r1', execution: { status: 'TERMINATED', firstRunId: 'r1', closedAt: daysAgo(1) }, modifiedAt: daysAgo(30) }, 7, false],
    ['an earlier chain under a reused id: by its last write', { token: 'old', execution: { status: 'COMPLETED', firstRunId: 'new', closedAt: now }, modifiedAt: daysAgo(8) }, 7, true],
    ['an earlier chain under a reused id, recent', { token: 'old', execution: { status: 'FAILED', firstRunId: 'new', closedAt: daysAgo(30) }, modifiedAt: daysAgo(1) }, 7, false],
    ['Temporal no longer knows the run: goes once old', { token: 'r1', execution: 'not-found', modifiedAt: daysAgo(8) }, 7, true],
    ['Temporal does not know the run, recent folder: kept', { token: 'r1', execution: 'not-found', modifiedAt: daysAgo(1) }, 7, false],
    ['no owner token: kept', { token: null, execution: { status: 'FAILED', closedAt: daysAgo(99) }, modifiedAt: daysAgo(99) }, 0, false],
    ['no workflow id known: kept', { token: 'r1', execution: null, modifiedAt: daysAgo(99) }, 0, false],
    ['no first run id from the server: the closing time', { token: 'r1', execution: { status: 'FAILED', closedAt: daysAgo(8) }, modifiedAt: now }, 7, true],
  ];
  for (const [name, folder, keepDays, remove] of cases) {
    it(name, () => assert.equal(runFolderFate(folder, now, keepDays).remove, remove, runFolderFate(folder, now, keepDays).why));
  }
});
