import { assertPortFree, freePort, startPrism, type PrismOptions, type PrismProcess } from './prism.js';
import { vendors, type VendorInfo } from '../vendors.js';
import { bundlePath, pickVendors } from './bundles.js';

export interface MockServer {
  vendor: string;
  url: string;
  port: number;
}

export interface MockOptions extends Pick<PrismOptions, 'dynamic' | 'seed' | 'logLevel' | 'host'> {
  /** Vendor names; default: every vendor with at least one operation. */
  vendors?: string[];
  /**
   * First port; each vendor gets base + its position in the vendor list, so a vendor's port
   * does not depend on which others run. Default: the documented ports (x-mock-port). 0: any free ports.
   */
  portBase?: number;
  onLog?: (vendor: string, line: string) => void;
  /** A vendor's Prism exited on its own while serving. */
  onCrash?: (vendor: string, code: number | null, signal: string | null) => void;
}

export interface RunningMocks {
  servers: MockServer[];
  stop(): Promise<void>;
}

async function portFor(vendor: VendorInfo, portBase: number | undefined): Promise<number> {
  if (portBase === undefined) return vendor.mockPort;
  if (portBase === 0) return freePort();
  return portBase + vendors.indexOf(vendor);
}

/** Starts one Prism process per vendor (Prism serves one document per process). */
export async function startMocks(options: MockOptions = {}): Promise<RunningMocks> {
  const host = options.host ?? '127.0.0.1';
  const chosen = pickVendors(options.vendors ?? []);
  const servable = chosen.filter((v) => v.operationCount > 0);
  const skipped = chosen.filter((v) => v.operationCount === 0);
  if (options.vendors?.length && skipped.length > 0) {
    throw new Error(`${skipped.map((v) => v.name).join(', ')} has no documented operations to mock yet`);
  }
  const ports = new Map<VendorInfo, number>();
  for (const vendor of servable) {
    const port = await portFor(vendor, options.portBase);
    await assertPortFree(port, host, vendor.name);
    ports.set(vendor, port);
  }

  const started: PrismProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop()));
  };
  const results = await Promise.allSettled(
    servable.map(async (vendor) => {
      const prism = await startPrism({
        ...options,
        host,
        spec: bundlePath(vendor),
        port: ports.get(vendor)!,
        onLog: options.onLog && ((line) => options.onLog!(vendor.name, line)),
        onCrash: options.onCrash && ((code, signal) => options.onCrash!(vendor.name, code, signal)),
      });
      started.push(prism);
      return { vendor: vendor.name, url: prism.url, port: prism.port };
    }),
  );
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return { servers: results.map((r) => (r as PromiseFulfilledResult<MockServer>).value), stop };
}
