// The two turbo runs of `npm test`: first every build and check, then the tests.
// --continue: one failing package must not hide the others' results. Tests run
// even when a lint or package check failed; a failed build makes the tests that
// read its output fail, and the summary names them.
const TURBO = ["turbo", "run", "--env-mode=loose", "--concurrency=2", "--continue=dependencies-successful"];

export const CHECK_PHASE = [...TURBO, "build", "typecheck", "lint", "check:pkg", "--output-logs=errors-only"];

// --only: the tests run on the builds the first phase made. Turbo hands the
// arguments after `--` to every task in the graph, builds included, so without
// it each build's hash changes, misses the cache, and tsup empties a dist while
// the tests that read it are running.
export const TEST_PHASE = [...TURBO, "test", "--only", "--output-logs=full"];
