import type { VendorRuntime } from '../../src/vendor-runtime.js';

/** The `vendor` descriptor of src/<name>.ts; every vendor in the list must have one. */
export async function loadRuntime(name: string): Promise<VendorRuntime> {
  try {
    return ((await import(`../../src/${name}.ts`)) as { vendor: VendorRuntime }).vendor;
  } catch (error) {
    throw new Error(`${name}: cannot load src/${name}.ts (every vendor in redocly.yaml needs a client module): ${error}`);
  }
}
