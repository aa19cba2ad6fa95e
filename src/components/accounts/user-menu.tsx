"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { CircleUserIcon } from "lucide-react";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { authClient } from "@/lib/auth-client";
import { useViewer } from "./viewer-context";

/** The header's account button: who is signed in (and their role here), Account, Preferences, Members, Sign out. */
export function UserMenu({ membersHref }: { membersHref: string | null }) {
  const viewer = useViewer();
  const router = useRouter();
  if (!viewer || viewer.kind !== "account") return null;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        aria-label={`Account: ${viewer.name}`}
        title={viewer.name}
        className="inline-flex size-8 items-center justify-center rounded-md text-muted-foreground outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
      >
        <CircleUserIcon className="size-4" aria-hidden="true" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="space-y-0.5">
          <span className="block truncate">{viewer.name}</span>
          <span className="block truncate text-xs font-normal text-muted-foreground">{viewer.email}</span>
          {viewer.role && <span className="block text-xs font-normal text-muted-foreground">Your role here: {viewer.role}</span>}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/account">Account</Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link href="/preferences">Preferences</Link>
        </DropdownMenuItem>
        {membersHref && (
          <DropdownMenuItem asChild>
            <Link href={membersHref}>Members of this workspace</Link>
          </DropdownMenuItem>
        )}
        <DropdownMenuSeparator />
        <DropdownMenuItem
          onSelect={async () => {
            await authClient.signOut();
            router.replace("/sign-in");
            router.refresh();
          }}
        >
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
