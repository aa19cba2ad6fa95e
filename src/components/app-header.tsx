"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { ThemeToggle } from "@/components/theme-toggle";
import { cn } from "@/lib/utils";

/** The header's navigation: label, where it goes, and which paths belong to it. */
const NAV_LINKS = [
  { label: "Conversations", href: "/", matches: (path: string) => path === "/" || path.startsWith("/conversations") },
  { label: "Documents", href: "/documents", matches: (path: string) => path === "/documents" || path.startsWith("/documents/") },
  { label: "Error log", href: "/errors", matches: (path: string) => path === "/errors" || path.startsWith("/errors/") },
  { label: "Settings", href: "/settings", matches: (path: string) => path === "/settings" || path.startsWith("/settings/") },
] as const;

/** The id of the page's <main> (set in app/layout.tsx), target of the "Skip to content" link. */
const MAIN_CONTENT_ID = "main-content";

/**
 * The top bar on every page (48 px high, fits 1366×768): "Bright Run" linking home, the
 * Conversations, Documents, Error log and Settings links (the current one has aria-current="page" and is
 * highlighted), and the theme button on the right. Starts with a "Skip to content" link that
 * appears on keyboard focus.
 */
export function AppHeader() {
  const pathname = usePathname() ?? "/";

  return (
    <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur supports-[backdrop-filter]:bg-background/80">
      <a
        href={`#${MAIN_CONTENT_ID}`}
        className="sr-only rounded-md bg-primary px-3 py-1.5 text-sm font-medium text-primary-foreground focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
      >
        Skip to content
      </a>
      <div className="flex h-12 items-center gap-4 px-4 lg:px-6">
        <Link
          href="/"
          className="rounded-md text-sm font-semibold tracking-tight whitespace-nowrap outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          Bright Run
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1">
          {NAV_LINKS.map((link) => {
            const current = link.matches(pathname);
            return (
              <Link
                key={link.href}
                href={link.href}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap transition-colors outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
                  current ? "bg-accent text-accent-foreground" : "text-muted-foreground",
                )}
              >
                {link.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <ThemeToggle />
        </div>
      </div>
    </header>
  );
}
