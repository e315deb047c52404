import { describeReconciliation } from "./reconcile.shared";

describeReconciliation("postgresql");
