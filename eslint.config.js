// ESLint runs only ReDoS checks over src/ (issue 14): biome is the project's
// linter; this file exists so that no regex that can backtrack super-linearly
// over untrusted text ships. Two checkers, as each finds what the other misses:
// eslint-plugin-regexp's static rules, and recheck (eslint-plugin-redos), which
// builds an automaton and found `"(?:[^"\\]|\\.)*"`, `<meta[^>]+charset` and an
// exponential Q-encoding regex that the first missed. Each finding is fixed or,
// where proven linear or the input is trusted, disabled inline with the reason.
import tsParser from "@typescript-eslint/parser";
import redos from "eslint-plugin-redos";
import regexp from "eslint-plugin-regexp";

export default [
	{
		files: ["src/**/*.ts"],
		languageOptions: { parser: tsParser },
		linterOptions: { reportUnusedDisableDirectives: "error" },
		plugins: { regexp, redos },
		rules: {
			"regexp/no-super-linear-backtracking": ["error", { report: "potential" }],
			"regexp/no-super-linear-move": ["error", { report: "potential", ignorePartial: false }],
			"regexp/no-misleading-capturing-group": ["error", { reportBacktrackingEnds: true }],
			// The automaton checker only: deterministic (recheck's fuzzer reports a
			// regex in one run and not the next). Regexes it cannot model
			// (lookbehind, backreferences) are left to regexp/* and to
			// test/pathological.test.ts.
			"redos/no-vulnerable": ["error", { checker: "automaton", ignoreErrors: true }],
		},
	},
];
