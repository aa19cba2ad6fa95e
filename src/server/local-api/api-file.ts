import "server-only";
/**
 * The local API file: how a `brightrun` command finds the server that holds the embedded database.
 * The server writes `<data dir>/brightrun-server.json` when its local API listens and removes it
 * on a clean shutdown. It holds the loopback URL and a random token; the file is readable by its
 * owner only (mode 0600), so only the user that runs the server (or root) can send it commands.
 *
 * Shape (version 1): `{ "version": 1, "url": "http://127.0.0.1:PORT", "token": "<64 hex>",
 * "pid": N, "hostname": "…", "startedAt": "ISO time" }`.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";

/** The file's name inside the data directory. */
export const LOCAL_API_FILE = "brightrun-server.json";

const localApiFileSchema = z.object({
  version: z.literal(1),
  url: z.string().regex(/^http:\/\/127\.0\.0\.1:\d{1,5}$/),
  token: z.string().regex(/^[0-9a-f]{64}$/),
  pid: z.number().int().positive(),
  hostname: z.string(),
  startedAt: z.string(),
});

/** What the file holds. */
export type LocalApiInfo = z.infer<typeof localApiFileSchema>;

/** The file's path for a data directory (absolute). */
export function localApiFilePath(dataDir: string): string {
  return path.join(dataDir, LOCAL_API_FILE);
}

/** A new token: 32 random bytes as 64 hex characters. */
export function createLocalApiToken(): string {
  return randomBytes(32).toString("hex");
}

/**
 * Writes the file for a server whose local API listens at `url`, replacing any file left behind.
 * Written to a temporary file created with mode 0600, then renamed, so a reader never sees half of it.
 * @returns the path written
 * @throws the file system's error when the data directory cannot be written
 */
export function writeLocalApiFile({ dataDir, url, token }: { dataDir: string; url: string; token: string }): string {
  const info: LocalApiInfo = { version: 1, url, token, pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
  const target = localApiFilePath(dataDir);
  const temporary = `${target}.${process.pid}.tmp`;
  fs.rmSync(temporary, { force: true });
  fs.writeFileSync(temporary, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  fs.renameSync(temporary, target);
  return target;
}

/**
 * Reads the file of `dataDir`.
 * @returns its contents, or null when there is none or it is not a valid file of this version
 */
export function readLocalApiFile(dataDir: string): LocalApiInfo | null {
  let text: string;
  try {
    text = fs.readFileSync(localApiFilePath(dataDir), "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = localApiFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Removes the file of `dataDir` if it still holds `token` (a newer server's file is left alone),
 * or whatever file is there when no token is given (a file left by a server that is gone). Never throws.
 */
export function removeLocalApiFile(dataDir: string, token?: string): void {
  try {
    if (token !== undefined && readLocalApiFile(dataDir)?.token !== token) return;
    fs.rmSync(localApiFilePath(dataDir), { force: true });
  } catch {
    // Best effort: a file left behind is recognised as stale by its pid.
  }
}

/** True when the server that wrote `info` is a process of this host that no longer runs. */
export function localApiServerIsGone(info: LocalApiInfo): boolean {
  if (info.hostname !== os.hostname()) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
