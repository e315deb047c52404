import { describeSyncFaults } from "./sync-faults.shared";

describeSyncFaults("postgresql");
