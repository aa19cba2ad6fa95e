// Node module hooks for the CLI: `server-only` is a marker for React Server Components that throws
// when imported anywhere else; the CLI is server code, so it resolves to the package's empty module.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") {
    return nextResolve(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
  }
  return nextResolve(specifier, context);
}
