// ESLint flat config: typescript-eslint's recommended rules; formatting is Prettier's job.
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", ".local/", ".test-state/", "test-artifacts/"] },
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // The program, the local environment, the policy pack and the bench stay readable in pieces:
    // files of at most 300 lines, functions of at most 60 (blank lines and comments not counted).
    files: ["infra/**", "local/**", "facts/**", "policy/**", "bench/**", "deploy/**"],
    rules: {
      "max-lines": ["error", { max: 300 }],
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Plain CommonJS scripts (the Lambda runtime bootstrap) load modules with require().
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
