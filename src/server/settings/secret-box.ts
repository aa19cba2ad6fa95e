import "server-only";
/**
 * Secrets at rest (issue 9, item 4: API keys saved in Settings). AES-256-GCM from Node's crypto
 * (NIST SP 800-38D): a random 12-byte IV per secret, the 16-byte tag checked on every read. The key:
 * BRIGHTRUN_SECRET_KEY (32 bytes as 64 hex characters or base64), else a key generated on first use
 * into `<data dir>/secret.key` (mode 0600). Several hosts sharing one PostgreSQL database must all set
 * the same BRIGHTRUN_SECRET_KEY (docs/providers.md).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../../core/errors";
import { resolveDataDir } from "../db/client";

const ALGORITHM = "aes-256-gcm";
/** Stored form: "v1:" + base64(iv ‖ tag ‖ ciphertext). */
const PREFIX = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** File name of the generated key in the data directory. */
export const SECRET_KEY_FILE = "secret.key";

/** Where the secret key comes from, for the settings page and docs. */
export interface SecretKeySource {
  key: Buffer;
  /** "BRIGHTRUN_SECRET_KEY" or the key file's path. */
  from: string;
}

/**
 * Parses BRIGHTRUN_SECRET_KEY: 64 hex characters or base64 of exactly 32 bytes.
 * @throws AppError "env_invalid" saying what the variable must look like
 */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (bytes.length !== 32) {
    throw new AppError(
      "env_invalid",
      "BRIGHTRUN_SECRET_KEY must be 32 random bytes, written as 64 hex characters or as base64 (for example the output of `openssl rand -hex 32`).",
    );
  }
  return bytes;
}

/**
 * The key secrets are encrypted with: BRIGHTRUN_SECRET_KEY when set, else `<dataDir>/secret.key`,
 * created (32 random bytes, hex, mode 0600) when missing and read once per process.
 * @throws AppError "env_invalid" for a bad BRIGHTRUN_SECRET_KEY; "secret_key_unreadable" when the key file is not a key
 */
export function loadSecretKey({ env = process.env, dataDir }: { env?: Record<string, string | undefined>; dataDir?: string } = {}): SecretKeySource {
  const fromEnv = env.BRIGHTRUN_SECRET_KEY?.trim();
  if (fromEnv) return { key: parseSecretKey(fromEnv), from: "BRIGHTRUN_SECRET_KEY" };
  const file = path.join(resolveDataDir(dataDir ?? env.BRIGHTRUN_DATA_DIR), SECRET_KEY_FILE);
  // Read once per process: the worker decrypts the saved key for every conversation it generates.
  const cached = keyFileCache.get(file);
  if (cached) return { key: cached, from: file };
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      // "wx": two processes starting at once cannot both write a key; the loser reads the winner's.
      fs.writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  const text = fs.readFileSync(file, "utf8").trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) {
    throw new AppError("secret_key_unreadable", `${file} does not hold a secret key (64 hex characters). Restore it from a backup, or delete it and enter the saved API keys again in Settings.`);
  }
  const key = Buffer.from(text, "hex");
  keyFileCache.set(file, key);
  return { key, from: file };
}

/** Keys read from key files, by path. */
const keyFileCache = new Map<string, Buffer>();

/** Encrypts `plaintext` (UTF-8) with `key` (32 bytes): "v1:" + base64(iv ‖ tag ‖ ciphertext). */
export function sealSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

/**
 * Decrypts what {@link sealSecret} wrote.
 * @throws AppError "secret_unreadable" when the text was sealed with another key or was altered
 */
export function openSecret(sealed: string, key: Buffer): string {
  try {
    if (!sealed.startsWith(PREFIX)) throw new Error("unknown format");
    const raw = Buffer.from(sealed.slice(PREFIX.length), "base64");
    const decipher = createDecipheriv(ALGORITHM, key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw new AppError(
      "secret_unreadable",
      "The API key saved in Settings can't be decrypted with this server's secret key (BRIGHTRUN_SECRET_KEY or secret.key in the data folder changed, or another host saved it). Enter the key again in Settings, or set the same BRIGHTRUN_SECRET_KEY on every host.",
      { cause },
    );
  }
}

/** "sk-…abcd": enough of a key to recognise it, never enough to use it. */
export function keyHint(apiKey: string): string {
  const key = apiKey.trim();
  const tail = key.slice(-4);
  const head = /^[a-z]+-/i.exec(key)?.[0] ?? "";
  return key.length <= 8 ? "…" : `${head}…${tail}`;
}
