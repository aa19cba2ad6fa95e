import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { describeDailySummaryOutcome, sendDailySummaries } from "../../server/email/daily-summary";
import { commonArgs, say, withDatabase } from "../context";

/**
 * `brightrun email daily-summary [--dry-run]` (docs/email.md, "Daily summary"): sends the daily
 * summary now, exactly as the daily job does (sendDailySummaries: once per account and UTC day),
 * or with --dry-run says who would get one and what about, sending nothing. Installation owner only.
 */
const dailySummary = defineCommand({
  meta: { name: "daily-summary", description: "Send the daily summary e-mail now to every account that asked for it (once per account and UTC day)." },
  args: {
    "data-dir": commonArgs["data-dir"],
    "dry-run": { type: "boolean", description: "Say who would get a summary and about which workspaces; send nothing." },
  },
  async run({ args }) {
    await withDatabase({ dataDir: args["data-dir"], permission: "manage_members" }, async ({ handle }) => {
      const result = await sendDailySummaries(handle.db, { dryRun: args["dry-run"] === true });
      if (!result.configured) throw new AppError("email_not_configured", "E-mail is not set up: an installation owner enters the mail server under Settings → E-mail. Nothing was sent.");
      if (!result.users.length) say("No account has the daily summary turned on (Preferences → E-mail).");
      for (const outcome of result.users) say(describeDailySummaryOutcome(outcome));
      const failed = result.users.filter((u) => u.outcome === "error");
      if (failed.length) throw new AppError("email_failed", `The daily summary could not be queued for ${failed.map((u) => u.email).join(", ")}.`);
    });
  },
});

export default defineCommand({
  meta: { name: "email", description: "E-mail: `email daily-summary` sends the daily summary now (the server sends it every day at 07:00 UTC)." },
  subCommands: { "daily-summary": dailySummary },
});
