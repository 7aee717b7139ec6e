// Captured legacy responses (fixtures/), readable from tests inside workerd.

// @ts-expect-error virtual module provided by test/support/fixtures-plugin.ts
import { files } from 'virtual:legacy-fixtures';
import type { CaptureManifest } from '../../parity/manifest.ts';

const encoded = files as Record<string, string>;

/** The exact bytes of a fixture file. */
export function fixtureBytes(name: string): Uint8Array {
  const base64 = encoded[name];
  if (base64 === undefined) throw new Error(`no fixture named ${name}`);
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

/** A UTF-8 fixture (json, xml, manifest) as text. */
export function fixtureText(name: string): string {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(fixtureBytes(name));
}

export type {
  CaptureCase as FixtureCase,
  CaptureManifest as FixtureManifest,
} from '../../parity/manifest.ts';

export const manifest = JSON.parse(fixtureText('manifest.json')) as CaptureManifest;
