import { describeCompliance } from "./compliance.shared";

describeCompliance("postgresql");
