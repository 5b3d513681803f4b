import { Command } from 'commander';
import { runWorker } from '../worker';
import { workerConfig } from './common';
import { checkMappingAtStart } from './mapping';

export function workerCommand(): Command {
  return new Command('worker')
    .description('run an hrsync worker: polls the task queue and runs sync workflows and activities (stops cleanly on Ctrl-C / SIGTERM)')
    .action(async (_opts: object, cmd: Command) => {
      const config = workerConfig(cmd);
      await checkMappingAtStart(config);
      await runWorker(config);
    });
}
