import Link from "next/link";
import type { ReactNode } from "react";
import ReactMarkdown, { defaultUrlTransform, type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { SCREENSHOT_SCHEME, screenshotNameOf, slugifyHeading } from "@/lib/guide";

/** The text inside rendered children (for heading anchors). */
function textOf(node: ReactNode): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (node && typeof node === "object" && "props" in node) return textOf((node as { props: { children?: ReactNode } }).props.children);
  return "";
}

/** react-markdown's URL safety (only http(s), mailto… survive), plus the guide's own `screenshot:NAME`. */
function keepScreenshotUrls(url: string): string {
  return url.startsWith(SCREENSHOT_SCHEME) ? url : defaultUrlTransform(url);
}

/** The URL the screenshot route serves a screenshot at. */
export const screenshotUrl = (name: string) => `/api/guide/screenshots/${name}`;

/**
 * One guide section's Markdown (GitHub-flavoured: tables, autolinks) as the app's typography.
 * `## ` headings get the anchors src/lib/guide.ts computes; `/…` links stay in the app;
 * `![alt](screenshot:NAME)` shows the browser tests' screenshot NAME (and NAME-dark in the dark
 * theme when taken), or says it has not been taken on this installation.
 * @param screenshots the screenshot names that exist here (src/server/guide.ts availableGuideScreenshots)
 */
export function GuideMarkdown({ markdown, screenshots }: { markdown: string; screenshots: readonly string[] }) {
  const have = new Set(screenshots);
  const components: Components = {
    h2: ({ children }) => (
      <h2 id={slugifyHeading(textOf(children))} className="mt-8 scroll-mt-16 border-b pb-1 text-lg font-semibold tracking-tight">
        {children}
      </h2>
    ),
    h3: ({ children }) => (
      <h3 id={slugifyHeading(textOf(children))} className="mt-6 scroll-mt-16 font-semibold">
        {children}
      </h3>
    ),
    p: ({ children }) => <p className="mt-3 leading-7">{children}</p>,
    ul: ({ children }) => <ul className="mt-3 list-disc space-y-1 pl-6">{children}</ul>,
    ol: ({ children }) => <ol className="mt-3 list-decimal space-y-1 pl-6">{children}</ol>,
    li: ({ children }) => <li className="leading-7">{children}</li>,
    a: ({ href = "", children }) =>
      href.startsWith("/") || href.startsWith("#") ? (
        <Link href={href} className="font-medium text-primary underline underline-offset-4">
          {children}
        </Link>
      ) : (
        <a href={href} className="font-medium text-primary underline underline-offset-4" target="_blank" rel="noreferrer">
          {children}
        </a>
      ),
    code: ({ children }) => <code className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]">{children}</code>,
    pre: ({ children }) => <pre className="mt-3 overflow-x-auto rounded-md border bg-muted p-3 text-sm print:whitespace-pre-wrap">{children}</pre>,
    table: ({ children }) => (
      <div className="mt-3 overflow-x-auto">
        <table className="w-full border-collapse text-sm">{children}</table>
      </div>
    ),
    th: ({ children }) => <th className="border px-3 py-1.5 text-left font-medium">{children}</th>,
    td: ({ children }) => <td className="border px-3 py-1.5 align-top">{children}</td>,
    img: ({ src, alt = "" }) => {
      const name = screenshotNameOf(typeof src === "string" ? src : undefined);
      if (!name) return null;
      if (!have.has(name)) {
        return (
          <span role="note" className="mt-3 block rounded-md border border-dashed p-3 text-sm text-muted-foreground print:hidden">
            Screenshot “{alt}” is not available on this installation: the browser tests take it (<code className="font-mono">npm test</code>).
          </span>
        );
      }
      const dark = have.has(`${name}-dark`);
      return (
        <span className="mt-3 block break-inside-avoid">
          {/* eslint-disable-next-line @next/next/no-img-element -- screenshots are served as they are, by their own route */}
          <img src={screenshotUrl(name)} alt={alt} loading="lazy" className={`block w-full rounded-md border ${dark ? "dark:hidden print:block" : ""}`} />
          {dark && (
            // eslint-disable-next-line @next/next/no-img-element -- as above
            <img src={screenshotUrl(`${name}-dark`)} alt={alt} loading="lazy" className="hidden w-full rounded-md border dark:block print:hidden" />
          )}
          <span className="mt-1 block text-center text-xs text-muted-foreground">{alt}</span>
        </span>
      );
    },
  };
  return (
    <div className="text-sm">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components} urlTransform={keepScreenshotUrls}>
        {markdown}
      </ReactMarkdown>
    </div>
  );
}
