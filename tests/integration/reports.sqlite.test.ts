import { describeReports } from "./reports.shared";

describeReports("sqlite");
