export * from "./taxonomy";
export * from "./conversations";
