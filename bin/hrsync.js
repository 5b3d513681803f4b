#!/usr/bin/env node
'use strict';
// The built CLI (npm ci builds it); in a source checkout without a build, run the TypeScript directly.
const fs = require('node:fs');
const path = require('node:path');

const built = path.join(__dirname, '..', 'dist', 'client.js');
let cli;
if (fs.existsSync(built)) {
  cli = require(built);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  cli = require('../src/client.ts');
}
cli.main(process.argv).then((code) => process.exit(code));
