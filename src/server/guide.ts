import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { guideSlugOf, isScreenshotName, parseGuideSection, type GuideSection } from "../lib/guide";

/** Where the guide's Markdown lives: docs/guide/ of the installation (the server's working directory). */
export const GUIDE_DIR = path.join(process.cwd(), "docs", "guide");

/**
 * Where the browser tests leave their screenshots (tests/e2e/support/fixtures.ts `SCREENSHOT_DIR`):
 * the guide shows them, so its pictures are the app as the last `npm test` saw it.
 */
export const GUIDE_SCREENSHOT_DIR = path.join(process.cwd(), "test-results", "screenshots");

/**
 * Every section of the guide, in file-name order. Read on each call (seven small files), so an
 * edited guide shows without a restart.
 * @throws Error when docs/guide/ is missing or a file is malformed (names the file and the fix).
 */
export async function loadGuide(): Promise<GuideSection[]> {
  const names = (await fs.readdir(GUIDE_DIR)).filter((name) => guideSlugOf(name) !== null).sort();
  return Promise.all(names.map(async (name) => parseGuideSection(name, await fs.readFile(path.join(GUIDE_DIR, name), "utf8"))));
}

/**
 * A screenshot's PNG bytes, or null when the browser tests have not taken it on this installation
 * (or the name is not a screenshot name).
 */
export async function readGuideScreenshot(name: string): Promise<Buffer | null> {
  if (!isScreenshotName(name)) return null;
  try {
    return await fs.readFile(path.join(GUIDE_SCREENSHOT_DIR, `${name}.png`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Which of these screenshot names exist on this installation. */
export async function availableGuideScreenshots(names: readonly string[]): Promise<Set<string>> {
  const found = await Promise.all(
    names.map(async (name) =>
      isScreenshotName(name)
        ? fs.access(path.join(GUIDE_SCREENSHOT_DIR, `${name}.png`)).then(
            () => name,
            () => null,
          )
        : null,
    ),
  );
  return new Set(found.filter((n): n is string => n !== null));
}
