import { createRequire } from 'node:module';

/** The mock's optional peer dependencies, at the versions this package is tested with (the README's install line). */
export const PEERS: Record<string, string> = {
  '@stoplight/prism-http': '5.12.0',
  '@stoplight/prism-core': '5.8.0',
  '@stoplight/prism-http-server': '5.12.2',
  ajv: '',
  'ajv-formats': '',
};

/**
 * Names every missing peer and the one command that installs them all. Naming only the first one
 * missing sent a user through one failed start per package.
 */
export function checkPeers(resolve: (name: string) => string = createRequire(import.meta.url).resolve): void {
  const missing = Object.keys(PEERS).filter((name) => {
    try {
      resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  const install = Object.entries(PEERS).map(([name, version]) => (version ? `${name}@${version}` : name));
  throw new Error(`the mock needs ${missing.join(', ')} (optional peer dependencies of martech-contracts): run npm install --save-dev ${install.join(' ')}`);
}
