"use client";

import { useState } from "react";
import Link from "next/link";
import { Archive, Check, ChevronsUpDown, Plus } from "lucide-react";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { workspacePaths } from "@/lib/workspace-paths";
import { NewWorkspaceForm } from "./new-workspace-form";

/** A workspace as the switcher lists it. */
export interface SwitcherWorkspace {
  slug: string;
  name: string;
  isSample: boolean;
  archived: boolean;
}

/**
 * The header's workspace switcher: the current workspace's name; the menu lists the active
 * workspaces (a check on the current one), then the archived ones, then New workspace…, which asks
 * for the business's name, what it does and its voice.
 */
export function WorkspaceSwitcher({ current, workspaces }: { current: SwitcherWorkspace | null; workspaces: SwitcherWorkspace[] }) {
  const [creating, setCreating] = useState(false);
  const active = workspaces.filter((w) => !w.archived);
  const archived = workspaces.filter((w) => w.archived);
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm" className="max-w-40 justify-between gap-2 min-[1440px]:max-w-64" aria-label={`Workspace: ${current?.name ?? "none"}. Switch workspace`}>
            <span className="truncate">{current ? current.name : "Choose a workspace"}</span>
            <ChevronsUpDown aria-hidden className="size-3.5 shrink-0 opacity-60" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-72">
          <DropdownMenuLabel>Workspaces</DropdownMenuLabel>
          {active.map((w) => (
            <DropdownMenuItem key={w.slug} asChild>
              <Link href={workspacePaths(w.slug).conversations()} className="flex items-center gap-2">
                <Check aria-hidden className={w.slug === current?.slug ? "size-4" : "size-4 opacity-0"} />
                <span className="min-w-0 flex-1 truncate">{w.name}</span>
                {w.isSample && <span className="text-xs text-muted-foreground">sample</span>}
              </Link>
            </DropdownMenuItem>
          ))}
          {archived.length > 0 && (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuLabel className="text-xs font-normal text-muted-foreground">Archived</DropdownMenuLabel>
              {archived.map((w) => (
                <DropdownMenuItem key={w.slug} asChild>
                  <Link href={workspacePaths(w.slug).settings} className="flex items-center gap-2 text-muted-foreground">
                    <Archive aria-hidden className="size-4" />
                    <span className="min-w-0 flex-1 truncate">{w.name}</span>
                  </Link>
                </DropdownMenuItem>
              ))}
            </>
          )}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setCreating(true)}>
            <Plus aria-hidden className="size-4" />
            New workspace…
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <Dialog open={creating} onOpenChange={setCreating}>
        <DialogContent className="sm:max-w-lg">
          <DialogHeader>
            <DialogTitle>New workspace</DialogTitle>
            <DialogDescription>One business: its documents, customers and conversations, kept apart from every other workspace. It starts empty.</DialogDescription>
          </DialogHeader>
          <NewWorkspaceForm onCreated={() => setCreating(false)} />
        </DialogContent>
      </Dialog>
    </>
  );
}
