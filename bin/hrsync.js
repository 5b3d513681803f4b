#!/usr/bin/env node
'use strict';
// The built CLI (npm ci builds it). Without a build, or with HRSYNC_FROM_SOURCE=1 (the tests), run the
// TypeScript sources directly, so a stale dist/ never hides a change.
const fs = require('node:fs');
const path = require('node:path');

const built = path.join(__dirname, '..', 'dist', 'client.js');
let cli;
if (fs.existsSync(built) && process.env.HRSYNC_FROM_SOURCE !== '1') {
  cli = require(built);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  cli = require('../src/client.ts');
}
cli.main(process.argv).then((code) => process.exit(code));
