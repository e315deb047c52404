import { describeFlowLifecycleFuzz } from "./flow-lifecycle-fuzz.shared";

describeFlowLifecycleFuzz("sqlite");
