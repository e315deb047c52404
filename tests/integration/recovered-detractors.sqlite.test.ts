import { describeRecoveredDetractors } from "./recovered-detractors.shared";

describeRecoveredDetractors("sqlite");
