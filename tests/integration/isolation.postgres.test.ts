import { describeIsolation } from "./isolation.shared";

describeIsolation("postgresql");
