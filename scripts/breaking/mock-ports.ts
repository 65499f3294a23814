/**
 * Where the mock serves each vendor is a promise of the release: the README's table of documented
 * ports (redocly.yaml's `x-mock-port`: perx on 4012) and `--port-base n` (startMocks' `portBase`:
 * vendor i on n + i, in redocly.yaml's order) are what test setups and `baseUrl`s call. A port
 * moved, or a vendor inserted before others, leaves those setups calling nothing, and the gate
 * read neither. The order is the manifest's `vendors` (written in redocly.yaml's order); the
 * ports are its `mockPorts`.
 */
import type { Change, Json } from './types.js';
import { isObject } from './types.js';

/** Why a recorded `mockPorts` cannot be read, or undefined when it can (or is absent). */
export function mockPortsProblem(mockPorts: Json | undefined): string | undefined {
  if (mockPorts === undefined) return undefined;
  return isObject(mockPorts) && Object.values(mockPorts).every((port) => Number.isInteger(port)) ? undefined : 'must be an object of vendor names to port numbers, as redocly.yaml\'s x-mock-port';
}

/** The release's mock ports and vendor places against the vendors now (redocly.yaml's order). */
export function compareMockPorts(release: { version: string; vendors: string[]; mockPorts?: Json }, now: Array<{ name: string; mockPort: number }>): Change[] {
  const changes: Change[] = [];
  const ports = isObject(release.mockPorts) ? release.mockPorts : undefined;
  if (!ports) {
    changes.push({ vendor: 'mock', operation: 'the whole API', where: 'documented mock ports', rule: 'mock-port-changed', severity: 'warning', message: `release ${release.version}'s baseline does not record them, so they are not compared: snapshot the release again, or add its "mockPorts" (redocly.yaml x-mock-port) to manifest.json` });
  }
  for (const [place, vendor] of now.entries()) {
    const was = release.vendors.indexOf(vendor.name);
    if (was === -1) continue;
    const port = ports?.[vendor.name];
    if (typeof port === 'number' && port !== vendor.mockPort) {
      changes.push({ vendor: vendor.name, operation: 'the whole API', where: `mock port \`${port}\``, rule: 'mock-port-changed', severity: 'breaking', message: `the mock now serves it on port ${vendor.mockPort} (redocly.yaml x-mock-port): setups calling http://127.0.0.1:${port} reach nothing` });
    }
    if (place !== was) {
      changes.push({ vendor: vendor.name, operation: 'the whole API', where: 'mock port under `--port-base`', rule: 'mock-port-changed', severity: 'breaking', message: `is now the base + ${place} (was + ${was}; redocly.yaml's order): mocks started with --port-base n (startMocks' portBase) serve it on another port` });
    }
  }
  return changes;
}
