import { describeReconciliation } from "./reconcile.shared";

describeReconciliation("sqlite");
