// ESLint's flat configuration: the site's scripts (browser), its workers, and the Node tools and benchmarks.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["docs/assets/js/**/*.mjs", "bench/bare*.mjs"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.browser, ...globals.worker } },
  },
  {
    // loaded as classic scripts on every page
    files: ["docs/assets/js/**/*.js"],
    languageOptions: { ecmaVersion: 2020, sourceType: "script", globals: { ...globals.browser, __md_get: "readonly" } },
  },
  {
    files: ["scripts/**/*.mjs", "tests/pyodide/**/*.mjs", "bench/fees.mjs"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: globals.node },
  },
  {
    rules: {
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "prefer-const": "error",
      "no-var": "error",
    },
  },
  {
    files: ["docs/assets/js/**/*.js"],
    rules: { "no-var": "off" }, // classic scripts for every browser the site supports
  },
];
