import { describeReportRollups } from "./report-rollups.shared";

describeReportRollups("postgresql");
