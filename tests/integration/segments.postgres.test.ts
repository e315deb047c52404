import { describeSegments } from "./segments.shared";

describeSegments("postgresql");
