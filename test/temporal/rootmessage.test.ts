import assert from 'node:assert/strict';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { rootMessage } from '../../src/temporal/rootmessage';

describe('rootMessage', () => {
  const own = ApplicationFailure.create({ type: 'unauthorized', message: 'Genesys rejected the access token' });
  const wrapped = new ActivityFailure('Activity task failed', 'applyChanges', '7', RetryState.NON_RETRYABLE_FAILURE, undefined, own);
  const cycle: { message: string; cause?: unknown } = { message: 'round and round' };
  cycle.cause = cycle;
  const table: [string, unknown, string][] = [
    ['the activity\'s own words under its wrapper', wrapped, 'Genesys rejected the access token'],
    ['a wrapper without words over one with them', new Error('outer', { cause: Object.assign(new Error(''), { cause: new Error('inner') }) }), 'inner'],
    ['the deepest words, past a cause without any', new Error('outer', { cause: new Error('', { cause: { code: 7 } }) }), 'outer'],
    ['a plain error', new Error('plain'), 'plain'],
    ['a chain that loops, once round', cycle, 'round and round'],
    ['not an error at all', 'just text', 'just text'],
  ];
  for (const [name, err, expected] of table) it(name, () => assert.equal(rootMessage(err), expected));
});
