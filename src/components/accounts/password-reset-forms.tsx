"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { authClient, authErrorMessage } from "@/lib/auth-client";

/** Asks for a reset link by e-mail (only offered when SMTP is set up). */
export function ForgotPasswordForm() {
  const [email, setEmail] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      aria-label="Reset your password"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        setMessage(null);
        startTransition(async () => {
          const { error } = await authClient.requestPasswordReset({ email, redirectTo: "/reset-password" });
          setMessage(error ? { ok: false, text: authErrorMessage(error) } : { ok: true, text: "If that address has an account, a reset link is on its way. It works for one hour." });
        });
      }}
    >
      <div className="space-y-1.5">
        <Label htmlFor="forgot-email">E-mail</Label>
        <Input id="forgot-email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
      </div>
      {message && (
        <p role={message.ok ? "status" : "alert"} className={message.ok ? "text-sm" : "text-sm text-destructive"}>
          {message.text}
        </p>
      )}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
        E-mail me a reset link
      </Button>
    </form>
  );
}

/** Sets a new password with the token of a reset link; every session of the account ends. */
export function ResetPasswordForm({ token, minPasswordLength }: { token: string; minPasswordLength: number }) {
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (done) {
    return (
      <p role="status" className="text-sm">
        Your password is changed and every other session of your account has ended.{" "}
        <Link href="/sign-in" className="underline underline-offset-2">
          Sign in
        </Link>{" "}
        with the new password.
      </p>
    );
  }
  return (
    <form
      aria-label="Choose a new password"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        startTransition(async () => {
          const { error: failure } = await authClient.resetPassword({ newPassword: password, token });
          if (failure) {
            return setError(
              failure.code === "INVALID_TOKEN" ? "This reset link is not valid any more (used, or older than an hour). Ask for a new one." : authErrorMessage(failure),
            );
          }
          setDone(true);
        });
      }}
    >
      <div className="space-y-1.5">
        <Label htmlFor="reset-password">New password</Label>
        <Input id="reset-password" type="password" autoComplete="new-password" minLength={minPasswordLength} maxLength={128} value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus />
        <p className="text-xs text-muted-foreground">At least {minPasswordLength} characters.</p>
      </div>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
        Set the new password
      </Button>
    </form>
  );
}
