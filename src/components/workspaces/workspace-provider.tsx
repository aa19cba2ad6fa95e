"use client";

import { createContext, useContext, useEffect } from "react";
import { LAST_WORKSPACE_COOKIE, workspacePaths } from "@/lib/workspace-paths";
import { DEFAULT_TIER_RULES, type TierRules } from "@/core/review/review-rules";

/** The workspace a page belongs to, as client components need it. */
export interface CurrentWorkspace {
  slug: string;
  name: string;
  businessName: string;
  isSample: boolean;
  archived: boolean;
  /** The approval bars (Settings → Workspace → Tier rules). */
  tierRules: TierRules;
}

const WorkspaceContext = createContext<CurrentWorkspace | null>(null);

/** How long `/` remembers the last workspace opened: one year, in seconds. */
const REMEMBER_SECONDS = 365 * 24 * 60 * 60;

/**
 * Gives the pages under `/w/<slug>/` their workspace, and remembers it (a cookie read by `/`) so
 * the next visit to the bare address opens it again.
 */
export function WorkspaceProvider({ workspace, children }: { workspace: CurrentWorkspace; children: React.ReactNode }) {
  useEffect(() => {
    document.cookie = `${LAST_WORKSPACE_COOKIE}=${encodeURIComponent(workspace.slug)}; path=/; max-age=${REMEMBER_SECONDS}; samesite=lax`;
  }, [workspace.slug]);
  return <WorkspaceContext.Provider value={workspace}>{children}</WorkspaceContext.Provider>;
}

/**
 * The current workspace and its URLs.
 * @throws Error when used outside a WorkspaceProvider (a component placed outside `/w/<slug>/`)
 */
export function useWorkspace(): CurrentWorkspace & { paths: ReturnType<typeof workspacePaths> } {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error("useWorkspace() is only available on the pages of a workspace (/w/<slug>/…).");
  return { ...workspace, paths: workspacePaths(workspace.slug) };
}

/** The current workspace's tier rules; the defaults (6, edge cases 8) outside a workspace's pages. */
export function useTierRules(): TierRules {
  return useContext(WorkspaceContext)?.tierRules ?? DEFAULT_TIER_RULES;
}
