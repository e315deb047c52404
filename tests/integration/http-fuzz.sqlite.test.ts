import { describeHttpFuzz } from "./http-fuzz.shared";

describeHttpFuzz("sqlite");
