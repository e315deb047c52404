import { describeWebhookFaults } from "./faults-webhooks.shared";

describeWebhookFaults("postgresql");
