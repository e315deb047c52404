import { createTransport } from "nodemailer";
import { type Env, env } from "~/env.server";

// Outgoing mail to merchants (alerts), through the SMTP server SMTP_URL names. One message per call, plain text.
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** A refused or failed delivery; `retryable` is false when the server answered with a permanent (5xx) error. */
export class MailDeliveryError extends Error {
  override name = "MailDeliveryError";
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

function deliveryError(error: unknown): MailDeliveryError {
  const { message, responseCode, code } = (error ?? {}) as {
    message?: unknown;
    responseCode?: unknown;
    code?: unknown;
  };
  // The server's answer may quote the recipient: addresses are kept out of the job's error and the logs.
  const text = `SMTP ${typeof code === "string" ? `${code}: ` : ""}${String(message ?? error)}`.replace(
    EMAIL,
    "[email]",
  );
  const permanent = typeof responseCode === "number" && responseCode >= 500 && responseCode < 600;
  return new MailDeliveryError(text.slice(0, 500), !permanent);
}

export function createSmtpMailer(config: { url: string; from: string }): Mailer {
  // Short timeouts: a job holds a 60 s lease, and an unreachable server is retried by the queue with backoff.
  const transport = createTransport(
    { url: config.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    { from: config.from },
  );
  return {
    async send(mail) {
      try {
        await transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text });
      } catch (error) {
        throw deliveryError(error);
      }
    },
    close() {
      transport.close();
    },
  };
}

let configured: { url: string; mailer: Mailer | null } | undefined;

/** The mailer SMTP_URL and SMTP_FROM configure, made once; null when SMTP is not configured. */
export function mailerFromEnv(config: Env = env()): Mailer | null {
  const url = config.SMTP_URL ?? "";
  if (configured?.url !== url) {
    configured = {
      url,
      mailer: url && config.SMTP_FROM ? createSmtpMailer({ url, from: config.SMTP_FROM }) : null,
    };
  }
  return configured.mailer;
}
