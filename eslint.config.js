// ESLint runs only the ReDoS rules of eslint-plugin-regexp over src/ (issue 14):
// biome is the project's linter; this file exists so that no regex that can
// backtrack super-linearly over untrusted text ships. Each finding is fixed or,
// where the input is bounded, disabled inline with the reason.
import tsParser from "@typescript-eslint/parser";
import regexp from "eslint-plugin-regexp";

export default [
	{
		files: ["src/**/*.ts"],
		languageOptions: { parser: tsParser },
		linterOptions: { reportUnusedDisableDirectives: "error" },
		plugins: { regexp },
		rules: {
			"regexp/no-super-linear-backtracking": ["error", { report: "potential" }],
			"regexp/no-super-linear-move": ["error", { report: "potential", ignorePartial: false }],
			"regexp/no-misleading-capturing-group": ["error", { reportBacktrackingEnds: true }],
		},
	},
];
