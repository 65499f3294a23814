/**
 * Vitest's JSON report (`--reporter=./scripts/lib/vitest-report.ts --outputFile.json=<file>`),
 * plus what vitest leaves out of it: the error of each suite whose own hook crashed. A `beforeAll`
 * that throws inside a `describe` leaves its tests "skipped", the file "failed" with an empty
 * `message`, and its error nowhere in the JSON; npm test's summary read them as skips without a
 * stated reason. Each file of `testResults` gets `suiteErrors`: the suite's titles, outermost
 * first (as a test's `ancestorTitles`), and the first line of each of its errors.
 */
import type { TestModule, TestSuite } from 'vitest/node';
import { JsonReporter } from 'vitest/reporters';

export interface SuiteError {
  titles: string[];
  message: string;
}

function titlesOf(suite: TestSuite): string[] {
  const titles: string[] = [];
  for (let at: TestSuite | TestModule = suite; at.type === 'suite'; at = at.parent) titles.unshift(at.name);
  return titles;
}

function suiteErrors(module: TestModule): SuiteError[] {
  return [...module.children.allSuites()].flatMap((suite) =>
    suite.errors().map((error) => ({ titles: titlesOf(suite), message: `${error.name ?? 'Error'}: ${error.message}`.split('\n')[0]! })),
  );
}

export default class VitestReport extends JsonReporter {
  #errors = new Map<string, SuiteError[]>();

  override async onTestRunEnd(modules: ReadonlyArray<TestModule>): Promise<void> {
    for (const module of modules) this.#errors.set(module.moduleId, suiteErrors(module));
    await super.onTestRunEnd(modules);
  }

  override async writeReport(report: string): Promise<void> {
    const json = JSON.parse(report) as { testResults?: { name: string; suiteErrors?: SuiteError[] }[] };
    for (const file of json.testResults ?? []) {
      const errors = this.#errors.get(file.name);
      if (errors?.length) file.suiteErrors = errors;
    }
    await super.writeReport(JSON.stringify(json));
  }
}
