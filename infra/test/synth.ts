import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { ENVIRONMENTS, type EnvName, IMAGE } from '../src/config';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped by nature
export type TfJson = Record<string, any>;
// biome-ignore lint/suspicious/noExplicitAny: idem
export type TfBlock = Record<string, any>;

/** Synthesizes the real app (image stack and the three environments) into a temporary directory. */
export function synthAll(): Record<EnvName | 'image', TfJson> {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-synth-'));
  try {
    buildApp({ outdir }).app.synth();
    const read = (stack: string) =>
      JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as TfJson;
    const stacks = [...ENVIRONMENTS, IMAGE.id] as const;
    return Object.fromEntries(stacks.map((s) => [s === IMAGE.id ? 'image' : s, read(s)])) as Record<
      EnvName | 'image',
      TfJson
    >;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The blocks of one resource (or data) type, without cdktf's "//" metadata. */
export function blocks(doc: TfJson, type: string, kind: 'resource' | 'data' = 'resource'): TfBlock[] {
  return Object.values(doc[kind]?.[type] ?? {}).map((b) => {
    const { '//': _metadata, ...rest } = b as TfBlock;
    return rest;
  });
}

/** `${type.name}` address of the only resource of a type. */
export function address(doc: TfJson, type: string, kind: 'resource' | 'data' = 'resource'): string {
  const names = Object.keys(doc[kind]?.[type] ?? {});
  if (names.length !== 1) throw new Error(`expected one ${type}, found ${names.length}`);
  return kind === 'data' ? `data.${type}.${names[0]}` : `${type}.${names[0]}`;
}

/** The only block of a type (fails when there is none or several). */
export function one(doc: TfJson, type: string, kind: 'resource' | 'data' = 'resource'): TfBlock {
  const all = blocks(doc, type, kind);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
}
