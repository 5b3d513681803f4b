/** Thrown by `Started.add` when what it waited for came up after stopping had begun (it is stopped again at once). */
export class StoppingError extends Error {
  constructor() {
    super('stopped as soon as it started: everything started is being stopped');
  }
}

/**
 * What a command started (a dev server, simulators, connections, a worker), stopped last first, exactly
 * once, however many ask. A Ctrl-C and the command's own `finally` both ask, and neither may go on, nor let
 * the process exit, until everything is down: two passes over one list would each stop part of it, and the
 * first to finish would exit while the other still waited for the dev server. What is still starting when
 * stopping begins is waited for and stopped as soon as it is up.
 */
export class Started {
  readonly #stops: (() => Promise<unknown>)[] = [];
  readonly #starting = new Set<Promise<unknown>>();
  #stopping: Promise<void> | undefined;

  /** Waits for `starting` and records how to stop what it gave; if stopping began meanwhile, stops it and throws StoppingError. */
  add<T>(starting: Promise<T>, stop: (it: T) => Promise<unknown>): Promise<T> {
    const added = (async () => {
      const it = await starting;
      if (this.#stopping) {
        await stop(it).catch(() => undefined);
        throw new StoppingError();
      }
      this.#stops.push(() => stop(it));
      return it;
    })();
    this.#starting.add(added);
    const settled = () => this.#starting.delete(added);
    added.then(settled, settled);
    return added;
  }

  /** Records how to stop something already running. */
  running(stop: () => Promise<unknown>): Promise<void> {
    return this.add(Promise.resolve(), stop);
  }

  /** Stops everything, last first; resolves when all of it is down. Every caller gets the same pass. */
  stopAll(): Promise<void> {
    this.#stopping ??= this.#drain();
    return this.#stopping;
  }

  async #drain(): Promise<void> {
    for (let stop = this.#stops.pop(); stop; stop = this.#stops.pop()) await stop().catch(() => undefined);
    await Promise.allSettled([...this.#starting]);
  }
}
