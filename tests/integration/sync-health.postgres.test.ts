import { describeSyncHealth } from "./sync-health.shared";

describeSyncHealth("postgresql");
