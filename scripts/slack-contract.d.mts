// Types for scripts/slack-contract.mjs.
export const CONTRACT_LIMITS: Record<string, number>;
export function checkMessage(msg: unknown): { error: string; messages: string[] } | undefined;
export function headline(msg: Record<string, unknown>): string;
