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
    // The program and the local environment stay readable in pieces: small files, short functions
    // (about 60 lines; 65 leaves room for a signature that prettier spreads over lines).
    files: ["infra/**", "local/**", "facts/**"],
    rules: {
      "max-lines": ["error", { max: 300 }],
      "max-lines-per-function": ["error", { max: 65, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Plain CommonJS scripts (the Lambda runtime bootstrap) load modules with require().
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
