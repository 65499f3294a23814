import type { TestProject } from 'vitest/node';
import { startMocks } from '../src/mock/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrls: Record<string, string>;
    mockGatewayUrl: string;
  }
}

/** Against the mocks (the default target): every vendor, in this process, on free ports. */
export default async function setup(project: TestProject) {
  if ((process.env.CONTRACT_TARGET ?? 'mock') !== 'mock') {
    project.provide('mockUrls', {});
    project.provide('mockGatewayUrl', '');
    return;
  }
  const bugs: string[] = [];
  const mocks = await startMocks({ portBase: 0, log: (line) => line.includes('MOCK BUG') && bugs.push(line) });
  project.provide('mockUrls', mocks.urls);
  project.provide('mockGatewayUrl', mocks.gatewayUrl);
  return async () => {
    await mocks.stop();
    // A mock answer that broke the contract is a failure of the run, even if every test passed.
    if (bugs.length) throw new Error(`the mock broke its own contract ${bugs.length} time(s):\n${bugs.slice(0, 20).join('\n')}`);
  };
}
