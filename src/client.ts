import { Command, CommanderError } from 'commander';
import { ConfigError } from './config';
import { EXIT, UsageError } from './runs/outcome';
import { demoCommand } from './cli/demo';
import { devServerCommand } from './cli/devserver';
import { simCommand } from './cli/sim';
import { syncCommand } from './cli/sync';
import { workerCommand } from './cli/worker';
import { planCommand } from './cli/plan';
import { scheduleCommand } from './cli/schedule';
import { statusCommand } from './cli/status';
import { approveCommand, rejectCommand } from './cli/approve';
import { reportCommand } from './cli/report';
import { runsCommand } from './cli/runs';
import { cancelCommand } from './cli/cancel';
import { mappingCommand } from './cli/mapping';

/** The `hrsync` command line. */
export function buildProgram(): Command {
  const program = new Command('hrsync')
    .description('Keep Genesys Cloud users in step with the HR system over SCIM 2.0, durably, on Temporal.')
    .option('-c, --config <file>', 'config file, JSON or YAML (default: $HRSYNC_CONFIG)')
    .showHelpAfterError()
    .exitOverride();
  for (const cmd of [demoCommand(), devServerCommand(), workerCommand(), syncCommand(), simCommand(),
    planCommand(), scheduleCommand(), statusCommand(), approveCommand(), rejectCommand(), cancelCommand(), reportCommand(), runsCommand(), mappingCommand()]) {
    program.addCommand(cmd.exitOverride().showHelpAfterError());
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // Commander has printed its message (unknown command or option, a bad value); help and --version exit 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof ConfigError) {
      console.error(err.message);
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      console.error(`hrsync: ${err.message}`);
      return EXIT.usage;
    }
    console.error(`hrsync: ${(err as Error).message}`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => process.exit(code));
}
