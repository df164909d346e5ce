import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../infra/payload-codec';
import { WORKFLOW_BUNDLE } from './worker';

/** Build step: the production worker loads this prebuilt bundle instead of running webpack at start. */
async function main() {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), failureConverterPath: FAILURE_CONVERTER_PATH });
  writeFileSync(WORKFLOW_BUNDLE, code);
  console.log(`workflow bundle written: ${WORKFLOW_BUNDLE} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((error) => {
  console.error('workflow bundle FAILED:', error);
  process.exit(1);
});
