import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../infra/payload-codec';
import { WORKFLOW_BUNDLE } from './worker';

/**
 * What the bundle may weigh (measured 2.1 MiB on 2026-12-06; README "Province scale"). A heavier bundle means an import
 * pulled code into the workflows that they do not run: find it before raising this.
 */
export const WORKFLOW_BUNDLE_BUDGET_BYTES = 2.5 * 1024 * 1024;

/**
 * The SDK needs an inline source map; by default it carries every module's source text too (3.5 of 5.4 MB). Lines
 * without the sources keep workflow stack traces pointing at the compiled file and line (decision 0023).
 */
export const WORKFLOW_BUNDLE_DEVTOOL = 'inline-nosources-cheap-module-source-map';

/** Build step: the production worker loads this prebuilt bundle instead of running webpack at start. */
async function main() {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    webpackConfigHook: (config) => ({ ...config, devtool: WORKFLOW_BUNDLE_DEVTOOL }),
  });
  const bytes = Buffer.byteLength(code);
  if (bytes > WORKFLOW_BUNDLE_BUDGET_BYTES) {
    throw new Error(`the workflow bundle is ${(bytes / 1024).toFixed(0)} KiB, over its budget of ${(WORKFLOW_BUNDLE_BUDGET_BYTES / 1024).toFixed(0)} KiB (src/worker/bundle.ts): an import pulls in code the workflows do not run`);
  }
  writeFileSync(WORKFLOW_BUNDLE, code);
  console.log(`workflow bundle written: ${WORKFLOW_BUNDLE} (${(bytes / 1024).toFixed(0)} KiB, budget ${(WORKFLOW_BUNDLE_BUDGET_BYTES / 1024).toFixed(0)} KiB)`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error('workflow bundle FAILED:', error);
    process.exit(1);
  });
}
