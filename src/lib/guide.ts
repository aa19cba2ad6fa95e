/**
 * The in-app user guide (issue 14 item 4; US14.2.1, US14.2.2): its sections are the Markdown files
 * of docs/guide/, "NN-slug.md", read in file-name order; each starts with a "# Title" line. This
 * module shapes them (sections, heading anchors, search entries) and names the screenshots they
 * show. Reading the files is src/server/guide.ts.
 */

/** One section of the guide: a page of its own at /guide/<slug>. */
export interface GuideSection {
  /** "getting-started" from "01-getting-started.md". */
  slug: string;
  /** The text of the file's "# " line. */
  title: string;
  /** The Markdown after the title line. */
  markdown: string;
  /** Its "## " headings with their anchors, in order (the page's table of contents). */
  headings: GuideHeading[];
}

export interface GuideHeading {
  text: string;
  /** The id the heading gets on the page (slugifyHeading). */
  anchor: string;
}

/** One searchable passage: a section's introduction or one of its "## " parts. */
export interface GuideSearchEntry {
  /** "<slug>#<anchor>", or "<slug>" for the introduction. */
  id: string;
  slug: string;
  sectionTitle: string;
  /** The "## " heading, or the section's title for its introduction. */
  heading: string;
  /** null for the introduction. */
  anchor: string | null;
  /** The passage as plain text (Markdown marks and images removed). */
  text: string;
}

const FILE_NAME = /^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

/**
 * The section slug of a guide file name, or null when the name is not "NN-slug.md" (such files
 * are not part of the guide).
 */
export function guideSlugOf(fileName: string): string | null {
  return FILE_NAME.exec(fileName)?.[2] ?? null;
}

/**
 * The anchor of a heading: lower case, letters and digits kept, everything else one dash
 * ("Rate limits and retries" → "rate-limits-and-retries"; "`timeout`, `connection_error`" →
 * "timeout-connection-error").
 */
export function slugifyHeading(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * One section from a guide file's name and text.
 * @throws Error when the file does not start with a "# " title line (a broken guide file).
 */
export function parseGuideSection(fileName: string, source: string): GuideSection {
  const slug = guideSlugOf(fileName);
  if (!slug) throw new Error(`docs/guide/${fileName}: name it "NN-slug.md" (e.g. "08-faq.md").`);
  const text = source.replace(/\r\n?/g, "\n");
  const match = /^# (.+)\n/.exec(text);
  if (!match) throw new Error(`docs/guide/${fileName}: the first line must be the section's title, "# Title".`);
  const markdown = text.slice(match[0].length).trim();
  const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((m) => {
    const heading = plainText(m[1]);
    return { text: heading, anchor: slugifyHeading(heading) };
  });
  return { slug, title: match[1].trim(), markdown, headings };
}

/** Markdown to plain text for search and anchors: images, link targets, emphasis and code marks removed. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*]/g, "")
    // _emphasis_ only: an underscore inside a word ("connection_error") is part of it.
    .replace(/(^|[^\w])_([^_\n]+)_(?!\w)/g, "$1$2")
    .replace(/^\s*\|?[-:| ]+\|?\s*$/gm, " ")
    .replace(/\|/g, " ")
    .replace(/^#+ /gm, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** The passages of every section for the guide's search: each introduction and each "## " part. */
export function guideSearchEntries(sections: readonly GuideSection[]): GuideSearchEntry[] {
  const entries: GuideSearchEntry[] = [];
  for (const section of sections) {
    const parts = section.markdown.split(/^(?=## )/m);
    for (const part of parts) {
      const heading = /^## (.+)$/m.exec(part);
      const body = heading ? part.slice(part.indexOf("\n") + 1) : part;
      const text = plainText(body);
      if (!heading && !text) continue;
      const headingText = heading ? plainText(heading[1]) : section.title;
      const anchor = heading ? slugifyHeading(headingText) : null;
      entries.push({ id: anchor ? `${section.slug}#${anchor}` : section.slug, slug: section.slug, sectionTitle: section.title, heading: headingText, anchor, text });
    }
  }
  return entries;
}

/** How a guide page names a screenshot: `![alt](screenshot:NAME)`. */
export const SCREENSHOT_SCHEME = "screenshot:";

/** Screenshot names: what the browser tests' `screenshot(page, name)` writes (NAME.png). */
const SCREENSHOT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The screenshot name of an image source ("screenshot:table" → "table"), or null for any other source. */
export function screenshotNameOf(src: string | undefined): string | null {
  if (!src?.startsWith(SCREENSHOT_SCHEME)) return null;
  const name = src.slice(SCREENSHOT_SCHEME.length);
  return SCREENSHOT_NAME.test(name) ? name : null;
}

/** True for a name the screenshot route may serve (no paths, no other extensions). */
export function isScreenshotName(name: string): boolean {
  return SCREENSHOT_NAME.test(name);
}

/** The screenshot names a section's Markdown shows, each followed by its dark-theme variant ("table", "table-dark"). */
export function screenshotsIn(markdown: string): string[] {
  const names = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]*)\)/g)].map((m) => screenshotNameOf(m[1])).filter((n): n is string => n !== null);
  return names.flatMap((n) => [n, `${n}-dark`]);
}
