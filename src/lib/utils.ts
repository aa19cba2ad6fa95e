import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/**
 * Joins class names the way every UI component expects: `clsx` drops falsy values and flattens
 * arrays / objects (`{ "opacity-50": disabled }`), then `tailwind-merge` resolves conflicting
 * Tailwind utilities so the last one wins (`cn("px-2", "px-4")` → `"px-4"`). Use it whenever a
 * component merges its own classes with a caller's `className`.
 */
export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}
