/** The signals that stop a run (Ctrl-C, a cancelled CI job, a closed terminal), with the exit code a shell reports for each (128 + its number). */
const STOPS = [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const;

/** On the first of those signals: `stop` runs (it may return a promise), then the process exits with that signal's code. */
export function onStop(stop: (signal: NodeJS.Signals) => unknown): void {
  for (const [signal, code] of STOPS) {
    process.once(signal, () => {
      void Promise.resolve()
        .then(() => stop(signal))
        .finally(() => process.exit(code));
    });
  }
}
