/**
 * The mock as a library: `startMocks()` serves every vendor from this process, each on its own
 * port and all under one gateway (`/<vendor>/…`), and returns handles to reset and stop them.
 */
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { isIP } from 'node:net';
import { bundlePath, pickVendors } from './bundles.js';
import { createEngine, type Engine } from './engine.js';
import { ADMIN, close, createMockServer, listen } from './http.js';
import { problem } from './exchange.js';
import { loadOperations } from './prism.js';
import type { Change } from './state/apply.js';
import { createDelivery, type Subscriber } from './webhooks.js';
import { ConfigError } from '../errors.js';
import { PORT_BASE_MAX, vendors as allVendors, type VendorInfo } from '../vendors.js';
import { checkOptions, flag, func, headerText, httpUrlProblem, isObject, kindOf, list, listenPort, object, text, type Rule, type Rules } from '../options.js';
import { checkPeers } from './peers.js';
import { portHolder } from './port-holder.js';
import { CallbackFailure, guardedLog, thrownText } from './callbacks.js';

export type { MockRequest, MockResponse } from './exchange.js';
export type { Change } from './state/apply.js';
export type { Subscriber } from './webhooks.js';
export { ConfigError } from '../errors.js';

export const GATEWAY_PORT = 4000;

export interface StartMocksOptions {
  /** Vendor names; default: every vendor with at least one operation. */
  vendors?: string[] | undefined;
  /** Listen address (default 127.0.0.1). */
  host?: string | undefined;
  /**
   * Vendor i gets portBase + its position in the vendor list; default: the documented ports
   * (4010…). 0: any free ports (tests running in parallel).
   */
  portBase?: number | undefined;
  /** The gateway's port; default 4000, or a free port when portBase is 0. */
  gatewayPort?: number | undefined;
  /** Examples only, no memory: plain Prism behaviour. */
  stateless?: boolean | undefined;
  /** Generate bodies from the schemas instead of the examples (implies stateless answers). */
  dynamic?: boolean | undefined;
  seed?: string | undefined;
  /** One line per request, and every mock bug. One that throws is told once, as a process warning. */
  log?: ((line: string) => void) | undefined;
  /**
   * A vendor's spec is read and its engine built, before any request is answered (the ports
   * listen first, so one in use is told at once; what comes meanwhile waits): once per vendor, as
   * each is (start-up takes seconds, most of it here), with the number of operations it serves.
   * A promise it returns is awaited; a throw or a rejection fails startMocks, naming the option.
   */
  onLoaded?: ((loaded: { vendor: string; operations: number }) => void) | undefined;
  /**
   * A write changed state (member added to a group, voucher reserved, …). Told before the write is
   * answered; a promise it returns is awaited. A throw or a rejection answers that write with a 500
   * naming the option (the change stands, and its webhooks go out).
   */
  onChange?: ((change: Change & { vendor: string; session: string }) => void) | undefined;
  /**
   * Receivers of the vendors' webhooks, per vendor (placewise: member changes). Subscriptions made
   * through the vendor's own API on the mock receive them too.
   */
  subscribers?: Record<string, Subscriber[]> | undefined;
}

export interface RunningMocks {
  /** Base URL per vendor. */
  urls: Record<string, string>;
  /** One origin for all: `${gatewayUrl}/<vendor>/…`. */
  gatewayUrl: string;
  /** Forget every change (one session, or all: no name, or an empty one): back to the spec's examples. */
  reset(session?: string): void;
  stop(): Promise<void>;
}

/** A host as a URL writes it: an IPv6 address in brackets (`http://[::1]:4010`). */
const inUrl = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** A webhook receiver: `{ url, secret }`, the URL one fetch can post to. */
const subscriber: Rule = {
  required: false,
  check: (v) => {
    if (!isObject(v)) return `must be { url, secret } (got ${kindOf(v)})`;
    const url = typeof v.url === 'string' ? httpUrlProblem(v.url) : `must be a URL string (got ${kindOf(v.url)})`;
    if (url) return `url ${url}`;
    const secret = headerText().check(v.secret);
    return secret && `secret ${secret}`;
  },
};

const HOST_RULE = 'must be a host name or IP address of this machine to listen on, such as 127.0.0.1, 0.0.0.0 or ::1 (no scheme, port or path)';

/** A host to listen on: a URL or `host:port` given instead failed as "getaddrinfo ENOTFOUND http://127.0.0.1", naming nothing. */
const listenHost = (): Rule => ({
  required: false,
  check: (v) => {
    const broken = text().check(v);
    if (broken) return broken;
    const host = v as string;
    // A colon is IPv6's, or a scheme's or a port's. A zone id (`fe80::1%eth0`) cannot be written in
    // a URL fetch reads: the mock would listen, and its URLs could not be called.
    return /[\s/@?#%]/.test(host) || (host.includes(':') && isIP(host) !== 6) ? `${HOST_RULE}; got "${host}"` : undefined;
  },
});

const vendorNames = list(text(), 0);

const mockOptionRules: Rules = {
  // An empty list is what a split of an unset variable gives: started, it meant every vendor on
  // the default ports, the opposite of what was asked. Leaving the option out means every vendor.
  vendors: { ...vendorNames, check: (v) => vendorNames.check(v) ?? ((v as unknown[]).length === 0 ? 'must name at least one vendor (got an empty list); leave it out to start every vendor' : undefined) },
  host: listenHost(),
  portBase: listenPort(PORT_BASE_MAX),
  gatewayPort: listenPort(),
  stateless: flag(),
  dynamic: flag(),
  seed: text(),
  log: func(),
  onLoaded: func(),
  onChange: func(),
  subscribers: { ...object({}), fields: (v) => Object.fromEntries(Object.keys(v).map((vendor) => [vendor, list(subscriber, 0)])) },
};

/**
 * Listens on `port`. One in use is a ConfigError naming the option that chose it as the caller
 * passed it (the CLI names its flag instead, src/cli/commands.ts).
 */
async function listenAs(option: 'portBase' | 'gatewayPort', given: number | undefined, unset: string, server: Server, port: number, host: string, owner: string): Promise<number> {
  try {
    return await listen(server, port, host, owner);
  } catch (error) {
    const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    // A name that resolves to no address, or to none of this machine's.
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EADDRNOTAVAIL' || code === 'EINVAL') {
      throw new ConfigError('mock', 'host', `${HOST_RULE}; "${host}" ${code === 'EAI_AGAIN' ? 'could not be looked up' : 'is not one'} (${code})`);
    }
    if (code !== 'EADDRINUSE') throw error;
    const choice = given === undefined ? `is not given (${unset})` : `is ${given}`;
    const holder = portHolder(port);
    throw new ConfigError('mock', option, `${choice}, and port ${port} (${owner}) is in use${holder ? ` by ${holder}` : ''}: stop what holds it, or pass ${given === undefined ? 'one' : 'another'} (0: any free port${option === 'portBase' ? 's' : ''})`);
  }
}

/**
 * Tells `onLoaded` of a vendor loaded, and waits for a promise it returns. Its promise was left
 * unwatched: an async `onLoaded` that rejected was an unhandled rejection (Node ends the process on
 * one, vitest fails the run) while the mocks started as if nothing had happened. A throw or a
 * rejection now fails startMocks before any request is answered, naming the option and the vendor.
 */
async function tellLoaded(onLoaded: StartMocksOptions['onLoaded'], vendor: string, operations: number): Promise<void> {
  try {
    await onLoaded?.({ vendor, operations });
  } catch (error) {
    throw new Error(`mock: option "onLoaded" failed on ${vendor}: ${thrownText(error)}`, { cause: error });
  }
}

export async function startMocks(options: StartMocksOptions = {}): Promise<RunningMocks> {
  // Called from users' test setups: a wrong option is a ConfigError naming it, not a Node error from deep inside.
  checkOptions('mock', 'startMocks', options, mockOptionRules);
  checkPeers();
  const host = options.host ?? '127.0.0.1';
  const chosen = pickVendors(options.vendors ?? []);
  const servable = chosen.filter((v) => v.operationCount > 0);
  const empty = chosen.filter((v) => v.operationCount === 0);
  if (options.vendors?.length && empty.length > 0) throw new Error(`${empty.map((v) => v.name).join(', ')} has no documented operations to mock yet`);

  // Two of the mock's own listeners on one port: the second would be told "in use: stop what holds it".
  // Told before the specs load (seconds, with every vendor), as any other wrong option is (TEST-24).
  const portOf = (vendor: VendorInfo) => (options.portBase === undefined ? vendor.mockPort : options.portBase === 0 ? 0 : options.portBase + allVendors.indexOf(vendor));
  const gatewayPort = options.gatewayPort ?? (options.portBase === 0 ? 0 : GATEWAY_PORT);
  const sharing = gatewayPort === 0 ? undefined : servable.find((vendor) => portOf(vendor) === gatewayPort);
  if (sharing) throw new ConfigError('mock', 'gatewayPort', `is ${sharing.name}'s port too (${gatewayPort}): pick another, or 0 for any free port`);
  const log = guardedLog(options.log);
  const delivery = createDelivery({ subscribers: options.subscribers, log });
  // Announced as the vendor would, whatever the caller's own listener then does with the change.
  const onChange = async (change: Parameters<NonNullable<StartMocksOptions['onChange']>>[0]) => {
    delivery.deliver(change);
    try {
      await options.onChange?.(change);
    } catch (error) {
      throw new CallbackFailure('onChange', change.vendor, error);
    }
  };
  const engines = new Map<string, Engine>();
  // A reset forgets the changes, and so their announcements still waiting or under way: they went into the next test's receiver.
  const resetVendor = (name: string, session?: string) => {
    engines.get(name)!.reset(session);
    delivery.forget(name, session);
  };
  const resetAll = (session?: string) => engines.forEach((_, name) => resetVendor(name, session));
  const names = servable.map((vendor) => vendor.name).sort();
  // The ports listen before the specs load (seconds), so one in use is told at once (TEST-24 left it
  // to the end), and is held from then on: a port probed free could be taken while the specs load.
  // What arrives meanwhile waits for the engines, a health probe among them.
  let loaded!: (serving: boolean) => void;
  const ready = new Promise<boolean>((resolve) => (loaded = resolve));
  const servers: Server[] = [];
  // A vendor is loaded once its onLoaded has returned too: each port answers only when all are.
  const told = new Set<string>();
  const loading = () => names.filter((name) => !told.has(name));
  // Webhooks under way are aborted too: none goes out after stop() resolves, none holds the process open.
  const stop = () => Promise.all([delivery.stop(), ...servers.map(close)]).then(() => undefined);
  try {
    const urls: Record<string, string> = {};
    for (const vendor of servable) {
      // `/__mock/…` and `/<its name>/__mock/…`, as under the gateway; any other prefix is the API's.
      const server = createMockServer((path) => ({ engine: engines.get(vendor.name)!, path }), {
        serves: (prefix) => prefix === '' || prefix === vendor.name,
        routes: `${ADMIN}/… and /${vendor.name}${ADMIN}/…`,
        reset: (session) => resetVendor(vendor.name, session),
        loading,
      }, { name: vendor.name, log }, ready);
      servers.push(server);
      const wanted = portOf(vendor);
      urls[vendor.name] = `http://${inUrl(host)}:${await listenAs('portBase', options.portBase, 'the documented ports', server, wanted, host, vendor.name)}`;
    }
    const gateway = createMockServer((path) => {
      const [, name = '', ...rest] = path.split('/');
      const engine = engines.get(name);
      // The root names no vendor: `"" is not one of them` read as a fault of the gateway's. A base URL
      // ending in / joined to `/perx/…` names one after an empty segment: told to begin with a vendor, it did (MOCK-153).
      const doubled = name === '' && engines.has(rest[0] ?? '');
      const why = doubled ? `this path begins with "//${rest[0]}/…": join the base URL and the path with a single /` : name === '' ? 'begin the path with one of them' : `"${name}" is not one of them`;
      if (!engine) return problem(404, 'No such vendor', `the gateway serves /${names.join('/…, /')}/…; ${why}`);
      return { engine, path: `/${rest.join('/')}` };
    }, {
      // Its vendors by name, not by engine: a health probe under `/perx/` may come before the engines are built.
      serves: (prefix) => prefix === '' || names.includes(prefix),
      routes: `${ADMIN}/… (every vendor) and /<vendor>${ADMIN}/… for ${names.join(', ')}`,
      reset: (session, prefix) => (prefix === '' ? resetAll(session) : resetVendor(prefix, session)),
      loading,
    }, { name: 'gateway', log }, ready);
    servers.push(gateway);
    const gatewayUrl = `http://${inUrl(host)}:${await listenAs('gatewayPort', options.gatewayPort, `default ${GATEWAY_PORT}`, gateway, gatewayPort, host, 'gateway')}`;
    await Promise.all(
      servable.map(async (vendor) => {
        const file = bundlePath(vendor);
        const [document, operations] = await Promise.all([readFile(file, 'utf8').then(JSON.parse), loadOperations(file)]);
        engines.set(vendor.name, createEngine({ vendor: vendor.name, document, operations, stateful: !options.stateless, dynamic: options.dynamic, seed: options.seed, log, onChange }));
        await tellLoaded(options.onLoaded, vendor.name, operations.length);
        told.add(vendor.name);
      }),
    );
    loaded(true);
    return { urls, gatewayUrl, reset: resetAll, stop };
  } catch (error) {
    loaded(false);
    await stop();
    throw error;
  }
}
