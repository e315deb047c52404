import { describeCompliance } from "./compliance.shared";

describeCompliance("sqlite");
