import type { TestProject } from 'vitest/node';
import { startMocks } from '../src/mock/launcher.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrls: Record<string, string>;
  }
}

/** Against the mocks (the default target), start one real Prism process per vendor on free ports. */
export default async function setup(project: TestProject) {
  if ((process.env.CONTRACT_TARGET ?? 'mock') !== 'mock') {
    project.provide('mockUrls', {});
    return;
  }
  const mocks = await startMocks({ portBase: 0, logLevel: 'error' });
  // A failed run can skip teardown; never leave Prism processes behind.
  const kill = () => mocks.stop();
  process.once('exit', () => void kill());
  project.provide('mockUrls', Object.fromEntries(mocks.servers.map((s) => [s.vendor, s.url])));
  return kill;
}
