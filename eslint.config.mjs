import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: ["node_modules/**", ".next/**", ".brightrun/**", "exports/**", "drizzle/**", "next-env.d.ts", "playwright-report/**", "test-results/**"],
  },
  {
    // `const { a: _a, ...rest } = x` drops keys on purpose; an underscore marks it.
    rules: {
      "@typescript-eslint/no-unused-vars": ["warn", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // core/ is framework-free (ARCHITECTURE.md, "Data flows one way"), and below the run layer:
    // the generation engine (src/server/runs) calls core, never the other way (docs/engine.md).
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*", "react", "react-dom"], message: "core/ must not import Next.js or React." },
            { group: ["**/server/runs", "**/server/runs/*", "**/server/jobs", "**/server/jobs/*"], message: "core/ must not import the run layer (src/server/runs) or jobs: they call core, not the other way." },
          ],
        },
      ],
    },
  },
  {
    // Components and routes never import the database client.
    files: ["src/app/**/*.{ts,tsx}", "src/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/server/db/client", "**/server/db/queries/*"], message: "Go through server actions or core, not the database." }] }],
    },
  },
];

export default config;
