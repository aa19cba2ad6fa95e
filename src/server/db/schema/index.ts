export * from "./taxonomy";
export * from "./conversations";
export * from "./settings";
export * from "./accounts";
export * from "./cost-rollup";
