/**
 * `npm run synth`: writes cdktf.out/stacks/{image,dev,stg,prd}/cdk.tf.json. Offline: no terraform binary,
 * no provider download (the bindings are the prebuilt @cdktf/provider-* packages).
 */
import { fileURLToPath } from 'node:url';
import { buildApp } from './app';
import { CONFIG, IMAGE } from './config';
import { placeholders } from './config-rules';

const started = performance.now(); // modules (cdktf + provider bindings) are loaded by now
const outdir = fileURLToPath(new URL('../cdktf.out', import.meta.url));
const { app, imageStack, stacks } = buildApp({ outdir });
app.synth();
const ms = Math.round(performance.now() - started);
const total = Math.round(performance.now()); // since the process started

const imageLeft = placeholders(IMAGE);
console.log(
  `${imageStack.node.id}: cdktf.out/stacks/${imageStack.node.id}/cdk.tf.json (${imageLeft.length} placeholder(s) left)`,
);
for (const p of imageLeft) console.log(`    ${p}`);
for (const stack of stacks) {
  const env = stack.node.id as keyof typeof CONFIG;
  const left = placeholders(CONFIG[env]);
  console.log(`${env}: cdktf.out/stacks/${env}/cdk.tf.json (${left.length} placeholder(s) left)`);
  for (const p of left) console.log(`    ${p}`);
}
console.log(`synthesized ${stacks.length + 1} stacks in ${ms} ms (${total} ms since the process started)`);
