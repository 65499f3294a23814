/**
 * A mock answer that broke the contract is a failure of the run, even if every test passed. Told
 * by the exit code: vitest prints an error thrown from a global teardown and still exits 0.
 */
export function failRunFor(bugs: string[], out: { write(text: string): unknown } = process.stderr): void {
  if (!bugs.length) return;
  out.write(`\ncontract tests FAILED: the mock broke its own contract ${bugs.length} time(s):\n${bugs.slice(0, 20).join('\n')}\n`);
  process.exitCode = 1;
}
