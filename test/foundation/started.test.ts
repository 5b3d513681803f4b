import assert from 'node:assert/strict';
import { Started, StoppingError } from '../../src/cli/started';

/** A promise and the function that settles it, so a test decides when a start or a stop finishes. */
function later<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Started: what a command started, stopped once', () => {
  it('stops last first, and every caller waits for the whole pass, the slow last stop included', async () => {
    const started = new Started();
    const log: string[] = [];
    const serverDown = later();
    await started.add(Promise.resolve('server'), async () => {
      log.push('server stopping');
      await serverDown.promise;
      log.push('server down');
    });
    await started.running(async () => void log.push('worker down'));

    // The Ctrl-C handler and the command's finally both ask.
    let signalDone = false;
    let finallyDone = false;
    void started.stopAll().then(() => (signalDone = true));
    void started.stopAll().then(() => (finallyDone = true));
    await tick();
    assert.deepEqual(log, ['worker down', 'server stopping']);
    assert.equal(signalDone || finallyDone, false, 'nobody goes on while the server is still stopping');
    serverDown.resolve();
    await started.stopAll();
    assert.deepEqual(log, ['worker down', 'server stopping', 'server down'], 'each stopped once');
    assert.equal(signalDone && finallyDone, true);
  });

  it('waits for what is still starting when stopping begins, then stops it, and tells its caller', async () => {
    const started = new Started();
    const up = later<string>();
    const stopped: string[] = [];
    const adding = started.add(up.promise, async (it) => void stopped.push(it));
    let done = false;
    const stopping = started.stopAll().then(() => (done = true));
    await tick();
    assert.equal(done, false, 'stopping waits for the start in progress');
    up.resolve('dev server');
    await assert.rejects(adding, StoppingError);
    await stopping;
    assert.deepEqual(stopped, ['dev server']);
  });

  it('goes on stopping the rest when one stop fails', async () => {
    const started = new Started();
    const stopped: string[] = [];
    await started.running(async () => void stopped.push('first started'));
    await started.running(async () => {
      throw new Error('already gone');
    });
    await started.stopAll();
    assert.deepEqual(stopped, ['first started']);
  });
});
