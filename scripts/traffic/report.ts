import { stringify } from 'yaml';
import type { TrafficReport } from './analyse.js';

const entries = (indexes: number[]) => {
  const shown = indexes.slice(0, 5).map((i) => `log.entries[${i}]`).join(', ');
  return indexes.length > 5 ? `${shown} and ${indexes.length - 5} more` : shown;
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Worth saying only when server variables (or a prefix) stood for something the spec does not spell out. */
function recordedAgainst(report: TrafficReport): string {
  const servers = report.servers.map((s) => s.replace(/\/+$/, '').toLowerCase());
  const differ = report.bases.filter((b) => !servers.includes(b.toLowerCase()));
  return differ.length ? ` — recorded against ${report.bases.join(', ')}` : '';
}

/** The human report: findings first, the suggested YAML last because it is long. */
export function formatReport(report: TrafficReport, specSource: string): string {
  const { counts } = report;
  const out: string[] = [
    `${report.vendor}: ${report.har} against ${report.spec}`,
    `servers: ${report.servers.join(', ')}${recordedAgainst(report)}`,
    `${plural(counts.entries, 'recorded request')}: ${counts.documented} documented, ${counts.undocumented} undocumented, ` +
      `${counts.outside} outside the servers, ${counts.noResponse} without a response${counts.noRoute ? `, ${counts.noRoute} to a route the mock does not serve` : ''}`,
    '',
  ];

  out.push(`Undocumented operations (${report.undocumented.length})`);
  const methodWidth = Math.max(0, ...report.undocumented.map((u) => u.method.length));
  const width = Math.max(0, ...report.undocumented.map((u) => methodWidth + u.path.length + 1));
  for (const u of report.undocumented) {
    const name = `${u.method.padEnd(methodWidth)} ${u.path}`.padEnd(width);
    const why = u.pathDocumented ? '  (path documented, method not)' : '';
    out.push(`  ${name}  ${u.statuses.join(', ')}  ${entries(u.entries)}${why}`);
  }
  if (report.undocumented.length === 0) out.push('  none');
  out.push('');

  out.push(`Mismatches (${report.mismatches.length})`);
  let operation = '';
  for (const m of report.mismatches) {
    const heading = `${m.method} ${m.path} (${m.operationId})`;
    if (heading !== operation) out.push(`  ${(operation = heading)}`);
    const where = m.in === 'response' ? `response ${m.status}` : 'request';
    out.push(`    ${where}: ${m.message}  [${entries(m.entries)}]`);
  }
  if (report.mismatches.length === 0) out.push('  none');

  if (report.skipped.length) {
    out.push('', `Not checked (${report.skipped.length})`);
    for (const s of report.skipped) out.push(`  log.entries[${s.entry}] ${s.url} — ${s.reason}`);
  }

  if (Object.keys(report.suggestedPaths).length) {
    out.push('', `Suggested paths — adapt into ${specSource} under \`paths:\`, then replace every TODO`, '');
    const yaml = stringify(report.suggestedPaths, { lineWidth: 0 });
    out.push(...yaml.trimEnd().split('\n').map((line) => `  ${line}`));
  }

  if (report.notes.length) out.push('', 'Notes', ...report.notes.map((n) => `  - ${n}`));

  const verdict =
    report.undocumented.length || report.mismatches.length
      ? `${plural(report.undocumented.length, 'undocumented operation')}, ${plural(report.mismatches.length, 'mismatch', 'mismatches')}`
      : 'every checked request matches the spec';
  out.push('', `Result: ${verdict}`);
  return out.join('\n');
}
