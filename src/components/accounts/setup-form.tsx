"use client";

import { useState, useTransition } from "react";
import { Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { setupOwnerAction } from "@/server/actions/accounts";
import { AccountFields } from "./account-fields";

/** The set-up form: the installation owner's account; signs them in and opens the app. */
export function SetupForm({ minPasswordLength }: { minPasswordLength: number }) {
  const [values, setValues] = useState({ name: "", email: "", password: "" });
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      aria-label="Create the owner's account"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        startTransition(async () => {
          const result = await setupOwnerAction(values);
          if (!result.ok) return setError(result.error.message);
          window.location.assign(result.data.next);
        });
      }}
    >
      <AccountFields values={values} onChange={setValues} minPasswordLength={minPasswordLength} />
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
        Create the owner&apos;s account
      </Button>
    </form>
  );
}
