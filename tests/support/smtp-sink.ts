import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "./free-port";

// A real SMTP server on a local port (smtp-server), requiring the credentials of its URL like a relay would, and
// keeping every message it accepted, parsed (mailparser). Stop and start it again to play an outage.
export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  text: string;
}

export interface SmtpSink {
  /** smtp://user:pass@127.0.0.1:port */
  url: string;
  messages: ReceivedMail[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

const USER = "nps-relay";
const PASSWORD = "relay-secret";

export async function startSmtpSink(): Promise<SmtpSink> {
  const port = await freePort();
  const messages: ReceivedMail[] = [];
  let server: SMTPServer | null = null;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const next = new SMTPServer({
        logger: false,
        disabledCommands: ["STARTTLS"],
        allowInsecureAuth: true,
        onAuth(auth, _session, callback) {
          if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
          else callback(new Error("Invalid username or password"));
        },
        onData(stream, session, callback) {
          simpleParser(stream).then(
            (parsed) => {
              const addressText = (value: typeof parsed.to) =>
                (Array.isArray(value) ? value : value ? [value] : []).map((item) => item.text).join(", ");
              messages.push({
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address),
                from: addressText(parsed.from),
                to: addressText(parsed.to),
                subject: parsed.subject ?? "",
                text: parsed.text ?? "",
              });
              callback();
            },
            (error: Error) => callback(error),
          );
        },
      });
      next.server.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        server = next;
        resolve();
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      const running = server;
      server = null;
      if (!running) return resolve();
      running.close(() => resolve());
    });

  await start();
  return { url: `smtp://${USER}:${PASSWORD}@127.0.0.1:${port}`, messages, start, stop };
}
