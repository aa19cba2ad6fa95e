"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { signInPath } from "@/lib/auth-paths";
import { acceptInvitationAction } from "@/server/actions/accounts";
import { AccountFields } from "./account-fields";

/**
 * Accepts an invitation: signed in, one button; signed out, a new account (or a link to sign in
 * first and come back).
 */
export function InvitationForm({ token, signedInAs, email, minPasswordLength }: { token: string; signedInAs: string | null; email: string | null; minPasswordLength: number }) {
  const [values, setValues] = useState({ name: "", email: email ?? "", password: "" });
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const accept = (account?: typeof values) =>
    startTransition(async () => {
      setError(null);
      const result = await acceptInvitationAction(token, account);
      if (!result.ok) return setError(result.error.message);
      window.location.assign(result.data.next);
    });
  const problem = error && (
    <p role="alert" className="text-sm text-destructive">
      {error}
    </p>
  );
  if (signedInAs) {
    return (
      <div className="space-y-4">
        <p className="text-sm">You are signed in as {signedInAs}.</p>
        {problem}
        <Button className="w-full" disabled={pending} onClick={() => accept()}>
          {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
          Join the workspace
        </Button>
      </div>
    );
  }
  return (
    <form
      aria-label="Create your account"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        accept(values);
      }}
    >
      <AccountFields values={values} onChange={setValues} minPasswordLength={minPasswordLength} />
      {problem}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
        Create my account and join
      </Button>
      <p className="text-center text-sm text-muted-foreground">
        Already have an account?{" "}
        <Link className="underline underline-offset-2" href={signInPath(`/invite/${token}`)}>
          Sign in first
        </Link>
      </p>
    </form>
  );
}
