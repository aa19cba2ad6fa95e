"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { authClient, authErrorMessage } from "@/lib/auth-client";

/** E-mail + password sign-in through better-auth's endpoint (rate limits and lockout apply); then opens `next`. */
export function SignInForm({ next }: { next: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      aria-label="Sign in"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        startTransition(async () => {
          const { error: failure } = await authClient.signIn.email({ email, password });
          if (failure) return setError(authErrorMessage(failure));
          window.location.assign(next);
        });
      }}
    >
      <div className="space-y-1.5">
        <Label htmlFor="sign-in-email">E-mail</Label>
        <Input id="sign-in-email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
      </div>
      <div className="space-y-1.5">
        <div className="flex items-baseline justify-between">
          <Label htmlFor="sign-in-password">Password</Label>
          <Link href="/forgot-password" className="text-xs text-muted-foreground underline underline-offset-2 hover:text-foreground">
            Forgot your password?
          </Link>
        </div>
        <Input id="sign-in-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </div>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
        Sign in
      </Button>
    </form>
  );
}
