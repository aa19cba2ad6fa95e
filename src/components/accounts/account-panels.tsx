"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { CopyIcon, Loader2 } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { authClient, authErrorMessage } from "@/lib/auth-client";
import { formatDateTime } from "@/lib/format";
import { createTokenAction, revokeTokenAction, signOutEverywhereAction } from "@/server/actions/accounts";
import type { TokenView } from "@/server/accounts/accounts";

/** Change password: the current one, then the new one; other sessions end. */
export function ChangePasswordForm({ minPasswordLength }: { minPasswordLength: number }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      aria-label="Change password"
      className="max-w-sm space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        startTransition(async () => {
          const { error: failure } = await authClient.changePassword({ currentPassword: current, newPassword: next, revokeOtherSessions: true });
          if (failure) return setError(failure.code === "INVALID_PASSWORD" ? "Your current password is not right." : authErrorMessage(failure));
          setCurrent("");
          setNext("");
          toast.success("Password changed. Your other sessions have ended.");
        });
      }}
    >
      <div className="space-y-1.5">
        <Label htmlFor="current-password">Current password</Label>
        <Input id="current-password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="new-password">New password</Label>
        <Input id="new-password" type="password" autoComplete="new-password" minLength={minPasswordLength} maxLength={128} value={next} onChange={(e) => setNext(e.target.value)} required />
        <p className="text-xs text-muted-foreground">At least {minPasswordLength} characters.</p>
      </div>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <Button type="submit" disabled={pending}>
        {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
        Change password
      </Button>
    </form>
  );
}

/** Sign out here, or everywhere (every session of the account ends). */
export function SignOutButtons() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-wrap gap-2">
      <Button
        variant="outline"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            await authClient.signOut();
            router.replace("/sign-in");
            router.refresh();
          })
        }
      >
        Sign out
      </Button>
      <Button
        variant="outline"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await signOutEverywhereAction();
            if (!result.ok) return void toast.error(result.error.message);
            window.location.assign(result.data.next);
          })
        }
      >
        Sign out everywhere
      </Button>
    </div>
  );
}

/** Personal access tokens for the CLI against PostgreSQL (`BRIGHTRUN_TOKEN`): create (shown once), list, revoke. */
export function TokensPanel({ tokens }: { tokens: TokenView[] }) {
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-4">
      <form
        aria-label="New token"
        className="flex max-w-xl items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          startTransition(async () => {
            const result = await createTokenAction(name);
            if (!result.ok) return void toast.error(result.error.message);
            setCreated(result.data.token);
            setName("");
          });
        }}
      >
        <div className="flex-1 space-y-1.5">
          <Label htmlFor="token-name">Token name</Label>
          <Input id="token-name" placeholder="e.g. laptop CLI" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
        </div>
        <Button type="submit" disabled={pending}>
          Create token
        </Button>
      </form>
      {created && (
        <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50">
          <p>Copy this token now: it is shown only once. Set it in your shell as BRIGHTRUN_TOKEN.</p>
          <div className="flex items-center gap-2">
            <code data-testid="new-token" className="min-w-0 flex-1 truncate rounded bg-background px-2 py-1 font-mono text-xs text-foreground">
              {created}
            </code>
            <Button
              size="sm"
              variant="outline"
              onClick={() => {
                void navigator.clipboard?.writeText(created);
                toast.success("Token copied.");
              }}
            >
              <CopyIcon aria-hidden className="size-3.5" /> Copy
            </Button>
          </div>
        </div>
      )}
      {tokens.length === 0 ? (
        <p className="text-sm text-muted-foreground">No tokens. The CLI on this machine&apos;s embedded database needs none.</p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Token</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead className="sr-only">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {tokens.map((t) => (
              <TableRow key={t.id}>
                <TableCell>{t.name}</TableCell>
                <TableCell className="font-mono text-xs">{t.hint}</TableCell>
                <TableCell>{formatDateTime(t.createdAt)}</TableCell>
                <TableCell>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "never"}</TableCell>
                <TableCell className="text-right">
                  <Button
                    size="sm"
                    variant="outline"
                    onClick={() =>
                      startTransition(async () => {
                        const result = await revokeTokenAction(t.id);
                        if (!result.ok) return void toast.error(result.error.message);
                        toast.success(`Revoked "${t.name}".`);
                      })
                    }
                  >
                    Revoke
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
