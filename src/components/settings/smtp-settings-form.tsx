"use client";

import { useId, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { CheckCircle2, Loader2, MailCheck, TriangleAlert } from "lucide-react";
import { toast } from "sonner";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { SMTP_SECURITY_OPTIONS } from "@/lib/email-settings";
import { clearSmtpSettingsAction, saveSmtpSettingsAction, sendTestEmailAction } from "@/server/actions/email-settings";
import type { SmtpSettingsView } from "@/server/email/smtp-settings";

type Security = SmtpSettingsView["security"];

/**
 * The installation's mail server (issue 14 item 5; docs/email.md): host, port, security, user name,
 * password (saved encrypted: shown only as "set" with Replace and Clear), from address; Save, Turn
 * off e-mail, and Send test e-mail to a typed address with the mail server's answer in plain English.
 * The server validates everything again (smtpSettingsInputSchema).
 */
export function SmtpSettingsForm({ initial, defaultTestAddress }: { initial: SmtpSettingsView; defaultTestAddress: string }) {
  const router = useRouter();
  const id = useId();
  const [view, setView] = useState(initial);
  const [host, setHost] = useState(initial.host);
  const [port, setPort] = useState(String(initial.port));
  const [security, setSecurity] = useState<Security>(initial.security);
  const [username, setUsername] = useState(initial.username ?? "");
  const [password, setPassword] = useState("");
  const [replacingPassword, setReplacingPassword] = useState(!initial.passwordSet);
  const [clearPassword, setClearPassword] = useState(false);
  const [fromAddress, setFromAddress] = useState(initial.fromAddress);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [testTo, setTestTo] = useState(defaultTestAddress);
  const [testResult, setTestResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [saving, startSaving] = useTransition();
  const [testing, startTesting] = useTransition();

  function applyView(next: SmtpSettingsView) {
    setView(next);
    setHost(next.host);
    setPort(String(next.port));
    setSecurity(next.security);
    setUsername(next.username ?? "");
    setPassword("");
    setReplacingPassword(!next.passwordSet);
    setClearPassword(false);
    setFromAddress(next.fromAddress);
  }

  function save() {
    setSaveError(null);
    startSaving(async () => {
      const result = await saveSmtpSettingsAction({
        host,
        port: Number(port.trim() === "" ? NaN : port),
        security,
        username: username.trim() || null,
        password: password !== "" ? { action: "replace", value: password } : clearPassword ? { action: "clear" } : { action: "keep" },
        fromAddress,
      });
      if (!result.ok) return void setSaveError(result.error.message);
      applyView(result.data);
      setTestResult(null);
      toast.success("E-mail settings saved. Send a test e-mail to check them.");
      router.refresh();
    });
  }

  function turnOff() {
    startSaving(async () => {
      const result = await clearSmtpSettingsAction();
      if (!result.ok) return void toast.error(result.error.message);
      applyView(result.data);
      setTestResult(null);
      toast.success("E-mail is off: the SMTP settings were removed.");
      router.refresh();
    });
  }

  function sendTest() {
    setTestResult(null);
    startTesting(async () => {
      const result = await sendTestEmailAction(testTo);
      if (!result.ok) return void setTestResult({ ok: false, message: result.error.message });
      if (result.data.ok) {
        setTestResult({ ok: true, message: `Sent to ${result.data.to}. Check that inbox (and its spam folder).` });
        router.refresh();
      } else setTestResult({ ok: false, message: result.data.message });
    });
  }

  const busy = saving || testing;
  const securityChoice = SMTP_SECURITY_OPTIONS.find((o) => o.value === security);

  return (
    <div className="space-y-6">
      <section aria-labelledby={`${id}-server`} className="space-y-4 rounded-lg border p-4">
        <div className="space-y-1">
          <h2 id={`${id}-server`} className="text-lg font-semibold">
            Mail server (SMTP)
          </h2>
          <p className="text-sm text-muted-foreground">
            {view.configured
              ? view.testedAt
                ? `E-mail is on. A test e-mail last went through on ${view.testedAt.toLocaleString()}.`
                : "E-mail is on, but these settings have not been tested yet: send a test e-mail below."
              : "E-mail is off. Enter your mail provider's SMTP server to send run notifications and invitations."}
          </p>
        </div>
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <div className="grid gap-3 sm:grid-cols-[1fr_8rem]">
            <div className="space-y-1.5">
              <Label htmlFor={`${id}-host`}>Host</Label>
              <Input id={`${id}-host`} value={host} onChange={(e) => setHost(e.target.value)} placeholder="smtp.example.com" autoComplete="off" disabled={busy} />
            </div>
            <div className="space-y-1.5">
              <Label htmlFor={`${id}-port`}>Port</Label>
              <Input id={`${id}-port`} inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} placeholder={String(securityChoice?.usualPort ?? 587)} disabled={busy} />
            </div>
          </div>
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-security`}>Security</Label>
            <Select value={security} onValueChange={(value) => setSecurity(value as Security)} disabled={busy}>
              <SelectTrigger id={`${id}-security`} className="w-full sm:w-96">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {SMTP_SECURITY_OPTIONS.map((o) => (
                  <SelectItem key={o.value} value={o.value}>
                    {o.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <div className="grid gap-3 sm:grid-cols-2">
            <div className="space-y-1.5">
              <Label htmlFor={`${id}-username`}>User name</Label>
              <Input id={`${id}-username`} value={username} onChange={(e) => setUsername(e.target.value)} placeholder="Empty if the server needs no login" autoComplete="off" disabled={busy} />
            </div>
            <div className="space-y-1.5">
              <Label htmlFor={`${id}-password`}>Password</Label>
              {view.passwordSet && !replacingPassword ? (
                <div className="flex flex-wrap items-center gap-2">
                  <code className="rounded bg-muted px-2 py-1 text-sm" aria-label="Saved password">
                    {clearPassword ? "will be cleared on Save" : "set"}
                  </code>
                  <Button type="button" variant="outline" size="sm" onClick={() => setReplacingPassword(true)} disabled={busy}>
                    Replace
                  </Button>
                  <Button type="button" variant="ghost" size="sm" onClick={() => setClearPassword((c) => !c)} disabled={busy}>
                    {clearPassword ? "Keep it" : "Clear"}
                  </Button>
                </div>
              ) : (
                <Input id={`${id}-password`} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" disabled={busy} />
              )}
              <p className="text-xs text-muted-foreground">Stored encrypted on this server; never shown again.</p>
            </div>
          </div>
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-from`}>From address</Label>
            <Input id={`${id}-from`} value={fromAddress} onChange={(e) => setFromAddress(e.target.value)} placeholder="Bright Run <brightrun@example.com>" autoComplete="off" disabled={busy} />
            <p className="text-xs text-muted-foreground">Most providers only send from an address of their own domain.</p>
          </div>
          {saveError && (
            <Alert variant="destructive" role="alert">
              <TriangleAlert aria-hidden />
              <AlertTitle>Not saved</AlertTitle>
              <AlertDescription>{saveError}</AlertDescription>
            </Alert>
          )}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={busy}>
              {saving && <Loader2 aria-hidden className="size-4 animate-spin" />}
              Save
            </Button>
            {view.configured && (
              <Button type="button" variant="outline" onClick={turnOff} disabled={busy}>
                Turn off e-mail
              </Button>
            )}
          </div>
        </form>
      </section>

      <section aria-labelledby={`${id}-test`} className="space-y-3 rounded-lg border p-4">
        <div className="space-y-1">
          <h2 id={`${id}-test`} className="text-lg font-semibold">
            Send test e-mail
          </h2>
          <p className="text-sm text-muted-foreground">Sends one message now through the saved settings (save your changes first).</p>
        </div>
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            sendTest();
          }}
        >
          <div className="min-w-64 flex-1 space-y-1.5">
            <Label htmlFor={`${id}-to`}>Send to</Label>
            <Input id={`${id}-to`} type="email" value={testTo} onChange={(e) => setTestTo(e.target.value)} placeholder="you@example.com" disabled={busy} />
          </div>
          <Button type="submit" variant="outline" disabled={busy || !view.configured}>
            {testing ? <Loader2 aria-hidden className="size-4 animate-spin" /> : <MailCheck aria-hidden className="size-4" />}
            Send test e-mail
          </Button>
        </form>
        {!view.configured && <p className="text-sm text-muted-foreground">Save the mail server first.</p>}
        {testResult && (
          <Alert variant={testResult.ok ? "default" : "destructive"} role={testResult.ok ? "status" : "alert"} data-testid="test-email-result">
            {testResult.ok ? <CheckCircle2 aria-hidden /> : <TriangleAlert aria-hidden />}
            <AlertTitle>{testResult.ok ? "Test e-mail sent" : "The test e-mail was not sent"}</AlertTitle>
            <AlertDescription>{testResult.message}</AlertDescription>
          </Alert>
        )}
      </section>
    </div>
  );
}
