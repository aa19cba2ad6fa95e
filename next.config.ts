import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite loads its WebAssembly and data files from its own package folder; pg and the lockfile
  // library are Node-only. Keep them out of the server bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "proper-lockfile"],
};

export default nextConfig;
