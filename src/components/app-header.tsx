"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { BookOpenIcon } from "lucide-react";

import { UserMenu } from "@/components/accounts/user-menu";
import { KeyboardShortcutsDialog } from "@/components/keyboard-shortcuts-dialog";
import { ThemeToggle } from "@/components/theme-toggle";
import { WorkspaceSwitcher, type SwitcherWorkspace } from "@/components/workspaces/workspace-switcher";
import { cn } from "@/lib/utils";
import { workspacePaths } from "@/lib/workspace-paths";

/** The header's navigation inside workspace `slug`: label, where it goes, and which paths belong to it. */
function navLinks(slug: string) {
  const paths = workspacePaths(slug);
  const under = (prefix: string) => (path: string) => path === prefix || path.startsWith(`${prefix}/`);
  return [
    { label: "Conversations", href: paths.conversations(), matches: (path: string) => path === paths.conversations() },
    { label: "Plan", href: paths.plan, matches: under(paths.plan) },
    { label: "Coverage", href: paths.coverage(), matches: under(paths.coverage()) },
    { label: "Customers", href: paths.taxonomy(), matches: under(`/w/${encodeURIComponent(slug)}/taxonomy`) },
    { label: "Scenarios", href: paths.scenarios(), matches: under(paths.scenarios()) },
    { label: "Seeds", href: paths.seeds, matches: under(paths.seeds) },
    { label: "Templates", href: paths.templates(), matches: under(paths.templates()) },
    { label: "Documents", href: paths.documents, matches: under(paths.documents) },
    { label: "Error log", href: paths.errors(), matches: under(paths.errors()) },
    { label: "Audit", href: paths.audit(), matches: under(paths.audit()) },
    { label: "Cost", href: paths.cost(), matches: under(paths.cost()) },
    { label: "Settings", href: paths.settings, matches: under(paths.settings) },
  ];
}

/** The id of the page's <main> (set in app/layout.tsx), target of the "Skip to content" link. */
const MAIN_CONTENT_ID = "main-content";

/**
 * The top bar on every page (48 px high, fits 1366×768): "Bright Run" linking home, the workspace
 * switcher, the workspace's Conversations, Plan, Coverage, Customers (taxonomy), Scenarios, Seeds, Templates, Documents, Error log, Audit, Cost and Settings links (the current one
 * has aria-current="page" and is highlighted), and the user guide, keyboard-shortcuts and theme buttons and the account menu on the right. Starts with a
 * "Skip to content" link that appears on keyboard focus. Without a current workspace (the start
 * page) only the switcher is shown.
 */
export function AppHeader({ current = null, workspaces = [] }: { current?: SwitcherWorkspace | null; workspaces?: SwitcherWorkspace[] }) {
  const pathname = usePathname() ?? "/";
  const links = current ? navLinks(current.slug) : [];

  return (
    <header className="sticky top-0 z-40 border-b print:hidden bg-background/95 backdrop-blur supports-[backdrop-filter]:bg-background/80">
      <a
        href={`#${MAIN_CONTENT_ID}`}
        className="sr-only rounded-md bg-primary px-3 py-1.5 text-sm font-medium text-primary-foreground focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
      >
        Skip to content
      </a>
      <div className="flex h-12 items-center gap-3 px-4 lg:px-6 min-[1440px]:gap-4">
        <Link
          href="/"
          className="rounded-md text-sm font-semibold tracking-tight whitespace-nowrap outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          Bright Run
        </Link>
        <WorkspaceSwitcher current={current} workspaces={workspaces} />
        {/* Compact below 1440 px so every link fits at 1366 × 768; if a narrower window still cannot
            hold them, the links scroll sideways inside the bar instead of widening the page. */}
        <nav aria-label="Main" data-tour="nav" className="flex min-w-0 items-center gap-0.5 overflow-x-auto py-1 [scrollbar-width:none] min-[1440px]:gap-1">
          {links.map((link) => {
            const current = link.matches(pathname);
            return (
              <Link
                key={link.href}
                href={link.href}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "rounded-md px-2 py-1.5 text-[13px] font-medium whitespace-nowrap min-[1440px]:px-2.5 min-[1440px]:text-sm transition-colors outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
                  current ? "bg-accent text-accent-foreground" : "text-muted-foreground",
                )}
              >
                {link.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex items-center gap-1">
          <div data-tour="help" className="flex items-center gap-1">
            <Link
              href="/guide"
              aria-label="User guide"
              title="User guide"
              aria-current={pathname === "/guide" || pathname.startsWith("/guide/") ? "page" : undefined}
              className="inline-flex size-8 items-center justify-center rounded-md text-muted-foreground outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 aria-[current=page]:bg-accent aria-[current=page]:text-accent-foreground"
            >
              <BookOpenIcon className="size-4" aria-hidden="true" />
            </Link>
            <KeyboardShortcutsDialog />
          </div>
          <ThemeToggle />
          <UserMenu membersHref={current ? `/w/${encodeURIComponent(current.slug)}/members` : null} />
        </div>
      </div>
    </header>
  );
}
