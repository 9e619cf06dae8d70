// Types for scripts/slack-receiver.mjs, so the TypeScript tests can drive it.
export const WEBHOOK_PATH: string;

export interface ReceivedEntry {
  kind: 'chat.postMessage' | 'chat.update' | 'webhook';
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  headline: string;
  body: Record<string, unknown>;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  current: Record<string, unknown>;
  history: Record<string, unknown>[];
  replies: string[];
}

export interface ReceivedRequest {
  path: string;
  status: number;
  error?: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface Fault {
  status?: number;
  error?: string;
  retryAfter?: number;
  body?: string;
  /** Hold the request this long, then drop the connection (a timeout as the client sees it). */
  delayMs?: number;
}

export interface SlackReceiver {
  url: string;
  apiUrl: string;
  webhookUrl: string;
  channels: Record<string, string>;
  messages: Map<string, StoredMessage>;
  log: ReceivedEntry[];
  requests: ReceivedRequest[];
  failNext(...faults: Fault[]): void;
  close(): Promise<void>;
}

export function startSlackReceiver(options?: {
  port?: number;
  host?: string;
  token?: string;
  rate?: number;
  channels?: Record<string, string>;
  print?: (line: string) => void;
}): Promise<SlackReceiver>;
