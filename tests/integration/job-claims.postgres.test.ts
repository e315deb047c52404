import { describeJobClaims } from "./job-claims.shared";

describeJobClaims("postgresql");
