/**
 * The test files AFTERGLOW_MUTATION_TESTS names (comma-separated), or [] when it names none. StrykerJS then runs
 * only these (stryker.config.mjs) and Vitest includes only these (vitest.mutation.config.ts): one reading for both.
 */
export function chosenMutationTests(env = process.env) {
  return (env.AFTERGLOW_MUTATION_TESTS ?? "")
    .split(",")
    .map((file) => file.trim())
    .filter(Boolean);
}
