import { describeSegments } from "./segments.shared";

describeSegments("sqlite");
