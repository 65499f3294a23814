/**
 * The one place the scripts and end-to-end tests start mocks, so a change of the mock's API is
 * a change here only. Every vendor runs in this process on free ports; a mock bug (an answer that
 * breaks the mock's own contract) is collected and reported by the caller.
 */
import { startMocks } from '../../src/mock/index.js';

export interface VendorMocks {
  /** Base URL per vendor name. */
  urls: Record<string, string>;
  /** Lines the mock logged as its own bugs (MOCK BUG …): a run with any should fail. */
  bugs: string[];
  /** Forget every change: back to the spec's examples. */
  reset(): void;
  stop(): Promise<void>;
}

export interface VendorMockOptions {
  /**
   * Examples only, no memory (Prism's behaviour): what dredd's one-call-per-status smoke checks
   * expect, and what a stand-in sandbox needs so one scenario's writes do not change the next's.
   */
  stateless?: boolean;
}

/** Mocks for the named vendors (default: every servable vendor) on free ports, quiet. */
export async function startVendorMocks(vendors?: string[], options: VendorMockOptions = {}): Promise<VendorMocks> {
  const bugs: string[] = [];
  const mocks = await startMocks({ vendors, portBase: 0, stateless: options.stateless, log: (line) => void (line.includes('MOCK BUG') && bugs.push(line)) });
  return { urls: mocks.urls, bugs, reset: () => mocks.reset(), stop: () => mocks.stop() };
}
