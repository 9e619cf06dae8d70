import { notifyInterface } from '../generated/notify.js';
import { defineStep } from '../core/step.js';
import { StepFailure } from '../core/errors.js';
import { runContext, type Env, type RunContext } from '../platform/context.js';
import type { Platform } from '../platform/types.js';
import { getInputs, Inputs, Outputs, type NotifyInputs } from './inputs.js';
import { guardMessage } from './limits.js';
import { detailsMessage, escapeMrkdwn, eventMessage } from './messages.js';
import {
  postWebhook,
  SlackApi,
  SlackError,
  type ClientOptions,
  type MessageRef,
  type SlackMessage,
} from './slack.js';
import { renderPayload, templateValues } from './template.js';

export { Inputs, Outputs };

/** The messages one run sends: the main (status) message and an optional thread reply. */
export interface Plan {
  main?: SlackMessage;
  details?: SlackMessage;
  /** What the size guard cut, for the log. */
  notes: string[];
}

/** The secrets among the inputs: the token, the webhook URL and its path (which is the credential). */
export function secretsOf(inputs: NotifyInputs): string[] {
  const out: string[] = [];
  if (inputs.token) out.push(inputs.token);
  if (inputs.webhookUrl) {
    out.push(inputs.webhookUrl);
    const path = URL.canParse(inputs.webhookUrl) ? new URL(inputs.webhookUrl).pathname : '';
    if (path.length > 8) out.push(path);
  }
  return out;
}

/**
 * Pure: turns the inputs and run context into the messages to send, each within Slack's limits.
 * Without a `duration` input, an update shows the time since the message was first posted (its ts).
 * Throws `UserError` for a bad custom payload (syntax, unknown placeholder).
 */
export function planMessages(inputs: NotifyInputs, ctx: RunContext, env: Env, now = Date.now()): Plan {
  const notes: string[] = [];
  // An update's ts is when the first message was posted: the time since then is the run's duration.
  const sincePost = inputs.ts ? now - Number(inputs.ts) * 1000 : undefined;
  const facts = {
    title: inputs.title,
    environment: inputs.environment,
    environmentUrl: inputs.environmentUrl,
    versionBefore: inputs.versionBefore,
    versionAfter: inputs.versionAfter,
    durationMs: inputs.durationMs ?? (sincePost !== undefined && sincePost >= 0 ? sincePost : undefined),
    text: inputs.message,
    jobUrl: inputs.jobUrl,
    mention: inputs.mention,
  };
  let main: SlackMessage | undefined;
  if (inputs.payload) {
    // Text values are escaped for mrkdwn (as ci.commit_title): they often carry a commit message.
    // The payload's own text is the author's raw mrkdwn and is sent as written.
    const notify: Record<string, string> = {
      event: inputs.event ?? '',
      title: escapeMrkdwn(inputs.title ?? ''),
      message: escapeMrkdwn(inputs.message ?? ''),
      environment: escapeMrkdwn(inputs.environment ?? ''),
      environment_url: inputs.environmentUrl ?? '',
      version_before: escapeMrkdwn(inputs.versionBefore ?? ''),
      version_after: escapeMrkdwn(inputs.versionAfter ?? ''),
      job_url: inputs.jobUrl ?? ctx.jobUrl ?? '',
    };
    const values = templateValues(ctx, notify, inputs.vars);
    main = renderPayload(inputs.payload, values, env, secretsOf(inputs));
  } else if (inputs.event) {
    main = eventMessage(inputs.event, ctx, facts);
  }
  const guard = (m: SlackMessage | undefined) => {
    if (!m) return undefined;
    const g = guardMessage(m);
    notes.push(...g.notes);
    return g.message;
  };
  return {
    main: guard(main),
    details: guard(inputs.details ? detailsMessage(inputs.details) : undefined),
    notes,
  };
}

function clientOptions(inputs: NotifyInputs, platform: Platform): ClientOptions {
  return {
    timeoutMs: inputs.timeoutMs,
    retry: {
      retries: inputs.retries,
      onRetry: (reason, ms, n) => platform.info(`Slack: ${reason}; retry ${n}/${inputs.retries} in ${ms} ms`),
    },
  };
}

/** Token route: post or update the main message, set the outputs, then post the thread reply. */
async function sendWithToken(inputs: NotifyInputs, plan: Plan, platform: Platform): Promise<void> {
  const api = new SlackApi(inputs.apiUrl, inputs.token!, clientOptions(inputs, platform));
  const channel = inputs.channel!;
  let ref: MessageRef = { channel, ts: inputs.ts ?? '' };
  if (plan.main) {
    if (inputs.ts) {
      // chat.update keeps blocks/attachments that are left out: send empty lists to replace them.
      const body = { blocks: [], attachments: [], ...plan.main, channel, ts: inputs.ts };
      platform.debug(`chat.update ${JSON.stringify(body)}`);
      ref = await api.call('chat.update', body);
    } else {
      const body = { ...plan.main, channel, ...(inputs.threadTs ? { thread_ts: inputs.threadTs } : {}) };
      platform.debug(`chat.postMessage ${JSON.stringify(body)}`);
      ref = await api.call('chat.postMessage', body);
    }
    platform.info(`Slack: ${inputs.ts ? 'updated' : 'posted'} message ${ref.ts} in ${ref.channel}`);
  }
  const threadTs = inputs.threadTs ?? ref.ts;
  const out = { channel: ref.channel || channel, ts: ref.ts, threadTs };
  // Set now, so later jobs can still update the message when the thread reply below fails.
  platform.setOutput(Outputs.ts, out.ts);
  platform.setOutput(Outputs.threadTs, out.threadTs);
  platform.setOutput(Outputs.channelId, out.channel);
  if (plan.details) {
    if (!threadTs) {
      throw new SlackError(
        'no_thread',
        'details need a message to reply to: set event or payload, or pass ts/thread-ts',
      );
    }
    const body = { ...plan.details, channel: out.channel, thread_ts: threadTs };
    platform.debug(`chat.postMessage (thread reply) ${JSON.stringify(body)}`);
    const reply = await api.call('chat.postMessage', body);
    platform.info(`Slack: replied ${reply.ts} in thread ${threadTs}`);
  }
}

async function sendWithWebhook(inputs: NotifyInputs, plan: Plan, platform: Platform): Promise<void> {
  if (inputs.ts || inputs.threadTs) {
    platform.warning(
      'Slack: an incoming webhook cannot update or reply in a thread; posting a new message (use a bot token for that)',
    );
  }
  let message = plan.main ?? plan.details!;
  if (plan.main && plan.details) {
    // No threads here: the details go at the end of the status message (inside its colour bar).
    const main = structuredClone(plan.main);
    const last = main.attachments?.at(-1);
    if (last) last.blocks = [...(last.blocks ?? []), ...(plan.details.blocks ?? [])];
    else main.blocks = [...(main.blocks ?? []), ...(plan.details.blocks ?? [])];
    message = guardMessage(main).message;
  }
  platform.debug(`webhook ${JSON.stringify(message)}`);
  await postWebhook(inputs.webhookUrl!, message, clientOptions(inputs, platform));
  platform.info('Slack: posted message via incoming webhook');
}

/**
 * Sends the notification. A delivery failure is a warning (output `ok=false`) unless `fail-on-error`
 * is set, when it fails the step; a bad payload is a `UserError` either way.
 */
export async function notify(inputs: NotifyInputs, platform: Platform, env: Env = inputs.env): Promise<void> {
  for (const secret of secretsOf(inputs)) platform.setSecret(secret);
  if (!inputs.token && !inputs.webhookUrl) {
    const why = 'no Slack token or webhook URL given (secrets are empty in fork pull requests)';
    if (inputs.failOnError) throw new StepFailure(`${why}; set ${Inputs.token} or ${Inputs.webhookUrl}`);
    platform.warning(`Slack: ${why}; skipping the notification`);
    platform.setOutput(Outputs.ok, false);
    return;
  }
  const plan = planMessages(inputs, runContext(env), env);
  for (const note of plan.notes) platform.info(`Slack: message kept within limits: ${note}`);
  try {
    if (inputs.token) {
      await sendWithToken(inputs, plan, platform);
    } else {
      await sendWithWebhook(inputs, plan, platform);
    }
    platform.setOutput(Outputs.ok, true);
  } catch (err: unknown) {
    if (!(err instanceof SlackError)) throw err;
    platform.setOutput(Outputs.ok, false);
    const message = platform.redact(`Slack notification failed: ${err.message}`);
    if (inputs.failOnError) throw new StepFailure(message);
    platform.warning(`${message} (not failing the job: fail-on-error is false)`);
  }
}

export const step = defineStep({
  name: 'notify',
  summary: 'Post and update Slack messages for each pipeline step',
  inputs: Inputs,
  interface: notifyInterface,
  outputs: Outputs,
  getInputs,
  main: (inputs, platform) => notify(inputs, platform),
  cli: {
    aliases: { '-e': Inputs.event, '-c': Inputs.channel, '-m': Inputs.message },
    switches: [Inputs.failOnError],
    usage: '--event <event> (--token <xoxb-…> --channel <id> | --webhook-url <url>) [options]',
  },
});
