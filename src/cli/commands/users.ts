import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { createOwnerAccount } from "../../server/accounts/accounts";
import { commonArgs, readCliVariable, say, withDatabase } from "../context";

/**
 * `brightrun users create-owner --name N --email E [--password P]` (issue 14, item 1;
 * docs/accounts.md): the set-up page's job from the command line — the installation owner's
 * account, once per installation. The password comes from --password or BRIGHTRUN_OWNER_PASSWORD
 * (better: it stays out of the shell's history).
 */
const createOwner = defineCommand({
  meta: { name: "create-owner", description: "Create the installation owner's account (what the set-up page does on a fresh install)." },
  args: {
    "data-dir": commonArgs["data-dir"],
    name: { type: "string", description: "The owner's name.", required: true },
    email: { type: "string", description: "The owner's e-mail address (their sign-in).", required: true },
    password: { type: "string", description: "The password (at least 10 characters). Default: $BRIGHTRUN_OWNER_PASSWORD." },
  },
  async run({ args }) {
    // The CLI user's own variable, also when the command runs in the server (src/cli/output.ts).
    const password = args.password ?? readCliVariable("BRIGHTRUN_OWNER_PASSWORD");
    if (!password) throw new AppError("account_invalid", "Give the password with --password, or set BRIGHTRUN_OWNER_PASSWORD (it then stays out of your shell's history).");
    // Only the local owner (or the installation owner's token) can make the owner; createOwnerAccount refuses a second one.
    await withDatabase({ dataDir: args["data-dir"], permission: "manage_members" }, async ({ handle }) => {
      const user = await createOwnerAccount(handle, { name: args.name, email: args.email, password });
      say(`Created the owner's account for ${user.name} <${user.email}>. Sign in with it in the web app.`);
    });
  },
});

export default defineCommand({
  meta: { name: "users", description: "Accounts: `users create-owner` makes the installation owner's account." },
  subCommands: { "create-owner": createOwner },
});
