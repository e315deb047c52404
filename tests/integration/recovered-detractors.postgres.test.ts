import { describeRecoveredDetractors } from "./recovered-detractors.shared";

describeRecoveredDetractors("postgresql");
