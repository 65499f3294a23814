import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { findVendor, vendors, type VendorInfo } from '../vendors.js';

const NAME = 'martech-contracts';
/** Two folders up from src/mock/ or dist/mock/. */
const beside = fileURLToPath(new URL('../../', import.meta.url));

const isPackageRoot = (folder: string) => {
  try {
    return (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name?: unknown }).name === NAME;
  } catch {
    return false;
  }
};

/**
 * The folder that holds generated/: this package's, two folders up whether running from src/ or
 * dist/. A consumer's bundler copies this module into a file of its own and leaves the specs
 * behind: they are then where the package resolves from that file (its node_modules).
 */
const bundled = !isPackageRoot(beside);
const packageRoot = (() => {
  if (!bundled) return beside;
  try {
    return `${dirname(createRequire(import.meta.url).resolve(`${NAME}/package.json`))}/`;
  } catch {
    return beside;
  }
})();

export function bundlePath(vendor: VendorInfo): string {
  return `${packageRoot}${vendor.bundle}`;
}

/** Resolves names to vendors whose bundled spec is present; errors name the problem and the fix. */
export function pickVendors(names: string[]): VendorInfo[] {
  const twice = names.find((name, i) => findVendor(name) !== undefined && names.findIndex((other) => findVendor(other) === findVendor(name)) !== i);
  if (twice !== undefined) throw new ConfigError('mock', 'vendors', `names ${findVendor(twice)!.name} twice ("${twice}"); give each vendor once`);
  const picked = names.length === 0 ? vendors : names.map((name) => {
    const found = findVendor(name);
    if (!found) throw new ConfigError('mock', 'vendors', `names an unknown vendor "${name}"; known vendors: ${vendors.map((v) => v.name).join(', ')}`);
    return found;
  });
  for (const vendor of picked) {
    if (!existsSync(bundlePath(vendor))) {
      const fix = bundled
        ? `bundled into ${fileURLToPath(import.meta.url)}, the mock reads the specs of the ${NAME} installed where that file resolves packages: install it there, or leave ${NAME} out of the bundle (esbuild --packages=external)`
        : `in a clone: npm run build; in an installed package: reinstall ${NAME}`;
      throw new Error(`${vendor.name}: its spec ${vendor.bundle} is missing (${fix})`);
    }
  }
  return picked;
}
