// Starts the integrations' stack (./stack.ts) once for the project, in vitest's main process:
// the Apps Script stand-in blocks its test thread on every UrlFetchApp.fetch, so the database
// proxy must not share that thread's event loop. Tests switch the `aggregate` database off and on
// through a small control server on the loopback interface.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
// @ts-expect-error plain ESM script without type declarations
import { buildGuides } from '../../scripts/build-guides.mjs';
// @ts-expect-error plain ESM script without type declarations
import { buildReference } from '../../scripts/build-reference.mjs';
import { startIntegrationStack } from './stack';

declare module 'vitest' {
  export interface ProvidedContext {
    integrationsBaseUrl: string;
    integrationsControlUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // The guides and the reference are served from their built pages (public/docs/).
  buildGuides();
  buildReference();
  const stack = await startIntegrationStack();
  const control = createServer((request, response) => {
    const action =
      request.method === 'POST' && request.url === '/aggregate/down'
        ? stack.aggregate.down()
        : request.method === 'POST' && request.url === '/aggregate/up'
          ? stack.aggregate.up().then(() => undefined)
          : undefined;
    if (!action) {
      response.writeHead(404).end();
      return;
    }
    action.then(
      () => response.writeHead(204).end(),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  project.provide('integrationsBaseUrl', stack.baseUrl);
  project.provide('integrationsControlUrl', `http://127.0.0.1:${(control.address() as AddressInfo).port}`);
  return async () => {
    await new Promise((resolve) => control.close(resolve));
    await stack.close();
  };
}
