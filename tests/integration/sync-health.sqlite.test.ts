import { describeSyncHealth } from "./sync-health.shared";

describeSyncHealth("sqlite");
