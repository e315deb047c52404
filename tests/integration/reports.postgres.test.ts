import { describeReports } from "./reports.shared";

describeReports("postgresql");
