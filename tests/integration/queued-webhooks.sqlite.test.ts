import { describeQueuedWebhooks } from "./queued-webhooks.shared";

describeQueuedWebhooks("sqlite");
