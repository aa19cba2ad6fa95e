"use client";

import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** Name, e-mail and password fields of a new account (set-up, invitation). `minPasswordLength` comes from the server's rule. */
export function AccountFields({
  values,
  onChange,
  minPasswordLength,
  emailLocked,
}: {
  values: { name: string; email: string; password: string };
  onChange: (values: { name: string; email: string; password: string }) => void;
  minPasswordLength: number;
  emailLocked?: boolean;
}) {
  return (
    <>
      <div className="space-y-1.5">
        <Label htmlFor="account-name">Your name</Label>
        <Input id="account-name" autoComplete="name" value={values.name} onChange={(e) => onChange({ ...values, name: e.target.value })} required maxLength={120} autoFocus />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="account-email">E-mail</Label>
        <Input
          id="account-email"
          type="email"
          autoComplete="email"
          value={values.email}
          readOnly={emailLocked}
          onChange={(e) => onChange({ ...values, email: e.target.value })}
          required
        />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="account-password">Password</Label>
        <Input
          id="account-password"
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={(e) => onChange({ ...values, password: e.target.value })}
          required
          minLength={minPasswordLength}
          maxLength={128}
          aria-describedby="account-password-hint"
        />
        <p id="account-password-hint" className="text-xs text-muted-foreground">
          At least {minPasswordLength} characters. A passphrase of a few words is easy to remember and hard to guess.
        </p>
      </div>
    </>
  );
}
