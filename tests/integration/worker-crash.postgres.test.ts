import { describeWorkerCrash } from "./worker-crash.shared";

describeWorkerCrash("postgresql");
