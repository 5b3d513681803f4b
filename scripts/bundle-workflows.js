#!/usr/bin/env node
'use strict';
/**
 * `npm run build`, after tsc: the workflow code bundled once, into dist/ beside the worker (see
 * src/temporal/bundle.ts). A worker that bundles at start-up loads webpack and keeps about 100 MB more
 * for its life, and spends seconds of CPU on every start.
 */
const fs = require('node:fs');
const path = require('node:path');
const { bundleWorkflowCode, DefaultLogger } = require('@temporalio/worker');

const dist = path.resolve(__dirname, '..', 'dist');
const { BUNDLE_FILES, withoutSourcesContent } = require(path.join(dist, 'temporal', 'bundle.js'));
const { ENCODING_FAILURE_CONVERTER_PATH } = require(path.join(dist, 'temporal', 'dataconverter.js'));

async function main() {
  const workflowsPath = require.resolve(path.join(dist, 'workflows'));
  const logger = new DefaultLogger('WARN');
  const bundles = [
    [BUNDLE_FILES.plain, {}],
    [BUNDLE_FILES.encrypted, { failureConverterPath: ENCODING_FAILURE_CONVERTER_PATH }],
  ];
  for (const [name, options] of bundles) {
    const { code } = await bundleWorkflowCode({ workflowsPath, logger, ...options });
    fs.writeFileSync(path.join(dist, name), withoutSourcesContent(code));
  }
}

main().catch((err) => {
  process.stderr.write(`bundle-workflows: ${err.stack ?? err}\n`);
  process.exit(1);
});
