-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shopDomain_topic_eventId_key" ON "WebhookDelivery"("shopDomain", "topic", "eventId");
