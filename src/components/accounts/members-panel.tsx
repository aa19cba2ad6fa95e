"use client";

import { useState, useTransition } from "react";
import { CopyIcon } from "lucide-react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import { ROLE_DESCRIPTIONS, WORKSPACE_ROLES, type WorkspaceRole } from "@/lib/roles";
import type { InvitationView, MemberView } from "@/server/accounts/accounts";
import { createInvitationAction, memberResetLinkAction, removeMemberAction, revokeInvitationAction, setMemberRoleAction } from "@/server/actions/accounts";
import { usePermission } from "./viewer-context";

const selectClass =
  "h-9 rounded-md border border-input bg-background px-2 text-sm shadow-xs outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:cursor-not-allowed disabled:opacity-50";

/** A link shown once, with a Copy button (invitations, password-reset links). */
function OneTimeLink({ label, url, note }: { label: string; url: string; note: string }) {
  return (
    <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50">
      <p>{note}</p>
      <div className="flex items-center gap-2">
        <code aria-label={label} className="min-w-0 flex-1 truncate rounded bg-background px-2 py-1 font-mono text-xs text-foreground">
          {url}
        </code>
        <Button
          size="sm"
          variant="outline"
          onClick={() => {
            void navigator.clipboard?.writeText(url);
            toast.success("Link copied.");
          }}
        >
          <CopyIcon aria-hidden className="size-3.5" /> Copy
        </Button>
      </div>
    </div>
  );
}

/**
 * The workspace's members and invitations. Owners change roles, remove members, make password-reset
 * links, and invite by link; everyone else sees the list and why they cannot change it.
 */
export function MembersPanel({ slug, members, invitations }: { slug: string; members: MemberView[]; invitations: InvitationView[] | null }) {
  const manage = usePermission("manage_members");
  const [pending, startTransition] = useTransition();
  const [role, setRole] = useState<WorkspaceRole>("reviewer");
  const [email, setEmail] = useState("");
  const [link, setLink] = useState<{ label: string; url: string; note: string } | null>(null);
  const origin = typeof window === "undefined" ? "" : window.location.origin;

  return (
    <div className="space-y-8">
      {!manage.allowed && <p className="text-sm text-muted-foreground">{manage.reason}</p>}
      <section aria-labelledby="members-heading" className="space-y-3">
        <h2 id="members-heading" className="text-lg font-semibold">
          Members
        </h2>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>E-mail</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Member since</TableHead>
              {manage.allowed && <TableHead className="sr-only">Actions</TableHead>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.map((m) => (
              <TableRow key={m.userId} data-testid="member-row">
                <TableCell className="font-medium">{m.name}</TableCell>
                <TableCell>{m.email}</TableCell>
                <TableCell>
                  {m.installationOwner || !manage.allowed ? (
                    <span className="flex items-center gap-2">
                      {m.role}
                      {m.installationOwner && <Badge variant="secondary">installation owner</Badge>}
                    </span>
                  ) : (
                    <select
                      aria-label={`Role of ${m.name}`}
                      className={selectClass}
                      value={m.role}
                      disabled={pending}
                      onChange={(e) =>
                        startTransition(async () => {
                          const result = await setMemberRoleAction(slug, m.userId, e.target.value);
                          if (!result.ok) return void toast.error(result.error.message);
                          toast.success(`${m.name} is now ${result.data.role}.`);
                        })
                      }
                    >
                      {WORKSPACE_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  )}
                </TableCell>
                <TableCell>{formatDateTime(m.joinedAt)}</TableCell>
                {manage.allowed && (
                  <TableCell className="space-x-2 text-right whitespace-nowrap">
                    {!m.installationOwner && (
                      <>
                        <Button
                          size="sm"
                          variant="outline"
                          disabled={pending}
                          onClick={() =>
                            startTransition(async () => {
                              const result = await memberResetLinkAction(slug, m.userId);
                              if (!result.ok) return void toast.error(result.error.message);
                              setLink({
                                label: `Password reset link for ${m.name}`,
                                url: `${origin}${result.data.path}`,
                                note: `Give this link to ${m.name} to choose a new password. It works once, until ${formatDateTime(result.data.expiresAt)}; it is shown only now.`,
                              });
                            })
                          }
                        >
                          Reset link
                        </Button>
                        <Button
                          size="sm"
                          variant="outline"
                          disabled={pending}
                          onClick={() =>
                            startTransition(async () => {
                              if (!window.confirm(`Remove ${m.name} from this workspace? Their account and past reviews stay.`)) return;
                              const result = await removeMemberAction(slug, m.userId);
                              if (!result.ok) return void toast.error(result.error.message);
                              toast.success(`Removed ${m.name}.`);
                            })
                          }
                        >
                          Remove
                        </Button>
                      </>
                    )}
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <dl className="grid gap-1 text-sm text-muted-foreground sm:grid-cols-2">
          {WORKSPACE_ROLES.map((r) => (
            <div key={r}>
              <dt className="inline font-medium text-foreground">{r}: </dt>
              <dd className="inline">{ROLE_DESCRIPTIONS[r]}</dd>
            </div>
          ))}
        </dl>
      </section>

      {link && <OneTimeLink {...link} />}

      {manage.allowed && invitations && (
        <section aria-labelledby="invite-heading" className="space-y-3">
          <h2 id="invite-heading" className="text-lg font-semibold">
            Invite someone
          </h2>
          <form
            aria-label="Invite"
            className="flex flex-wrap items-end gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              startTransition(async () => {
                const result = await createInvitationAction(slug, { role, email: email || undefined });
                if (!result.ok) return void toast.error(result.error.message);
                setLink({
                  label: "Invitation link",
                  url: `${origin}/invite/${result.data.token}`,
                  note: result.data.emailed
                    ? `E-mailed to ${result.data.invitation.email} (as ${result.data.invitation.role}). The same link, if you want to send it yourself: it works once, until ${formatDateTime(result.data.invitation.expiresAt)}; it is shown only now.`
                    : `Send this link to the person you invite (as ${result.data.invitation.role}). It works once, until ${formatDateTime(result.data.invitation.expiresAt)}; it is shown only now.`,
                });
                setEmail("");
              });
            }}
          >
            <div className="space-y-1.5">
              <Label htmlFor="invite-role">Role</Label>
              <select id="invite-role" className={selectClass} value={role} onChange={(e) => setRole(e.target.value as WorkspaceRole)}>
                {WORKSPACE_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r} — {ROLE_DESCRIPTIONS[r]}
                  </option>
                ))}
              </select>
            </div>
            <div className="min-w-56 flex-1 space-y-1.5">
              <Label htmlFor="invite-email">E-mail (optional; the link is e-mailed when e-mail is set up)</Label>
              <Input id="invite-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="reviewer@example.com" />
            </div>
            <Button type="submit" disabled={pending}>
              Create invitation link
            </Button>
          </form>
          {invitations.length > 0 && (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>For</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>Created</TableHead>
                  <TableHead>Expires</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="sr-only">Actions</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {invitations.map((inv) => (
                  <TableRow key={inv.id}>
                    <TableCell>{inv.email ?? "anyone with the link"}</TableCell>
                    <TableCell>{inv.role}</TableCell>
                    <TableCell>{formatDateTime(inv.createdAt)}</TableCell>
                    <TableCell>{formatDateTime(inv.expiresAt)}</TableCell>
                    <TableCell>{inv.status}</TableCell>
                    <TableCell className="text-right">
                      {inv.status === "pending" && (
                        <Button
                          size="sm"
                          variant="outline"
                          disabled={pending}
                          onClick={() =>
                            startTransition(async () => {
                              const result = await revokeInvitationAction(slug, inv.id);
                              if (!result.ok) return void toast.error(result.error.message);
                              toast.success("Invitation withdrawn.");
                            })
                          }
                        >
                          Withdraw
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </section>
      )}
    </div>
  );
}
