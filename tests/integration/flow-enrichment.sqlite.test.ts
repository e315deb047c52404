import { describeFlowAndEnrichment } from "./flow-enrichment.shared";

describeFlowAndEnrichment("sqlite");
