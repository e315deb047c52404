import { describeFlowAndEnrichment } from "./flow-enrichment.shared";

describeFlowAndEnrichment("postgresql");
