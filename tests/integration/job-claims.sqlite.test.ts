import { describeJobClaims } from "./job-claims.shared";

describeJobClaims("sqlite");
