import { describeIsolation } from "./isolation.shared";

describeIsolation("sqlite");
