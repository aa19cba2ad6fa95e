"use client";

import { MonitorIcon, MoonIcon, SunIcon } from "lucide-react";
import { useTheme } from "next-themes";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { updatePreferences } from "@/components/preferences/use-preferences";
import { THEME_CHOICES, type ThemeChoice } from "@/lib/preferences";

/**
 * The header's theme button (aria-label "Change theme"): a menu of Light / Dark / System, the
 * current choice ticked. The icon follows the applied theme through CSS (`dark:`), so the server
 * render and the first client render match before next-themes knows the stored choice. The choice
 * is also saved as the user's theme preference (US14.1.1), so it follows them to other browsers.
 */
export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const choose = (value: string) => {
    setTheme(value);
    if (!THEME_CHOICES.includes(value as ThemeChoice)) return;
    void updatePreferences({ theme: value as ThemeChoice }).then(
      (result) => {
        if (!result.ok) toast.error("The theme was not saved to your preferences", { description: result.error.message });
      },
      () => toast.error("The theme was not saved to your preferences", { description: "The server could not be reached; it applies in this browser only." }),
    );
  };

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="relative size-8" aria-label="Change theme" title="Change theme">
          <SunIcon className="scale-100 rotate-0 transition-all dark:scale-0 dark:-rotate-90" aria-hidden="true" />
          <MoonIcon
            className="absolute scale-0 rotate-90 transition-all dark:scale-100 dark:rotate-0"
            aria-hidden="true"
          />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuRadioGroup value={theme ?? "system"} onValueChange={choose}>
          <DropdownMenuRadioItem value="light">
            <SunIcon aria-hidden="true" />
            Light
          </DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="dark">
            <MoonIcon aria-hidden="true" />
            Dark
          </DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="system">
            <MonitorIcon aria-hidden="true" />
            System
          </DropdownMenuRadioItem>
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
