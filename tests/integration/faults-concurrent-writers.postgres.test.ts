import { describeConcurrentWriters } from "./faults-concurrent-writers.shared";

describeConcurrentWriters("postgresql");
