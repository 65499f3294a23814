import type { TestProject } from 'vitest/node';
import { startMocks } from '../src/mock/index.js';
import { failRunFor } from './lib/fail-run.js';
import { contractTarget } from './lib/target.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrls: Record<string, string>;
    mockGatewayUrl: string;
    /** The same vendors answering from the examples only: for checks of request shapes, not of state. */
    statelessMockUrls: Record<string, string>;
  }
}

/** Against the mocks (the default target): every vendor, in this process, on free ports. */
export default async function setup(project: TestProject) {
  let target: 'mock' | 'sandbox';
  try {
    target = contractTarget(process.env);
  } catch (error) {
    // Thrown from here, vitest printed it as an unhandled error with a stack, after "No test files found".
    process.stderr.write(`contract tests: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (target !== 'mock') {
    project.provide('mockUrls', {});
    project.provide('mockGatewayUrl', '');
    project.provide('statelessMockUrls', {});
    return;
  }
  const bugs: string[] = [];
  const log = (line: string) => void (line.includes('MOCK BUG') && bugs.push(line));
  const mocks = await startMocks({ portBase: 0, log });
  const stateless = await startMocks({ portBase: 0, stateless: true, log });
  project.provide('mockUrls', mocks.urls);
  project.provide('mockGatewayUrl', mocks.gatewayUrl);
  project.provide('statelessMockUrls', stateless.urls);
  return async () => {
    await Promise.all([mocks.stop(), stateless.stop()]);
    failRunFor(bugs);
  };
}

